"""Dates for articles: parsing publication dates, bounding undated texts, resolving "Thursday".

* :func:`normalize_date` turns a date as pages give it (ISO 8601, RFC 2822, ``2021-12-30
  15:35``) into ISO 8601, keeping the time of day and offset, and rejects dates in the future
  or before 1900: a bad date is dropped, never invented.
* :func:`full_dates` finds the explicit full dates a text mentions ("Monday, Dec. 27, 2021",
  "27 December 2021", "2021-12-27"); :func:`bound_from_text` is the latest of them. A text
  cannot have been written before the latest date it mentions as past, so for an undated
  article that date is a lower bound on publication (``published_not_before``), never the
  publication date itself.
* :func:`resolve_relative` resolves relative words ("Thursday", "yesterday", "last week",
  "Dec. 7") against a known publication date.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

__all__ = [
    "MIN_YEAR",
    "bound_from_text",
    "full_dates",
    "normalize_date",
    "plausible",
    "resolve_relative",
]

MIN_YEAR = 1900
FUTURE_SLACK = timedelta(days=1)
"""A date up to a day ahead is accepted (time zones); later ones are rejected."""

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
"""English month names and abbreviations (lower case) → month number. Shared by every stage
that reads dates in text."""
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
"""A regular expression alternation matching an English month name or abbreviation."""
_FULL_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{MONTH_PATTERN})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<m2>{MONTH_PATTERN})\.?,?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d\d)-(?P<d3>\d\d))\b",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    rf"\b(?P<m>{MONTH_PATTERN})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})(?![\d:])"
)
_RELATIVE_RE = re.compile(
    r"\b(?:(?P<q>last|next|this)\s+)?"
    r"(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s|’s)?\b"
    rf"(?!,?\s+(?:{MONTH_PATTERN}\.?\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{MONTH_PATTERN}))"
    r"|\b(?P<day>today|tonight|yesterday|tomorrow|last night|this morning|this afternoon"
    r"|this evening)\b"
    r"|\b(?P<q2>last|next|this)\s+(?P<unit>week|month|year)\b",
    re.IGNORECASE,
)
_FUTURE_RE = re.compile(
    r"\b(?:will|next|scheduled|set to|set for|plans? to|is to|are to|expected to|upcoming|"
    r"due to|to be held)\b",
    re.IGNORECASE,
)
_NO_COLON_OFFSET = re.compile(r"([+-]\d\d)(\d\d)$")


def plausible(day: date | datetime, *, now: datetime | None = None) -> bool:
    """Not before 1900 and not more than a day in the future."""
    now = now or datetime.now(UTC)
    if isinstance(day, datetime):
        aware = day if day.tzinfo is not None else day.replace(tzinfo=UTC)
        return aware.year >= MIN_YEAR and aware <= now + FUTURE_SLACK
    return day.year >= MIN_YEAR and day <= (now + FUTURE_SLACK).date()


def normalize_date(raw: str | None, *, now: datetime | None = None) -> str | None:
    """ISO 8601 for a plausible date, else None.

    A full datetime keeps its time and offset (seconds precision; a missing offset stays
    missing); a date alone stays a date. ``Z`` becomes ``+00:00``; ``+0200`` becomes
    ``+02:00``; RFC 2822 dates ("Tue, 30 Jul 2019 13:16:29 -0400") are read too.
    """
    if not raw:
        return None
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    dt: datetime | None = None
    date_only = False
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    iso = iso.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", iso) else iso
    iso = _NO_COLON_OFFSET.sub(r"\1:\2", iso) if "T" in iso else iso
    try:
        dt = datetime.fromisoformat(iso)
        date_only = len(iso) == 10
    except ValueError:
        m = re.match(r"(\d{4}-\d\d-\d\d)(?:$|[^\d])", text)
        if m and "T" not in text[:11]:
            try:
                dt = datetime.fromisoformat(m.group(1))
                date_only = True
            except ValueError:
                dt = None
        if dt is None:
            try:
                dt = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                dt = None
    if dt is None:
        return None
    if not plausible(dt, now=now):
        log.debug("rejected implausible date %r", raw)
        return None
    if date_only:
        return dt.date().isoformat()
    if dt.microsecond:
        dt = dt.replace(microsecond=0)
    return dt.isoformat()


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_dates(text: str, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """The explicit, plausible full dates in ``text``: (as written, ISO date), in order."""
    out: list[tuple[str, str]] = []
    if not text:
        return out
    for m in _FULL_DATE_RE.finditer(text):
        if m.group("y1"):
            day = _make(int(m.group("y1")), MONTHS[m.group("m1").lower()], int(m.group("d1")))
        elif m.group("y2"):
            day = _make(int(m.group("y2")), MONTHS[m.group("m2").lower()], int(m.group("d2")))
        else:
            day = _make(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
        if day is not None and plausible(day, now=now):
            out.append((m.group(0), day.isoformat()))
    return out


def bound_from_text(text: str, *, now: datetime | None = None) -> str | None:
    """The latest explicit full date ``text`` mentions (ISO), or None.

    For an article without a publication date this bounds it from below: "a photo taken on
    Monday, Dec. 27, 2021" cannot have been published before that day. Dates in the future
    or before 1900 are ignored.
    """
    found = [iso for _, iso in full_dates(text, now=now)]
    return max(found) if found else None


def _as_date(published: str | date | datetime | None) -> date | None:
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    text = published.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def _weekday(wd: int, pub: date, qualifier: str, before: str) -> date:
    if qualifier == "last":
        return pub - timedelta(days=(pub.weekday() - wd) % 7 or 7)
    if qualifier == "next" or _FUTURE_RE.search(before):
        return pub + timedelta(days=(wd - pub.weekday()) % 7)
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


def _closest_year(month: int, day: int, pub: date) -> date | None:
    best: date | None = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        d = _make(y, month, day)
        if d is not None and (best is None or abs((d - pub).days) < abs((best - pub).days)):
            best = d
    return best


def resolve_relative(
    text: str, published: str | date | datetime | None
) -> list[dict[str, str]]:
    """Relative dates in ``text`` resolved against the publication date ``published``.

    Each is ``{"text", "date", "resolved_from", "precision"}``: the words as written, the ISO
    date (the first day of the week, month or year for "last week" and the like), the
    publication date it was resolved from, and ``day`` / ``week`` / ``month`` / ``year``.
    A weekday is the most recent such day (the day itself included), the previous one after
    "last", the coming one after "next" or in a sentence about the future ("will",
    "scheduled"); a month and day without a year ("Dec. 7") take the year nearest to the
    publication date. [] without a usable publication date.
    """
    pub = _as_date(published)
    if pub is None or not text:
        return []
    iso_pub = pub.isoformat()
    found: list[tuple[int, dict[str, str]]] = []
    for m in _RELATIVE_RE.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        if m.group("w"):
            q = (m.group("q") or "").lower()
            day = _weekday(WEEKDAYS[m.group("w").lower()], pub, q, before)
            found.append((m.start(), _entry(m.group(0), day, iso_pub, "day")))
        elif m.group("day"):
            word = m.group("day").lower()
            delta = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
            found.append((m.start(), _entry(m.group(0), pub + timedelta(days=delta), iso_pub,
                                            "day")))
        else:
            q, unit = m.group("q2").lower(), m.group("unit").lower()
            step = {"last": -1, "this": 0, "next": 1}[q]
            if unit == "week":
                start = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
            elif unit == "month":
                index = pub.year * 12 + pub.month - 1 + step
                start = date(index // 12, index % 12 + 1, 1)
            else:
                start = date(pub.year + step, 1, 1)
            found.append((m.start(), _entry(m.group(0), start, iso_pub, unit)))
    for m in _MONTH_DAY_RE.finditer(text):
        near = _closest_year(MONTHS[m.group("m").lower()], int(m.group("d")), pub)
        if near is not None:
            found.append((m.start(), _entry(m.group(0), near, iso_pub, "day")))
    found.sort(key=lambda item: item[0])
    return [entry for _, entry in found]


def _entry(words: str, day: date, resolved_from: str, precision: str) -> dict[str, str]:
    return {"text": words, "date": day.isoformat(), "resolved_from": resolved_from,
            "precision": precision}
