"""Any stored publication time is survived by the date arithmetic.

A placeholder (``0001-01-01T00:00:00``, ``9999-12-31``) dates nothing: its article is
undated for the timeline, ``not_before`` and coverage, and weekdays beside it resolve to no
day rather than raising ``OverflowError``."""

from __future__ import annotations

from datetime import date

import pytest

from newsfold.compare import compare
from newsfold.compare.anchors import find_anchors
from newsfold.compare.timeline import _weekday, publication_date, publication_time
from newsfold.records import Article

TEXT = ("The council met on Sunday to approve the budget for the new harbour, officials said. "
        "It will meet again on Saturday to vote on the remaining harbour projects.")


@pytest.mark.parametrize("published", [
    "0001-01-01T00:00:00", "0001-01-01", "9999-12-31T23:59:59", "9999-12-31",
    "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "1799-12-31", "2200-01-01",
])
def test_placeholder_dates_date_nothing(published: str) -> None:
    assert publication_time(published) is None and publication_date(published) is None
    alone = compare([Article(id="a", title="", text=TEXT, source="x", published=published)])
    assert alone.timeline == []  # undated: weekdays give no day
    assert alone.coverage["outlets"][0]["first_published"] is None
    real = Article(id="b", title="", text=TEXT, source="y", published="2021-06-02")
    story = compare([Article(id="a", title="", text=TEXT, source="x", published=published),
                     real])
    assert {t.date for t in story.timeline} == {"2021-05-30", "2021-06-05"}
    assert story.coverage["first_report"] == "b"
    # Nothing failed (the arithmetic itself is bounded); a placeholder is read as no date
    # (and said so when it reads as a time at all: with an offset past year 1 it does not).
    assert [(o.article, o.stage) for o in story.omitted] in ([], [("a", "date")])
    if "+" not in published and "-05:00" not in published:
        assert [o.reason for o in story.omitted] == [
            f"publication time {published!r} is outside 1800–2199; read as undated"]


def test_weekday_arithmetic_stops_at_the_calendar_ends() -> None:
    assert _weekday(6, date(1, 1, 1), "on Sunday", 3, 6) is None  # the Sunday before year 1
    assert _weekday(5, date(9999, 12, 31), "will meet on Saturday", 13, 8) is None
    assert _weekday(0, date(1, 1, 1), "on Monday", 3, 6) == date(1, 1, 1)


def test_ordinary_dates_are_kept() -> None:
    assert publication_date("2021-12-30T23:30:00-05:00") == date(2021, 12, 31)
    assert publication_date("1800-01-01") == date(1800, 1, 1)
    assert publication_date(None) is None and publication_date(20211230) is None


def test_a_number_past_float_range_is_no_anchor() -> None:
    anchors = find_anchors("Officials counted " + "1" + "0" * 400 + " troops and 5,000 tanks.")
    assert [a.value for a in anchors] == ["5000"]
