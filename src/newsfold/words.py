"""Word lists the comparison heuristics and their evaluation share, in lower case.

A capitalised pair of words reads as a person's name unless its first word is a title, a
calendar name or a word that opens place and body names; a name ends an organisation's name
when its last word is one of :data:`ORGANISATION_WORDS`. Each list lives here once so the
conflict finder and the evaluation that plants conflicts for it read names alike. The lists
by which entities and quote speakers are told from other words live here too, each named for
the use it was made for where it differs from a list above.
"""

from __future__ import annotations

__all__ = [
    "MENTION_TITLES", "MONTH_NAMES", "NAME_TITLES", "NOT_PERSON_WORDS", "NOT_SPEAKERS",
    "ORGANISATION_WORDS", "PLACE_NAME_STARTS", "WEEKDAY_NAMES",
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
MENTION_TITLES = frozenset({
    "president", "vice", "prime", "minister", "secretary", "senator", "sen", "gov", "governor",
    "chancellor", "king", "queen", "pope", "general", "gen", "mr", "mrs", "ms", "dr", "prof",
    "rep", "representative", "judge", "justice", "mayor", "premier", "ambassador", "sir",
    "lord", "lady", "prince", "princess", "spokesman", "spokeswoman", "foreign", "defense",
    "defence", "state", "chief", "executive", "director", "leader", "commander", "officer",
    "coroner", "sheriff", "commissioner", "attorney", "superintendent", "inspector",
    "detective", "trooper", "captain", "capt", "lieutenant", "lt", "sergeant", "sgt",
    "colonel", "col", "chairman", "chairwoman", "spokesperson", "deputy", "senior", "adm",
    "admiral", "cardinal", "bishop", "rev", "reverend", "professor", "councilman", "del",
})
"""Titles, their abbreviations and the role words around them ("Foreign Minister", "Senior
Adviser"), cut from either end of an entity's name: "Russian President Vladimir Putin" →
"Vladimir Putin". Wider than :data:`NAME_TITLES`, which only has to tell a title from a first
name: cutting also needs the short forms ("Gen.") and the words that qualify a role."""
NOT_PERSON_WORDS = frozenset({
    "house", "party", "committee", "news", "department", "times", "post", "campaign",
    "council", "association", "agency", "administration", "court", "congress", "senate",
    "institute", "university", "group", "network", "company", "inc", "corp", "foundation",
    "center", "fund", "union", "pac", "office", "bureau", "service", "journal", "magazine",
    "register", "commission", "board", "police", "ministry", "government", "state", "states",
    "america", "republicans", "democrats", "caucus", "coalition", "alliance", "project",
    "team", "club", "church", "city", "county", "press", "media", "radio", "reports", "report",
    "poll", "study", "website", "statement",
})
"""Last words of a name that make it a body, a chamber or a document ("White House", "Gallup
poll"), which the quote finder never takes for the person "he" or "she" means. It holds the
bodies that speak in quoted news; :data:`ORGANISATION_WORDS` holds the names a conflict may
respell, so the two differ."""
NOT_SPEAKERS = frozenset({
    "but", "and", "the", "it", "this", "that", "in", "on", "he", "she", "they", "today",
    "yesterday", "rep", "sen", "gov", "mr", "mrs", "ms", "dr", "i", "we", "there", "here",
    "what", "who", "which", "if", "so", "then", "now", "a", "an", "his", "her", "their", "its",
    "one", "some", "many", "these", "those", "you", "another", "others", "other",
}) | WEEKDAY_NAMES | MONTH_NAMES
"""Words the quote finder never takes as a speaker on their own: pronouns, determiners and
conjunctions an attribution may open with, a bare title ("Sen."), day words, weekdays and
months."""
