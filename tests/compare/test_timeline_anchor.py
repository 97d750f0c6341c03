"""Undated articles: the story's dates, or the bound a date in the text gives, place a month
and day in its year (the seeds: the Dec. 7 video call of 2021, the Jan. 10 Geneva talks of 2022)."""

from __future__ import annotations

from newsfold import read_articles
from newsfold.compare import compare
from newsfold.summarize.render import resolved_words

from ..conftest import EXAMPLES, SEED_IDS


def test_seed_timeline_is_placed_in_years_by_the_caption_bound() -> None:
    read = read_articles([EXAMPLES / f"{i}.txt" for i in SEED_IDS])
    assert [a.published for a in read.articles] == [None, None]
    assert read.articles[1].metadata["published_not_before"] == "2021-12-27"
    events = {t.date: t for t in compare(read.articles).timeline}
    assert "Dec. 7" in events["2021-12-07"].text
    assert "Jan. 10" in events["2022-01-10"].text
    assert set(events["2022-01-10"].articles) == set(SEED_IDS)
    talks = events["2022-01-10"]
    assert (talks.resolved_from, talks.resolved_by) == ("2021-12-27", "text")
    assert resolved_words(talks) == "counted from a date in the article's text, 27 Dec 2021"
    assert not any(d.startswith("--") for d in events)

