"""A sentence an article repeats word for word (a scraper's or an editor's repeat) counts once:
the brief never states it twice."""

from __future__ import annotations

from newsfold import read_articles
from newsfold.compare import analyze
from newsfold.summarize import build_brief

from ..conftest import EXAMPLES

REPEATED = ("With ballot-harvesting, paper votes are collected by intermediaries who deliver "
            "them to polling officials, presumably increasing voter turnout but also creating "
            "opportunities for mischief.")


def test_a_sentence_repeated_in_its_article_is_one_unit_and_said_once() -> None:
    story = [a for a in read_articles([EXAMPLES / "allsides.jsonl"]).articles
             if a.id.startswith("train-0005-")]
    assert [a.id for a in story] == ["train-0005-0", "train-0005-1", "train-0005-2"]
    assert story[0].text.count(REPEATED) == 2  # the NeuS row repeats its lead
    sa = analyze(story)
    assert [u.text for u in sa.units if u.article == 0].count(REPEATED) == 1
    brief = build_brief("s", story)
    assert [s.text for s in brief.summary].count(REPEATED) <= 1
    assert [f.text for f in brief.facts].count(REPEATED) == 1
