"""extract_html on real pages of trafilatura's evaluation set, and on pages with no article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfold.errors import ExtractionError
from newsfold.ingest.html import MAX_HTML_BYTES, ExtractedPage, extract_html
from newsfold.records import parse_iso

HTML = Path(__file__).resolve().parents[1] / "data" / "html"
GOLD = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _page(name: str) -> ExtractedPage:
    return extract_html((HTML / name).read_text(encoding="utf-8"), url=GOLD[name]["url"],
                        origin=name)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_gold_snippets(name: str) -> None:
    page = _page(name)
    text = _norm(page.text)
    for snippet in GOLD[name]["with"]:
        assert _norm(snippet) in text, snippet
    for snippet in GOLD[name]["without"]:
        assert _norm(snippet) not in text, snippet
    assert page.title
    assert page.published and parse_iso(page.published) is not None
    assert page.url and page.url.startswith("https://")
    assert "\n\n" in page.text


def test_threatpost_metadata() -> None:
    page = _page("threatpost-android-ransomware.html")
    assert page.title == "Android Ransomware Spreads Via 'Sex Simulation Game' Links on Reddit, SMS"
    assert page.published == "2019-07-30T13:16:29-04:00"  # full time with offset, from the meta
    assert page.source == "Threatpost"
    assert page.author == "Lindsey O'Donnell"
    assert page.language == "en"


def test_timesofisrael_promo_line_removed() -> None:
    page = _page("timesofisrael-washington.html")
    assert any(r.kind == "promo" for r in page.removed)
    assert "Get The Times of Israel" not in page.text
    assert page.source is None  # no og:site_name; the host-name fallback is not a name


def test_msn_link_and_promo_lines_removed() -> None:
    page = _page("msn-student-halls.html")
    kinds = {r.kind for r in page.removed}
    assert {"link", "promo"} <= kinds
    assert "Download the Microsoft News app" not in page.text


def test_deterministic() -> None:
    a = _page("threatpost-android-ransomware.html")
    b = _page("threatpost-android-ransomware.html")
    assert a == b


@pytest.mark.parametrize("html", ["", "   \n", "<html><head></head><body></body></html>"])
def test_empty_page_raises(html: str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_html(html, origin="empty.html")
    assert info.value.item == "empty.html"


def test_page_without_body_raises() -> None:
    html = (
        "<html><head><title>Archive | Example News</title>"
        '<meta property="article:published_time" content="2020-01-10T09:00:00-05:00"></head>'
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<footer>Privacy policy</footer></body></html>"
    )
    with pytest.raises(ExtractionError) as info:
        extract_html(html, origin="nobody.html")
    assert "no article text" in info.value.reason


def test_huge_page_is_refused_without_parsing() -> None:
    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    huge = real * (MAX_HTML_BYTES // len(real.encode("utf-8")) + 1)
    with pytest.raises(ExtractionError) as info:
        extract_html(huge, origin="huge.html")
    assert "too large" in info.value.reason


def test_future_and_ancient_dates_are_rejected() -> None:
    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    for bad in ("2999-01-01T00:00:00+00:00", "1850-05-01T00:00:00+00:00"):
        html = real.replace("2019-07-30T13:16:29-04:00", bad)
        assert bad in html
        page = extract_html(html, origin="t.html")
        assert page.published != bad
        assert page.published is None or page.published.startswith("2019")


def test_huge_dom_ends_in_bounded_time() -> None:
    """A big page (many blocks, under the size cap) ends quickly: no second opinion on it."""
    import time

    from newsfold.ingest.html import SECOND_OPINION_MAX_BYTES

    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    filler = "<div><a href='/x'>Menu item</a> <span>teaser</span></div>" * 60_000
    html = real.replace("</body>", filler + "</body>")
    assert SECOND_OPINION_MAX_BYTES < len(html.encode("utf-8")) < MAX_HTML_BYTES
    start = time.perf_counter()
    page = extract_html(html, origin="big.html")
    assert time.perf_counter() - start < 30
    assert GOLD["threatpost-android-ransomware.html"]["with"][0].split()[0] in page.text


def test_related_link_headlines_are_dropped() -> None:
    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    page = _page("threatpost-android-ransomware.html")
    assert all(r.text for r in page.removed)
    assert "<a" in real  # anchors exist; link-text lines never survive as whole paragraphs
    for r in page.removed:
        if r.kind == "link":
            assert r.text not in page.text.split("\n\n")
