"""A POST is parsed and ingested off the event loop, and a cold brief holds up only its own
story. No timing: each test orders the requests with events, and a request that
could not be served while the other is held would fail the ``wait`` (never sleep)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsfold.web import app as web_app
from newsfold.web import create_app

from .conftest import AUTH, TOKEN

pytestmark = pytest.mark.extras

WAIT = 60  # seconds: only ever reached when the behaviour is broken (the test then fails)


def test_pages_are_served_while_a_large_post_is_ingested(
    scratch_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    original = web_app._ingest_items

    def held_ingest(site: Any, items: list[Any]) -> dict[str, Any]:
        started.set()
        assert release.wait(WAIT), "the test never released the ingest"
        return original(site, items)

    monkeypatch.setattr(web_app, "_ingest_items", held_ingest)
    articles = [{"id": f"big-{n}", "title": f"Zebrafish hatchery item {n}",
                 "text": "The council funded the zebrafish hatchery. " * 200} for n in range(300)]
    answers: dict[str, Any] = {}
    with TestClient(create_app(scratch_db, ingest_token=TOKEN)) as c:
        def post() -> None:
            answers["post"] = c.post("/api/articles", json=articles, headers=AUTH)

        poster = threading.Thread(target=post)
        poster.start()
        try:
            assert started.wait(WAIT), "the POST never reached its ingest"
            # The POST is now inside its ingest: the loop still answers pages and the API.
            for path in ("/", "/api/stories", "/api/search?q=airlines", "/docs"):
                assert c.get(path).status_code == 200
            assert not answers  # ...and the POST was still being ingested meanwhile
        finally:
            release.set()
            poster.join(WAIT)
        assert answers["post"].status_code == 201
        assert answers["post"].json()["added"] == 300


def test_a_cold_brief_does_not_hold_up_other_requests(
    scratch_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    with TestClient(create_app(scratch_db)) as c:
        site = c.app.state.site  # type: ignore[attr-defined]
        ids = [s["id"] for s in c.get("/api/stories").json()["stories"]]
        held, other = ids[0], ids[1]
        original = site._build

        def build(story_id: str) -> Any:
            if story_id == held:
                started.set()
                assert release.wait(WAIT), "the test never released the brief"
            return original(story_id)

        monkeypatch.setattr(site, "_build", build)
        answers: dict[str, Any] = {}

        def cold() -> None:
            answers["cold"] = c.get(f"/stories/{held}")

        getter = threading.Thread(target=cold)
        getter.start()
        try:
            assert started.wait(WAIT), "the cold brief was never built"
            for path in ("/", f"/stories/{other}", f"/api/stories/{other}", "/search?q=airlines"):
                assert c.get(path).status_code == 200
            assert not answers
        finally:
            release.set()
            getter.join(WAIT)
        assert answers["cold"].status_code == 200
