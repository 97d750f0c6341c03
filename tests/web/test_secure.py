"""The web app is secure by default against hostile configuration, requests and stored text.

A blank token or one with control characters is refused, surrounding spaces are stripped and
tokens are compared by digest; every answer (errors too) carries the security headers; integer
parameters are bounded; deep JSON and oversized bodies are refused; NUL and bidi controls never
reach a page; a story page names the articles its brief left out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from httpx import Response

from newsfold.api import Newsfold
from newsfold.cli import main
from newsfold.errors import ConfigError
from newsfold.records import Article
from newsfold.web import create_app
from newsfold.web.app import (
    MAX_BODY,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_PAGE,
    BodyLimit,
    BodyTooLarge,
    check_token,
    token_matches,
)

from .conftest import AUTH, HOSTILE, TOKEN

pytestmark = pytest.mark.extras

SECURITY = {
    "content-security-policy": "default-src 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def assert_secure(r: Response) -> None:
    for name, value in SECURITY.items():
        assert value in r.headers.get(name, ""), f"{name} missing on {r.status_code}"


def assert_error(r: Response, status: int) -> None:
    """The API's one error shape, and the security headers."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status and body["error"]["message"]
    assert "Traceback" not in r.text
    assert_secure(r)


# -- tokens: blank or control characters refused, spaces stripped, compared by digest -------
@pytest.mark.parametrize("blank", ["", " ", "\t", "\n", " \r\n "])
def test_blank_token_is_refused_at_start_up(web_db: str, blank: str) -> None:
    with pytest.raises(ConfigError, match="empty or blank"):
        create_app(web_db, ingest_token=blank)


def test_blank_token_from_the_environment_is_refused(web_db: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFOLD_API_TOKEN", "  ")
    with pytest.raises(ConfigError):
        create_app(web_db)


def test_token_with_control_characters_is_refused() -> None:
    for bad in ("a\x00b", "tok\x1bx", "tök"):
        with pytest.raises(ConfigError, match="control or non-ASCII"):
            check_token(bad)


@pytest.mark.parametrize("args,env", [(["--token", ""], {}), (["--token", "   "], {}),
                                      ([], {"NEWSFOLD_API_TOKEN": " \n"})])
def test_serve_refuses_a_blank_token_with_exit_3(tmp_path: Path, args: list[str],
                                                 env: dict[str, str]) -> None:
    db = tmp_path / "never.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(db), *args], env=env)
    assert result.exit_code == 3, result.output
    assert "empty or blank" in result.output
    assert not db.exists()  # refused before anything was opened or served


def test_empty_bearer_is_never_accepted(client: TestClient) -> None:
    for auth in ("Bearer ", "Bearer", "Bearer  ", "bearer", "Basic " + TOKEN, "Bearer x" + TOKEN):
        assert_error(client.post("/api/articles", json=HOSTILE, headers={"Authorization": auth}),
                     401)


def test_token_with_surrounding_spaces_is_stripped_once(scratch_db: str) -> None:
    with TestClient(create_app(scratch_db, ingest_token=f"  {TOKEN}\n")) as c:
        r = c.post("/api/articles", json=[], headers=AUTH)
        assert_error(r, 422)  # authorised: the body is an empty list
        assert_error(c.post("/api/articles", json=[], headers={"Authorization": "Bearer  "}), 401)


def test_token_comparison_is_by_digest() -> None:
    assert token_matches("abc", "abc")
    assert not token_matches("", "abc") and not token_matches("abcd", "abc")
    assert not token_matches("\udcff", "abc")  # a header decoded with escapes never crashes


# -- security headers on every answer, errors included --------------------------------------
def test_every_error_carries_the_security_headers(web_db: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(web_db, ingest_token=TOKEN, max_body=100)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.get("/api/stories/s-nope"), 404)
        assert_error(c.get("/api/stories", params={"limit": "x"}), 422)
        assert_error(c.post("/api/articles", content=b"x" * 200, headers=AUTH), 413)
        assert_error(c.post("/api/articles", json=HOSTILE), 401)
        assert_error(c.delete("/api/stories"), 405)
        for path in ("/nowhere", "/?page=0", "/static/none.css"):
            r = c.get(path)
            assert r.status_code in (404, 422)
            assert_secure(r)

        def crash(*_: Any, **__: Any) -> Any:
            raise RuntimeError("boom")

        monkeypatch.setattr(Newsfold, "story_count", crash)
        for path in ("/", "/api/stories"):
            r = c.get(path)
            assert r.status_code == 500 and "boom" not in r.text and "Traceback" not in r.text
            assert_secure(r)
        assert_error(c.get("/api/stories"), 500)


def test_a_page_and_a_static_file_carry_them_too(client: TestClient) -> None:
    for path in ("/", "/static/style.css", "/openapi.json", "/docs"):
        r = client.get(path)
        assert r.status_code == 200
        assert_secure(r)


# -- every integer parameter bounded, 422 with the error shape ------------------------------
@pytest.mark.parametrize("path,params", [
    ("/api/stories", {"limit": -1}), ("/api/stories", {"limit": 0}),
    ("/api/stories", {"limit": MAX_LIMIT + 1}), ("/api/stories", {"limit": 100000}),
    ("/api/stories", {"offset": -1}), ("/api/stories", {"offset": 2**63}),
    ("/api/stories", {"offset": MAX_OFFSET + 1}), ("/api/stories", {"limit": "abc"}),
    ("/api/search", {"q": "a", "limit": 0}), ("/api/search", {"q": "a", "offset": 2**64}),
    ("/api/search", {"q": "a", "limit": "1e3"}), ("/api/search", {"q": "w" * 1001}),
])
def test_api_integer_parameters_are_bounded(client: TestClient, path: str,
                                             params: dict[str, Any]) -> None:
    assert_error(client.get(path, params=params), 422)


@pytest.mark.parametrize("path", ["/", "/search?q=zebrafish&"])
@pytest.mark.parametrize("page", ["99999999999999999999", str(2**63), str(MAX_PAGE + 1), "0",
                                  "-1", "abc", ""])
def test_page_numbers_are_bounded(client: TestClient, path: str, page: str) -> None:
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path.rstrip('&')}{sep}page={page}")
    assert r.status_code == 422 and "<h1>422" in r.text and "page" in r.text
    assert_secure(r)


def test_largest_page_and_offset_answer_empty(client: TestClient) -> None:
    assert client.get("/", params={"page": MAX_PAGE}).status_code == 200
    r = client.get("/api/stories", params={"offset": MAX_OFFSET, "limit": MAX_LIMIT})
    assert r.status_code == 200 and r.json()["stories"] == [] and r.json()["next_offset"] is None


def test_paging_on_next_offset_ends(client: TestClient) -> None:
    seen: list[str] = []
    offset: int | None = 0
    total = client.get("/api/stories").json()["total"]
    for _ in range(total + 1):  # each page moves on, so this ends well before the bound
        page = client.get("/api/stories", params={"limit": 2, "offset": offset}).json()
        seen += [s["id"] for s in page["stories"]]
        offset = page["next_offset"]
        if offset is None:
            break
    assert offset is None and len(seen) == len(set(seen)) == total


# -- POST bodies: deep JSON and body caps ---------------------------------------------------
def test_deeply_nested_body_answers_422(client: TestClient) -> None:
    for depth in (100_000, 1_000, 40):
        body = b"[" * depth + b"]" * depth
        assert_error(client.post("/api/articles", content=body, headers=AUTH), 422)
    deep_object = b'{"a":' * 5000 + b"1" + b"}" * 5000
    assert_error(client.post("/api/articles", content=deep_object, headers=AUTH), 422)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"1" * 5000, b'"\\ud800"',
                                  b'{"id": "x", "text": "\\udfff broken"}', b"[]", b"{}", b"null",
                                  b"[1, 2]", b"NaN"])
def test_bad_bodies_answer_with_the_error_shape(client: TestClient, body: bytes) -> None:
    r = client.post("/api/articles", content=body, headers=AUTH)
    if r.status_code == 200:  # a list of non-objects: each item is reported as skipped
        assert r.json()["added"] == 0 and r.json()["skipped"]
    else:
        assert_error(r, 422)


def test_too_many_articles_answer_413(client: TestClient) -> None:
    assert_error(client.post("/api/articles", json=[{}] * 1001, headers=AUTH), 413)


def test_body_over_the_cap_answers_413(web_db: str) -> None:
    with TestClient(create_app(web_db, ingest_token=TOKEN, max_body=1000)) as c:
        assert_error(c.post("/api/articles", content=b" " * 1001, headers=AUTH), 413)

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
            for _ in range(10):
                yield b" " * 300

        assert_error(c.post("/api/articles", content=chunks(), headers=AUTH), 413)
        assert c.post("/api/articles", content=b" " * 990 + b"[]", headers=AUTH).status_code == 422


def test_default_cap_is_documented_16_mib() -> None:
    assert MAX_BODY == 16 * 1024 * 1024
    assert "16 MiB" in (Path(__file__).parents[2] / "docs" / "web.md").read_text()


def test_content_length_over_the_cap_is_refused_before_reading() -> None:
    """BodyLimit raises on the first read when Content-Length says too much: nothing of the
    body is received."""
    received: list[object] = []

    async def receive() -> dict[str, Any]:
        received.append(1)
        return {"type": "http.request", "body": b"x", "more_body": True}

    async def app(scope: Any, receive_: Any, send: Any) -> None:
        await receive_()

    async def send(message: Any) -> None:  # pragma: no cover - never reached
        raise AssertionError(message)

    scope = {"type": "http", "headers": [(b"content-length", b"999999999999")]}
    with pytest.raises(BodyTooLarge):
        asyncio.run(BodyLimit(app, limit=10)(scope, receive, send))
    assert received == []


# -- NUL and bidi controls never reach a page -----------------------------------------------
def test_nul_and_bidi_overrides_never_reach_a_page(scratch_db: str) -> None:
    evil = Article(
        id="bidi-\u202e1", title="Zebrafish vote\u202e reversed title\x00 and a NUL",
        text="The council voted on the zebrafish hatchery budget on Tuesday.\x00\u202e "
             "The \u2067isolate\u2069 and \u202aembedding\u202c controls are dropped.",
        url="https://example.org/\u202e", source="Gazette\u202e\x00", published="2024-05-07",
        author="A\u202eB",
    )
    with Newsfold(scratch_db) as nf:
        nf.add_articles([evil])
    with TestClient(create_app(scratch_db)) as c:
        sid = c.get(f"/api/articles/{evil.id}").json()["story_id"]
        pages = [c.get("/"), c.get(f"/stories/{sid}"), c.get(f"/articles/{evil.id}"),
                 c.get("/search", params={"q": "zebrafish"}),
                 c.get("/search", params={"q": "zebrafish\u202e"})]
        for r in pages:
            assert r.status_code == 200
            for bad in ("\x00", "\u202e", "\u202a", "\u202c", "\u2067", "\u2069"):
                assert bad not in r.text
        assert "reversed title and a NUL" in pages[2].text and "Gazette" in pages[2].text
        # the JSON API gives the stored text back unchanged
        assert "\u202e" in c.get(f"/api/articles/{evil.id}").json()["title"]


# -- the story page says when an article was left out ---------------------------------------
def test_story_page_names_articles_left_out(scratch_db: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfold.api import Newsfold
    from newsfold.records import Omission as omission

    original = Newsfold._build

    def build(self: Newsfold, *args: Any) -> Any:
        brief = original(self, *args)
        brief.omitted = [omission(article="poison\u202e-1", stage="timeline",
                                  reason="OverflowError: <b>date</b> out of range")]
        return brief

    monkeypatch.setattr(Newsfold, "_build", build)
    with TestClient(create_app(scratch_db)) as c:
        sid = c.get("/api/stories").json()["stories"][0]["id"]
        r = c.get(f"/stories/{sid}")
        assert r.status_code == 200 and 'id="omitted"' in r.text
        assert "1 article left out of the timeline" in r.text
        assert "/articles/poison%E2%80%AE-1" in r.text
        assert "&lt;b&gt;date&lt;/b&gt;" in r.text and "\u202e" not in r.text
        assert c.get(f"/api/stories/{sid}").json()["omitted"][0]["stage"] == "timeline"


def test_article_page_survives_a_failing_brief(scratch_db: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(create_app(scratch_db), raise_server_exceptions=False) as c:
        site = c.app.state.site  # type: ignore[attr-defined]
        story = c.get("/api/stories").json()["stories"][0]["id"]
        article = c.get(f"/api/stories/{story}").json()["articles"][0]["id"]
        site.briefs.clear()  # the brief just built is forgotten, in memory and in the store
        with site.nf.store.transaction():
            site.nf.store.run("DELETE FROM briefs")

        def broken(story_id: str) -> Any:
            raise OverflowError("date value out of range")

        monkeypatch.setattr(site, "_build", broken)
        r = c.get(f"/articles/{article}")
        assert r.status_code == 200 and 'class="s used"' not in r.text
        r = c.get(f"/stories/{story}")
        assert r.status_code == 500 and "OverflowError" not in r.text
        assert_secure(r)
