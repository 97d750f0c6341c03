"""Word lists the comparison heuristics and their evaluation share, in lower case.

A capitalised pair of words reads as a person's name unless its first word is a title, a
calendar name or a word that opens place and body names; a name ends an organisation's name
when its last word is one of :data:`ORGANISATION_WORDS`. Each list lives here once so the
conflict finder and the evaluation that plants conflicts for it read names alike.
"""

from __future__ import annotations

__all__ = [
    "MONTH_NAMES", "NAME_TITLES", "ORGANISATION_WORDS", "PLACE_NAME_STARTS", "WEEKDAY_NAMES",
]

WEEKDAY_NAMES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
})
MONTH_NAMES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
})
"""The months written out; ``newsfold.ingest.dates.MONTHS`` adds their abbreviations."""
NAME_TITLES = frozenset({
    "president", "prime", "minister", "secretary", "senator", "governor", "general", "king",
    "queen", "pope", "judge", "justice", "mayor", "police", "chief", "officer", "sheriff",
    "director", "spokesman", "spokeswoman", "commissioner", "captain", "colonel", "sergeant",
    "detective", "lieutenant", "prince", "princess", "lord", "lady", "saint", "deputy",
    "attorney", "agent", "professor", "doctor", "reverend", "father", "sister", "brother",
    "coach", "chairman", "chancellor", "premier", "ambassador",
})
"""Titles and roles written out before a name ("Governor Ed Rendell"): never a first name."""
PLACE_NAME_STARTS = frozenset({
    "north", "south", "east", "west", "new", "los", "san", "united", "supreme", "national",
    "state", "federal", "central",
})
"""First words of place and body names ("New Jersey", "Supreme Court"): never a first name."""
ORGANISATION_WORDS = frozenset({
    "service", "program", "programme", "organisation", "organization", "agency", "council",
    "ministry", "department", "university", "institute", "committee", "commission", "party",
    "group", "union", "association", "bank", "fund", "company", "corporation", "news", "times",
    "post", "press", "center", "centre", "office", "court", "police", "army", "navy", "force",
    "forces", "school", "hospital", "airport", "station", "foundation", "network", "channel",
    "international", "administration", "theater", "theatre", "ocean", "sea", "river", "tribe",
    "nation", "province", "republic", "airlines", "airways", "institution", "society", "club",
})
"""Words that end the names of bodies, not people: a respelt "Food Programme" is no conflict."""
