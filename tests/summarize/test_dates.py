"""Dates as a reader reads them (newsfold.summarize.dates), on the values the example articles
and their timelines hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsfold.summarize.dates import absolute, machine, relative, shown, span_text

STAMP = "2014-03-10T19:25:37.784000+00:00"  # an example article's publication time
NOW = datetime(2014, 3, 10, 22, 40, tzinfo=UTC)


@pytest.mark.parametrize(("value", "text"), [
    (STAMP, "10 Mar 2014, 19:25 UTC"),
    ("2021-12-30T20:35:00+00:00", "30 Dec 2021, 20:35 UTC"),
    ("2014-03-10T19:25:37-05:00", "11 Mar 2014, 00:25 UTC"),  # shown in UTC
    ("2014-03-10T19:25:37Z", "10 Mar 2014, 19:25 UTC"),
    ("2009-06-02", "2 Jun 2009"),
    ("--11-06", "6 Nov (year not given)"),
    ("2009-06", "Jun 2009"),
    ("2009", "2009"),
    ("not a date", "not a date"),
    ("--13-45", "--13-45"),
    ("2009-13", "2009-13"),
    ("", ""),
    (None, ""),
])
def test_absolute(value: str | None, text: str) -> None:
    assert absolute(value) == text


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(seconds=20), "just now"),
    (timedelta(minutes=1, seconds=5), "1 minute ago"),
    (timedelta(minutes=42), "42 minutes ago"),
    (timedelta(hours=3, minutes=15), "3 hours ago"),
    (timedelta(hours=26), "yesterday"),
    (timedelta(days=4), "4 days ago"),
    (timedelta(days=30), None),          # old: absolute instead
    (timedelta(hours=-2), None),         # in the future: absolute instead
])
def test_relative_timestamps(delta: timedelta, text: str | None) -> None:
    value = (NOW - delta).isoformat()
    assert relative(value, NOW) == text


def test_relative_dates_and_partials() -> None:
    assert relative("2014-03-10", NOW) == "today"
    assert relative("2014-03-09", NOW) == "yesterday"
    assert relative("2014-03-07", NOW) == "3 days ago"
    assert relative("2014-01-07", NOW) is None
    for partial in ("--03-10", "2014-03", "2014", "junk", None):
        assert relative(partial, NOW) is None


def test_shown_keeps_the_exact_value_for_the_time_element() -> None:
    recent = shown(STAMP, NOW)
    assert recent.text == "3 hours ago" and recent.exact == STAMP
    assert recent.machine == "2014-03-10T19:25:37Z"
    old = shown(STAMP, NOW + timedelta(days=400))
    assert old.text == "10 Mar 2014, 19:25 UTC"
    assert shown(STAMP).text == "10 Mar 2014, 19:25 UTC"  # no clock: never relative
    assert machine("--11-06") == "11-06" and machine("2009-06") == "2009-06"
    assert machine("2009") == "2009" and machine("junk") == ""


def test_span_says_the_shared_parts_once() -> None:
    assert span_text("2014-03-10T17:58:40+00:00", "2014-03-10T19:25:37+00:00") == \
        "10 Mar 2014, 17:58–19:25 UTC"
    assert span_text("2009-06-01", "2009-07-30") == "1 Jun – 30 Jul 2009"
    assert span_text("2009-06-01", "2009-06-30") == "1–30 Jun 2009"
    assert span_text("2007-03-23", "2008-04-05") == "23 Mar 2007 – 5 Apr 2008"
    assert span_text("2009-06-01", "2009-06-01") == "1 Jun 2009"
    assert span_text(None, None) == "" and span_text("2009-06-01", None) == "1 Jun 2009"
