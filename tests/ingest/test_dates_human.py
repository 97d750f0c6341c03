"""Publication dates as people and exports write them, the range a date must fall in, and
any string at all: an ISO date newsfold can use, or None, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsfold.ingest.dates import MIN_YEAR, normalize_date
from newsfold.records import parse_iso

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(("given_", "expected"), [
    # as news sites print them (time-zone abbreviations, a.m./p.m., words before the date)
    ("Aug 29, 2017 5:11 p.m. ET", "2017-08-29T17:11:00-04:00"),  # summer: EDT
    ("Jan 29, 2017 5:11 p.m. ET", "2017-01-29T17:11:00-05:00"),  # winter: EST
    ("August 29, 2017 11:45 a.m. Eastern Daylight Time", "2017-08-29T11:45:00-04:00"),
    ("Aug. 29, 2017 2:11 PM PT", "2017-08-29T14:11:00-07:00"),
    ("Tuesday 29 August 2017 17.11 BST", "2017-08-29T17:11:00+01:00"),
    ("Posted: Aug 29 2017 17:11 GMT", "2017-08-29T17:11:00+00:00"),
    ("Updated 29 Aug 2017, 17:11 GMT+2", "2017-08-29T17:11:00+02:00"),
    ("29 August 2017", "2017-08-29"),
    ("Monday, August 28, 2017 at 5pm", "2017-08-28T17:00:00"),
    ("29.08.2017", "2017-08-29"),
    ("2017/08/29", "2017-08-29"),
    ("13/04/2017", "2017-04-13"),  # only one reading
    # RFC 2822 (feeds) and ISO 8601
    ("Tue, 29 Aug 2017 21:11:00 +0000 (UTC)", "2017-08-29T21:11:00+00:00"),
    ("Wed, 02 Oct 2002 08:00:00 EST", "2002-10-02T08:00:00-05:00"),
    ("2017-08-29T17:11:00.123-0400", "2017-08-29T17:11:00-04:00"),
    ("2014-03-10T17:58:40.964000+00:00", "2014-03-10T17:58:40+00:00"),
    # the time of an unknown zone is dropped, the day kept
    ("Aug 29, 2017 5:11 p.m. XYZ", "2017-08-29"),
])
def test_common_human_formats(given_: str, expected: str) -> None:
    assert normalize_date(given_, now=NOW) == expected


@pytest.mark.parametrize("given_", [
    "0001-01-01T00:00:00",  # the "no date" of .NET systems
    "0001-01-01T00:00:00+05:00",
    "Mon, 1 Jan 0001 00:00:00 GMT",  # never read as 2001
    "Jan 1, 0001",
    "9999-12-31",
    "December 31, 9999 11:59 PM",
    "1799-12-31",
    "2024-06-03",  # two days after NOW
    "03/04/2017",  # March or April?
    "August 2017", "Tuesday", "10:30", "2017", "1504041060", "yesterday", "", "   ",
    "2017-08-29 10:00 +9999" + "x" * 200,
])
def test_no_date_is_invented(given_: str) -> None:
    assert normalize_date(given_, now=NOW) is None


def test_the_range_is_1800_to_a_day_ahead() -> None:
    assert MIN_YEAR == 1800
    assert normalize_date("1800-01-01", now=NOW) == "1800-01-01"
    assert normalize_date("12 June 1815", now=NOW) == "1815-06-12"
    assert normalize_date("2024-06-02", now=NOW) == "2024-06-02"


@hsettings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(
        ["Aug", "August", "29", "2017", "0001", "9999", "1800", ",", " ", ":", "5", "11", "p.m.",
         "PM", "ET", "GMT", "+", "-", "0400", "T", "Z", "/", ".", "Monday", "Posted:",
         "Eastern", "Daylight", "Time", "UTC", "+99", "(UTC)", "12", "31", "00"]),
        max_size=14).map("".join),
))
def test_any_string_is_a_usable_date_or_none(text: str) -> None:
    out = normalize_date(text, now=NOW)
    if out is None:
        return
    when = parse_iso(out)
    assert when is not None
    assert when.year >= MIN_YEAR - 1 and when <= NOW + timedelta(days=2)


@hsettings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(when=st.datetimes(min_value=datetime(1800, 1, 2), max_value=datetime(2024, 5, 30)),
       fmt=st.sampled_from(["%b %d, %Y %I:%M %p", "%d %B %Y %H:%M", "%A, %B %d, %Y %H:%M",
                            "%a, %d %b %Y %H:%M:%S", "%Y-%m-%d %H:%M"]),
       offset=st.sampled_from([None, 0, -4, 5, 9]))
def test_a_date_written_out_reads_back_as_itself(when: datetime, fmt: str,
                                                 offset: int | None) -> None:
    text = when.strftime(fmt)
    if offset is not None:
        text += f" {'+' if offset >= 0 else '-'}{abs(offset):02d}00"
    out = normalize_date(text, now=NOW)
    assert out is not None, text
    read = datetime.fromisoformat(out)
    assert read.replace(tzinfo=None) == when.replace(second=when.second if "%S" in fmt else 0,
                                                     microsecond=0)
    if offset is not None:
        assert read.utcoffset() == timezone(timedelta(hours=offset)).utcoffset(None)
