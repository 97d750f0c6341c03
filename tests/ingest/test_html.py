"""extract_html on real pages of trafilatura's evaluation set, and on pages with no article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfold.errors import ExtractionError
from newsfold.ingest.html import (
    MAX_HTML_BYTES,
    ExtractedPage,
    HtmlParams,
    _language,
    _pick_title,
    _published,
    clean_author,
    extract_html,
)
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
    # no og:site_name: the title's " | The Times of Israel" names the host, so it is the
    # outlet, and it leaves the headline
    assert page.source == "The Times of Israel"
    assert page.title == ("State of Washington swears in first Native American-Jewish Supreme "
                          "Court justice")


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


def test_fast_params_skip_trafilatura_comparison() -> None:
    """On a short text the comparison with readability/jusText runs (here it joins the span
    runs into one paragraph); ``HtmlParams(fast=True)`` keeps the fast pass's paragraphs."""
    paras = [
        "The city council voted on Tuesday to extend the tram network to the northern districts.",
        "The plan has been debated for more than a decade and will cost about 400 million euros.",
        "Construction of the first section is due to start next spring, the mayor told reporters.",
        "Opponents say the money would be better spent on buses, which can be rerouted easily.",
    ]
    html = ("<html><head><title>Tram plan approved</title></head><body><div id='content'>"
            + "".join(f"<span>{p}</span>" for p in paras) + "</div></body></html>")
    assert extract_html(html, origin="tram.html").text == "".join(paras)
    fast = extract_html(html, origin="tram.html", params=HtmlParams(fast=True))
    assert fast.text == "\n\n".join(paras)


def test_huge_page_is_refused_without_parsing() -> None:
    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    huge = real * (MAX_HTML_BYTES // len(real.encode("utf-8")) + 1)
    with pytest.raises(ExtractionError) as info:
        extract_html(huge, origin="huge.html")
    assert "too large" in info.value.reason


def test_future_and_ancient_dates_are_rejected() -> None:
    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    for bad in ("2999-01-01T00:00:00+00:00", "1750-05-01T00:00:00+00:00"):
        html = real.replace("2019-07-30T13:16:29-04:00", bad)
        assert bad in html
        page = extract_html(html, origin="t.html")
        assert page.published != bad
        assert page.published is None or page.published.startswith("2019")


@pytest.mark.slow
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


TELEGRAPH = ("https://www.telegraph.co.uk/news/uknews/law-and-order/9209302/"
             "Plumber-jailed-after-boiler-killed-millionaires-daughter.html")


def test_junk_title_falls_back_to_og_title() -> None:
    """A Telegraph page of the dev set: trafilatura's title was "escenic" (a CMS name)."""
    og = "Plumber jailed after boiler killed millionaire's daughter"
    assert _pick_title("escenic", [og, og], "The Telegraph", TELEGRAPH) == (og, None)
    # a real headline is kept; a " | Site" suffix naming the site goes
    assert _pick_title(f"{og} | The Telegraph", [og], "The Telegraph", TELEGRAPH)[0] == og
    # no site name known: a suffix naming the host gives the outlet too
    assert _pick_title(f"{og} - Telegraph", [], None, TELEGRAPH) == (og, "Telegraph")
    # a suffix that does not name the host stays (it may be part of the headline)
    assert _pick_title("Cats vs dogs - the verdict", [], None, TELEGRAPH)[0] == (
        "Cats vs dogs - the verdict")
    # a one-word title kept when the alternative only wraps it in site furniture
    assert _pick_title("Ischgl", ["Trails! Ischgl"], None, "https://trails.de/x")[0] == "Ischgl"
    assert _pick_title("DimidoBlog", ["Was ist Virales Marketing? | DimidoBlog"], "DimidoBlog",
                       "https://www.dimido.de/x")[0] == "Was ist Virales Marketing?"


def test_bylines_lose_junk_and_list_people() -> None:
    assert clean_author("By Staff | Updated") is None
    assert clean_author("By AP | Published 3:04 PM") == "AP"
    assert clean_author("Staff Writer") is None
    assert clean_author("Editorial Staff") is None
    assert clean_author("Jane Roe jane.roe@example.com") is None
    assert clean_author("By Jane Roe and John Doe") == "Jane Roe, John Doe"
    assert clean_author("Marcus Bensmann; Justus von Daniels; Ulrich Stoll") == (
        "Marcus Bensmann, Justus von Daniels, Ulrich Stoll")
    assert clean_author("View all posts by Daniel Lemire") == "Daniel Lemire"
    assert clean_author("Rob Picheta; CNN", "CNN") == "Rob Picheta"
    assert clean_author("Deutsche Wirtschaftsnachrichten", "Deutsche Wirtschaftsnachrichten") == (
        "Deutsche Wirtschaftsnachrichten")  # a blog by its own name keeps it
    assert clean_author("Lindsey O'Donnell; Lindsey O'Donnell") == "Lindsey O'Donnell"
    assert clean_author(None) is None and clean_author("  ") is None


def test_language_codes() -> None:
    assert _language("en-GB") == "en" and _language("de_DE") == "de" and _language("FR") == "fr"
    assert _language("lang=") is None and _language("") is None


def test_published_prefers_the_candidate_with_a_time_for_the_same_day() -> None:
    assert _published(["2021-12-30", "2021-12-30T15:35:00-05:00"], None) == (
        "2021-12-30T15:35:00-05:00")
    assert _published(["2021-12-30", "2021-12-29T15:35:00-05:00"], None) == "2021-12-30"
    assert _published(["2999-01-01T00:00:00Z", "garbage"], "2020-02-03") == "2020-02-03"
    assert _published([], None) is None


def test_meta_and_time_elements_give_time_and_offset() -> None:
    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    url = GOLD["threatpost-android-ransomware.html"]["url"]
    ld = '"datePublished":"2019-07-30T13:16:29-04:00"'
    assert ld in real
    bare = real.replace(ld, '"datePublished":"not a date"')
    meta = '<meta property="article:published_time" content="2019-07-30T17:16:29Z"></head>'
    page = extract_html(bare.replace("</head>", meta, 1), url=url, origin="meta.html")
    assert page.published == "2019-07-30T17:16:29+00:00"
    timed = '<body><time itemprop="datePublished" datetime="2019-07-30T19:16:29+0200">x</time>'
    page = extract_html(bare.replace("<body", timed + "<div", 1).replace(
        "</body>", "</div></body>", 1), url=url, origin="time.html")
    assert page.published == "2019-07-30T19:16:29+02:00"


def test_soft_hyphens_are_removed_from_the_text() -> None:
    real = (HTML / "threatpost-android-ransomware.html").read_text(encoding="utf-8")
    word = "ransomware"
    html = real.replace(f" {word} ", " ransom&shy;ware ", 3)
    assert "&shy;" in html
    page = extract_html(html, origin="shy.html")
    assert "\xad" not in page.text and f" {word} " in page.text


DBJR = "https://www.dbjr.de/artikel/bundespraesident-wuerdigte-das-ehrenamtliche-engagement/"


def test_lead_that_trafilatura_leaves_out_is_added() -> None:
    """dbjr.de: trafilatura's text starts at the second paragraph; the whole page's article
    lines give the lead, which goes before it. The gold snippets of the dev set hold."""
    html = (HTML / "dbjr-bundespraesident.html").read_text(encoding="utf-8")
    page = extract_html(html, url=DBJR, origin="dbjr.html")
    lead = page.text.find("Bundespräsident Frank-Walter Steinmeier lädt jedes Jahr")
    second = page.text.find("Der Bundespräsident würdigte das ehrenamtliche Engagement der")
    assert 0 <= lead < second
    for snippet in ("Steinmeier lädt jedes Jahr", "Zum Empfang kamen", "Er bat darum"):
        assert snippet in page.text
    for snippet in ("10178 Berlin", "Themen: Ehrenamt Jugendverbände", "Datenschutz"):
        assert snippet not in page.text
    assert page.published == "2020-01-23" and page.source == "Deutscher Bundesjugendring"


def test_add_lead_takes_only_long_prose_just_before_the_body() -> None:
    from newsfold.ingest.html import _add_lead

    lead = ("Bundespräsident Frank-Walter Steinmeier lädt jedes Jahr zum Neujahrsempfang ins "
            "Schloss Bellevue. Unter den Repräsentanten des öffentlichen Lebens war auch unser "
            "Vorsitzender Tobias Köck.")
    body = ("Der Bundespräsident würdigte das ehrenamtliche Engagement der jungen Menschen in "
            "den Jugendverbänden und Jugendringen.")
    topics = "Themen: Ehrenamt Jugendverbände"
    page_lines = [topics, lead, body]
    assert _add_lead(body, page_lines, set()) == f"{lead}\n{body}"
    assert _add_lead(body, page_lines, {lead}) == body  # a link's text is no lead
    assert _add_lead(body, [lead, topics, body], set()) == f"{lead}\n{body}"
    assert _add_lead(body, [topics, body], set()) == body  # a short line is no lead
    assert _add_lead(body, [body, lead], set()) == body  # only lines before the body


def test_page_text_when_trafilatura_keeps_none() -> None:
    from newsfold.ingest.html import _page_text

    lines = ["Startseite",
             "Der Bundespräsident würdigte das ehrenamtliche Engagement der jungen Menschen in "
             "den Jugendverbänden und Jugendringen. Tobias Köck machte im kurzen Gespräch mit "
             "Frank-Walter Steinmeier klar, dass Jugendbeteiligung sehr wichtig und ausbaufähig "
             "ist.",
             "Zum Empfang kamen auch die Mitglieder der Bundesregierung. Unser Vorsitzender "
             "nutzte die Gelegenheit, um mit Bundeskanzlerin Angela Merkel und "
             "Bundesjugendministerin Franziska Giffey über die Jugendstrategie zu sprechen."]
    assert _page_text(lines, {"Startseite"}) == "\n".join(lines[1:])
    assert _page_text(lines[:2], set()) == ""  # 31 words: too little to be the article
    assert _page_text(["Startseite", "Themen: Ehrenamt Jugendverbände"], set()) == ""


def test_trafilatura_comparison_runs_only_on_short_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura's comparison with readability/jusText (its slow part) runs when the fast
    pass finds little text, not on a full article."""
    import newsfold.ingest.html as H

    calls: list[bool] = []
    real = H._trafilatura_body

    def spy(tree: object, url: str | None, where: str, *, fast: bool) -> object:
        calls.append(fast)
        return real(tree, url, where, fast=fast)

    monkeypatch.setattr(H, "_trafilatura_body", spy)
    _page("threatpost-android-ransomware.html")
    assert calls == [True]
    calls.clear()
    html = (HTML / "dbjr-bundespraesident.html").read_text(encoding="utf-8")
    start = html.index("Der Bundespräsident würdigte das ehrenamtliche Engagement der")
    short = ("<html><body><article><p>" + html[start:html.index("</p>", start)]
             + "</p></article></body></html>")
    extract_html(short, origin="short.html")
    assert calls == [True, False]


def test_htmldate_runs_only_when_the_markup_gives_no_date(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import newsfold.ingest.html as H

    calls: list[str | None] = []
    real = H._htmldate

    def spy(tree: object, url: str | None) -> str | None:
        calls.append(url)
        return real(tree, url)

    monkeypatch.setattr(H, "_htmldate", spy)
    page = _page("threatpost-android-ransomware.html")
    assert calls == [] and page.published == "2019-07-30T13:16:29-04:00"
    msn = _page("msn-student-halls.html")  # no date in its markup
    assert len(calls) == 1 and msn.published == "2020-10-02"


def test_flatten_wrapped_source_lines_stay_one_line() -> None:
    """A paragraph wrapped around a link in the HTML source is one line; a <pre> block keeps
    its lines. Excerpts of two pages of the dev set: bike-magazin.de-strava.html
    (https://www.bike-magazin.de/mtb_news/szene_news/strava-update-poi-bei-routen) and
    fouryears.eu.interning.html
    (http://fouryears.eu/2019/10/21/interning-of-small-integers-in-python/)."""
    from newsfold.ingest.html import flatten_html

    para = ('<p>Mitte Januar 2022 hat \n                <a href="https://www.bike-magazin.de/'
            'tag/strava" class="external" target="_blank">Strava</a>\n\n\n ein Update für sein '
            'Routen-Tool ausgerollt, das speziell die Karten der Trainings- und '
            'Tracking-Plattform betrifft.</p>')
    pre = ('<pre class="EnlighterJSRAW" data-enlighter-language="python">import ctypes\n'
           'def deref(addr, type_):\n    return ctypes.cast(addr, ctypes.POINTER(type_))</pre>')
    text = flatten_html(f"<html><body>{para}{pre}<!-- x --><script>var a;</script></body></html>")
    assert text.splitlines() == [
        "Mitte Januar 2022 hat Strava ein Update für sein Routen-Tool ausgerollt, das speziell "
        "die Karten der Trainings- und Tracking-Plattform betrifft.",
        "import ctypes", "def deref(addr, type_):",
        "return ctypes.cast(addr, ctypes.POINTER(type_))",
    ]


def test_flatten_fallback_walk_gives_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python walk (used when libxslt fails) gives what the XSLT gives, and neither
    changes the tree."""
    from lxml import etree
    from trafilatura.utils import load_html

    import newsfold.ingest.html as H

    html = (HTML / "msn-student-halls.html").read_text(encoding="utf-8")
    tree = load_html(html)
    before = etree.tostring(tree)
    fast = H.flatten_html(tree)
    assert etree.tostring(tree) == before
    monkeypatch.setattr(H, "_flat_text_xslt", lambda root: None)
    assert H.flatten_html(tree) == fast
    assert etree.tostring(tree) == before
    assert len(fast.splitlines()) > 50
