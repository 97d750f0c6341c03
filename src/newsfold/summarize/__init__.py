"""newsfold.summarize"""
