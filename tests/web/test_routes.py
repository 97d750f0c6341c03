"""Every route in-process (FastAPI TestClient): pages, API, errors, safety headers, search."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsfold.api import Newsfold
from newsfold.cli import main
from newsfold.web import create_app

from ..conftest import SEED_IDS
from .conftest import AUTH, HOSTILE, TOKEN, story_ids

pytestmark = pytest.mark.extras



def _seed_story(db: str) -> str:
    with Newsfold(db) as nf:
        return nf.article(SEED_IDS[0]).story_id or ""


def _no_inline_script(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, flags=re.I), "inline event handler"
    assert not re.search(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", html, flags=re.I)


def test_index_lists_stories_newest_first_with_counts(client: TestClient, web_db: str) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    ids = story_ids(web_db)
    shown = re.findall(r'href="/stories/([^"]+)"', r.text)
    assert shown == ids[: len(shown)] and len(shown) == min(50, len(ids))
    assert "Outlets" in r.text and "Reported" in r.text and 'name="q"' in r.text
    _no_inline_script(r.text)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_index_pages(client: TestClient) -> None:
    r = client.get("/?page=999")
    assert r.status_code == 200 and "page 999" not in r.text or "Older" not in r.text
    assert client.get("/?page=abc").status_code == 422  # a bad page number is never ignored


def test_story_page_has_brief_with_linked_citations(client: TestClient, web_db: str) -> None:
    sid = _seed_story(web_db)
    r = client.get(f"/stories/{sid}")
    assert r.status_code == 200
    html = r.text
    for section in ("summary", "coverage", "facts", "sources"):
        assert f'id="{section}"' in html, section
    assert "No article carries a date" in html  # the seeds are undated: no chart to draw
    assert re.search(r"status (agreed|single-source|disputed)", html)
    links = re.findall(r'href="/articles/([^"#]+)#s-(\d+)"', html)
    assert {a for a, _ in links} >= set(SEED_IDS)
    _no_inline_script(html)
    # Every citation anchor exists on the article page it links to.
    for aid, n in set(links):
        page = client.get(f"/articles/{aid}").text
        assert f'id="s-{n}"' in page


def test_dated_story_page_has_the_chart_in_two_forms(client: TestClient, web_db: str) -> None:
    with Newsfold(web_db) as nf:
        dated = next(s.id for s in nf.stories() if s.first_published)
    html = client.get(f"/stories/{dated}").text
    assert 'class="chart wide"' in html and 'class="chart narrow"' in html
    assert html.count('class="dot"') == 2 * len(
        [a for a in client.get(f"/api/stories/{dated}").json()["articles"] if a["published"]])


def test_article_page_highlights_used_sentences_and_shows_removed(client: TestClient) -> None:
    r = client.get(f"/articles/{SEED_IDS[1]}")
    assert r.status_code == 200
    assert 'class="s used"' in r.text
    assert "What cleaning removed" in r.text and "Kent Nishimura" in r.text  # a removed credit
    assert "Biden and Putin speak again on Ukraine" in r.text


def test_search_page_and_api_find_body_words(client: TestClient) -> None:
    r = client.get("/search", params={"q": "troops positioned"})
    assert r.status_code == 200 and SEED_IDS[1] in r.text and "<mark>" in r.text
    data = client.get("/api/search", params={"q": "troops positioned"}).json()
    assert any(h["kind"] == "article" and h["id"] == SEED_IDS[1] for h in data["results"])
    assert any(h["kind"] == "story" for h in data["results"])
    # FTS syntax in the query is read as plain words, never an error
    for q in ['"', "OR AND NOT", "a*", "NEAR(", "-", ""]:
        assert client.get("/api/search", params={"q": q}).status_code == 200
        assert client.get("/search", params={"q": q}).status_code == 200


def test_api_stories_paging(client: TestClient, web_db: str) -> None:
    ids = story_ids(web_db)
    first = client.get("/api/stories", params={"limit": 2}).json()
    assert [s["id"] for s in first["stories"]] == ids[:2] and first["total"] == len(ids)
    second = client.get("/api/stories", params={"limit": 2, "offset": 2}).json()
    assert [s["id"] for s in second["stories"]] == ids[2:4]
    assert set(first["stories"][0]) >= {"id", "headline", "articles", "outlets",
                                        "first_published", "last_published"}


def test_api_story_is_the_json_of_show(client: TestClient, web_db: str) -> None:
    sid = _seed_story(web_db)
    api = client.get(f"/api/stories/{sid}").json()
    shown = CliRunner().invoke(main, ["show", sid, "--db", web_db, "--format", "json"])
    assert api == json.loads(shown.stdout)


def test_api_article(client: TestClient) -> None:
    a = client.get(f"/api/articles/{SEED_IDS[1]}").json()
    assert a["id"] == SEED_IDS[1] and a["source"] == "Los Angeles Times" and a["text"]
    assert a["story_id"] and isinstance(a["removed"], list)


def test_unknown_ids_answer_404_with_one_error_shape(client: TestClient) -> None:
    for path in ("/api/stories/s-nope", "/api/articles/nope", "/api/nowhere"):
        r = client.get(path)
        assert r.status_code == 404
        assert set(r.json()) == {"error"} and r.json()["error"]["status"] == 404
        assert r.json()["error"]["message"]
    for path in ("/stories/s-nope", "/articles/nope", "/nowhere"):
        r = client.get(path)
        assert r.status_code == 404 and "<h1>404" in r.text and "Traceback" not in r.text
    r = client.get("/api/stories", params={"limit": "many"})
    assert r.status_code == 422 and r.json()["error"]["status"] == 422


def test_docs_and_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/search", "/api/articles"} <= set(spec["paths"])
    r = client.get("/docs")
    assert r.status_code == 200 and "/api/stories/{story_id}" in r.text
    _no_inline_script(r.text)


def test_static_css_is_served_locally(client: TestClient) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]


def test_ingest_is_off_without_a_token(web_db: str) -> None:
    with TestClient(create_app(web_db, ingest_token=None)) as c:
        r = c.post("/api/articles", json=HOSTILE, headers=AUTH)
        assert r.status_code == 403 and r.json()["error"]["status"] == 403


def test_ingest_needs_the_right_bearer_token(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        r = client.post("/api/articles", json=HOSTILE, headers=headers)
        assert r.status_code == 401 and r.json()["error"]["status"] == 401
    r = client.post("/api/articles", content=b"{not json", headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["status"] == 422


def test_token_from_environment(web_db: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSFOLD_API_TOKEN", "from-env")
    with TestClient(create_app(web_db)) as c:
        r = c.post("/api/articles", json=[], headers={"Authorization": "Bearer from-env"})
        assert r.status_code == 422  # authorised, but an empty list


def test_hostile_article_is_shown_as_text(hostile_db: str) -> None:
    with TestClient(create_app(hostile_db)) as c:
        sid = c.get("/api/articles/hostile-1").json()["story_id"]
        raw_sid = c.get("/api/articles/hostile-raw").json()["story_id"]
        pages = [c.get("/"), c.get(f"/stories/{sid}"), c.get(f"/stories/{raw_sid}"),
                 c.get("/articles/hostile-1"), c.get("/articles/hostile-raw"),
                 c.get("/search", params={"q": "zebrafish"}), c.get("/docs")]
        for r in pages:
            assert r.status_code == 200
            _no_inline_script(r.text)
            assert "<img" not in r.text and "<b>Evil" not in r.text
        # Through the API, cleaning dropped the tags; what it removed is shown as text.
        assert "&lt;img src=x onerror=alert(1)&gt;" in pages[3].text
        # Stored as is, every tag is escaped.
        for page in (pages[2].text, pages[4].text):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
            assert "&lt;b&gt;Evil&lt;/b&gt; Gazette" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in pages[4].text
        assert "zebrafish" in pages[5].text
        # the API gives the stored text back unchanged (JSON, not HTML)
        assert c.get("/api/articles/hostile-raw").json()["title"].startswith("<script>")


def test_search_finds_a_newly_ingested_article_by_body_words(hostile_db: str) -> None:
    with TestClient(create_app(hostile_db)) as c:
        hits = c.get("/api/search", params={"q": "quokkarium"}).json()["articles"]
        assert {h["id"] for h in hits} == {"hostile-1", "hostile-raw"}


def test_ingest_reports_and_is_idempotent(hostile_db: str) -> None:
    with TestClient(create_app(hostile_db, ingest_token=TOKEN)) as c:
        r = c.post("/api/articles", json={"articles": [HOSTILE, {"id": "bad"}]}, headers=AUTH)
        assert r.status_code == 200
        body = r.json()
        assert body["added"] == 0 and body["already_stored"] == 1
        assert [s["item"] for s in body["skipped"]] == ["request item 1"]


def test_serve_command_is_registered() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for opt in ("--db", "--host", "--port", "--token"):
        assert opt in result.output
