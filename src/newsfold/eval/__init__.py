"""newsfold.eval"""
