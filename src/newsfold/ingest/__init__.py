"""newsfold.ingest"""
