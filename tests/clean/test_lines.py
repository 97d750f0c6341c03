"""clean_page_text on whole real pages flattened to text, and the multilingual debris rules."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from newsfold.clean import (
    build_corpus_stats,
    classify_paragraph,
    clean_page_text,
    clean_pages,
    clean_text,
)
from newsfold.ingest.html import flatten_html

DATA = Path(__file__).resolve().parents[1] / "data"
HTML = DATA / "html"
GOLD = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))
DEBRIS = json.loads((DATA / "clean" / "multilingual-debris.json").read_text(encoding="utf-8"))


def _flat(name: str) -> str:
    return flatten_html((HTML / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(GOLD))
def test_whole_page_keeps_the_article(name: str) -> None:
    page = _flat(name)
    result = clean_page_text(page)
    for snippet in GOLD[name]["with"]:
        assert snippet in result.text, snippet
    # the menus, footers and share bars go, each recorded
    assert len(result.text) < len(page)
    assert len(result.removed) >= 20 and all(r.text for r in result.removed)


def test_msn_page_drops_menus_and_promos() -> None:
    result = clean_page_text(_flat("msn-student-halls.html"))
    for snippet in GOLD["msn-student-halls.html"]["without"]:
        assert snippet not in result.text
    kinds = {r.kind for r in result.removed}
    assert "outside-body" in kinds


def test_repetition_across_an_outlet_marks_boilerplate() -> None:
    body = ("The council approved the budget on Tuesday after a long debate, "
            "and the mayor said the vote showed the city could agree on hard choices.")
    footer = "Subscribe to our morning briefing for local news you can trust every day"
    ends = ["It passed.", "Critics objected.", "A recount follows."]
    pages = [f"Home\nNews\n{body} {end}\n{footer}" for end in ends]
    urls = [f"https://example.org/story-{i}" for i in range(3)]
    stats = build_corpus_stats(pages, urls)
    result = clean_page_text(pages[0], corpus_stats=stats, url=urls[0])
    assert body in result.text and "Home" not in result.text and footer not in result.text
    assert any(r.kind == "boilerplate" and r.text == footer for r in result.removed)


def test_clean_pages_cleans_the_batch_together() -> None:
    names = sorted(GOLD)
    pages = [_flat(name) for name in names] + [(DATA / "clean" / n).read_text(encoding="utf-8")
                                               for n in ("gleaner-victims.txt", "tpg-alaska.txt")]
    urls = [f"https://{name.split('-')[0]}.example/a" for name in names] + [None, None]
    stats = build_corpus_stats(pages, urls)
    results = clean_pages(pages, urls)
    assert [r.text for r in results] == [
        clean_page_text(page, corpus_stats=stats, url=url).text for page, url in zip(pages, urls, strict=True)
    ]
    for name, result in zip(names, results[:len(names)], strict=True):
        assert all(snippet in result.text for snippet in GOLD[name]["with"])
    assert gc.isenabled()  # the collector, paused for the batch, is back on


def test_wire_paragraphs_repeated_across_outlets_are_kept() -> None:
    para = ("The central bank raised its key rate by a quarter point on Wednesday, "
            "its third increase this year, citing persistent inflation in services.")
    pages = [f"Menu\n{para}\nFooter {i}" for i in range(30)]
    stats = build_corpus_stats(pages, [f"https://outlet{i}.example/x" for i in range(30)])
    assert para in clean_page_text(pages[0], corpus_stats=stats).text


def test_empty_input() -> None:
    assert clean_page_text("").text == ""
    assert clean_page_text("\n  \n").removed == []


@pytest.mark.parametrize("item", DEBRIS["debris"], ids=lambda d: d["page"])
def test_multilingual_debris_lines(item: dict[str, str]) -> None:
    assert classify_paragraph(item["line"])[0] == item["kind"]


def test_article_paragraphs_of_those_pages_survive() -> None:
    text = "\n".join(d["line"] for d in DEBRIS["keep"])
    assert clean_text(text).text.split("\n\n") == [d["line"] for d in DEBRIS["keep"]]


def test_cookie_dialog_longer_than_the_article_does_not_win() -> None:
    """battery-news.de: the cookie settings dialog at the end of the page is longer than the
    article; its lines are site notices, so the densest span is the article."""
    page = (DATA / "clean" / "battery-news-cookies.txt").read_text(encoding="utf-8")
    result = clean_page_text(page)
    assert "Ultium Cells investiert eigenen Angaben zufolge weitere 275 Millionen" in result.text
    assert "rechnet Ultium Cells mit einem Jahresvolumen" in result.text
    assert "ookie" not in result.text
    assert any(r.kind == "promo" and "Cookies" in r.text for r in result.removed)


def test_site_notices_go_and_the_article_around_them_stays() -> None:
    """The last two paragraphs of an article (one asks for donations in passing) and the
    page's donation box, with a newsletter box and a licence line of two other pages: the
    notices go, the paragraphs stay. Real lines of the dev set: netzpolitik.org.abmahnungen
    (https://netzpolitik.org/2016/die-cider-connection-abmahnungen-gegen-nutzer-von-creative-
    commons-bildern/), omr.com-Schuhbrand (https://omr.com/de/daily/cowboyboots-und-crocs),
    gnaur.wordpress.com.moglichkeit (https://gnaur.wordpress.com/2013/06/14/die-moglichkeit-
    nichts-zu-tun-ist-auch-eine-moglichkeit/)."""
    article = [
        'Dazu muss das überholte Urheberrecht an die Anforderungen des digitalen Wandels '
        'angepasst werden. Insbesondere die erste Abmahnung wegen eines Verstoßes durch '
        'Privatpersonen sollte für die Betroffenen kostenfrei sein. Anders wird es nicht '
        'gelingen, dieser rechtsmissbräuchlichen Abzocke die Grundlage zu entziehen.',
        'Dieser Artikel baut auf einer gemeinsamen Recherche von Markus Reuter, Ben Siegler '
        'und Christoph Langner auf. Letzterer wurde selbst abgemahnt von der Cider Connection '
        'und lieferte wichtige Fakten und Zusammenhänge für diesen Artikel. Solche Recherchen '
        'kosten viel Zeit und Geld, wir freuen uns wie immer über Spenden, die solche Stücke '
        'ermöglichen.',
    ]
    notices = [
        "Wir sind spendenfinanziert. Unterstütze auch du uns langfristig mit einem Dauerauftrag!",
        "Aktuelle Stories und die wichtigsten News für Marketeers direkt in dein Postfach!",
        "Die Inhalte dieser Website sind unter einer Creative Commons-Lizenz lizenziert.",
    ]
    result = clean_text("\n".join(article[:1] + notices[:1] + article[1:] + notices[1:]))
    assert result.text.split("\n\n") == article
    assert [r.text for r in result.removed if r.kind == "promo"] == notices


def test_a_sentence_ending_with_a_colon_introduces_the_list_after_it() -> None:
    """buero-hoppe.de: "Es gibt eine Vielzahl von Gründen für die Beurteilung von Bäumen:"
    introduces a list of short items; it is article text, like a sentence."""
    page = (DATA / "clean" / "buero-hoppe-list.txt").read_text(encoding="utf-8")
    result = clean_page_text(page)
    assert "Es gibt eine Vielzahl von Gründen für die Beurteilung von Bäumen:" in result.text
    assert "Die Erstellung von Baumgutachten erfordert" in result.text


def test_without_report_the_text_is_the_same_and_nothing_is_recorded() -> None:
    pages = [_flat("msn-student-halls.html")]
    full = clean_page_text(pages[0])
    bare = clean_page_text(pages[0], report=False)
    assert bare.text == full.text and len(full.removed) > 20
    assert bare.removed == []
    assert [r.text for r in clean_pages(pages, report=False)] == [full.text]


def test_line_params_set_how_long_a_repeated_line_may_be() -> None:
    """Threatpost repeats its newsletter call inside the article: at the default limit both
    copies go as repeated; with a lower ``repeated_max_words`` the line counts as text and only
    the copy outside the article's span goes."""
    from newsfold.clean.lines import LineParams

    page = _flat("threatpost-android-ransomware.html")
    line = "Join thousands of people who receive the latest breaking cybersecurity news every day."
    assert page.count(line) == 2
    default = clean_page_text(page)
    assert line not in default.text
    assert [r.kind for r in default.removed if r.text == line] == ["repeated", "repeated"]
    lower = clean_page_text(page, params=LineParams(repeated_max_words=10))
    assert lower.text.count(line) == 1
    assert [r.kind for r in lower.removed if r.text == line] == ["outside-body"]
