"""newsfold.dedupe"""
