"""Conflicts: different outlets giving different values for the same thing.

Precision first. Sides always come from different independent articles (duplicate groups
count once; ``across_outlets=True`` also requires different outlet names). An article that
gives both values for the same thing in one sentence, words one of them as a revision ("rose
from 30 to 39"), or gives the other value as the sum of two of its own (a total) is not a
side. Three checks:

* numbers, dates and clock times: the two values have the same referent (the unit or head
  noun, ``troops``, ``$``, ``percent``, else the noun just before the value, "size 10";
  values both sentences share are set aside first, so "48 brands and 40 brands" against
  "48 brands and 52 brands" compares 40 with 52) and each value's own context, not the whole
  sentence, says they are about the same thing: the same two words just before or after both
  values (with the same two-word head, "of the 13 root servers"); or content words near both
  values (within ``WINDOW`` words, not past a clause boundary or another value) rare in the
  story, weighted by IDF; casualty counts with any shared non-casualty word; dates of one
  month with an event word right beside both ("on trial June 4", ``BESIDE``). Values of
  another event are not compared: a place or nationality in one value's claim that the other
  article never names and few of the story's articles mention ("over the Scottish town of
  Lockerbie that killed 270", ``SIDE_SHARE``), a year well before the report that the other
  sentence lacks, a "previous" event. Nor are conversions in brackets ("35 miles (55
  kilometers)"), values whose scopes differ ("in Honduras" and "in the region"), values more
  than ``MAX_RATIO`` apart, ages ("aged 25"), parts of dates ("11/7"), increments ("320 more
  bullets"), or values whose wording makes them compatible ("more than 100" and "120", "about
  100" and "108", "33 or higher" and "34", "95,000" and "95,300");
* ages: "Smith, 45" and "Smith, 47" (the same name, first names equal when both give one;
  when the story gives the surname more than one first name the sentences must also match);
* names: the same person given differently, "Bob Castle" and "Bob Castello": the same first
  name and a surname within a small edit (or the same surname and a first name within one),
  neither article using the other spelling anywhere.

Precision first, the claims around two values must also agree in what they cover, or nothing
is shown: a total over several places or events ("in Kenya and Tanzania", "both bombings")
against one; those on board against everyone; last or next year against now; the speaker's own
("I've waited 16 years"); a forecast ("expected to be") against a figure; the things two
hyphened measures measure ("a 16-inch strip", "a 13-inch gash"); claims each naming a place the
other sentence never names ("in Atlanta", "in Littleton"). Ends of ranges ("20 to 25 hours"),
parts ("12 of them"), figures before a revision ("initially 10"), chronology labels ("1:19 a.m.
EST --"), dates heading what follows ("an editorial for Wednesday, July 28:") are not values to
compare; money as a rate ("$45 an hour") and units such as percent or hours need closely
matching sentences; the same words around two values count only when one is a content word;
numbers other than casualty counts more than ``OTHER_RATIO`` apart are different things; a
decimal agrees with the whole number it rounds to; dates of one month more than ``NEAR_DAYS``
apart need matching sentences or the same words right beside both.

A count that a later report gives higher ("the toll rose to 10,000", or simply a later
article's larger casualty figure, or a running count, "attacked since January", reported on
another day) is an ``update``, shown with the reports' dates, not a disagreement between
outlets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from newsfold.compare.align import StoryAnalysis
from newsfold.compare.anchors import Anchor
from newsfold.ingest.dates import WIRE_DATELINE_TAIL
from newsfold.records import Conflict, ConflictSide, parse_iso
from newsfold.text import STOPWORDS, content_terms, stem
from newsfold.words import (
    MONTH_NAMES,
    NAME_TITLES,
    ORGANISATION_WORDS,
    PLACE_NAME_STARTS,
    WEEKDAY_NAMES,
)

HEAD_MIN = 0.15
"""Sentence cosine needed when only the words before and the two-word head match ("of the 13
root servers" / "of the 17 root server systems")."""
NUM_MIN = 0.3
"""Sentence cosine needed beside one rare word shared near both numbers."""
SLOT_MIN = 0.2
"""Sentence cosine needed when the values stand in the same slot of the two sentences."""
LOCAL_MIN = 9.0
"""Summed IDF of rare words near both values that says they are about one thing."""
CASUALTY_MIN = 0.2
"""Cosine at which casualty counts are compared without a shared context word."""
DATE_MIN = 0.45
"""Cosine at which dates and times are compared without a shared context word."""
NEAR_DAYS = 5
"""Dates of one month further apart than this are other events unless an event word is beside
both: a misreported day is a few days off."""
WINDOW = 8
BESIDE = 3
"""Words each side of a value that make its own context."""
PAST_YEARS = 2
"""A year this many years before the report marks a past event."""
SIDE_SHARE = 0.34
"""A place or year near a value that fewer of the story's articles mention marks another event."""
TOPICAL_SHARE = 0.1
MAX_RATIO = 3.0
"""Values further apart than this are counts of different things, not one disputed count."""
OTHER_RATIO = 2.0
"""The same for numbers other than casualty counts, whose early reports do not vary so much."""
CASUALTIES = {"deaths", "injured", "missing"}
RUNNING = "a running count: "
"""Marks the reason of two counts that run on ("since January", "so far"), reported on
different days: a later, higher figure is an update, not a disagreement."""
APPROX_TOLERANCE = 0.1
ROUNDING = 0.01
"""A round figure this close to an exact one is the same figure rounded."""
_MONEY = {"$", "€", "£", "¥", "euro", "dollar", "yuan", "pound"}
_GENERIC_UNITS = {"percent", "year", "day", "time", "week", "month", "hour", "minut"}


@dataclass(slots=True)
class _Side:
    value: str
    units: list[int] = field(default_factory=list)
    surface: str = ""


@dataclass(frozen=True, slots=True)
class _Near:
    """A value's own context: content words near it, and the names and years of its claim."""

    words: frozenset[str]
    places: frozenset[str]
    years: frozenset[str]
    past: bool = False
    sites: frozenset[str] = frozenset()
    """Places named as where ("in Atlanta", "Spain's"), not nationalities of the actors."""


_BOUNDARY = {"and", "or", "but", "while", "whereas", "although", "though", "with", "including"}
_GENERIC_CONTEXT = {"estim", "report", "offici", "accord", "least", "approxim", "nearli",
                    "roughli", "almost", "total", "number", "figur", "said", "say", "per",
                    "date", "day", "time", "local", "est", "edt", "gmt", "utc", "pst",
                    "pdt"} | WEEKDAY_NAMES
_CASUALTY_WORDS = {"kill", "dead", "die", "death", "toll", "injur", "wound", "hurt", "miss",
                   "peopl", "claim", "left", "leav", "bring", "rais", "crash", "board",
                   "aboard"}
_CONVERSION_RE = re.compile(r"\d[^()]{0,40}\(\s*(?:about\s+|or\s+|some\s+)?$")
_SCOPE_RE = re.compile(
    r"^[^.;:(]{0,40}?\b(?:in|across|throughout)\s+(?:the\s+)?"
    r"((?:[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)|region|area|country|province|state|world|nation)\b")
_INFLECTION = ("s", "es", "n", "an", "r", "ns", "ese", "ian", "al", "me")
"""Endings that make another word, not another spelling ("Seismologic(al)", "Program(me)")."""
_SUBSET_RE = re.compile(r"\b(?:other|remaining|another|rest of the|last)\s+$", re.I)
"""Before a count, words making it part of a whole: "the other 14 sailors"."""
_REVISED_RE = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|reached|"
                         r"revised|raised|now|climbing)\b(?:\s+\w+){0,2}\s*$", re.I)
_CHANGE_RE = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|revised|raised|"
                        r"up from|down from|from|earlier|initially|previous|previously|"
                        r"instead of|rather than|not)\b", re.I)
_AGE_RE = re.compile(r"\b((?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s+)?[A-Z][a-z]{2,}),\s+(\d{1,2})\s*[,)]")
_AGED_RE = re.compile(r"\b(?:aged|ages?|age of)\s+(?:\d+\s*(?:,|and|to|-)\s*)*$", re.I)
_AFTER_BOUND_RE = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:or|and)\s+(?:higher|more|above|over|greater|"
                             r"up|lower|less|fewer|below|under)\b", re.I)
_PLACE_RE = re.compile(r"\b(?:in|of|at|over|near|outside|from)\s+(?:the\s+)?([A-Z][a-z]{2,})\b"
                       r"|(?<=[\w,;()] )([A-Z][a-z]+(?:an|ian|ese|ish|i))\b"
                       r"|(?<=[\w,;()] )([A-Z][a-z]{2,})['’]s\b"
                       r"|\b([A-Z][a-z]{2,})(?:\s+[A-Z][a-z]+)*\s+(?:crash|bombing|attack|"
                       r"disaster|accident|massacre|shooting)s?\b")
_SAID_RE = re.compile(r"\b(?:said|says|told|according to|quoted|reported|a report)\b|[\"”]")
_INCREMENT_RE = re.compile(r"\s(?:more|additional|further|extra|new|other)\b", re.I)
_YEAR_LIKE_RE = re.compile(r"(?:19|20)\d\d\b(?![,.]\d)")
_AGE_AFTER_RE = re.compile(r"^(?:-year-old|\s*years?[- ]old|-old)\b", re.I)
_PART_OF_RE = re.compile(r"\d\s+of\s+(?:the|its|their|all)\s+$")
_PAIRED_RE = re.compile(r"^\s*(?:and|or|to|-)\s*\d")
_RANGE_BEFORE_RE = re.compile(r"(?:\d\s*(?:%|percent|million|billion|thousand)?\s*(?:to|-|–)"
                              r"|\bbetween\s+[\d,.]+\s*(?:million|billion)?\s*and)\s*\$?$", re.I)
_RANGE_AFTER_RE = re.compile(r"^\s*(?:%|percent|million|billion|thousand)?\s*(?:to|-|–)\s*\$?\d",
                             re.I)
"""A value that ends a range ("20 to 25 hours", "between 1.3 and 1.7 million")."""
_OF_THEM_RE = re.compile(r"^\s*(?:of\s+(?:them|whom|those|these|which))\b", re.I)
_EARLIER_RE = re.compile(r"\b(?:initially|originally|previously|earlier|at first)\s*,?\s*$"
                         r"|\b(?:was|were)\s+(?:first\s+)?(?:put|given|reported)\s+(?:at|as)\s+$", re.I)
_RISEN_RE = re.compile(r"^\s*,?\s*(?:has|had|have)\s+(?:since\s+)?(?:risen|rose|climbed|grown|"
                       r"increased|jumped)", re.I)
"""A figure given as the one before a revision: "the toll, initially 10, has risen to 12"."""
_HEADER_BEFORE_RE = re.compile(r"\bfor\s+(?:editions\s+of\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|"
                               r"Satur|Sun)day,\s*$")
"""A date that heads what follows ("an editorial for Wednesday, July 28:")."""
_MULTI_RE = re.compile(r"\b(?:both|twin|combined)\b"
                       r"|\b(?:in|at|on|across)\s+[A-Z][^.;:]{0,40}?,?\s+and\s+(?:the\s+)?"
                       r"(?:neighbo\w+\s+)?[A-Z][a-z]")
"""A claim about several places or events at once ("in Kenya and Tanzania", "both bombings")."""
_LABEL_RE = re.compile(r"^\s*(?:[A-Z]{2,4}\s*)?(?:--|—|–|:)")
_ABOARD_RE = re.compile(r"\b(?:aboard|on board|onboard|on the (?:air)?plane|on the jet|"
                        r"on the flight)\b", re.I)
_WHEN_RE = re.compile(r"\b(?:last|next|previous|coming)\s+(?:year|month|week|season)\b"
                      r"|\byesterday\b|\btomorrow\b", re.I)
_RATE_RE = re.compile(r"^\s*-?(?:a|an|per)[- ](?:hour|month|year|week|day)\b", re.I)
"""Money as a rate ("$45 an hour"): pay, rent, prices of different people and things."""
_FORECAST_RE = re.compile(r"\b(?:expected|forecast|projected|predicted)\b", re.I)
_CUMULATIVE_RE = re.compile(r"\b(?:since (?:the (?:start|beginning)|(?:early |late )?(?:January|"
                            r"February|March|April|May|June|July|August|September|October|"
                            r"November|December|(?:19|20)\d\d))|so far|to date|thus far|up to now|"
                            r"until now|this year|already)\b", re.I)
"""A running count ("attacked since January"): reports of other days give other figures."""
_FIRST_PERSON_RE = re.compile(r"\b(?:I|I've|I'm|I'd|I'll|my|me)\b")
_MEASURE_RE = re.compile(r"^\s*([a-z]{3,})\b")
"""The noun after a hyphened measure: "a 16-inch strip", "the 20-acre compound"."""
_PAST_RE = re.compile(r"\b(?:previous(?:ly)?|the last (?:\w+ ){1,2}(?:was|were|in))\b", re.I)
_YEAR_RE = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/])")
_CLAUSE_RE = re.compile(r";|\s--\s|\s—\s|:\s")
_NOT_PLACE = WEEKDAY_NAMES | MONTH_NAMES | {"the", "this", "that", "his", "her", "their", "its"}
_NOUN_BEFORE_NOT = {"aged", "age", "ages", "about", "some", "nearly", "almost", "least",
                    "than", "only", "just", "over", "under", "around", "roughly", "total"}
_FULL_NAME_RE = re.compile(r"(?<![\w.-])([A-Z][a-z]{2,})\s+([A-Z][a-z]{3,})\b(?!\s+[A-Z])")
_NOT_FIRST = (NAME_TITLES | PLACE_NAME_STARTS | WEEKDAY_NAMES | MONTH_NAMES
              | {"the", "university", "county", "city", "lake", "mount", "fort"})
"""First words of capitalised pairs that are no person's name."""


def _bare(tok: str) -> str:
    return tok.strip(".,;:()\"“”'’").lower()


def _window(text: str, a: Anchor) -> list[str]:
    """Up to ``WINDOW`` words each side of the value, not past a clause boundary or another
    value; the word after "per" ("nanograms per milliliter") is part of the unit, not context."""
    def clip(toks: list[str], reverse: bool) -> list[str]:
        seq = list(reversed(toks)) if reverse else toks
        out: list[str] = []
        for t in seq[:WINDOW]:
            bare = _bare(t)
            if bare in _BOUNDARY or bare in ("--", "—") or any(c.isdigit() for c in bare):
                break
            if reverse and t.endswith((";", ":")):
                break
            out.append(t)
            if not reverse and t.endswith((";", ":", ".")) and len(bare) > 3:
                break
        return out

    before = clip(text[: a.start].split(), reverse=True)
    after = clip(text[a.end:].split(), reverse=False)
    words = before + after
    return [w for k, w in enumerate(words) if _bare(w) != "per"
            and not (k and _bare(words[k - 1]) == "per")]


def _clause(text: str, a: Anchor) -> str:
    """The clause holding the value: the sentence cut at semicolons, colons and dashes."""
    lo = 0
    for m in _CLAUSE_RE.finditer(text, 0, a.start):
        lo = m.end()
    end = _CLAUSE_RE.search(text, a.end)
    return text[lo:end.start() if end else len(text)]


def _claim(text: str, a: Anchor) -> str:
    """The clause holding the value without its attribution ("..., police said"): what the
    value is claimed about."""
    lo = 0
    for m in _CLAUSE_RE.finditer(text, 0, a.start):
        lo = m.end()
    for m in _SAID_RE.finditer(text, lo, a.start):
        lo = m.end()
    hi = len(text)
    for rx in (_CLAUSE_RE, _SAID_RE):
        end = rx.search(text, a.end)
        if end:
            hi = min(hi, end.start())
    return text[lo:a.start] + " " + text[a.end:hi]


def _near(text: str, a: Anchor) -> _Near:
    words = set(content_terms(" ".join(_window(text, a))))
    words -= {a.referent, *content_terms(a.surface)} | _GENERIC_CONTEXT
    claim = _claim(text, a)
    found = [(m.group(2) is not None, next(g for g in m.groups() if g).lower())
             for m in _PLACE_RE.finditer(claim)]
    names = {n for _, n in found} - _NOT_PLACE
    sites = {n for nationality, n in found if not nationality} - _NOT_PLACE
    years = set(_YEAR_RE.findall(claim))
    return _Near(frozenset(words), frozenset(names), frozenset(years),
                 bool(_PAST_RE.search(claim)), frozenset(sites))


def _slot(text: str, a: Anchor) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The two words before and the two words after the value, lower-cased."""
    def norm(toks: list[str]) -> tuple[str, ...]:
        return tuple(_bare(t) for t in toks)

    return norm(text[: a.start].split()[-2:]), norm(text[a.end:].split()[:2])


def _same_slot(t1: str, a1: Anchor, t2: str, a2: Anchor) -> bool:
    """The same two words before or after both values, one of them a content word ("killed
    at least", not "of the"; "per milliliter" is the unit)."""
    (b1, f1), (b2, f2) = _slot(t1, a1), _slot(t2, a2)
    return ((len(b1) == 2 and b1 == b2 and _telling(b1))
            or (len(f1) == 2 and f1 == f2 and f1[0] != "per" and _telling(f1)))


def _telling(words: tuple[str, ...]) -> bool:
    """Some word is a content word, not a function word or a rate ("of the", "a month")."""
    letters = [re.sub(r"[^a-z]", "", w) for w in words]
    return any(len(w) > 2 and w not in STOPWORDS and stem(w) not in _GENERIC_UNITS
               for w in letters)


def _converted(text: str, a: Anchor) -> bool:
    """The value is a conversion in brackets after another value: "35 miles (55 km)"."""
    return bool(_CONVERSION_RE.search(text[max(0, a.start - 45):a.start]))


def _scope(text: str, a: Anchor) -> str:
    m = _SCOPE_RE.match(text[a.end:a.end + 80])
    return m.group(1).lower() if m else ""


def _referent(text: str, a: Anchor) -> str:
    """The anchor's unit, or the head noun after modifiers anchors skip none of
    ("29 mostly Moroccan suspects"), or else the noun just before the value ("size 10")."""
    if a.referent or a.kind != "num":
        return a.referent
    for tok in text[a.end:a.end + 50].split()[:4]:
        bare = tok.strip(".,;:()\"“”'’")
        if not bare.isalpha():
            break
        low = bare.lower()
        if bare[0].isupper() or low.endswith("ly"):
            continue
        if low not in STOPWORDS:
            return stem(low)
        break
    prev = text[: a.start].split()[-1:]
    if not prev or not prev[0].isalpha() or not prev[0].islower():
        return ""
    low = prev[0]
    if low in STOPWORDS or low in _NOUN_BEFORE_NOT or low.endswith(("ed", "ing", "ly", "s")):
        return ""
    return stem(low)


def _values(text: str, anchors: tuple[Anchor, ...]) -> dict[str, list[Anchor]]:
    """Comparable anchors of a sentence by referent (conversions in brackets, ages and parts
    of slashed dates left out; "or higher" after a value makes it a lower bound)."""
    out: dict[str, list[Anchor]] = {}
    for a in anchors:
        if a.kind not in ("num", "date", "time") or _converted(text, a):
            continue
        if a.kind == "date" and WIRE_DATELINE_TAIL.match(text[a.end:]):
            continue  # "BEIJING, Jan. 5 (Xinhua)": when the report was filed
        if a.kind == "date" and (text[a.end:a.end + 2].strip().startswith(":")
                                 or _HEADER_BEFORE_RE.search(text[max(0, a.start - 40):a.start])):
            continue  # "in an editorial for Wednesday, July 28:", "-- July 23, 2000: ..."
        before = text[max(0, a.start - 30):a.start]
        if a.kind in ("date", "time") and a.start <= 3 and _LABEL_RE.match(text[a.end:a.end + 12]):
            continue  # "1:19 a.m. EST -- Plane departs": a chronology's label, one event each
        if _EARLIER_RE.search(before) or _RISEN_RE.match(text[a.end:a.end + 40]):
            continue  # "the toll, initially 10, has risen to 12": the figure before a revision
        if a.kind == "num":
            if "/" in text[max(0, a.start - 1):a.end + 1] or _AGED_RE.search(text[:a.start]):
                continue  # "11/7/2007", "aged 25, 42 and 61"
            if _RANGE_BEFORE_RE.search(before) or _RANGE_AFTER_RE.match(text[a.end:a.end + 20]):
                continue  # "20 to 25 hours a week": a range, compared as a whole nowhere
            if _OF_THEM_RE.match(text[a.end:a.end + 20]) or (
                    "year" in a.surface and re.match(r"^[- ]olds?\b", text[a.end:a.end + 6])):
                continue  # "248 people, 12 of them Americans"; "20- to 24-year-olds"
            if (_AGE_AFTER_RE.match(text[a.end:]) or _INCREMENT_RE.search(" " + a.surface)
                    or _YEAR_LIKE_RE.match(a.surface)
                    or _SUBSET_RE.search(text[max(0, a.start - 20):a.start])):
                continue  # "a 14-year-old", "320 more bullets", "the 2006 campaign", "the other 14"
            if a.referent in CASUALTIES and (_PART_OF_RE.search(text[max(0, a.start - 30):a.start])
                                             or _PAIRED_RE.match(text[a.end:])):
                continue  # "90 of the 102 people on board were killed", "80 and 200 injured"
            m = _AFTER_BOUND_RE.match(text[a.end:a.end + 30])
            if m and not a.bound:
                low = m.group(0).lower()
                up = any(w in low for w in ("higher", "more", "above", "over", "greater", "up"))
                a = replace(a, bound="min" if up else "max")
        ref = _referent(text, a)
        if len(ref) > 2 or ref in ("$", "€", "£", "¥", "%"):
            out.setdefault(ref, []).append(a)
    return out


def _compatible(a1: Anchor, a2: Anchor) -> bool:
    """The wording allows one value: "more than 100" and "120", "about 100" and "108"."""
    if a1.bound == a2.bound and a1.bound in ("min", "max") and a1.numeric and a2.numeric:
        # two bounds of one side agree only when close ("at least 1,519", "more than 1,500")
        lo, hi = sorted((a1.numeric, a2.numeric))
        return hi <= lo * (1 + APPROX_TOLERANCE)
    if a1.numeric and a2.numeric and _rounded(a1.numeric, a2.numeric):
        return True
    if a1.numeric and a2.numeric and abs(a1.numeric - a2.numeric) < 1 and (
            a1.numeric == int(a1.numeric)) != (a2.numeric == int(a2.numeric)):
        return True  # "2 percent" and "2.3 percent", "9 degrees" and "9.27 degrees"
    r1, r2 = a1.interval(APPROX_TOLERANCE), a2.interval(APPROX_TOLERANCE)
    return bool(r1 and r2 and max(r1[0], r2[0]) <= min(r1[1], r2[1]))


def _rounded(x: float, y: float) -> bool:
    """One value is the other rounded to thousands, within ``ROUNDING`` ("95,000", "95,300")."""
    if abs(x - y) > ROUNDING * max(x, y):
        return False
    return any(r % 1000 == 0 and e % 1000 != 0 for r, e in ((x, y), (y, x)))


def _edit(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _near_spelling(a: str, b: str) -> bool:
    """Two spellings of one name: a small edit, not an English inflection ("Rivers",
    "Arabian") or a British/American spelling ("Organisation")."""
    if a == b or min(len(a), len(b)) < 4 or a[0] != b[0]:
        return False
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in _INFLECTION:
        return False
    if a.replace("z", "s") == b.replace("z", "s") or a.replace("our", "or") == b.replace("our", "or"):
        return False
    return _edit(a.lower(), b.lower()) <= max(1, min(2, min(len(a), len(b)) // 3))


class _Story:
    """What the value checks need from a story, computed once."""

    def __init__(self, sa: StoryAnalysis) -> None:
        self.sa = sa
        n = len(sa.units)
        self.topical = math.log((n + 1) / (TOPICAL_SHARE * n + 1)) + 1.0
        self.texts = [(a.text or "").lower() for a in sa.articles]
        self._share: dict[str, float] = {}
        self._mentions: dict[tuple[int, str], bool] = {}
        self._near: dict[tuple[int, int], _Near] = {}
        self._words: dict[int, set[str]] = {}

    def near(self, unit: int, a: Anchor) -> _Near:
        key = (unit, a.start)
        if key not in self._near:
            self._near[key] = _near(self.sa.units[unit].text, a)
        return self._near[key]

    def words(self, unit: int) -> set[str]:
        if unit not in self._words:
            self._words[unit] = set(re.findall(r"\w+", self.sa.units[unit].text.lower()))
        return self._words[unit]

    def share(self, word: str) -> float:
        """Share of the story's articles that mention the word."""
        if word not in self._share:
            self._share[word] = (sum(self.mentions(k, word) for k in range(len(self.texts)))
                                 / len(self.texts))
        return self._share[word]

    def mentions(self, article: int, word: str) -> bool:
        key = (article, word)
        if key not in self._mentions:
            rx = re.compile(rf"\b{re.escape(word)}")
            self._mentions[key] = bool(rx.search(self.texts[article]))
        return self._mentions[key]

    def days_apart(self, i: int, j: int) -> bool:
        """The two units' articles were published on different days (False when undated)."""
        a = self.sa.articles[self.sa.units[i].article].published or ""
        b = self.sa.articles[self.sa.units[j].article].published or ""
        return bool(a and b and a[:10] != b[:10])

    def year(self, unit: int) -> int:
        """The publication year of the unit's article (0 when undated)."""
        dt = parse_iso(self.sa.articles[self.sa.units[unit].article].published)
        return dt.year if dt else 0

    def idf(self, term: str) -> float:
        return self.sa.idf.get(term, 99.0)


def find_conflicts(
    sa: StoryAnalysis, across_outlets: bool = False
) -> tuple[list[Conflict], set[int]]:
    """The conflicts of a story and the units (sentences) they touch.

    Sides come from different independent articles (duplicate groups); with
    ``across_outlets`` they must also come from differently named outlets (an outlet
    contradicting its own earlier report is then not listed).
    """
    units = sa.units
    story = _Story(sa)
    values = [_values(u.text, u.info.anchors) if u.usable else {} for u in units]
    changes: list[dict[str, list[tuple[set[str], bool]]]] = [{} for _ in sa.articles]
    by_ref: dict[str, list[int]] = {}
    for u, vals in zip(units, values, strict=True):
        for ref, anchors in _values(u.text, u.info.anchors).items():
            told = {a.value for a in anchors}
            worded = any(_CHANGE_RE.search(u.text[max(0, a.start - 40):a.start])
                         for a in anchors)
            changes[u.article].setdefault(ref, []).append((told, worded))
        for ref in vals:
            by_ref.setdefault(ref, []).append(u.idx)
    found: dict[tuple[str, str], dict[str, _Side]] = {}
    reasons: dict[tuple[str, str], str] = {}
    pair_cos: dict[tuple[str, str], float] = {}

    def independent(i: int, j: int) -> bool:
        gi, gj = sa.group[units[i].article], sa.group[units[j].article]
        if gi == gj:
            return False
        return not (across_outlets and sa.group_outlet[gi] == sa.group_outlet[gj])

    def reports_change(article: int, ref: str, own: str, other: str) -> bool:
        """The article gives both values in one sentence, or the other one as a revision, or
        the other value as the sum of two it gives (a total: "$350,000" for both charges)."""
        rows = changes[article].get(ref, [])
        if any(other in told and (own in told or worded) for told, worded in rows):
            return True
        parts = {float(v) for told, _ in rows for v in told if _is_number(v)}
        if ref in _MONEY:  # a penalty or budget total over items the story lists
            parts |= {float(v) for rows_ in changes for told, _ in rows_.get(ref, [])
                      for v in told if _is_number(v)}
        return _is_number(other) and any(float(other) - p in parts - {p, float(other)}
                                         for p in parts)

    def add(referent: str, i: int, j: int, s1: tuple[str, str], s2: tuple[str, str],
            cos: float, reason: str) -> None:
        key = (referent, str(sa.cluster_of[i]))
        for k, sides in found.items():
            if k[0] == referent and any(i in s.units or j in s.units for s in sides.values()):
                key = k
                break
        sides = found.setdefault(key, {})
        for k_unit, (value, surface) in ((i, s1), (j, s2)):
            side = sides.setdefault(value, _Side(value, surface=surface))
            if k_unit not in side.units:
                side.units.append(k_unit)
        pair_cos[key] = max(pair_cos.get(key, 0.0), cos)
        reasons.setdefault(key, reason)

    for ref, idxs in by_ref.items():
        for x, i in enumerate(idxs):
            for j in idxs[x + 1:]:
                if not independent(i, j):
                    continue
                v1 = {a.value: a for a in values[i][ref]}
                v2 = {a.value: a for a in values[j][ref]}
                only1, only2 = v1.keys() - v2.keys(), v2.keys() - v1.keys()
                if len(only1) != 1 or len(only2) != 1:
                    continue
                a1, a2 = v1[next(iter(only1))], v2[next(iter(only2))]
                cos = float(sa.sim[i, j])
                reason = _about_same(story, i, a1, j, a2, ref, cos)
                if not reason:
                    continue
                if (reports_change(units[i].article, ref, a1.value, a2.value)
                        or reports_change(units[j].article, ref, a2.value, a1.value)):
                    continue
                add(ref, i, j, (a1.value, a1.surface), (a2.value, a2.surface), cos, reason)
    _ages(sa, independent, add)
    _names(sa, independent, add)
    return _build(sa, found, pair_cos, reasons)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _other_event(story: _Story, i: int, n1: _Near, j: int, n2: _Near) -> str:
    """A place or nationality in one value's claim ("of Lockerbie", "The German government")
    that the other article never gives and few of the story's articles mention, or a year
    well before the report that the other sentence does not give: the values belong to
    different events."""
    for near, own, other in ((n1, i, j), (n2, j, i)):
        if near.past:
            return "previous"
        for p in sorted(near.places):
            if not story.mentions(story.sa.units[other].article, p) and story.share(p) < SIDE_SHARE:
                return p
        published = story.year(own)
        for y in sorted(near.years):
            if y not in story.words(other) and published and int(y) <= published - PAST_YEARS:
                return y
    return ""


def _loose_head(text: str, a: Anchor) -> set[str]:
    """Content words of the few words after a value ("274 protected Hawksbill and Green
    turtles": protect, hawksbil, green, turtl)."""
    words: list[str] = []
    for tok in text[a.end:a.end + 60].split()[:4]:
        if any(c.isdigit() for c in tok):
            break
        words.append(tok)
    return (set(content_terms(" ".join(words))) | {a.referent}) - _GENERIC_CONTEXT - {""}


def _clash(t1: str, i: int, a1: Anchor, t2: str, j: int, a2: Anchor, story: _Story) -> bool:
    """The two sentences count something else very differently too ("274 turtles" and "47
    turtles"): they report different events."""
    def others(unit: int, skip: Anchor) -> list[Anchor]:
        return [b for b in story.sa.units[unit].info.anchors
                if b.kind == "num" and b.numeric and b.start != skip.start]
    rest2 = others(j, a2)
    for b1 in others(i, a1):
        h1 = _loose_head(t1, b1)
        for b2 in rest2:
            assert b1.numeric and b2.numeric
            lo, hi = sorted((b1.numeric, b2.numeric))
            if hi / lo > MAX_RATIO and h1 & _loose_head(t2, b2) and not _compatible(b1, b2):
                return True
    return False


def _about_same(story: _Story, i: int, a1: Anchor, j: int, a2: Anchor, ref: str,
                cos: float) -> str:
    """Why two values of one referent are about the same thing, or "" when they may not be."""
    t1, t2 = story.sa.units[i].text, story.sa.units[j].text
    if a1.kind != a2.kind and {a1.kind, a2.kind} != {"date"}:
        return ""
    if a1.numeric and a2.numeric and a1.kind == "num":
        lo, hi = sorted((a1.numeric, a2.numeric))
        if lo <= 0 or hi / lo > (MAX_RATIO if ref in CASUALTIES else OTHER_RATIO):
            return ""
        if _compatible(a1, a2):
            return ""
    s1, s2 = _scope(t1, a1), _scope(t2, a2)
    if s1 and s2 and s1 != s2:
        return ""  # "in Honduras" and "in the region" count different things
    if _another_scope(t1, a1, t2, a2, ref):
        return ""
    n1, n2 = story.near(i, a1), story.near(j, a2)
    if _apart(t1, n1.sites, t2, n2.sites):
        return ""  # "in Atlanta last month" and "in Littleton": two events
    if _other_event(story, i, n1, j, n2) or _clash(t1, i, a1, t2, j, a2, story):
        return ""
    shared = n1.words & n2.words
    if ref in CASUALTIES:
        shared -= _CASUALTY_WORDS
    rare = {t for t in shared if story.idf(t) >= story.topical}
    weight = sum(story.idf(t) for t in rare)
    same_slot = _same_slot(t1, a1, t2, a2)
    generic = ref in _GENERIC_UNITS or (ref in _MONEY and bool(
        _RATE_RE.match(t1[a1.end:a1.end + 12]) or _RATE_RE.match(t2[a2.end:a2.end + 12])))
    slot = same_slot and cos >= (DATE_MIN if generic else SLOT_MIN)
    words = f" sharing the words '{', '.join(sorted(shared)[:3])}'" if shared else ""
    if a1.kind in ("date", "time"):
        if a1.kind == "date" and _past_date(story, i, a1) != _past_date(story, j, a2):
            return ""  # "the September 11, 2001 attacks" and "the March 11 attacks"
        for a, b, other in ((a1, a2, j), (a2, a1, i)):
            if (a.kind == "date" and a.year and not b.year and story.year(other)
                    and a.year < story.year(other) - 1):
                return ""  # "on Dec. 28, 1997" against a date of the other report's year
        # a day or time misreported: the same event word right by both values (or, for
        # dates, the same month of a past year), or closely matching sentences
        beside = bool(_beside(t1, a1) & _beside(t2, a2))
        if a1.kind == "date":
            near = _days(a1, a2) <= NEAR_DAYS
            same = a1.value[:2] == a2.value[:2] and bool(
                (same_slot and rare) or cos >= DATE_MIN
                or (near and (beside or (shared and _past_date(story, i, a1))
                              or (len(rare & _lower(t1) & _lower(t2)) > 1
                                  and cos >= CASUALTY_MIN))))
        else:
            same = beside and (cos >= CASUALTY_MIN or len(rare) > 1)
        if same:
            what = "dates" if a1.kind == "date" else "clock times"
            return f"{what} of the same event{words or ' in closely matching sentences'}"
        return ""
    if ref in CASUALTIES:
        if slot or cos >= CASUALTY_MIN or shared or (n1.places & n2.places):
            return f"casualty counts ({ref}) of the same event{words}"
        return ""
    running = story.days_apart(i, j) and bool(
        _CUMULATIVE_RE.search(_claim(t1, a1)) or _CUMULATIVE_RE.search(_claim(t2, a2)))
    reason = _numbers_reason(story, t1, a1, t2, a2, generic, slot, same_slot, rare, weight, cos)
    if running and reason:  # "83 ships attacked since January" one day, "92" the next
        return f"{RUNNING}{reason}"
    return reason + (words if reason.endswith("unit") else "")


def _numbers_reason(story: _Story, t1: str, a1: Anchor, t2: str, a2: Anchor, generic: bool,
                    slot: bool, same_slot: bool, rare: set[str], weight: float,
                    cos: float) -> str:
    """Why two numbers (not casualty counts) are about one thing, or ""."""
    before = _slot(t1, a1)[0]
    if slot or (same_slot and rare and not generic) or (
            before == _slot(t2, a2)[0] and cos >= HEAD_MIN and _head(t1, a1)
            and _head(t1, a1) == _head(t2, a2)):
        return "numbers in the same place of closely matching sentences"
    if (weight >= LOCAL_MIN or (rare and cos >= NUM_MIN)) and (not generic or cos >= DATE_MIN):
        return "numbers of the same unit"
    return ""


def _apart(t1: str, places1: frozenset[str], t2: str, places2: frozenset[str]) -> bool:
    """Both claims name places, and neither sentence names a place of the other's claim:
    "killed 12 in Atlanta" and "left 15 dead in Littleton"."""
    low1, low2 = t1.lower(), t2.lower()
    if not places1 or not places2:
        return False
    if any(re.search(rf"\b{re.escape(p[:5])}", low2) for p in places1):
        return False
    if any(re.search(rf"\b{re.escape(q[:5])}", low1) for q in places2):
        return False
    return not any(_same_place(p, q) for p in places1 for q in places2)


def _same_place(p: str, q: str) -> bool:
    """One place, or a place and its people ("india", "indian"; "kenya", "kenyan")."""
    short, long_ = sorted((p, q), key=len)
    return long_.startswith(short) and len(short) >= 4 or p == q


def _another_scope(t1: str, a1: Anchor, t2: str, a2: Anchor, ref: str) -> bool:
    """The values' claims differ in what they cover: one counts several places or events
    ("in Kenya and Tanzania", "both bombings") and the other not; one counts those on board
    and the other everyone; one is said of last or next year and the other not; one is the
    speaker's own ("I've waited 16 years"); or the things two hyphened measures measure
    differ ("a 16-inch strip", "a 13-inch gash")."""
    c1, c2 = _claim(t1, a1), _claim(t2, a2)
    if ref in CASUALTIES and bool(_MULTI_RE.search(c1)) != bool(_MULTI_RE.search(c2)):
        return True
    if ref in CASUALTIES and bool(_ABOARD_RE.search(c1)) != bool(_ABOARD_RE.search(c2)):
        return True
    when1 = {m.group(0).lower() for m in _WHEN_RE.finditer(c1)}
    when2 = {m.group(0).lower() for m in _WHEN_RE.finditer(c2)}
    if when1 != when2 or _FIRST_PERSON_RE.search(c1) or _FIRST_PERSON_RE.search(c2):
        return True
    if bool(_FORECAST_RE.search(c1)) != bool(_FORECAST_RE.search(c2)):
        return True  # "is expected to be $1.98" and "is $2.02": a forecast and a price
    if "-" in a1.surface and "-" in a2.surface:
        m1, m2 = _MEASURE_RE.match(t1[a1.end:a1.end + 30]), _MEASURE_RE.match(t2[a2.end:a2.end + 30])
        if (m1 and m2 and stem(m1.group(1)) != stem(m2.group(1))
                and not {m1.group(1), m2.group(1)} & STOPWORDS):
            return True
    return False


def _lower(text: str) -> set[str]:
    """Content words the sentence writes in lower case: what happened, not who or where."""
    return set(content_terms(" ".join(w for w in text.split() if w[:1].islower())))


def _days(a1: Anchor, a2: Anchor) -> int:
    """Days between two dates' days of the month (99 when either is unreadable)."""
    try:
        return abs(int(a1.value[-2:]) - int(a2.value[-2:]))
    except ValueError:
        return 99


def _beside(text: str, a: Anchor) -> set[str]:
    """Content words within ``BESIDE`` words of a date: the event it dates ("on trial June 4")."""
    before = text[: a.start].split()[-BESIDE:]
    after = text[a.end:].split()[:BESIDE]
    return set(content_terms(" ".join(before + after))) - _GENERIC_CONTEXT


def _past_date(story: _Story, unit: int, a: Anchor) -> int:
    """The year a date gives when it is well before the report (0 for a current date)."""
    published = story.year(unit)
    if a.year and published and a.year <= published - PAST_YEARS:
        return a.year
    return 0


def _head(text: str, a: Anchor) -> str:
    """The value's unit with the content word after it ("13 root servers": root server)."""
    after = content_terms(" ".join(text[a.end:a.end + 40].split()[:2]))
    unit = content_terms(a.surface)
    if not unit or not after:
        return ""
    return f"{unit[-1]} {after[0]}" if after[0] != unit[-1] else ""


def _years_apart(sa: StoryAnalysis, i: int, j: int) -> int:
    """Years, rounded, between the publication of two sentences' articles: how far two right
    ages of one person may differ (0 when either is undated)."""
    a = parse_iso(sa.articles[sa.units[i].article].published)
    b = parse_iso(sa.articles[sa.units[j].article].published)
    if a is None or b is None:
        return 0
    return round(abs((a - b).total_seconds()) / (365.25 * 86400))


def _ages(sa: StoryAnalysis, independent: object, add: object) -> None:
    """Ages of one person: "Juan Alvarez, 29," and "Juan Alvarez, 38,"."""
    assert callable(independent) and callable(add)
    units = sa.units
    ages: list[tuple[int, str, str, str]] = []  # (unit, name, age, surname)
    told: dict[tuple[int, str], set[str]] = {}
    firsts: dict[str, set[str]] = {}
    for a in sa.articles:
        for m in _FULL_NAME_RE.finditer(a.text or ""):
            firsts.setdefault(m.group(2), set()).add(m.group(1))
    for u in units:
        for m in _AGE_RE.finditer(u.text):
            name = m.group(1)
            surname = name.split()[-1]
            told.setdefault((u.article, surname), set()).add(m.group(2))
            if u.usable:
                ages.append((u.idx, name, m.group(2), surname))
    for x, (i, n1, age1, sur1) in enumerate(ages):
        for j, n2, age2, sur2 in ages[x + 1:]:
            if sur1 != sur2 or age1 == age2 or not independent(i, j):
                continue
            f1, f2 = n1.split()[:-1], n2.split()[:-1]
            if f1 and f2 and f1[0] != f2[0]:
                continue
            if len(firsts.get(sur1, set())) > 1 and not (f1 and f2):
                continue  # the story names more than one person so: "Gingrich, 56" is whose?
            if abs(int(age1) - int(age2)) <= _years_apart(sa, i, j):
                continue  # "Henderson, 21" in 1998 and "22" in 1999: both right
            if age2 in told[(units[i].article, sur1)] or age1 in told[(units[j].article, sur2)]:
                continue
            add(f"age of {sur1}", i, j, (age1, f"{n1}, {age1}"), (age2, f"{n2}, {age2}"),
                float(sa.sim[i, j]), f"the age given for {sur1}")


def _names(sa: StoryAnalysis, independent: object, add: object) -> None:
    """One person named differently: "Bob Castle" and "Bob Castello"."""
    assert callable(independent) and callable(add)
    units = sa.units
    first_unit: dict[tuple[int, str], int] = {}
    for u in units:
        if not u.usable:
            continue
        for m in _FULL_NAME_RE.finditer(u.text):
            if (m.group(1).lower() in _NOT_FIRST or m.group(2).lower() in _NOT_FIRST
                    or m.group(1).lower() in ORGANISATION_WORDS
                    or m.group(2).lower() in ORGANISATION_WORDS):
                continue
            first_unit.setdefault((u.article, m.group(0)), u.idx)
    texts = [a.text or "" for a in sa.articles]
    lower = {w for t in texts for w in re.findall(r"\b[a-z]{4,}\b", t)}
    items = sorted(first_unit.items())
    for x, ((art1, name1), i) in enumerate(items):
        for (art2, name2), j in items[x + 1:]:
            if art1 == art2 or name1 == name2 or not independent(i, j):
                continue
            (f1, l1), (f2, l2) = name1.split(), name2.split()
            if not ((f1 == f2 and _near_spelling(l1, l2))
                    or (l1 == l2 and _near_spelling(f1, f2))):
                continue
            a, b = (l1, l2) if f1 == f2 else (f1, f2)
            if a.lower() in lower or b.lower() in lower:
                continue  # an ordinary word ("Department", "River"), not a person's name
            if (re.search(rf"\b{b}\b", texts[art1]) or re.search(rf"\b{a}\b", texts[art2])):
                continue  # both spellings in one article: two people
            add(f"name:{f1 if f1 == f2 else l1}", i, j, (name1, name1), (name2, name2),
                float(sa.sim[i, j]), "names spelled differently")


def _build(sa: StoryAnalysis, found: dict[tuple[str, str], dict[str, _Side]],
           pair_cos: dict[tuple[str, str], float], reasons: dict[tuple[str, str], str],
           ) -> tuple[list[Conflict], set[int]]:
    units = sa.units
    conflicts: list[Conflict] = []
    touched: set[int] = set()
    for key, sides in found.items():
        referent = key[0]
        out_sides = []
        timed: list[tuple[float, float, bool]] = []  # (first publication, value, revised)
        for side in sorted(sides.values(), key=lambda s: min(units[u].article for u in s.units)):
            arts: set[int] = set()
            for k_unit in side.units:
                touched.add(k_unit)
                arts.add(units[k_unit].article)
            u0 = min(side.units, key=lambda u: (units[u].article, units[u].position))
            text = units[u0].text
            out_sides.append(ConflictSide(side.surface, text, sa.ids(arts)))
            times = [dt.timestamp() for a in arts
                     if (dt := parse_iso(sa.articles[a].published)) is not None]
            at = text.find(side.surface)
            revised = at > 0 and bool(_REVISED_RE.search(text[:at]))
            try:
                number = float(side.value.replace(",", ""))
            except ValueError:
                number = math.nan
            if times:
                timed.append((min(times), number, revised))
        kind = "disagreement"
        if len(timed) == len(out_sides) and len({t for t, _, _ in timed}) > 1:
            order = sorted(timed)
            rising = all(b[1] > a[1] for a, b in zip(order, order[1:], strict=False))
            if rising and (referent in CASUALTIES or reasons[key].startswith(RUNNING)
                           or any(r for _, _, r in order[1:])):
                kind = "update"
        what, compared = _label(referent, reasons[key])
        compared += f" (TF-IDF cosine {pair_cos[key]:.2f}; {len(out_sides)} values)"
        if kind == "update":
            dates = sorted({sa.articles[units[u].article].published or ""
                            for s in sides.values() for u in s.units})
            compared += f"; a later report gives a higher figure ({dates[0]} to {dates[-1]})"
        conflicts.append(Conflict(what, out_sides, compared, kind))
    return conflicts, touched


def _label(referent: str, reason: str) -> tuple[str, str]:
    if referent.startswith("name:"):
        return "name", reason + " across articles (same first name or surname)"
    if referent.startswith("age of "):
        return referent, reason + " in sentences of different articles"
    if referent in ("date", "time"):
        return referent, reason
    if referent in ("$", "€", "£", "¥"):
        return "amount", reason
    word = referent if referent != "peopl" else "people"
    return f"number of {word}", reason + f" (unit '{word}')"
