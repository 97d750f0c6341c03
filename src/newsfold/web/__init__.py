"""newsfold.web"""
