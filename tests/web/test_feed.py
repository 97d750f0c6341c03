"""The Atom feed (``/feed.xml``) on the example store: read back with feedparser and with
newsfold's own feed reader (a real ingest over HTTP), and with hostile article text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import feedparser
import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsfold import Newsfold, Settings
from newsfold.api import summarize_articles
from newsfold.ingest.feeds import parse_feed
from newsfold.records import Article, StoryInfo
from newsfold.summarize.render import NO_SUMMARY
from newsfold.web import create_app, feed, views

from ..ingest.loopback import Loopback
from .conftest import HOSTILE

BASE = "http://testserver"


def _parsed(body: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(body, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _html(entry: feedparser.FeedParserDict) -> lxml.html.HtmlElement:
    (content,) = entry.content
    assert content.type == "text/html"
    return lxml.html.fragment_fromstring(content.value, create_parent="div")


def test_the_feed_lists_the_stories_most_recent_first(client: TestClient) -> None:
    r = client.get("/feed.xml")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    parsed = _parsed(r.content)
    stories = client.get("/api/stories").json()["stories"]
    assert len(parsed.entries) == len(stories) == 12
    assert [e.id for e in parsed.entries] == [
        f"tag:testserver,2026:story/{s['id']}" for s in stories]
    assert [e.title for e in parsed.entries] == [s["headline"] for s in stories]
    assert [e.link for e in parsed.entries] == [f"{BASE}/stories/{s['id']}" for s in stories]
    assert parsed.feed.title == "newsfold: stories"
    with Newsfold(client.app.state.newsfold.path) as nf:
        activity = nf.store.story_activity(s["id"] for s in stories)
    for e, s in zip(parsed.entries, stories, strict=True):
        updated = datetime(*e.updated_parsed[:6], tzinfo=UTC)
        assert updated == activity[s["id"]].replace(microsecond=0)
    dated = [e for e, s in zip(parsed.entries, stories, strict=True) if s["last_published"]]
    assert dated[0].updated == "2014-03-10T19:25:38Z"  # American Airlines, JetBlue


def test_an_entry_carries_the_cited_summary_counts_and_links(client: TestClient) -> None:
    story = "s-0322296181"  # Air France wreckage: 5 Wikinews articles, a 5-sentence summary
    # the story's brief first (built and kept): the feed, past its build cap, reads it
    brief = client.get(f"/api/stories/{story}").json()
    parsed = _parsed(client.get("/feed.xml").content)
    by_id = {e.id.rsplit("/", 1)[1]: e for e in parsed.entries}
    html = _html(by_id[story])
    paragraphs = html.findall("p")
    sentences = [p for p in paragraphs if p.findall("a")]
    assert len(sentences) == len(brief["summary"]) == 5
    for p, s in zip(sentences, brief["summary"], strict=True):
        assert p.text_content().startswith(s["text"])
        links = p.findall("a")
        assert {a.text for a in links} == {"Wikinews"}
        cited = [a.get("href").split("/articles/")[1].split("#")[0] for a in links]
        assert cited == s["citations"][:len(cited)]
        for a in links:
            assert a.get("href").startswith(f"{BASE}/articles/") and "#s-" in a.get("href")
    assert paragraphs[-1].text_content() == "5 articles from 1 outlet"
    # an article without an outlet is named as the pages name it
    harvest = _html(by_id["s-4df46c77e7"])
    assert {a.text for a in harvest.iter("a")} == {"unnamed outlet"}
    assert harvest.findall("p")[-1].text_content() == "3 articles from 3 outlets"
    # a story whose articles are headlines only says so
    gox = _html(by_id["s-ad4ba6a6b5"]).text_content()
    assert NO_SUMMARY in gox and "8 articles from 8 outlets" in gox


def test_ids_are_the_same_across_runs(web_db: str) -> None:
    with TestClient(create_app(web_db)) as c:
        first = [e.id for e in _parsed(c.get("/feed.xml").content).entries]
    with TestClient(create_app(web_db)) as c:
        again = [e.id for e in _parsed(c.get("/feed.xml").content).entries]
    assert first == again and len(set(first)) == 12


def test_a_search_feed_holds_the_matching_stories(client: TestClient) -> None:
    parsed = _parsed(client.get("/feed.xml", params={"q": "bitcoin"}).content)
    assert [e.id for e in parsed.entries] == ["tag:testserver,2026:story/s-ad4ba6a6b5"]
    assert parsed.feed.title == "newsfold: stories matching “bitcoin”"
    assert parsed.feed.id == f"{BASE}/feed.xml?q=bitcoin"
    # several matches: most recent activity first, as the list orders them
    many = _parsed(client.get("/feed.xml", params={"q": "president"}).content).entries
    order = [s["id"] for s in client.get("/api/stories").json()["stories"]]
    ids = [e.id.rsplit("/", 1)[1] for e in many]
    assert len(ids) >= 2 and ids == sorted(ids, key=order.index)
    empty = _parsed(client.get("/feed.xml", params={"q": "zzyzxqq"}).content)
    assert empty.entries == [] and empty.feed.updated == "1970-01-01T00:00:00Z"


def test_a_bad_query_is_refused(client: TestClient) -> None:
    r = client.get("/feed.xml", params={"q": "x" * 1001})
    assert r.status_code == 422 and "1000 characters" in r.text


def test_newsfolds_own_reader_ingests_the_feed(client: TestClient, tmp_path: object) -> None:
    server = Loopback()
    try:
        with TestClient(client.app, base_url=server.base) as c:
            body = c.get("/feed.xml").content
            ids = [s["id"] for s in c.get("/api/stories").json()["stories"]]
            for sid in ids:
                server.add(f"/stories/{sid}", c.get(f"/stories/{sid}").content)
        server.add("/feed.xml", body, ctype="application/atom+xml; charset=utf-8")
        parsed = parse_feed(body, server.url("/feed.xml"))
        assert [e.link for e in parsed.entries] == [server.url(f"/stories/{s}") for s in ids]
        assert all(e.published for e in parsed.entries)
        db = str(tmp_path) + "/reader.db"  # type: ignore[operator]
        settings = Settings(db=db, fetch_rate_per_host=1000.0, brief_entity_model=False)
        with Newsfold(db, settings=settings) as nf:
            report = nf.ingest([server.url("/feed.xml")])
            assert report.added == 12 and not report.skipped
            titles = {a.title for a in nf.articles()}
        assert "Aircraft wreckage in Atlantic confirmed to be that of missing Air France " \
               "flight" in " ".join(titles)
    finally:
        server.close()


def test_hostile_text_stays_text(hostile_db: str) -> None:
    with TestClient(create_app(hostile_db)) as c:
        r = c.get("/feed.xml")
    ET.fromstring(r.content)  # well-formed
    parsed = _parsed(r.content)
    hostile = [e for e in parsed.entries if "zebrafish" in e.title]
    assert len(hostile) == 1
    for e in hostile:
        html = _html(e)
        assert not list(html.iter("script", "img", "b"))
        assert all(not name.startswith("on") for el in html.iter() for name in el.attrib)
        assert all(a.get("href").startswith(f"{BASE}/") for a in html.iter("a"))
        text = html.text_content()
        assert "<img src=x onerror=alert(1)>" in text or "zebrafish" in text
    outlets = {a.text for e in hostile for a in _html(e).iter("a")}
    assert HOSTILE["source"] in outlets  # the outlet named as text, its tags shown, not run


def test_controls_bidi_and_markup_in_a_headline_stay_text() -> None:
    info = StoryInfo("s-x", "Nul\x00 bell\x07 and \u202eoverride\ufffe", 1, 1, None, None)
    body = feed.render([feed.Entry(info, datetime(2024, 1, 1, tzinfo=UTC))], base=BASE,
                       self_url=f"{BASE}/feed.xml", query="")
    ET.fromstring(body)
    assert _parsed(body).entries[0].title == "Nul bell and override"
    info = StoryInfo("s-y", HOSTILE["title"], 1, 1, None, None)
    body = feed.render([feed.Entry(info, datetime(2024, 1, 1, tzinfo=UTC))], base=BASE,
                       self_url=f"{BASE}/feed.xml", query="<b>q</b>")
    root = ET.fromstring(body)
    titles = [el.text for el in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert titles == ["newsfold: stories matching “<b>q</b>”", HOSTILE["title"]]
    assert b"<script>" not in body and b"&lt;script&gt;" in body


def test_conflicts_are_listed_with_their_sides() -> None:
    # tac2011 D1116C-A, APW_ENG_20070416 lead; the second copy has the planted toll 39
    s = ("A gunman opened fire in a dorm and classroom at Virginia Tech on Monday, killing at "
         "least {} people in the deadliest shooting rampage in U.S. history.")
    arts = [Article("a1", "Shooting at Virginia Tech", s.format(30), source="One <Daily>",
                    published="2007-04-16"),
            Article("a2", "Virginia Tech shooting", s.format(39), source="Two",
                    published="2007-04-16")]
    (group,) = summarize_articles(arts, use_ner=False)
    info = StoryInfo("s-vt", "Virginia Tech", 2, 2, "2007-04-16", "2007-04-16")
    entry = feed.Entry(info, datetime(2007, 4, 16, tzinfo=UTC), group.brief,
                       views.story_view(group.brief))
    html = lxml.html.fragment_fromstring(str(feed.content_html(entry, BASE)),
                                         create_parent="div")
    (item,) = html.iter("li")
    assert item.text_content().startswith("number of deaths: 30 people [One <Daily>]; "
                                          "39 people [Two]")
    assert [a.get("href") for a in item.iter("a")] == [f"{BASE}/articles/a1#s-0",
                                                       f"{BASE}/articles/a2#s-0"]


def test_a_feed_builds_a_bounded_number_of_briefs(scratch_db: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed, "FEED_BUILDS", 3)
    with TestClient(create_app(scratch_db)) as c:
        bare = [sum("not built yet" in e.content[0].value
                    for e in _parsed(c.get("/feed.xml").content).entries) for _ in range(4)]
    assert bare == [9, 6, 3, 0]  # 12 stories: the next request builds the next three
