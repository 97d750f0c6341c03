"""The coverage chart's time axis (newsfold.web.chart): round steps at any span, distinct
labels, nothing past either end; and the chart of the example stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsfold.api import Newsfold
from newsfold.web.chart import CHAR_EM, NARROW, WIDE, coverage_chart, time_axis

START = datetime(2014, 3, 10, 17, 58, 40, tzinfo=UTC)  # the Mt. Gox story's first report


def _labels(span: timedelta, max_ticks: int = 6) -> list[str]:
    axis = time_axis([START, START + span / 3, START + span], max_ticks)
    assert axis is not None
    # the axis covers every time, starts and ends on a tick, and ticks are evenly spaced
    assert axis.start <= START and axis.end >= START + span
    assert axis.ticks[0].at == axis.start and axis.ticks[-1].at >= START + span
    assert 2 <= len(axis.ticks) <= max_ticks
    labels = [t.label for t in axis.ticks]
    assert len(set(labels)) == len(labels), labels
    return labels


def test_three_minutes_reads_clock_times_with_the_day_once() -> None:
    labels = _labels(timedelta(minutes=3))
    assert labels == ["17:58", "17:59", "18:00", "18:01", "18:02"]
    axis = time_axis([START, START + timedelta(minutes=3)])
    assert axis is not None and axis.caption == "10 Mar 2014, UTC"


def test_seconds_apart() -> None:
    assert _labels(timedelta(seconds=2)) == ["17:58:40", "17:58:41", "17:58:42"]


def test_five_hours_reads_round_hours_and_names_midnight() -> None:
    assert _labels(timedelta(hours=5)) == ["16:00", "18:00", "20:00", "22:00", "11 Mar"]


def test_a_day_boundary_is_named() -> None:
    assert _labels(timedelta(hours=10)) == ["15:00", "18:00", "21:00", "11 Mar", "03:00", "06:00"]
    axis = time_axis([START, START + timedelta(hours=10)])
    assert axis is not None and axis.caption == "10–11 Mar 2014, UTC"


def test_four_days_reads_days() -> None:
    assert _labels(timedelta(days=4)) == ["10 Mar", "11 Mar", "12 Mar", "13 Mar", "14 Mar", "15 Mar"]
    axis = time_axis([START, START + timedelta(days=4)])
    assert axis is not None and axis.caption == "2014"


def test_three_months_reads_months_with_the_year_once() -> None:
    labels = _labels(timedelta(days=91))
    assert labels == ["Mar", "Apr", "May", "Jun", "Jul"]
    axis = time_axis([START, START + timedelta(days=91)])
    assert axis is not None and axis.caption == "2014"


def test_three_years_reads_years() -> None:
    assert _labels(timedelta(days=3 * 365)) == ["2014", "2015", "2016", "2017", "2018"]
    axis = time_axis([START, START + timedelta(days=3 * 365)])
    assert axis is not None and axis.caption == ""


def test_months_across_a_new_year() -> None:
    assert _labels(timedelta(days=280)) == ["Mar", "May", "Jul", "Sep", "Nov", "2015"]


def test_repeating_short_labels_say_their_day() -> None:
    # twelve-hour steps over two days would read "12:00" thrice: each says its day instead
    assert _labels(timedelta(hours=40), max_ticks=5) == [
        "10 Mar 12:00", "11 Mar 00:00", "11 Mar 12:00", "12 Mar 00:00", "12 Mar 12:00"]
    # quarters over two years would read "Apr" twice: each says its year instead
    assert _labels(timedelta(days=300)) == [
        "Jan 2014", "Apr 2014", "Jul 2014", "Oct 2014", "Jan 2015", "Apr 2015"]


def test_single_time_and_no_time() -> None:
    axis = time_axis([START])
    assert axis is not None and [t.label for t in axis.ticks] == ["10 Mar 2014, 17:58 UTC"]
    assert axis.x(START, 0, 100) == 50  # in the middle
    day = datetime(2009, 6, 1, tzinfo=UTC)
    one_day = time_axis([day, day], date_only=True)
    assert one_day is not None and [t.label for t in one_day.ticks] == ["1 Jun 2009"]
    assert time_axis([]) is None


def test_centuries_stay_inside_the_calendar() -> None:
    axis = time_axis([datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)])
    assert axis is not None and len(axis.ticks) >= 2


@pytest.fixture(scope="module")
def briefs(web_db: str) -> list:  # type: ignore[type-arg]
    with Newsfold(web_db) as nf:
        return [nf.brief(s.id) for s in nf.stories()]


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
def test_example_charts_keep_every_label_inside(briefs: list, layout) -> None:  # type: ignore[no-untyped-def,type-arg]
    dated = undated = 0
    for brief in briefs:
        chart = coverage_chart(brief.articles, lambda k: k, layout)
        assert chart["width"] == layout.width
        for tick in chart["ticks"]:
            half = len(tick["label"]) * CHAR_EM * layout.tick_font / 2
            assert tick["text_x"] - half >= 0 and tick["text_x"] + half <= layout.width
        for row in chart["rows"]:
            assert len(row["label"]) <= layout.max_label
            for dot in row["dots"]:
                assert layout.plot_x0 <= dot["x"] <= layout.plot_x1
        labels = [t["label"] for t in chart["ticks"]]
        assert len(set(labels)) == len(labels)
        if chart["dated"]:
            dated += 1
        else:
            undated += 1
            assert all(r["bar"] > 0 for r in chart["rows"])
    assert dated and undated  # the examples hold both kinds


def test_dots_that_overlap_are_drawn_once_and_counted() -> None:
    """A wire story copied by one outlet's many feeds within minutes, among reports over a
    month: the crowded dots of a row become one dot whose tooltip counts them."""
    from newsfold.records import Article

    burst = [Article(id=f"b{k}", title="Mt. Gox files for bankruptcy", text="",
                     source="Reuters", published=(START + timedelta(seconds=20 * k)).isoformat())
             for k in range(40)]
    late = Article(id="late", title="Mt. Gox creditors meet", text="", source="Reuters",
                   published=(START + timedelta(days=30)).isoformat())
    chart = coverage_chart([*burst, late], lambda k: k, WIDE)
    [row] = chart["rows"]
    assert sum(d["n"] for d in row["dots"]) == 41
    assert len(row["dots"]) == 2
    crowd = row["dots"][0]
    assert crowd["n"] == 40 and crowd["title"].startswith("Reuters: 40 articles, 10 Mar 2014")
    assert crowd["href"] == "b0" and row["dots"][1]["href"] == "late"
