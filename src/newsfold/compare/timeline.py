"""Timeline: the dates a story's sentences mention, resolved to calendar dates when possible.

* A full date ("Monday, Dec. 27, 2021") is used as written.
* A month and day without a year ("Dec. 7", "Jan. 10") takes the year that puts it closest to
  the article's publication date (``resolved_from`` = that date, ``resolved_by`` =
  ``article``); in an undated article, the closest to the story's first report (``story``) or
  to the latest date its text shows it was written after (``text``); with neither it stays
  ``--MM-DD``.
* "last year", "next year" or "this year" beside a month and day ("June 1 last year") set its
  year from the publication date.
* A weekday ("Thursday") needs the publication date: the same or most recent such day, or the
  same or next one when its clause speaks of the future. The tense is the nearest tense word
  to the weekday in its sentence ("will", "scheduled", "plans to" against "was", "met",
  "ago"); a weekday right after a reporting verb ("said Wednesday") is past, and other
  reporting verbs are left out ("will meet on Thursday, he said" is future); "last" and
  "next" right before the weekday decide alone. Undated articles give no weekday events.

A stored publication time counts only from :data:`EARLIEST` to :data:`LATEST`
(:func:`publication_time`): a placeholder such as ``0001-01-01T00:00:00`` or ``9999-12-31``
makes its article undated here, and every date is resolved with bounded arithmetic, so no
stored value can raise.

Events of the same date from aligned sentences (one content group) are merged, citing every
article; at most ``PER_DATE`` events are kept per date (most articles first).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from newsfold.compare.align import StoryAnalysis, Unit
from newsfold.compare.anchors import weekday_mentions
from newsfold.records import TimelineEvent, parse_iso

PER_DATE = 3
EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""Publication times from EARLIEST up to (not including) LATEST date an article; others are
placeholders or typos. The range is fixed, not relative to today, so a brief of the same
articles is the same whenever it is built."""
SAME_EVENT = 0.25
"""TF-IDF cosine at which two sentences giving one date report one event."""
_TENSE_RE = re.compile(
    r"(?P<future>\b(?:will|won[’']t|shall|(?:is|are) (?:going )?to|scheduled|set to|set for|"
    r"plans? to|planning to|expected to|upcoming|due to|to be held|would)\b|[’']ll\b)"
    r"|(?P<past>\b(?:was|were|had|did|ago|earlier|last|"
    r"died|killed|began|came|went|took|held|met|made|found|left|[a-z]{3,}ed)\b)",
    re.IGNORECASE,
)
"""Words that set the tense of a clause: future ones first, so "scheduled" is not a past
"-ed". Reporting verbs are left out: "said" belongs to the attribution, not the clause."""
_REPORTED_RE = re.compile(
    r"\b(?:said|says|told|announced|reported|stated|added|confirmed)\b"
    r"(?P<between>(?:\s+[a-z]+){0,4})\s+$")
"""A weekday right after a reporting verb ("said Wednesday", "told reporters on Wednesday",
"said in a statement on Wednesday") dates the report: past."""
_YEAR_WORD_RE = re.compile(r"^\W{0,3}(?:of\s+)?(last|next|this)\s+year\b", re.IGNORECASE)
_YEAR_SHIFT = {"last": -1, "next": 1, "this": 0}


def publication_time(value: object) -> datetime | None:
    """A stored publication time (ISO 8601) as an aware UTC datetime, or None when it is
    missing, unreadable, or outside :data:`EARLIEST`..:data:`LATEST`."""
    if not isinstance(value, str):
        return None
    try:
        dt = parse_iso(value)
    except (OverflowError, ValueError):  # an offset past year 1 or 9999
        return None
    return dt if dt is not None and EARLIEST <= dt < LATEST else None


def implausible(value: object) -> bool:
    """Whether a stored publication time reads as a time but lies outside
    :data:`EARLIEST`..:data:`LATEST` (a placeholder such as ``0001-01-01T00:00:00``), or is
    not text at all. Missing and unreadable values are not: they already date nothing."""
    if value is None:
        return False
    if not isinstance(value, str):
        return True
    try:
        return parse_iso(value) is not None and publication_time(value) is None
    except (OverflowError, ValueError):
        return True


def publication_date(value: object) -> date | None:
    """The UTC calendar date of :func:`publication_time`."""
    dt = publication_time(value)
    return dt.date() if dt is not None else None


def _shift(d: date, days: int) -> date | None:
    """``d`` moved by ``days``, or None past the calendar's ends."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None


def _closest_year(month: int, day: int, pub: date) -> date | None:
    best: date | None = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:  # also a year outside 1..9999
            continue
        if best is None or abs((d - pub).days) < abs((best - pub).days):
            best = d
    return best


def _future(text: str, offset: int, length: int) -> bool:
    """Whether the nearest tense word to the weekday at ``text[offset:offset+length]`` is a
    future one (none at all: past, news reports what happened)."""
    reported = _REPORTED_RE.search(text[max(0, offset - 40):offset])
    if reported and not _TENSE_RE.search(reported.group("between")):
        return False
    best: tuple[int, bool] | None = None
    for m in _TENSE_RE.finditer(text):
        if offset <= m.start() < offset + length:
            continue
        gap = offset - m.end() if m.end() <= offset else m.start() - (offset + length)
        if best is None or gap < best[0]:
            best = (gap, m.group("future") is not None)
    return best is not None and best[1]


def _weekday(wd: int, pub: date, text: str, offset: int, length: int = 0) -> date | None:
    """The day a weekday word names, from the publication date (None past the calendar)."""
    before = text[max(0, offset - 12):offset].lower().split()
    if "last" in before:
        return _shift(pub, -((pub.weekday() - wd) % 7 or 7))
    if "next" in before or _future(text, offset, length):
        return _shift(pub, (wd - pub.weekday()) % 7)
    return _shift(pub, -((pub.weekday() - wd) % 7))


Resolved = tuple[str, str] | None
"""A relative date's anchor: (ISO date, ``article`` | ``story`` | ``text``), see
:class:`~newsfold.records.TimelineEvent`; None for a date written in full."""


def _story_anchor(sa: StoryAnalysis) -> tuple[date | None, str | None]:
    """The earliest publication date among the story's articles (``story``), else the latest
    lower bound that an undated article's text gives (``published_not_before``, ``text``)."""
    dates = [d for d in (publication_date(a.published) for a in sa.articles) if d is not None]
    if dates:
        return min(dates), "story"
    bounds = [d for d in (publication_date(a.metadata.get("published_not_before"))
                          for a in sa.articles) if d is not None]
    if bounds:
        return max(bounds), "text"
    return None, None


def _unit_dates(sa: StoryAnalysis, u: Unit, anchor: date | None,
                anchor_from: str | None) -> list[tuple[str, Resolved]]:
    """(ISO date or ``--MM-DD``, what it was resolved from) of each date a sentence gives."""
    art = sa.articles[u.article]
    pub = publication_date(art.published)
    by_pub: Resolved = (pub.isoformat(), "article") if pub else None
    by_anchor: Resolved = (anchor.isoformat(), anchor_from or "story") if anchor else None
    found: list[tuple[str, Resolved]] = []
    date_spans = []
    for a in u.info.anchors:
        if a.kind != "date":
            continue
        date_spans.append(a.start)
        month, day = (int(x) for x in a.value.split("-"))
        if a.year:
            try:
                found.append((date(a.year, month, day).isoformat(), None))
            except ValueError:
                continue
        elif pub and (shift := _YEAR_WORD_RE.match(u.text[a.end:])):
            try:
                shifted = date(pub.year + _YEAR_SHIFT[shift.group(1).lower()], month, day)
            except ValueError:
                continue
            found.append((shifted.isoformat(), by_pub))
        elif pub:
            d = _closest_year(month, day, pub)
            if d:
                found.append((d.isoformat(), by_pub))
        elif anchor:
            # Undated article: the story's own dates (or the bound its text gives) place
            # a month and day in a year; weekdays need the exact day and stay unresolved.
            d = _closest_year(month, day, anchor)
            if d:
                found.append((d.isoformat(), by_anchor))
        else:
            found.append((f"--{a.value}", None))
    if pub:
        for wd, surface, off in weekday_mentions(u.text):
            if any(0 <= s - (off + len(surface)) <= 3 for s in date_spans):
                continue  # "Monday, Dec. 27": the date says it
            named = _weekday(wd, pub, u.text, off, len(surface))
            if named is not None:
                found.append((named.isoformat(), by_pub))
    return found


def reported_date(sa: StoryAnalysis, idx: int) -> date | None:
    """The latest date on or before its article's publication that sentence ``idx`` gives:
    the day by which what it reports had happened (None for an undated article or no date)."""
    pub = publication_date(sa.articles[sa.units[idx].article].published)
    if pub is None:
        return None
    days = [date.fromisoformat(iso) for iso, _ in _unit_dates(sa, sa.units[idx], None, None)
            if not iso.startswith("--")]
    past = [d for d in days if d <= pub]
    return max(past) if past else None


def not_before(sa: StoryAnalysis, idx: int, articles: set[int]) -> set[int]:
    """``articles`` less those published before the day sentence ``idx`` reports something
    happened: an earlier article cannot have reported it (its own article is kept)."""
    day = reported_date(sa, idx)
    if day is None:
        return articles
    own = sa.units[idx].article

    def early(a: int) -> bool:
        pub = publication_date(sa.articles[a].published)
        return pub is not None and pub < day

    return {a for a in articles if a == own or not early(a)}


def find_timeline(sa: StoryAnalysis) -> list[TimelineEvent]:
    # (date, cluster) -> [text, articles, resolved_from, first unit]
    events: dict[tuple[str, int], tuple[str, set[int], Resolved, int]] = {}
    anchor, anchor_from = _story_anchor(sa)
    for u in sa.units:
        if not u.usable:
            continue
        found = _unit_dates(sa, u, anchor, anchor_from)
        for iso, resolved in dict.fromkeys(found):
            key = (iso, sa.cluster_of[u.idx])
            if key in events:
                text, arts, res, first = events[key]
                arts.add(u.article)
                events[key] = (text, arts, res or resolved, first)
            else:
                events[key] = (u.text, {u.article}, resolved, u.idx)
    # One event per row: sentences of one date in other content groups that share the
    # event's words (TF-IDF cosine SAME_EVENT) join the row reporting it most widely.
    per_date: dict[str, list[tuple[str, set[int], Resolved, int]]] = {}
    for (iso, _c), ev in sorted(events.items(), key=lambda kv: (-len(kv[1][1]), kv[1][3])):
        rows_of_date = per_date.setdefault(iso, [])
        for k, (text, arts, resolved, first) in enumerate(rows_of_date):
            if float(sa.sim[first, ev[3]]) >= SAME_EVENT:
                rows_of_date[k] = (text, arts | ev[1], resolved or ev[2], first)
                break
        else:
            rows_of_date.append((ev[0], set(ev[1]), ev[2], ev[3]))
    by_date: dict[str, list[tuple[int, int, TimelineEvent]]] = {}
    for iso, merged in per_date.items():
        for text, arts, resolved, first in merged:
            unit = sa.units[first]
            by_date.setdefault(iso, []).append((
                -len(sa.outlets(arts)), unit.article * 10_000 + unit.position,
                TimelineEvent(iso, text, sa.ids(arts), *(resolved or (None, None))),
            ))
    out: list[TimelineEvent] = []
    for iso in sorted(by_date):
        rows = sorted(by_date[iso], key=lambda r: (r[0], r[1]))[:PER_DATE]
        out.extend(r[2] for r in sorted(rows, key=lambda r: r[1]))
    return out
