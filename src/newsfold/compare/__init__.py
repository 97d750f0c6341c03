"""newsfold.compare"""
