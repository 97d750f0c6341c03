"""What the pages show on the example stories: human dates in <time> elements, citations named
by outlet, the compare-sources panel, highlights limited to what the summary quotes, timeline
dates read out, the favicon."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from newsfold.api import Newsfold
from newsfold.records import Article, Brief
from newsfold.web import create_app
from newsfold.web.chart import WIDE, coverage_chart
from newsfold.web.views import outlet_names, source_labels

from ..conftest import SEED_IDS

pytestmark = pytest.mark.extras

RAW_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class _Visible(HTMLParser):
    """The text a reader sees: element text, not attributes, tooltips (<title>) or the head."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("title", "head", "style", "script"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "head", "style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def cite_links(html: str) -> list[tuple[str, str, str]]:
    """(href, title, text) of every citation link."""
    return re.findall(r'<a class="cite" href="([^"]+)" title="([^"]*)">([^<]*)</a>', html)


@pytest.fixture(scope="module")
def briefs(web_db: str) -> dict[str, Brief]:
    with Newsfold(web_db) as nf:
        return {s.id: nf.brief(s.id) for s in nf.stories()}


def _story_of(briefs: dict[str, Brief], article_id: str) -> Brief:
    return next(b for b in briefs.values() if any(a.id == article_id for a in b.articles))


def test_no_page_shows_a_raw_timestamp_or_an_outlet_key(client: TestClient,
                                                        briefs: dict[str, Brief]) -> None:
    paths = ["/", "/search?q=bitcoin", "/search?q=Putin", "/docs"]
    for brief in briefs.values():
        paths.append(f"/stories/{brief.id}")
        paths += [f"/articles/{a.id}" for a in brief.articles[:2]]
    stamped = 0
    for path in paths:
        html = client.get(path).text
        text = visible(html)
        assert not RAW_STAMP.search(text), (path, RAW_STAMP.findall(text)[:3])
        assert "unknown (" not in text, path
        # the exact value stays in the <time> element, for machines and as a tooltip
        for machine, exact, shown in re.findall(
                r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', html):
            stamped += 1
            assert shown != exact and not RAW_STAMP.search(shown)
            if "T" in exact:
                assert RAW_STAMP.match(machine) and shown.endswith(("UTC", "ago", "yesterday"))
    assert stamped > 20
    index = client.get("/").text
    assert re.search(r'<time datetime="2014-03-10T19:25:37Z" title="2014-03-10T19:25:37[^"]*">'
                     r"10 Mar 2014, 19:25 UTC</time>", index)


def test_recent_dates_read_relative(scratch_db: str) -> None:
    now = datetime.now(UTC)
    stamp = (now - timedelta(hours=3, minutes=5)).isoformat()
    with Newsfold(scratch_db) as nf:
        nf.add_articles([Article(id="fresh-1", title="Zanzibar ferry resumes service",
                                 text="The Zanzibar ferry resumed service on the northern route "
                                      "after a week of repairs to its engines.",
                                 source="Coastal Wire", published=stamp)])
    with TestClient(create_app(scratch_db)) as c:
        shown = re.compile(r'<time datetime="[^"]+Z" title="([^"]+)">3 hours ago</time>')
        assert shown.search(c.get("/").text)
        page = shown.search(c.get("/articles/fresh-1").text)
        assert page is not None and page.group(1).startswith(stamp[:19])


def test_citations_name_the_outlet_and_link_the_passage(client: TestClient,
                                                        briefs: dict[str, Brief]) -> None:
    seed = _story_of(briefs, SEED_IDS[0])
    html = client.get(f"/stories/{seed.id}").text
    links = cite_links(html)
    assert links
    names = {text for _, _, text in links}
    assert names == {"unnamed outlet", "Los Angeles Times"}  # the seed without a source
    for href, title, _ in links:
        ident = href.split("/articles/", 1)[1].split("#", 1)[0]
        assert ident in SEED_IDS and f"({ident})" in title
    summary = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert all("#s-" in href for href, _, _ in cite_links(summary))
    assert not any(text in SEED_IDS for _, _, text in links)


def test_several_articles_of_one_outlet_are_numbered(client: TestClient,
                                                     briefs: dict[str, Brief]) -> None:
    brief = next(b for b in briefs.values()
                 if len(b.articles) > 1 and len({a.outlet for a in b.articles}) == 1
                 and b.summary)
    outlet = brief.articles[0].outlet
    html = client.get(f"/stories/{brief.id}").text
    names = {text for _, _, text in cite_links(html)}
    assert names and names <= {f"{outlet} #{n}" for n in range(1, len(brief.articles) + 1)}
    # the Sources list names each article the same way, in the same order
    sources = re.findall(r'<span class="src-outlet">([^<]+)</span>', html)
    assert sources == [f"{outlet} #{n}" for n in range(1, len(brief.articles) + 1)]


def test_unnamed_outlets_stay_apart(client: TestClient, briefs: dict[str, Brief]) -> None:
    brief = next(b for b in briefs.values()
                 if len(b.articles) > 1 and all(a.known_outlet is None for a in b.articles))
    html = client.get(f"/stories/{brief.id}").text
    names = outlet_names(brief.articles, source_labels(brief.articles))
    sources = re.findall(r'<span class="src-outlet">([^<]+)</span>', html)
    assert sources == [f"unnamed outlet #{n}" for n in range(1, len(brief.articles) + 1)]
    # the chart names them the same way (one row each; the story's articles are undated)
    chart = coverage_chart(brief.articles, lambda k: names.get(k, k), WIDE)
    assert [r["label"] for r in chart["rows"]] == [f"{s} (1)" for s in sources]
    assert not chart["dated"]
    # undated, one article per outlet: nothing to draw, and the page says so
    coverage = visible(html.split('id="coverage"', 1)[1].split("</section>", 1)[0])
    assert "No article carries a date" in coverage and "<svg" not in html


def test_compare_panel_groups_single_source_facts_by_outlet(client: TestClient,
                                                            briefs: dict[str, Brief]) -> None:
    seed = _story_of(briefs, SEED_IDS[0])
    html = client.get(f"/stories/{seed.id}").text
    panel = html.split('id="compare"', 1)[1].split("</section>", 1)[0]
    blocks = {re.search(r"<h3>([^<]+?) <", b).group(1): b  # type: ignore[union-attr]
              for b in panel.split('<div class="outlet">')[1:]}
    assert set(blocks) == {"unnamed outlet", "Los Angeles Times"}
    from markupsafe import escape
    singles = [f for f in seed.facts if f.status == "single-source"]
    assert singles
    la = next(a.outlet for a in seed.articles if a.outlet == "Los Angeles Times")
    for fact in singles:
        name = "Los Angeles Times" if fact.outlets == [la] else "unnamed outlet"
        assert str(escape(fact.text)) in blocks[name]
    # the main Facts list keeps what outlets share, not the single-source ones
    facts = html.split('id="facts"', 1)[1].split("</section>", 1)[0]
    assert facts.count('<li class="fact">') == sum(1 for f in seed.facts
                                                    if f.status != "single-source")
    # a story of one outlet has nothing to compare: its facts stay in the main list
    single = next(b for b in briefs.values() if len({a.outlet for a in b.articles}) == 1
                  and b.facts)
    page = client.get(f"/stories/{single.id}").text
    assert 'id="compare"' not in page and page.count('<li class="fact">') == len(single.facts)


def test_article_page_highlights_only_what_the_summary_quotes(
        client: TestClient, briefs: dict[str, Brief]) -> None:
    seed = _story_of(briefs, SEED_IDS[1])
    html = client.get(f"/articles/{SEED_IDS[1]}").text
    highlighted = re.findall(r'<span id="s-(\d+)" class="s used', html)
    quoted = {s.position for s in seed.summary if s.article_id == SEED_IDS[1]}
    assert quoted and set(map(int, highlighted)) >= quoted
    cited = [s for s in seed.summary if SEED_IDS[1] in s.citations]
    assert len(highlighted) <= len(cited)
    facts = [f for f in seed.facts if SEED_IDS[1] in f.articles]
    assert len(facts) > len(highlighted)  # facts are not highlighted
    sentences = len(re.findall(r'<span id="s-\d+"', html))
    assert len(highlighted) < sentences / 2
    assert "the brief's summary quotes" in visible(html)


def test_timeline_dates_read_out(client: TestClient, briefs: dict[str, Brief]) -> None:
    partial = next(b for b in briefs.values() if any(t.date.startswith("--") for t in b.timeline))
    event = next(t for t in partial.timeline if t.date.startswith("--"))
    month, day = int(event.date[2:4]), int(event.date[5:7])
    html = client.get(f"/stories/{partial.id}").text
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert f'<time datetime="{event.date[2:]}" title="{event.date}">' \
           f"{day} {months[month - 1]} (year not given)</time>" in html
    resolved = next(b for b in briefs.values() if any(t.resolved_from for t in b.timeline))
    html = client.get(f"/stories/{resolved.id}").text
    clauses = re.findall(r'<span class="resolved">([^<]+)</span>', html)
    assert clauses and not any(c.startswith(("(", "“", '"', "from ")) for c in clauses)


def test_favicon(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg")
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text
    assert client.get("/static/favicon.svg").status_code == 200


def test_article_page_says_when_its_story_ran(client: TestClient,
                                              briefs: dict[str, Brief]) -> None:
    from newsfold.summarize.dates import span_text

    brief = next(b for b in briefs.values() if len({a.published for a in b.articles}) > 2
                 and all(a.published and "T" not in a.published for a in b.articles))
    days = sorted(str(a.published) for a in brief.articles)
    shown = span_text(days[0], days[-1])
    assert " – " in shown or "–" in shown
    html = client.get(f"/articles/{brief.articles[0].id}").text
    assert f"{shown})." in html


def test_a_headline_only_story_shows_each_outlets_headline(client: TestClient,
                                                            briefs: dict[str, Brief]) -> None:
    """UCI rows carry headlines only: the brief shows how each outlet headlined the story."""
    story = next(b for b in briefs.values() if len(b.articles) >= 3
                 and not any(a.text for a in b.articles))
    html = client.get(f"/stories/{story.id}").text
    brief = html.split('<section id="summary"', 1)[1].split("</section>", 1)[0]
    shown = visible(brief)
    assert "How each outlet headlined it" in shown
    for a in story.articles:
        assert a.title
        assert a.title in shown
        assert f'href="/articles/{a.id}"' in brief
        assert a.outlet in shown
