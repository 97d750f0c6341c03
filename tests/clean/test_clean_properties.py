"""The cleaners take any text and give text, never an exception (property-based,
deterministic and fast)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import classify_paragraph, clean_page_text, clean_text, clean_title
from newsfold.records import CleanResult

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True)
_PIECES = st.sampled_from([
    "<script>alert(1)</script>", "<b>", "&amp;", "&#0;", "\x00", "\u202e", "View original post",
    "Advertisement", "Photo: AP", "http://example.org/x", "\n", "\n\n", "|", "©", "—", "“", "…",
    "The council voted on Tuesday.", "Share this:", "1" + "0" * 400, " ", "\t", "\r\n",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=40).map("".join))


@PROPERTY
@given(text=TEXTS, title=st.one_of(st.none(), TEXTS))
def test_clean_text_gives_text(text: str, title: str | None) -> None:
    result = clean_text(text, title)
    assert isinstance(result, CleanResult) and isinstance(result.text, str)
    assert result.title is None or isinstance(result.title, str)


@PROPERTY
@given(text=TEXTS)
def test_title_paragraph_and_page_cleaners_give_text(text: str) -> None:
    assert isinstance(clean_title(text), str)
    kind, _why = classify_paragraph(text)
    assert kind is None or isinstance(kind, str)
    page = clean_page_text(text)
    assert isinstance(page if isinstance(page, str) else page.text, str)
