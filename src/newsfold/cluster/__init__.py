"""newsfold.cluster"""
