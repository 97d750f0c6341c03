"""newsfold: fold many outlets' coverage into stories with cited briefs."""
