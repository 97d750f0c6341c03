"""newsfold.cli"""
