"""newsfold.clean"""
