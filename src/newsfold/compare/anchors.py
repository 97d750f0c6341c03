"""Specific anchors in a sentence: numbers with their unit or head noun, clock times and dates.

Anchors are what make two sentences report *the same* content rather than merely the same
topic: "an estimated 100,000 troops" and "the roughly 100,000 Russian troops" share the anchor
``num:100000:troop``; "at 3:35" gives ``time:3:35``; "Dec. 7" gives ``date:12-07``.
Every anchor also keeps its surface form and character span, so conflicts can quote values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from newsfold.ingest.dates import MONTH_PATTERN, MONTHS, WEEKDAYS
from newsfold.text import STOPWORDS, stem

_MONTH_ALT = MONTH_PATTERN
# "Dec. 7", "December 7, 2021", "Dec. 27, 2021"
DATE_MD_RE = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
# "7 December 2021", "7 Dec"
DATE_DM_RE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_ALT})\b\.?"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
WEEKDAY_RE = re.compile(
    r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s|’s)?\b"
)
TIME_RE = re.compile(
    r"(?<![\w:.,])(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?![\w:])(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?",
    re.IGNORECASE,
)
_SCALE = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9,
    "mln": 1e6, "k": 1e3,
}
NUM_RE = re.compile(
    r"(?<![\w.,:/])(?<![^\W\d_]-)(?P<cur>[$€£¥])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w,]*\d)"
    r"(?P<scale>\s*(?:thousand|million|billion|trillion|mln|bn|m|k)\b)?"
    r"(?P<pct>\s*(?:%|percent\b|per\s+cent\b))?",
    re.IGNORECASE,
)
APPROX_RE = re.compile(
    r"\b(?:about|around|roughly|nearly|almost|approximately|some|over|more than|at least|"
    r"up to|as many as|as much as|as high as|passing|passed|fewer than|less than|estimated|an estimated|close to|upwards of|"
    r"under|above|below|exceed\w*|tens of|hundreds of|thousands of)\s*$",
    re.IGNORECASE,
)
_MIN_RE = re.compile(
    r"\b(?:more than|over|at least|upwards of|above|exceed\w*|passing|passed|beyond|"
    r"in excess of|surpass\w*|topp\w*)\s*$", re.I)
_MAX_RE = re.compile(
    r"\b(?:up to|as many as|as much as|as high as|fewer than|less than|under|below|nearly|"
    r"almost|close to)\s*$", re.I)
_ABOUT_RE = re.compile(
    r"\b(?:about|around|roughly|approximately|some|an estimated|estimated|circa|"
    r"more or less)\s*$", re.I)


def _bound(lead: str) -> str:
    for name, rx in (("min", _MIN_RE), ("max", _MAX_RE), ("about", _ABOUT_RE)):
        if rx.search(lead):
            return name
    return ""


_UNIT_WORD_RE = re.compile(r"[A-Za-z][\w’'-]*|[$€£%]")
# Modifier words skipped when looking for the head noun after a number.
_SKIP_AFTER = {
    "more", "less", "additional", "other", "extra", "new", "further", "of", "the", "their",
    "its", "his", "her", "estimated", "confirmed", "reported", "known", "registered",
}
_NOT_UNITS = {"and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "as", "than"}


_HUMAN_UNITS = {"", "peopl", "person", "dead", "death", "victim", "live", "civilian", "resid"}
_CASUALTY_AFTER = [
    ("deaths", re.compile(r"^\W*(?:\w+\W+){0,3}?(?:were |have been |are |was )?(?:confirmed )?"
                          r"(?:killed|dead|died|deaths|perished|lost their lives)\b", re.I)),
    ("injured", re.compile(r"^\W*(?:\w+\W+){0,3}?(?:were |have been |are )?"
                           r"(?:injured|wounded|hurt)\b", re.I)),
    ("missing", re.compile(r"^\W*(?:\w+\W+){0,3}?(?:are |were |remain )?(?:still )?missing\b",
                           re.I)),
]
_CASUALTY_BEFORE = [
    ("deaths", re.compile(r"\b(?:death toll|death count|toll|killed|killing|deaths of|"
                          r"claimed the lives of|dead)\b[^.;\d]*$", re.I)),
    ("injured", re.compile(r"\b(?:injured|injuring|wounded|wounding)\b[^.;,\d]*$", re.I)),
]


def _casualty(sentence: str, start: int, end: int) -> str:
    """``deaths``/``injured``/``missing`` when the number counts casualties, else ""."""
    after = sentence[end:end + 40]
    for name, rx in _CASUALTY_AFTER:
        if rx.match(after):
            return name
    before = sentence[max(0, start - 160):start]
    cut = max(before.rfind(";"), before.rfind(". "))
    before = before[cut + 1:]
    for name, rx in _CASUALTY_BEFORE:
        m = rx.search(before)
        if m and len(before[m.end():].split()) <= 20:
            return name
    return ""


@dataclass(frozen=True, slots=True)
class Anchor:
    """One specific anchor in a sentence."""

    kind: str
    """``num``, ``year``, ``time`` or ``date``."""
    key: str
    """What must be equal for two anchors to be the same (value and unit)."""
    referent: str
    """What the value measures: unit/head noun for numbers, ``time``/``date`` otherwise."""
    value: str
    """The normalised value (``100000``, ``15:35``, ``12-07``)."""
    surface: str
    start: int
    end: int
    approx: bool = False
    numeric: float | None = None
    year: int | None = None
    bound: str = ""
    """``min`` ("more than X"), ``max`` ("up to X"), ``about`` ("roughly X") or ""."""

    def interval(self, tolerance: float = 0.15) -> tuple[float, float] | None:
        """The range of values the wording allows (None when not numeric)."""
        if self.numeric is None:
            return None
        x = self.numeric
        if self.bound == "min":
            return (x, float("inf"))
        if self.bound == "max":
            return (0.0, x)
        if self.bound == "about":
            return (x * (1 - tolerance), x * (1 + tolerance))
        return (x, x)


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _fmt(x: float) -> str:
    if x == int(x):
        return str(int(x))
    return f"{x:.6g}"


def _head_after(text: str, pos: int) -> tuple[str, int]:
    """The head noun after a number: first lower-case content word in the next few tokens.

    Capitalised words (``Russian``) and modifiers (``more``) are skipped; "50-minute" gives
    ``minut``. Returns (stem, end offset) or ("", pos).
    """
    rest = text[pos:pos + 60]
    if rest.startswith("-"):
        m = re.match(r"-([A-Za-z]+)", rest)
        if m:
            return stem(m.group(1).lower()), pos + m.end()
    seen = 0
    for m in _UNIT_WORD_RE.finditer(rest):
        gap = rest[: m.start()] if seen == 0 else ""
        if seen == 0 and gap.strip() not in ("", "-"):
            return "", pos
        tok = m.group(0)
        seen += 1
        if seen > 3:
            break
        low = tok.lower()
        if low in _NOT_UNITS:
            return "", pos
        if low in _SKIP_AFTER or tok[0].isupper():
            continue
        if low in STOPWORDS and low not in {"people", "years", "year", "days", "week", "weeks"}:
            return "", pos
        return stem(low.split("-")[0].strip("’'")), pos + m.end()
    return "", pos


@lru_cache(maxsize=100_000)
def find_anchors(sentence: str) -> tuple[Anchor, ...]:
    """All anchors in a sentence, in text order (cached per sentence string)."""
    out: list[Anchor] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for rx in (DATE_MD_RE, DATE_DM_RE):
        for m in rx.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            month = MONTHS.get(m.group("month").lower().rstrip("."))
            day = int(m.group("day"))
            if not month or not 1 <= day <= 31:
                continue
            year = int(m.group("year")) if m.group("year") else None
            value = f"{month:02d}-{day:02d}"
            out.append(Anchor("date", f"date:{value}", "date", value, m.group(0), m.start(),
                              m.end(), year=year))
            taken.append((m.start(), m.end()))
    for m in TIME_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        h, mi = int(m.group("h")), int(m.group("m"))
        ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
        if h > 23:
            continue
        if ampm == "pm" and h < 12:
            h += 12
        value = f"{h}:{mi:02d}" if not ampm else f"{h:02d}:{mi:02d}"
        out.append(Anchor("time", f"time:{m.group('h')}:{m.group('m')}", "time", value,
                          m.group(0).strip(), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in NUM_RE.finditer(sentence):
        if not free(m.start("num"), m.end("num")):
            continue
        raw = m.group("num")
        try:
            x = _number(raw)
        except ValueError:
            continue
        scale = (m.group("scale") or "").strip().lower()
        cur = m.group("cur") or ""
        pct = bool(m.group("pct"))
        if scale in ("m", "k") and not cur:
            scale = ""  # "5 m" is more likely metres than millions without a currency
        if scale:
            x *= _SCALE[scale]
        if not math.isfinite(x):
            continue  # a run of 309 digits or more is no quantity a report compares
        end = m.end("scale") if m.group("scale") and scale else m.end("num")
        num_end = end
        if pct:
            unit = "percent"
            end = m.end("pct")
        elif cur:
            unit = cur
        else:
            unit, end2 = _head_after(sentence, end)
            if unit:
                end = end2
        is_year = (not unit and not cur and not scale and "," not in raw and "." not in raw
                   and 1900 <= x <= 2099)
        if not is_year and not pct and not cur and unit in _HUMAN_UNITS:
            unit = _casualty(sentence, m.start(), num_end) or unit
        lead = sentence[max(0, m.start() - 25):m.start()]
        approx = bool(APPROX_RE.search(lead))
        bound = _bound(lead)
        if is_year:
            out.append(Anchor("year", f"year:{_fmt(x)}", "year", _fmt(x), raw, m.start("num"),
                              m.end("num"), numeric=x))
            continue
        value = _fmt(x)
        surface = sentence[m.start():end].strip()
        out.append(Anchor("num", f"num:{value}:{unit}", unit, value, surface, m.start(), end,
                          approx=approx, numeric=x, bound=bound))
    out.sort(key=lambda a: a.start)
    return tuple(out)


def weekday_mentions(sentence: str) -> list[tuple[int, str, int]]:
    """(weekday index, surface, offset) for each weekday word in the sentence."""
    return [(WEEKDAYS[m.group("weekday").lower()], m.group(0), m.start())
            for m in WEEKDAY_RE.finditer(sentence)]
