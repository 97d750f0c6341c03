"""A brief is robust to any single article: a stage that fails for one article leaves that
article out of that part alone, says so, and any article gives a Brief."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsfold.compare as compare_mod
from newsfold.compare import MAX_SENTENCES, MAX_TEXT_CHARS, Stages
from newsfold.errors import NewsfoldError
from newsfold.records import Article, Brief
from newsfold.summarize import build_brief, render_html, render_markdown
from tests.summarize.briefdata import A003, seed_articles

PROPERTY = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def test_a_stage_that_fails_for_one_article_leaves_only_it_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = compare_mod.find_timeline

    def fragile(sa):  # type: ignore[no-untyped-def]
        if any(a.id == A003 for a in sa.articles):
            raise OverflowError("date value out of range")
        return real(sa)

    monkeypatch.setattr(compare_mod, "find_timeline", fragile)
    brief = build_brief("s", seed_articles())
    assert [(o.article, o.stage) for o in brief.omitted] == [(A003, "timeline")]
    assert brief.omitted[0].reason == "OverflowError: date value out of range"
    assert brief.timeline and all(A003 not in t.articles for t in brief.timeline)
    assert brief.summary and brief.facts  # the other parts still read both reports
    note = "1 article left out of the timeline: " + A003
    assert note in render_markdown(brief).replace("\\", "")
    assert note in render_html(brief)
    assert brief.to_dict()["omitted"] == [
        {"article": A003, "stage": "timeline", "reason": "OverflowError: date value out of range"}]


def test_a_sound_brief_has_no_omitted_key() -> None:
    brief = build_brief("s", seed_articles())
    assert brief.omitted == [] and "omitted" not in brief.to_dict()


def test_articles_failing_only_together_are_added_one_by_one() -> None:
    arts = [Article(id=f"a{k}", title="t", text="x") for k in range(4)]
    stages = Stages(arts)

    def stage(group: list[Article]) -> list[str]:
        ids = [a.id for a in group]
        if "a1" in ids and "a2" in ids:
            raise ValueError("a1 with a2")
        return ids

    assert stages.run("quotes", stages.articles, stage, list) == ["a0", "a1", "a3"]
    assert [(o.article, o.stage) for o in stages.omitted] == [("a2", "quotes")]


def test_newsfold_errors_are_not_blamed_on_an_article() -> None:
    stages = Stages([Article(id="a", title="t", text="x")])

    def stage(group: list[Article]) -> int:
        raise NewsfoldError("the store cannot be read")

    with pytest.raises(NewsfoldError):
        stages.run("entities", stages.articles, stage, int)


def test_over_long_texts_are_read_in_part() -> None:
    long_one = Article(id="long", title="t", text="Word salad here. " * 40_000)
    stages = Stages([long_one])
    text = stages.articles[0].text
    assert len(text) <= MAX_TEXT_CHARS and text.endswith("here.")
    assert text.count("here.") <= MAX_SENTENCES
    assert [(o.article, o.stage) for o in stages.omitted] == [("long", "text")]
    assert long_one.text.count("here.") == 40_000  # the caller's article is left as it was


_DATES = st.one_of(
    st.none(), st.text(max_size=30),
    st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01T00:00:00+05:00",
                     "9999-12-31T23:00:00-05:00", "2021-02-30", "1e400", ""]),
    st.datetimes().map(lambda d: d.isoformat()),
)
_TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(["Thursday", "Dec. 7", "Monday, February 30, 2021", "1" + "0" * 400,
                              "said", "will meet", ".", "\n\n", "\x00", "“", "$", "100,000",
                              "troops", "Putin", "Biden", "on", "last", "next", " "]),
             max_size=80).map(" ".join),
)


@PROPERTY
@given(text=_TEXTS, title=st.text(max_size=80), published=_DATES, source=st.text(max_size=20))
def test_any_article_gives_a_brief(text: str, title: str, published: str | None,
                                   source: str) -> None:
    odd = Article(id="odd", title=title, text=text, source=source or None, published=published)
    brief = build_brief("s", [*seed_articles(), odd], 80)
    assert isinstance(brief, Brief)
    json.dumps(brief.to_dict())
    render_html(brief)
    md = render_markdown(brief)
    assert not re.search(r"(?m)^#+ .*\bodd\b", md)  # nothing the article says makes a heading


@PROPERTY
@given(articles=st.lists(st.builds(Article, id=st.text(min_size=1, max_size=8),
                                   title=st.text(max_size=30), text=_TEXTS,
                                   published=_DATES), max_size=4, unique_by=lambda a: a.id))
def test_any_story_gives_a_brief_or_a_newsfold_error(articles: list[Article]) -> None:
    try:
        brief = build_brief("s", articles, 60)
    except NewsfoldError:
        return
    render_markdown(brief)
    render_html(brief)
