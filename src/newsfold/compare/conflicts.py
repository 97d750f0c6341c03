"""Conflicts: different outlets giving different values for the same thing.

Precision first. Sides always come from different independent articles (duplicate groups
count once; ``across_outlets=True`` also requires different outlet names), and neither article
may state the other side's value for the same thing itself (an article giving both is reporting
a change, not disagreeing). Three checks:

* numbers, dates and clock times: the two sentences hold values for the same referent (the
  unit or head noun, ``troops``, ``$``, ``percent``; values both sentences share are set aside
  first, so "48 brands and 40 brands" against "48 brands and 52 brands" compares 40 with 52),
  and are about the same thing: a TF-IDF cosine of at least ``NUM_MIN`` with a content word
  shared near both values that is not a word of the story's topic; or the value in the same
  slot (the same two words before or after it) with a cosine of at least ``SLOT_MIN``; or for
  casualty counts and dates a cosine of ``CASUALTY_MIN``/``DATE_MIN``. Conversions in
  brackets ("35 miles (55 kilometers)") are not compared, nor values whose scopes differ ("in
  Honduras" and "in the region"), values more than ``MAX_RATIO`` apart (not the same quantity)
  or values whose wording makes them compatible ("more than 100" and "120", "about 100" and
  "108", ``APPROX_TOLERANCE``);
* ages: "Smith, 45" and "Smith, 47" (the same name, first names equal when both give one);
* names: the same person given differently, "Bob Castle" and "Bob Castello": the same first
  name and a surname within a small edit (or the same surname and a first name within one),
  neither article using the other spelling anywhere.

A count that a later report gives higher ("the toll rose to 10,000", or simply a later
article's larger casualty figure) is an ``update``, shown with the reports' dates, not a
disagreement between outlets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from newsfold.compare.align import StoryAnalysis
from newsfold.compare.anchors import Anchor
from newsfold.records import Conflict, ConflictSide, parse_iso
from newsfold.text import STOPWORDS, content_terms, stem

NUM_MIN = 0.3
"""Cosine needed with a shared context word near both numbers."""
SLOT_MIN = 0.4
"""Cosine needed when the values stand in the same slot of the two sentences."""
CASUALTY_MIN = 0.2
"""Cosine at which casualty counts are compared without a shared context word."""
DATE_MIN = 0.45
"""Cosine at which dates and times are compared without a shared context word."""
WEAK_MIN = 0.2
"""Cosine needed beside a shared context word for casualty counts and dates."""
CONTEXT_WORDS = 5
TOPICAL_SHARE = 0.1
MAX_RATIO = 3.0
"""Values further apart than this are counts of different things, not one disputed count."""
CASUALTIES = {"deaths", "injured", "missing"}
APPROX_TOLERANCE = 0.1
AGE_MIN = 0.15
"""Cosine needed between two sentences giving one person's age."""
_GENERIC_UNITS = {"percent", "year", "day", "time", "week", "month", "hour", "minut"}


@dataclass(slots=True)
class _Side:
    value: str
    units: list[int] = field(default_factory=list)
    surface: str = ""


_BOUNDARY = {"and", "or", "but", "while", "whereas", "although", "though", "with", "including"}
_GENERIC_CONTEXT = {"estim", "report", "offici", "accord", "least", "approxim", "nearli",
                    "roughli", "almost", "total", "number", "figur", "said", "say"}
_CONVERSION_RE = re.compile(r"\d[^()]{0,40}\(\s*(?:about\s+|or\s+|some\s+)?$")
_SCOPE_RE = re.compile(
    r"^[^.;:(]{0,40}?\b(?:in|across|throughout)\s+(?:the\s+)?"
    r"((?:[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)|region|area|country|province|state|world|nation)\b")
_DATELINE_RE = re.compile(r"\s*\((?:Xinhua|AP|AFP|Reuters|UPI)\)|,?\s*(?:19|20)\d\d\s+\(")
_INFLECTION = ("s", "es", "n", "an", "r", "ns", "ese", "ian")
_REVISED_RE = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|reached|"
                         r"revised|raised|now|climbing)\b(?:\s+\w+){0,2}\s*$", re.I)
_AGE_RE = re.compile(r"\b((?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s+)?[A-Z][a-z]{2,}),\s+(\d{1,2})\s*[,)]")
_FULL_NAME_RE = re.compile(r"(?<![\w.-])([A-Z][a-z]{2,})\s+([A-Z][a-z]{3,})\b(?!\s+[A-Z])")
_NOT_FIRST = {
    "president", "prime", "minister", "secretary", "senator", "governor", "general", "king",
    "queen", "pope", "judge", "justice", "mayor", "police", "chief", "officer", "sheriff",
    "director", "spokesman", "spokeswoman", "commissioner", "captain", "colonel", "sergeant",
    "detective", "lieutenant", "prince", "princess", "lord", "lady", "saint", "deputy",
    "attorney", "agent", "professor", "doctor", "reverend", "father", "sister", "brother",
    "coach", "chairman", "chancellor", "premier", "ambassador", "the", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "north", "south", "east", "west", "new", "los", "san", "united", "supreme", "national",
    "state", "federal", "central", "university", "county", "city", "lake", "mount", "fort",
}


def _context(text: str, a: Anchor) -> set[str]:
    """Content words next to the value, not crossing a clause boundary or another number."""
    def clip(toks: list[str], reverse: bool) -> list[str]:
        seq = list(reversed(toks)) if reverse else toks
        out = []
        for t in seq[:CONTEXT_WORDS]:
            bare = t.strip(".,;:()\"“”'’").lower()
            if bare in _BOUNDARY or any(c.isdigit() for c in bare):
                break
            out.append(t)
            if t.endswith((",", ";", ":", ".")) and not reverse:
                break
            if reverse and t.endswith((",", ";", ":", ".")):
                out.pop()
                break
        return out

    before = clip(text[: a.start].split(), reverse=True)
    after = clip(text[a.end:].split(), reverse=False)
    return set(content_terms(" ".join(before + after))) - {a.referent} - _GENERIC_CONTEXT


def _slot(text: str, a: Anchor) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The two words before and the two words after the value, lower-cased."""
    def norm(toks: list[str]) -> tuple[str, ...]:
        return tuple(t.strip(".,;:()\"“”'’").lower() for t in toks)

    return norm(text[: a.start].split()[-2:]), norm(text[a.end:].split()[:2])


def _same_slot(t1: str, a1: Anchor, t2: str, a2: Anchor) -> bool:
    (b1, f1), (b2, f2) = _slot(t1, a1), _slot(t2, a2)
    return (len(b1) == 2 and b1 == b2) or (len(f1) == 2 and f1 == f2)


def _converted(text: str, a: Anchor) -> bool:
    """The value is a conversion in brackets after another value: "35 miles (55 km)"."""
    return bool(_CONVERSION_RE.search(text[max(0, a.start - 45):a.start]))


def _scope(text: str, a: Anchor) -> str:
    m = _SCOPE_RE.match(text[a.end:a.end + 80])
    return m.group(1).lower() if m else ""


def _referent(text: str, a: Anchor) -> str:
    """The anchor's unit, or the head noun after modifiers anchors skip none of
    ("29 mostly Moroccan suspects")."""
    if a.referent or a.kind != "num":
        return a.referent
    for tok in text[a.end:a.end + 50].split()[:4]:
        bare = tok.strip(".,;:()\"“”'’")
        if not bare.isalpha():
            return ""
        low = bare.lower()
        if bare[0].isupper() or low.endswith("ly"):
            continue
        return "" if low in STOPWORDS else stem(low)
    return ""


def _values(text: str, anchors: tuple[Anchor, ...]) -> dict[str, list[Anchor]]:
    """Comparable anchors of a sentence by referent (conversions in brackets left out)."""
    out: dict[str, list[Anchor]] = {}
    for a in anchors:
        if a.kind not in ("num", "date", "time") or _converted(text, a):
            continue
        if a.kind == "date" and _DATELINE_RE.match(text[a.end:]):
            continue  # "BEIJING, Jan. 5 (Xinhua)": when the report was filed
        ref = _referent(text, a)
        if ref:
            out.setdefault(ref, []).append(a)
    return out


def _compatible(a1: Anchor, a2: Anchor) -> bool:
    """The wording allows one value: "more than 100" and "120", "about 100" and "108"."""
    if a1.bound == "min" and a2.bound == "min" and a1.numeric and a2.numeric:
        # two lower bounds agree only when close ("at least 1,519", "more than 1,500")
        lo, hi = sorted((a1.numeric, a2.numeric))
        return hi <= lo * (1 + APPROX_TOLERANCE)
    r1, r2 = a1.interval(APPROX_TOLERANCE), a2.interval(APPROX_TOLERANCE)
    return bool(r1 and r2 and max(r1[0], r2[0]) <= min(r1[1], r2[1]))


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
    if a.replace("z", "s") == b.replace("z", "s"):
        return False
    return _edit(a.lower(), b.lower()) <= max(1, min(2, min(len(a), len(b)) // 3))


def find_conflicts(
    sa: StoryAnalysis, across_outlets: bool = False
) -> tuple[list[Conflict], set[int]]:
    """The conflicts of a story and the units (sentences) they touch.

    Sides come from different independent articles (duplicate groups); with
    ``across_outlets`` they must also come from differently named outlets (an outlet
    contradicting its own earlier report is then not listed).
    """
    units = sa.units
    values = [_values(u.text, u.info.anchors) for u in units]
    stated: list[dict[str, set[str]]] = [{} for _ in sa.articles]
    for u, vals in zip(units, values, strict=True):
        for ref, anchors in vals.items():
            stated[u.article].setdefault(ref, set()).update(a.value for a in anchors)
    found: dict[tuple[str, str], dict[str, _Side]] = {}
    reasons: dict[tuple[str, str], str] = {}
    n_units = len(units)
    topical = math.log((n_units + 1) / (TOPICAL_SHARE * n_units + 1)) + 1.0
    pair_cos: dict[tuple[str, str], float] = {}

    def independent(i: int, j: int) -> bool:
        gi, gj = sa.group[units[i].article], sa.group[units[j].article]
        if gi == gj:
            return False
        return not (across_outlets and sa.group_outlet[gi] == sa.group_outlet[gj])

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

    for i in range(n_units):
        ui = units[i]
        if not ui.usable or not values[i]:
            continue
        for j in range(i + 1, n_units):
            uj = units[j]
            if not uj.usable or not values[j] or not independent(i, j):
                continue
            cos = float(sa.sim[i, j])
            if cos < WEAK_MIN:
                continue
            for ref in values[i].keys() & values[j].keys():
                v1 = {a.value: a for a in values[i][ref]}
                v2 = {a.value: a for a in values[j][ref]}
                only1, only2 = v1.keys() - v2.keys(), v2.keys() - v1.keys()
                if len(only1) != 1 or len(only2) != 1:
                    continue
                a1, a2 = v1[next(iter(only1))], v2[next(iter(only2))]
                reason = _about_same(sa, ui.text, a1, uj.text, a2, ref, cos, topical)
                if not reason:
                    continue
                if a2.value in stated[ui.article].get(ref, set()):
                    continue
                if a1.value in stated[uj.article].get(ref, set()):
                    continue
                add(ref, i, j, (a1.value, a1.surface), (a2.value, a2.surface), cos, reason)
    _ages(sa, independent, add)
    _names(sa, independent, add)
    return _build(sa, found, pair_cos, reasons)


def _about_same(sa: StoryAnalysis, t1: str, a1: Anchor, t2: str, a2: Anchor, ref: str,
                cos: float, topical: float) -> str:
    """Why two values of one referent are about the same thing, or "" when they may not be."""
    if a1.kind != a2.kind and {a1.kind, a2.kind} != {"date"}:
        return ""
    if a1.numeric and a2.numeric and a1.kind == "num":
        lo, hi = sorted((a1.numeric, a2.numeric))
        if lo <= 0 or hi / lo > MAX_RATIO or _compatible(a1, a2):
            return ""
    s1, s2 = _scope(t1, a1), _scope(t2, a2)
    if s1 and s2 and s1 != s2:
        return ""  # "in Honduras" and "in the region" count different things
    slot = cos >= SLOT_MIN and _same_slot(t1, a1, t2, a2)
    shared = _context(t1, a1) & _context(t2, a2)
    rare = {t for t in shared if sa.idf.get(t, 99.0) >= topical}
    if a1.kind in ("date", "time"):
        if cos >= DATE_MIN or slot or rare:
            return f"{'dates' if a1.kind == 'date' else 'clock times'} in sentences " \
                   "reporting the same event"
        return ""
    if ref in CASUALTIES:
        if cos >= CASUALTY_MIN or shared or slot:
            return f"casualty counts ({ref}) in related sentences"
        return ""
    if slot:
        return "numbers in the same place of closely matching sentences"
    if cos >= NUM_MIN and rare and (ref not in _GENERIC_UNITS or cos >= DATE_MIN):
        return f"numbers of the same unit sharing the words '{', '.join(sorted(rare)[:3])}'"
    return ""


def _ages(sa: StoryAnalysis, independent: object, add: object) -> None:
    """Ages of one person: "Juan Alvarez, 29," and "Juan Alvarez, 38,"."""
    assert callable(independent) and callable(add)
    units = sa.units
    ages: list[tuple[int, str, str, str]] = []  # (unit, name, age, surname)
    told: dict[tuple[int, str], set[str]] = {}
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
            if float(sa.sim[i, j]) < AGE_MIN:
                continue
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
            if m.group(1).lower() in _NOT_FIRST or m.group(2).lower() in _NOT_FIRST:
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
            if rising and (referent in CASUALTIES or any(r for _, _, r in order[1:])):
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
