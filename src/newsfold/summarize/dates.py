"""Dates as a reader reads them: "30 Dec 2021, 20:35 UTC", "30 Dec 2021", "3 hours ago",
"Jun 2009", "6 Nov (year not given)".

Pure functions over the ISO 8601 values the records hold (a timestamp with its offset, a date,
or a timeline's partial date: ``2009-06``, ``2009``, ``--11-06`` when the year is unknown).
Times are shown in UTC, to the minute. The relative forms take ``now`` as an argument, so the
same value and the same ``now`` always read the same. A value that is not a date is given back
as it is, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from newsfold.records import parse_iso

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEARLESS = re.compile(r"^--(\d{2})-(\d{2})$")

RECENT_DAYS = 7
"""Values up to this many days old read relative ("3 days ago"); older ones read absolute."""


@dataclass(frozen=True, slots=True)
class Shown:
    """A date as a page shows it: ``text`` to read, ``machine`` for ``<time datetime>`` (a
    valid HTML date, month, year, yearless date or UTC timestamp, or "" when there is none)
    and ``exact``, the value as stored."""

    text: str
    machine: str
    exact: str


def is_date_only(value: str | None) -> bool:
    """Whether ``value`` is a calendar date without a time ("2009-06-02")."""
    return bool(value) and _DATE.match(value.strip()) is not None  # type: ignore[union-attr]


def day_text(d: date) -> str:
    """ "30 Dec 2021"."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def timestamp_text(dt: datetime) -> str:
    """ "30 Dec 2021, 20:35 UTC" (the time converted to UTC)."""
    dt = dt.astimezone(UTC)
    return f"{day_text(dt.date())}, {dt:%H:%M} UTC"


@lru_cache(maxsize=8192)
def absolute(value: str | None) -> str:
    """``value`` as an absolute date: a timestamp "30 Dec 2021, 20:35 UTC", a date
    "30 Dec 2021", a partial date "Jun 2009", "2009" or "6 Nov (year not given)"; anything else
    as it is ("" for None)."""
    if not value:
        return ""
    text = value.strip()
    partial = _partial(text)
    if partial is not None:
        return partial
    dt = parse_iso(text)
    if dt is None:
        return value
    if _DATE.match(text):
        return day_text(dt.date())
    return timestamp_text(dt)


def _partial(text: str) -> str | None:
    """A date-only or partial value read out, or None when it is neither."""
    if m := _DATE.match(text):
        try:
            return day_text(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return None
    if m := _MONTH.match(text):
        month = int(m[2])
        return f"{MONTHS[month - 1]} {m[1]}" if 1 <= month <= 12 else None
    if _YEAR.match(text):
        return text
    if m := _YEARLESS.match(text):
        month, day = int(m[1]), int(m[2])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{day} {MONTHS[month - 1]} (year not given)"
    return None


def relative(value: str | None, now: datetime) -> str | None:
    """``value`` relative to ``now`` when it is recent ("just now", "5 minutes ago",
    "3 hours ago", "today", "yesterday", "4 days ago"), else None (older than
    :data:`RECENT_DAYS`, in the future, or not a full date)."""
    if not value:
        return None
    text = value.strip()
    dt = parse_iso(text)
    if dt is None:
        return None
    now = now.astimezone(UTC)
    days = (now.date() - dt.date()).days
    if _DATE.match(text):
        if days < 0 or days > RECENT_DAYS:
            return None
        return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
    seconds = (now - dt).total_seconds()
    if seconds < 0 or days > RECENT_DAYS:
        return None
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return _count(int(seconds // 60), "minute") + " ago"
    if seconds < 86400:
        return _count(int(seconds // 3600), "hour") + " ago"
    return "yesterday" if days <= 1 else f"{days} days ago"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@lru_cache(maxsize=8192)
def machine(value: str | None) -> str:
    """``value`` as an HTML ``<time datetime>`` value: a timestamp in UTC
    ("2021-12-30T20:35:37Z"), a date, month or year as it is, a yearless date as "11-06"; ""
    when it is not a date."""
    if not value:
        return ""
    text = value.strip()
    if _DATE.match(text) or _MONTH.match(text) or _YEAR.match(text):
        return text if _partial(text) is not None else ""
    if m := _YEARLESS.match(text):
        return f"{m[1]}-{m[2]}" if _partial(text) is not None else ""
    dt = parse_iso(text)
    if dt is None:
        return ""
    return dt.isoformat(timespec="seconds").replace("+00:00", "Z")


def shown(value: str | None, now: datetime | None = None) -> Shown:
    """How a page shows ``value``: relative when ``now`` is given and the value is recent,
    else absolute (:func:`absolute`)."""
    text = (relative(value, now) if now is not None else None) or absolute(value)
    return Shown(text=text, machine=machine(value), exact=(value or "").strip())


def span_text(first: str | None, last: str | None) -> str:
    """Two values as one range, saying the shared day or year once: "10 Mar 2014, 17:58–19:25
    UTC", "1–30 Jun 2009", "1 Jun – 30 Jul 2009", "23 Mar 2007 – 5 Apr 2008"; one value when
    both read the same; "" when neither is a date."""
    a, b = absolute(first), absolute(last)
    if not a or not b or a == b:
        return a or b
    da, db = parse_iso(first), parse_iso(last)
    if da is None or db is None:
        return f"{a} – {b}"
    date_a, date_b = is_date_only(first), is_date_only(last)
    if not date_a and not date_b and da.date() == db.date():
        return f"{day_text(da.date())}, {da:%H:%M}–{db:%H:%M} UTC"
    if date_a and date_b and da.year == db.year:
        if da.month == db.month:
            return f"{da.day}–{db.day} {MONTHS[da.month - 1]} {da.year}"
        return f"{da.day} {MONTHS[da.month - 1]} – {day_text(db.date())}"
    return f"{a} – {b}"
