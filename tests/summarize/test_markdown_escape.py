"""``show --format md`` escapes every field, so a Markdown renderer makes no live tag,
attribute or javascript: link of an article's id, outlet, title or URL; ordinary text stays
readable (no ``\\(`` or ``000\\_b0e8``)."""

from __future__ import annotations

import re

import markdown_it
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.records import (
    Article,
    Brief,
    Conflict,
    ConflictSide,
    Entity,
    Fact,
    Omission,
    Quote,
    SummarySentence,
    TimelineEvent,
)
from newsfold.summarize import render_html, render_markdown

HOSTILE = [
    "<script>alert(1)</script>", '"><svg onload=alert(1)>', "<javascript:alert(1)>",
    "[x](javascript:alert(1))", "![i](javascript:alert(1))", "`x` <img src=x onerror=alert(1)> `",
    "- item\n# heading\n\n<b>bold</b>", "~~~\n<script>", "1. one", "> quote", "[x]: javascript:y",
    "<a href='javascript:alert(1)'>a</a>", "&lt;script&gt;", "\x00<script>\x00", "``<i>``",
]
ALLOWED_TAGS = {"h1", "h2", "p", "ul", "li", "em", "strong", "code", "a"}


def _brief(values: list[str], urls: list[str | None]) -> Brief:
    arts = [Article(id=v, title=v, text="t", url=u, source=v, published=v,
                    duplicate_of=v) for v, u in zip(values, urls, strict=True)]
    return Brief(
        id=values[0], headline=values[-1], articles=arts,
        summary=[SummarySentence(v, [v], v) for v in values],
        facts=[Fact(v, [v], [v], "agreed", [v]) for v in values],
        conflicts=[Conflict(v, [ConflictSide(v, v, [v])], v) for v in values],
        quotes=[Quote(v, v, [v], v + " said") for v in values],
        entities=[Entity(v, "person", [v], 1) for v in values],
        timeline=[TimelineEvent(v, v, [v], v) for v in values],
        omitted=[Omission(v, "timeline", v) for v in values],
    )


def assert_inert(md: str) -> None:
    for options in ({"html": True}, {"html": False}):
        html = markdown_it.MarkdownIt("commonmark", options).enable("table").render(md)
        tags = set(re.findall(r"<\s*([A-Za-z][\w-]*)", html))
        assert tags <= ALLOWED_TAGS, (tags, md)
        assert not re.search(r"<[A-Za-z][^>]*\son\w+\s*=", html)
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.lower().startswith(("http://", "https://")), href


def test_hostile_fields_render_inert() -> None:
    urls: list[str | None] = ["javascript:alert(1)", 'http://x"><svg onload=alert(1)>',
                              "https://e.org/a b<script>", " javascript:alert(1)",
                              "data:text/html,<script>"] + [None] * (len(HOSTILE) - 5)
    md = render_markdown(_brief(HOSTILE, urls))
    assert_inert(md)
    html = render_html(_brief(HOSTILE, urls))
    assert "<script>" not in html and "\x00" not in html and "javascript:" not in re.sub(
        r">[^<]*<", "><", html)


def test_ordinary_text_stays_readable() -> None:
    values = ["000_b0e822d6a9f2215a", "Law360 (subscription)", "U.S. troops: 100,000 (est.)"]
    md = render_markdown(_brief(values, ["https://www.law360.com/a_b?x=1&y=(2)", None, None]))
    assert "`000_b0e822d6a9f2215a`" in md and "[000_b0e822d6a9f2215a]" in md
    assert "Law360 (subscription)" in md and "\\(" not in md and "\\_" not in md
    assert "<https://www.law360.com/a_b?x=1&y=(2)>" in md


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet=list("<>[]()`*_!#:-~&;\"'= \n\\/ajsvcript1@."), max_size=40)
                | st.text(max_size=20), min_size=1, max_size=4))
def test_any_field_renders_inert(values: list[str]) -> None:
    assert_inert(render_markdown(_brief(values, [v or None for v in values])))
