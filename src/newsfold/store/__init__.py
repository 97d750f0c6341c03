"""newsfold.store"""
