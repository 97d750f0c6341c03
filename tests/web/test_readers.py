"""Reads on connections of their own: many requests at once, beside an ingest holding the write
lock, never "database is locked" and never a total that disagrees with its rows; the story
list walks its index, in the order it always had. No timing: requests are ordered with events,
and one that could not be served while another is held would fail the ``wait``."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsfold.api import Newsfold
from newsfold.store import SQLiteStore
from newsfold.web import create_app

from .conftest import AUTH, TOKEN, story_ids, warm_first_page

pytestmark = pytest.mark.extras

WAIT = 60  # seconds: only ever reached when the behaviour is broken (the test then fails)
READS = ("/", "/api/stories?limit=500", "/api/search?q=airlines", "/search?q=airlines")


def _articles(n: int) -> list[dict[str, str]]:
    return [{"id": f"reader-{k}", "title": f"Quokka census counts {k} new burrows on Rottnest",
             "text": f"Rangers on Rottnest Island counted {k} new quokka burrows this spring. "
                     "The census runs every year and the count has grown since the fires.",
             "source": "Island Herald", "published": "2024-09-0" + str(1 + k % 9)}
            for k in range(n)]


def test_readers_answer_while_an_ingest_holds_the_write_lock(
    scratch_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = story_ids(scratch_db)
    held, release = threading.Event(), threading.Event()
    with TestClient(create_app(scratch_db, ingest_token=TOKEN)) as c:
        site = c.app.state.site  # type: ignore[attr-defined]
        writer = site.writer.store
        original = writer.write_batch

        def write_and_hold(rows: Any, touched: Any) -> None:
            # the batch is written but not committed: the write lock stays taken meanwhile
            with writer.transaction():
                original(rows, touched)
                held.set()
                assert release.wait(WAIT), "the test never released the ingest"

        monkeypatch.setattr(writer, "write_batch", write_and_hold)
        answers: dict[str, Any] = {}

        def post() -> None:
            answers["post"] = c.post("/api/articles", json=_articles(12), headers=AUTH)

        poster = threading.Thread(target=post)
        poster.start()
        try:
            assert held.wait(WAIT), "the POST never reached its write"
            sid, aid = before[0], c.get(f"/api/stories/{before[0]}").json()["articles"][0]["id"]
            paths = [*READS, f"/stories/{sid}", f"/articles/{aid}", f"/api/articles/{aid}"] * 4
            with ThreadPoolExecutor(8) as pool:  # more readers at once than idle connections
                replies = list(pool.map(c.get, paths))
            assert [r.status_code for r in replies] == [200] * len(paths)
            assert not any("locked" in r.text for r in replies)
            listed = c.get("/api/stories?limit=500").json()
            # the uncommitted batch is not seen: the total and the rows are the state before it
            assert listed["total"] == len(before) == len(listed["stories"])
            assert [s["id"] for s in listed["stories"]] == before
            assert c.get("/api/search?q=quokka+burrows").json()["total_articles"] == 0
            assert not answers
        finally:
            release.set()
            poster.join(WAIT)
        assert answers["post"].status_code == 201 and answers["post"].json()["added"] == 12
        listed = c.get("/api/stories?limit=500").json()
        assert listed["total"] == len(listed["stories"]) > len(before)
        assert c.get("/api/search?q=quokka+burrows").json()["total_articles"] == 12


def test_a_slow_read_does_not_hold_up_other_reads(
    web_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    with TestClient(create_app(web_db)) as c:
        story = c.get("/api/stories").json()["stories"][0]["id"]
        held, other = (a["id"] for a in c.get(f"/api/stories/{story}").json()["articles"][:2])
        original = Newsfold.article

        def article(nf: Newsfold, article_id: str) -> Any:
            if article_id == held:
                started.set()
                assert release.wait(WAIT), "the test never released the read"
            return original(nf, article_id)

        monkeypatch.setattr(Newsfold, "article", article)
        answers: dict[str, Any] = {}

        def slow() -> None:
            answers["slow"] = c.get(f"/api/articles/{held}")

        reader = threading.Thread(target=slow)
        reader.start()
        try:
            assert started.wait(WAIT), "the held read never started"
            for path in (*READS, f"/api/articles/{other}", f"/articles/{other}"):
                assert c.get(path).status_code == 200
            assert not answers
        finally:
            release.set()
            reader.join(WAIT)
        assert answers["slow"].status_code == 200 and answers["slow"].json()["id"] == held


def _list_sql(store: SQLiteStore, limit: int, offset: int) -> str:
    """The SQL :meth:`SQLiteStore.stories` runs, as SQLite saw it."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        store.stories(limit=limit, offset=offset)
    finally:
        store.conn.set_trace_callback(None)
    (sql,) = [s for s in seen if "FROM stories" in s]
    return sql


def test_the_story_list_walks_its_index(web_db: str) -> None:
    store = SQLiteStore(web_db)
    try:
        sql = _list_sql(store, 50, 100)
        plan = " | ".join(str(r["detail"]) for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "USING INDEX stories_activity_order" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    finally:
        store.close()


def test_the_story_list_keeps_its_order(scratch_db: str) -> None:
    store = SQLiteStore(scratch_db)
    try:
        # stories tied on their activity time and on their last update, so every term counts
        top = store.conn.execute("SELECT MAX(seq), MAX(activity_ts) FROM stories").fetchone()
        extra = [(f"s-extra-{k}", top[0] + 1 + k, top[1] - k % 2, k % 4) for k in range(12)]
        store.conn.executemany(
            "INSERT INTO stories (id, seq, headline, activity_ts, updated_seq, created_at)"
            " VALUES (?, ?, 'extra', ?, ?, '2024-01-01')", extra)
        rows = store.conn.execute(
            "SELECT id, activity_ts, updated_seq, seq FROM stories NOT INDEXED").fetchall()
        want = [r["id"] for r in sorted(rows, key=lambda r: (
            -r["activity_ts"], -r["updated_seq"], r["seq"]))]
        assert len(want) == 24
        assert [s.id for s in store.stories()] == want
        paged = [s.id for k in range(0, len(want), 5) for s in store.stories(limit=5, offset=k)]
        assert paged == want
    finally:
        store.close()


def test_an_older_database_gets_the_index(scratch_db: str) -> None:
    conn = sqlite3.connect(scratch_db)
    conn.execute("DROP TABLE briefs")  # as schema 5 had it: what steps 6 and 7 add, gone
    conn.execute("ALTER TABLE stories DROP COLUMN version")
    conn.execute("DROP INDEX stories_activity_order")  # and step 8's columns
    conn.execute("ALTER TABLE stories DROP COLUMN updated_at")
    conn.execute("ALTER TABLE stories DROP COLUMN activity_ts")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    with TestClient(create_app(scratch_db)) as c:
        assert c.get("/api/stories").json()["stories"]
    store = SQLiteStore(scratch_db)
    try:
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "stories_activity_order" in names and "stories_order" not in names
    finally:
        store.close()


def test_serve_builds_the_first_page_briefs_ahead(web_db: str) -> None:
    with TestClient(create_app(web_db, warm=3)) as c:
        site, first = warm_first_page(c)
        built = {key[0] for key in site.briefs._items}
        assert built == set(first)
