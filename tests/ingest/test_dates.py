"""Publication dates: parsing, bounding undated texts from the dates they mention, and
resolving relative words against a known publication date."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfold import read_articles
from newsfold.ingest.dates import (
    DATELINE_DATE,
    SENTENCE_DATELINE,
    WEEKDAY_DATELINE,
    WIRE_DATELINE_TAIL,
    bound_from_text,
    full_dates,
    normalize_date,
    resolve_relative,
)

from ..conftest import EXAMPLES, SEED_IDS

NOW = datetime(2024, 6, 1, tzinfo=UTC)
CAPTION = (
    "WASHINGTON, DC - DECEMBER 27: President Joe Biden and the White House COVID-19 Response "
    "Team participate in a virtual call on Monday, Dec. 27, 2021 in Washington, DC."
)


def test_normalize_keeps_time_and_offset_and_rejects_absurd_dates() -> None:
    assert normalize_date("2019-07-30T13:16:29-0400") == "2019-07-30T13:16:29-04:00"
    assert normalize_date("2019-07-30T17:16:29Z") == "2019-07-30T17:16:29+00:00"
    assert normalize_date("Tue, 30 Jul 2019 13:16:29 -0400") == "2019-07-30T13:16:29-04:00"
    assert normalize_date("2019-07-30 13:16") == "2019-07-30T13:16:00"
    assert normalize_date("2019-07-30") == "2019-07-30"
    assert normalize_date("2024-06-03", now=NOW) is None  # two days ahead: the future
    assert normalize_date("2024-06-02", now=NOW) == "2024-06-02"  # a day's slack (time zones)
    assert normalize_date("1799-12-31") is None and normalize_date("1850-05-01") == "1850-05-01"
    assert normalize_date("yesterday") is None and normalize_date("") is None


def test_full_dates_and_bound_take_the_latest_explicit_date() -> None:
    text = CAPTION + " Biden warned him in a Dec. 7 video call; talks start on 10 January 2022."
    assert full_dates(text, now=NOW) == [("Dec. 27, 2021", "2021-12-27"),
                                         ("10 January 2022", "2022-01-10")]
    assert bound_from_text(text, now=NOW) == "2022-01-10"
    # a mention in the future of "now" bounds nothing; a year-less "Dec. 7" is no full date
    assert bound_from_text("The trial opens on March 3, 2031.", now=NOW) is None
    assert bound_from_text("He spoke on Dec. 7 and again on Thursday.", now=NOW) is None


def test_seed_003_gets_a_lower_bound_from_its_caption_and_no_date() -> None:
    result = read_articles([EXAMPLES / f"{SEED_IDS[1]}.txt", EXAMPLES / f"{SEED_IDS[0]}.txt"])
    by_id = {a.id: a for a in result.articles}
    seed003, seed000 = by_id[SEED_IDS[1]], by_id[SEED_IDS[0]]
    # the caption that mentions the date is removed from the text, but the bound survives
    assert "Dec. 27, 2021" not in seed003.text
    assert seed003.published is None
    assert seed003.metadata["published_not_before"] == "2021-12-27"
    # 000 mentions only year-less dates ("Dec. 7", "Jan. 10"): no bound, no date
    assert seed000.published is None and "published_not_before" not in seed000.metadata


def test_relative_words_resolve_against_the_publication_date() -> None:
    text = (EXAMPLES / f"{SEED_IDS[1]}.txt").read_text(encoding="utf-8")
    found = resolve_relative(text, "2021-12-30T17:00:00-05:00")  # a Thursday
    by_text = {(r["text"], r["date"]) for r in found}
    assert ("Thursday", "2021-12-30") in by_text  # the day itself
    assert ("Wednesday", "2021-12-29") in by_text
    assert ("Dec. 7", "2021-12-07") in by_text and ("Jan. 10", "2022-01-10") in by_text
    assert ("this week", "2021-12-27") in by_text  # the week's Monday
    assert all(r["resolved_from"] == "2021-12-30" for r in found)
    # the weekday of an explicit date is not resolved ("Monday, Dec. 27, 2021")
    assert [r["text"] for r in found].count("Monday") == 1


def test_relative_qualifiers_and_day_words() -> None:
    pub = "2021-12-30"  # Thursday
    got = {r["text"]: r["date"] for r in resolve_relative(
        "Officials met yesterday and last Thursday; the vote will be held Friday. "
        "Talks resume next week, after last month's collapse.", pub)}
    assert got["yesterday"] == "2021-12-29"
    assert got["last Thursday"] == "2021-12-23"
    assert got["Friday"] == "2021-12-31"  # "will be held": the coming Friday
    assert got["next week"] == "2022-01-03"
    assert got["last month"] == "2021-11-01"
    assert resolve_relative("They met on Thursday.", None) == []
    assert resolve_relative("They met on Thursday.", "not a date") == []


def test_dateline_patterns_each_match_their_own_form() -> None:
    # a line that is only a date, weekday or not, day first or month first
    assert DATELINE_DATE.fullmatch("Monday, June 1, 2009")
    assert DATELINE_DATE.fullmatch("1 June 2009")
    assert not DATELINE_DATE.fullmatch("Monday, June 1, 2009 The council met")
    # a weekday date opening a paragraph, glued on or not; a bare date is not one
    glued = WEEKDAY_DATELINE.match("Tuesday, January 18, 2005Through a telethon, the island")
    assert glued is not None and glued[0] == "Tuesday, January 18, 2005"
    assert not WEEKDAY_DATELINE.match("June 1, 2009 The council met")
    # a dateline before a sentence, with its space: weekday date or wire dateline in capitals
    for opening in ("Saturday, March 26, 2005 ", "WASHINGTON (Reuters) - ",
                    "BEIJING, Jan. 5 (Xinhua) ",
                    "NICKEL MINES, Pennsylvania 2006-10-02 17:24 UTC "):
        found = SENTENCE_DATELINE.match(opening + "Up to four times as many")
        assert found is not None and found[0] == opening
    assert not SENTENCE_DATELINE.match("Washington said on Monday it would act.")
    # what follows the date of a wire dateline, not a date in the story's sentences
    assert WIRE_DATELINE_TAIL.match(" (Xinhua) -- China's exports rose")
    assert WIRE_DATELINE_TAIL.match(", 2005 (AP) -- Police said")
    assert not WIRE_DATELINE_TAIL.match(", when the bridge reopened")
