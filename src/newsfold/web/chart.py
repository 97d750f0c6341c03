"""The story page's coverage chart (outlets over time) laid out as SVG numbers.

:func:`time_axis` picks round tick steps for any span, from seconds to centuries ("17:58",
"18:00" with the day said once below; "10 Mar"; "Jun", "Jul" with the year below; "2009"),
and widens the axis to whole steps so no dot and no label falls off either end.
:func:`coverage_chart` lays the rows out for one of two widths: ``wide`` puts each outlet's
name left of its row, ``narrow`` (a phone) above it; the page draws both and CSS shows one.
Times are UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from newsfold.records import Article, parse_iso
from newsfold.summarize.dates import MONTHS, absolute, day_text, is_date_only

MAX_CHART_OUTLETS = 14
"""Outlet rows in the coverage chart; the rest share one row."""

CHAR_EM = 0.64
"""Width of a character of the chart's font (DejaVu Sans, digits 0.636 em), to keep labels
inside the chart."""

_FIXED = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_STEPS: tuple[tuple[str, int], ...] = (
    ("second", 1), ("second", 2), ("second", 5), ("second", 10), ("second", 15), ("second", 30),
    ("minute", 1), ("minute", 2), ("minute", 5), ("minute", 10), ("minute", 15), ("minute", 30),
    ("hour", 1), ("hour", 2), ("hour", 3), ("hour", 6), ("hour", 12),
    ("day", 1), ("day", 2), ("week", 1), ("week", 2),
    ("month", 1), ("month", 2), ("month", 3), ("month", 6),
    ("year", 1), ("year", 2), ("year", 5), ("year", 10), ("year", 20), ("year", 50),
    ("year", 100), ("year", 200), ("year", 500), ("year", 1000), ("year", 2000),
)
_MONDAY = 4 * 86400
"""1970-01-05, the first Monday after the epoch: weeks start on Mondays."""


@dataclass(frozen=True, slots=True)
class Tick:
    at: datetime
    label: str


@dataclass(frozen=True, slots=True)
class Axis:
    """A time axis from ``start`` to ``end`` with its ticks, and ``caption``: what the tick
    labels leave out (the day of clock times, the year of days and months), "" when none."""

    start: datetime
    end: datetime
    ticks: list[Tick]
    caption: str = ""

    def x(self, t: datetime, x0: float, x1: float) -> float:
        """Where ``t`` falls between ``x0`` and ``x1``."""
        span = (self.end - self.start).total_seconds()
        return x0 + (x1 - x0) * ((t - self.start).total_seconds() / span if span else 0.5)


def _floor(t: datetime, unit: str, k: int) -> datetime:
    if unit in _FIXED:
        size = _FIXED[unit] * k
        offset = _MONDAY if unit == "week" else 0
        ts = int(t.timestamp())
        return datetime.fromtimestamp((ts - offset) // size * size + offset, UTC)
    if unit == "month":
        index = t.year * 12 + t.month - 1
        index -= index % k
        return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
    return datetime(max(1, t.year - t.year % k), 1, 1, tzinfo=UTC)


def _next(t: datetime, unit: str, k: int) -> datetime | None:
    """The tick after ``t``, None past the calendar's end (year 9999)."""
    try:
        if unit in _FIXED:
            return t + timedelta(seconds=_FIXED[unit] * k)
        if unit == "month":
            index = t.year * 12 + t.month - 1 + k
            return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
        return datetime(t.year + k - (t.year % k if t.year < k else 0), 1, 1, tzinfo=UTC)
    except (OverflowError, ValueError):
        return None


def _steps(lo: datetime, hi: datetime, unit: str, k: int, limit: int) -> list[datetime] | None:
    """Ticks of ``k`` ``unit``s from the last one at or before ``lo`` to the first one at or
    after ``hi``; None when more than ``limit`` are needed."""
    t: datetime | None = _floor(lo, unit, k)
    out: list[datetime] = []
    while t is not None:
        out.append(t)
        if len(out) > limit:
            return None
        if t >= hi:
            break
        t = _next(t, unit, k)
    return out


def _label(t: datetime, unit: str) -> str:
    midnight = t.hour == 0 and t.minute == 0 and t.second == 0
    if unit in ("second", "minute", "hour"):
        if midnight:
            return f"{t.day} {MONTHS[t.month - 1]}"
        return f"{t:%H:%M:%S}" if unit == "second" else f"{t:%H:%M}"
    if unit in ("day", "week"):
        return str(t.year) if (t.month, t.day) == (1, 1) else f"{t.day} {MONTHS[t.month - 1]}"
    if unit == "month":
        return str(t.year) if t.month == 1 else MONTHS[t.month - 1]
    return str(t.year)


def _full_label(t: datetime, unit: str) -> str:
    """A label that says its day (or year) too, for when the short ones repeat."""
    if unit in ("second", "minute", "hour"):
        clock = f"{t:%H:%M:%S}" if unit == "second" else f"{t:%H:%M}"
        return f"{t.day} {MONTHS[t.month - 1]} {clock}"
    if unit in ("day", "week"):
        return day_text(t.date())
    if unit == "month":
        return f"{MONTHS[t.month - 1]} {t.year}"
    return str(t.year)


def _caption(start: datetime, end: datetime, unit: str) -> str:
    if unit in ("second", "minute", "hour"):
        last = end - timedelta(microseconds=1) if end > start else end
        if start.date() == last.date():
            return f"{day_text(start.date())}, UTC"
        if (start.year, start.month) == (last.year, last.month):
            return f"{start.day}–{last.day} {MONTHS[start.month - 1]} {start.year}, UTC"
        return f"{day_text(start.date())} – {day_text(last.date())}, UTC"
    if unit in ("day", "week", "month"):
        last_year = (end - timedelta(microseconds=1)).year if end > start else end.year
        return str(start.year) if start.year == last_year else f"{start.year}–{last_year}"
    return ""


def time_axis(times: Sequence[datetime], max_ticks: int = 6,
              date_only: bool = False) -> Axis | None:
    """A time axis over ``times`` with at most ``max_ticks`` ticks (at least 2) at a round
    step, or None for no times. One distinct time gets one tick saying it whole, in the
    middle (``date_only``: the times are dates, so the day without a time)."""
    if not times:
        return None
    lo, hi = min(times), max(times)
    if lo == hi:
        label = day_text(lo.date()) if date_only else absolute(lo.isoformat())
        return Axis(lo - timedelta(hours=1), lo + timedelta(hours=1), [Tick(lo, label)])
    limit = max(2, max_ticks)
    for unit, k in _STEPS:
        found = _steps(lo, hi, unit, k, limit)
        if found is not None:
            break
    else:  # wider than any step: the two ends
        unit, found = "year", [_floor(lo, "year", 1), _floor(hi, "year", 1)]
    labels = [_label(t, unit) for t in found]
    start, end = found[0], max(found[-1], hi)
    caption = _caption(start, end, unit)
    if len(set(labels)) < len(labels):  # each says its day or year: no caption needed
        labels = [_full_label(t, unit) for t in found]
        caption = "UTC" if unit in ("second", "minute", "hour") else ""
    return Axis(start, end, [Tick(t, lab) for t, lab in zip(found, labels, strict=True)],
                caption)


@dataclass(slots=True)
class ChartRow:
    label: str
    y: float
    count: int
    dots: list[dict[str, Any]] = field(default_factory=list)
    bar: float = 0.0


@dataclass(frozen=True, slots=True)
class Layout:
    """The geometry of one of the chart's two forms (SVG user units, one per CSS pixel at the
    width the form is shown at)."""

    width: int
    plot_x0: int
    plot_x1: int
    row_h: int
    label_above: bool
    max_ticks: int
    max_label: int
    font: int = 13
    tick_font: int = 12


WIDE = Layout(width=760, plot_x0=262, plot_x1=724, row_h=28, label_above=False, max_ticks=7,
              max_label=30)
NARROW = Layout(width=360, plot_x0=22, plot_x1=338, row_h=44, label_above=True, max_ticks=4,
                max_label=44)


def _fit(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


DOT_MERGE = 3.0
"""Dots of one row closer than this (SVG units, under a dot's radius) are drawn as one, its
tooltip counting them: a row of hundreds of articles stays legible and light."""


def _runs(placed: list[tuple[float, Any, Article]]) -> list[list[tuple[float, Any, Article]]]:
    """``placed`` (sorted by x) cut into runs whose dots lie within :data:`DOT_MERGE` of the
    run's first."""
    runs: list[list[tuple[float, Any, Article]]] = []
    for p in placed:
        if runs and p[0] - runs[-1][0][0] < DOT_MERGE:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def coverage_chart(articles: list[Article], name: Callable[[str], str],
                   layout: Layout = WIDE,
                   href: Callable[[str], str] = lambda ident: ident) -> dict[str, Any]:
    """Outlets over time as SVG coordinates: one row per outlet (named by ``name`` from its
    key), one dot per article at its publication time linking to ``href(article id)``;
    undated stories get a bar per outlet (article count). At most :data:`MAX_CHART_OUTLETS`
    rows: the outlets with fewest articles share the last one."""
    order: dict[str, list[Article]] = {}
    for a in articles:
        order.setdefault(a.outlet, []).append(a)
    keys = list(order)
    groups: list[tuple[str, list[Article]]]
    if len(keys) > MAX_CHART_OUTLETS:
        keep = set(sorted(keys, key=lambda k: -len(order[k]))[:MAX_CHART_OUTLETS - 1])
        rest = [a for k in keys if k not in keep for a in order[k]]
        groups = [(name(k), order[k]) for k in keys if k in keep]
        groups.append((f"{len(keys) - len(keep)} other outlets", rest))
    else:
        groups = [(name(k), order[k]) for k in keys]
    stamps = {a.id: t for a in articles if (t := parse_iso(a.published)) is not None}
    date_only = all(is_date_only(a.published) for a in articles if a.id in stamps)
    axis = time_axis(list(stamps.values()), layout.max_ticks, date_only)
    lay = layout
    top = 6
    most = max((len(g) for _, g in groups), default=1)
    rows = []
    for k, (label, group) in enumerate(groups):
        y = top + k * lay.row_h
        count = f" ({len(group)})"
        row = ChartRow(label=_fit(label, lay.max_label - len(count)) + count, y=y,
                       count=len(group))
        row.bar = round((lay.plot_x1 - lay.plot_x0) * len(group) / most, 1)
        if axis is not None:
            placed = sorted(((round(axis.x(t, lay.plot_x0, lay.plot_x1), 1), t, a)
                             for a in group if (t := stamps.get(a.id)) is not None),
                            key=lambda p: (p[0], p[1], p[2].id))
            for run in _runs(placed):
                x, _, a = run[0]
                if len(run) == 1:
                    title = f"{label}, {absolute(a.published)}: {a.title or a.id}"
                else:
                    title = (f"{label}: {len(run)} articles, {absolute(a.published)} – "
                             f"{absolute(run[-1][2].published)}")
                row.dots.append({"x": x, "title": title, "href": href(a.id), "n": len(run)})
        rows.append(row)
    line = (lambda r: r.y + 30) if lay.label_above else (lambda r: r.y + 14)
    axis_y = top + len(rows) * lay.row_h + 4
    ticks = []
    if axis is not None:
        for tick in axis.ticks:
            x = axis.x(tick.at, lay.plot_x0, lay.plot_x1)
            half = len(tick.label) * CHAR_EM * lay.tick_font / 2
            text_x = min(max(x, half + 2), lay.width - half - 2)
            ticks.append({"x": round(x, 1), "text_x": round(text_x, 1), "label": tick.label})
    caption = axis.caption if axis is not None else ""
    height = axis_y + (22 if axis is not None else 0) + (18 if caption else 0) + 4
    return {
        "rows": [{"label": r.label, "y": r.y, "line_y": line(r), "text_y": r.y + 14
                  if lay.label_above else r.y + 18, "count": r.count, "dots": r.dots,
                  "bar": r.bar} for r in rows],
        "dated": axis is not None, "width": lay.width, "height": height,
        "x0": lay.plot_x0, "x1": lay.plot_x1, "label_x": 2 if lay.label_above
        else lay.plot_x0 - 12, "label_above": lay.label_above, "axis_y": axis_y,
        "ticks": ticks, "caption": caption, "caption_x": 2 if lay.label_above else lay.plot_x0,
        "grid_top": top, "undated": len(articles) - len(stamps),
    }
