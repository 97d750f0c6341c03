"""Dates for articles: parsing publication dates, bounding undated texts, resolving "Thursday".

* :func:`normalize_date` turns a date as pages and exports give it (ISO 8601, RFC 2822,
  ``2021-12-30 15:35``, ``Aug 29, 2017 5:11 p.m. ET``, ``29 August 2017``) into ISO 8601,
  keeping the time of day and offset, and rejects dates more than a day in the future or
  before 1800, and dates that leave the day out or are ambiguous (``03/04/2017``): a bad
  date is dropped, never invented.
* :func:`full_dates` finds the explicit full dates a text mentions ("Monday, Dec. 27, 2021",
  "27 December 2021", "2021-12-27"); :func:`bound_from_text` is the latest of them. A text
  cannot have been written before the latest date it mentions as past, so for an undated
  article that date is a lower bound on publication (``published_not_before``), never the
  publication date itself.
* :func:`resolve_relative` resolves relative words ("Thursday", "yesterday", "last week",
  "Dec. 7") against a known publication date.
* The dateline patterns (:data:`DATELINE_DATE`, :data:`WEEKDAY_DATELINE`,
  :data:`SENTENCE_DATELINE`, :data:`WIRE_DATELINE_TAIL`) each match one form of the date or
  wire line a report opens with, for the reader that takes it off or leaves it out.
"""

from __future__ import annotations

import logging
import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
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

MIN_YEAR = 1800
"""The earliest year that is a publication date; earlier ones are placeholders ("0001-01-01",
the "no date" of .NET systems) or typing errors."""
FUTURE_SLACK = timedelta(days=1)
"""A date up to a day ahead is accepted (time zones); later ones are rejected ("9999-12-31")."""
MAX_DATE_CHARS = 100
"""Longer strings are not read as dates (a date written out in words fits well within)."""

ZONE_NAMES: dict[str, str | int] = {
    "ET": "America/New_York", "EST": -5 * 3600, "EDT": -4 * 3600,
    "CT": "America/Chicago", "CST": -6 * 3600, "CDT": -5 * 3600,
    "MT": "America/Denver", "MST": -7 * 3600, "MDT": -6 * 3600,
    "PT": "America/Los_Angeles", "PST": -8 * 3600, "PDT": -7 * 3600,
    "AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 3600, "BST": 3600,
    "CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600,
    "JST": 9 * 3600, "KST": 9 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600,
    "AWST": 8 * 3600, "ACST": 9 * 3600 + 1800, "AEST": 10 * 3600, "AEDT": 11 * 3600,
    "NZST": 12 * 3600, "NZDT": 13 * 3600,
}
"""Time-zone abbreviations news sites print after a time, as a fixed offset in seconds or, for
a zone named without saying whether summer time applies ("ET"), the IANA zone, so the offset
is the one in force on that day. Ambiguous abbreviations (IST, CST for China) are left out: a
time in an unknown zone keeps its day and drops its time."""
_SPELLED_ZONE = re.compile(
    r"\b(Eastern|Central|Mountain|Pacific)(?:\s+(Standard|Daylight))?(?:\s+Time)?\s*$",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:posted|published|updated|modified)(?:\s+on|\s+at)?\s*:?\s*)",
    re.IGNORECASE,
)
_RFC_2822 = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+(?:\d\d|[1-9]\d{3})\s+\d\d:\d\d(?::\d\d)?"
    r"\s*(?:[+-]\d{4}|GMT|UT|UTC|Z|[ECMP][SD]T)?\s*(?:\(\w+\))?$"
)
"""The strict shape of an RFC 2822 date (feeds, e-mail); anything looser goes to dateutil,
as the e-mail parser reads loose text wrongly ("5:11 PM ET" as 05:11)."""
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d\d))?\b")
"""``GMT+2`` as news sites mean it (two hours ahead of GMT; dateutil would read the POSIX
sign, two hours behind)."""
_DOTTED_TIME = re.compile(r"(\d{4},?\s+(?:at\s+)?)(\d{1,2})\.(\d\d)(?![.\d])")
"""A time written with a dot after the year ("29 August 2017 17.11 BST", British style)."""
_YEAR_FIRST = re.compile(r"^\d{4}\D")
_DEFAULT_A = datetime(2001, 1, 1)
_DEFAULT_B = datetime(2002, 2, 2, 1, 1, 1)

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

# Datelines: the date (and, in wire copy, the place and agency) a report opens with. Each
# pattern matches one form, for one reader.
_WEEKDAY_COMMA = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+"
_DAY_MONTH_YEAR = rf"(?:{MONTH_PATTERN}\.?\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH_PATTERN}\.?),?\s+\d{{4}}"
DATELINE_DATE = re.compile(rf"(?:{_WEEKDAY_COMMA})?{_DAY_MONTH_YEAR}")
"""A dateline's full date, the weekday optional ("Monday, June 1, 2009", "1 June 2009"); a
line that is only this (``fullmatch``) is a dateline line of its own."""
WEEKDAY_DATELINE = re.compile(rf"{_WEEKDAY_COMMA}{_DAY_MONTH_YEAR}(?=\s|[^\W\d_]|$)")
"""A weekday dateline opening a paragraph's text ("Saturday, March 26, 2005 Up to four times
as many ...", Wikinews; also glued on: "Tuesday, January 18, 2005Through a telethon ...")."""
SENTENCE_DATELINE = re.compile(
    r"^(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+(?:19|20)\d\d\s*"
    # a wire dateline: "NICKEL MINES, Pennsylvania 2006-10-02 17:24:15 UTC", "BEIJING, Jan. 5
    # (Xinhua)", "WASHINGTON (Reuters) -"
    r"|[A-Z][A-Z.'-]+(?:\s[A-Z][A-Z.'-]+){0,3}(?:,\s+[A-Z][\w.'-]+(?:\s[A-Z][\w.'-]+){0,2})?"
    r"(?:,?\s+(?:19|20)\d\d-\d\d-\d\d\s+\d\d:\d\d(?::\d\d)?\s+UTC"
    r"|(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s+\((?:AP|AFP|Reuters|Xinhua|UPI|dpa|CNN|"
    r"Bloomberg)\)(?:\s*[-—–]+)?)\s+)"
)
"""A dateline glued to the start of a sentence, with the space after it: a written-out weekday
date ("Saturday, March 26, 2005 Up to ...") or a wire dateline in capitals ("WASHINGTON
(Reuters) - ..."), which sentence alignment cuts off the sentence it is glued to."""
WIRE_DATELINE_TAIL = re.compile(r"\s*\((?:Xinhua|AP|AFP|Reuters|UPI)\)|,?\s*(?:19|20)\d\d\s+\(")
"""What follows the date of a wire dateline ("BEIJING, Jan. 5 (Xinhua)", "Nov. 3, 2005 (AP)"):
a date so followed says when the report was filed, not a fact of the story."""

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
    """Not before :data:`MIN_YEAR` and not more than a day (:data:`FUTURE_SLACK`) ahead."""
    now = now or datetime.now(UTC)
    if isinstance(day, datetime):
        aware = day if day.tzinfo is not None else day.replace(tzinfo=UTC)
        return aware.year >= MIN_YEAR and aware <= now + FUTURE_SLACK
    return day.year >= MIN_YEAR and day <= (now + FUTURE_SLACK).date()


def normalize_date(raw: str | None, *, now: datetime | None = None) -> str | None:
    """ISO 8601 for a plausible date, else None.

    A full datetime keeps its time and offset (seconds precision; a missing offset stays
    missing); a date alone stays a date. ``Z`` becomes ``+00:00``; ``+0200`` becomes
    ``+02:00``; RFC 2822 dates ("Tue, 30 Jul 2019 13:16:29 -0400") are read, and dates as
    people write them ("Aug 29, 2017 5:11 p.m. ET", "29 August 2017", "Posted: Aug 29 2017
    17:11 GMT") by python-dateutil, with the abbreviations of :data:`ZONE_NAMES`. A string
    without a year, month and day ("August 2017", "Tuesday") is no date, and neither is a
    numeric day and month that could be read either way ("03/04/2017"). Never raises.
    """
    if not raw or not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > MAX_DATE_CHARS:
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
        if dt is None and _RFC_2822.match(text):
            try:
                dt = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError, OverflowError):
                dt = None
        if dt is None:
            found = _human_date(text)
            if found is not None:
                dt, date_only = found
    if dt is None:
        return None
    try:
        if not plausible(dt, now=now):
            log.debug("rejected implausible date %r", raw)
            return None
    except (OverflowError, ValueError):  # an offset past a day, or past year 1 or 9999
        return None
    if date_only:
        return dt.date().isoformat()
    if dt.microsecond:
        dt = dt.replace(microsecond=0)
    return dt.isoformat()


def _human_date(text: str) -> tuple[datetime, bool] | None:
    """A date as people write it, read by dateutil: (datetime, True when only a day)."""
    from dateutil import parser as dateparser

    text = _LEADING_WORDS.sub("", text)
    text = _SPELLED_ZONE.sub(_zone_abbreviation, text)
    text = _GMT_OFFSET.sub(_signed_offset, text)
    text = _DOTTED_TIME.sub(r"\1\2:\3", text)
    year_first = bool(_YEAR_FIRST.match(text))
    readings: list[datetime] = []
    for dayfirst in (False,) if year_first else (False, True):
        pair: list[datetime] = []
        for default in (_DEFAULT_A, _DEFAULT_B):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    dt = dateparser.parse(text, default=default, dayfirst=dayfirst,
                                          yearfirst=year_first, tzinfos=_ZONES)
                except (ValueError, OverflowError, TypeError, ArithmeticError):
                    return None
            if caught and dt.tzinfo is None:  # a zone named that no one can place
                dt = dt.replace(hour=default.hour, minute=default.minute,
                                second=default.second)
            pair.append(dt)
        first, second = pair
        if (first.year, first.month, first.day) != (second.year, second.month, second.day):
            return None  # year, month or day left out
        readings.append(first)
    if len({r.date() for r in readings}) > 1:
        return None  # 03/04/2017: March or April?
    first = readings[0]
    if str(first.year) not in text and not re.search(
        rf"(?<!\d){first.year % 100:02d}(?!\d)", text
    ):
        return None  # a year the text does not give ("0001" read as 2001)
    timed = pair[0].hour == pair[1].hour
    return (first if timed else first.replace(hour=0, minute=0, second=0, tzinfo=None)), not timed


def _signed_offset(m: re.Match[str]) -> str:
    return f"{m.group(1)}{int(m.group(2)):02d}{m.group(3) or '00'}"


def _zone_abbreviation(m: re.Match[str]) -> str:
    region = m.group(1)[0].upper()
    kind = (m.group(2) or "").lower()
    return f"{region}{'S' if kind == 'standard' else 'D' if kind == 'daylight' else ''}T"


def _zones() -> dict[str, tzinfo]:
    """:data:`ZONE_NAMES` as tzinfo objects (dateutil's ``tzinfos``)."""
    zones: dict[str, tzinfo] = {}
    for name, known in ZONE_NAMES.items():
        if isinstance(known, int):
            zones[name] = timezone(timedelta(seconds=known)) if known else UTC
            continue
        try:
            from zoneinfo import ZoneInfo

            zones[name] = ZoneInfo(known)
        except (ImportError, LookupError, ValueError, OSError):
            log.debug("no time-zone data for %s: times in %s keep only their day", known, name)
    return zones


_ZONES = _zones()


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
    or before :data:`MIN_YEAR` are ignored.
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
