"""Writers that see each other, and the fault suite.

Before a batch is decided, a writer takes in what other processes stored since it last looked,
under the write lock, so two ingests, or a server and an ingest, make the stories and copy
groups one process would. A writer killed at any point (SIGKILL: no clean-up) leaves whole
batches, and running it again stores every article exactly once.

Real articles: tests/data/cluster (NeuS and UCI headlines; Wikinews, with dates),
tests/data/dedupe (Wikinews with their copies) and examples/articles.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from newsfold import Newsfold, Settings
from newsfold.api import read_articles
from newsfold.pipeline import Pipeline
from newsfold.records import Article

from .conftest import DATA, EXAMPLES, ROOT
from .helpers import KILLER

SOURCES = [DATA / "cluster" / "articles.jsonl", DATA / "cluster" / "multiling.jsonl",
           DATA / "dedupe" / "multiling2011_first20.jsonl", EXAMPLES / "headlines.jsonl",
           EXAMPLES / "wikinews.jsonl", EXAMPLES / "allsides.jsonl"]
BATCH = 6


def _records() -> list[dict[str, Any]]:
    """Every source line, gold labels dropped, ids made unique across the files."""
    out = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                rec.pop("story", None)
                rec["id"] = f"{path.stem}-{rec['id']}"
                out.append(rec)
    return out


def _write(path: Path, recs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs),
                    encoding="utf-8")
    return path


def _articles(tmp: Path) -> list[Article]:
    read = read_articles([_write(tmp / "all.jsonl", _records())])
    assert not read.errors
    return read.articles


def _state(db: str) -> tuple[dict[str, str], set[frozenset[str]]]:
    """Every article's story, and the copy groups (each original with its copies)."""
    conn = sqlite3.connect(db)
    story = dict(conn.execute("SELECT id, story_id FROM articles"))
    groups: dict[str, set[str]] = defaultdict(set)
    for aid, dup in conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"):
        groups[dup].update((dup, aid))
    conn.close()
    return story, {frozenset(g) for g in groups.values()}


def _consistent(db: str, expected_ids: set[str]) -> None:
    """Every input article stored once, in a story whose row counts it; the text index whole."""
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    assert len(ids) == len(set(ids)) and set(ids) == expected_ids
    per_story = dict(conn.execute("SELECT story_id, COUNT(*) FROM articles GROUP BY story_id"))
    rows = dict(conn.execute("SELECT id, article_count FROM stories"))
    assert per_story == rows
    fts = conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
    assert fts == len(ids)
    dangling = conn.execute(
        "SELECT COUNT(*) FROM articles a WHERE duplicate_of IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM articles b WHERE b.id = a.duplicate_of)").fetchone()[0]
    assert dangling == 0
    conn.close()


def _settings(db: str) -> Settings:
    return Settings(db=db, batch_size=BATCH, brief_entity_model=False)


# -- two writers in one file --------------------------------------------------------------------
def test_two_writers_taking_turns_make_the_stories_and_copies_of_one(tmp_path: Path) -> None:
    """Two Newsfold instances (two states, two connections, as two processes have) take turns
    batch by batch; one instance ingests the same batches in the same order."""
    arts = _articles(tmp_path)
    chunks = [arts[i:i + BATCH] for i in range(0, len(arts), BATCH)]
    one_db, two_db = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    with Newsfold(one_db, settings=_settings(one_db)) as one:
        for chunk in chunks:
            one.add_articles(copy.deepcopy(chunk))
    a = Newsfold(two_db, settings=_settings(two_db))
    b = Newsfold(two_db, settings=_settings(two_db))
    try:
        a.pipeline, b.pipeline  # both states built before either writes  # noqa: B018
        for k, chunk in enumerate(chunks):
            (a, b)[k % 2].add_articles(copy.deepcopy(chunk))
    finally:
        a.close()
        b.close()
    one_story, one_groups = _state(one_db)
    two_story, two_groups = _state(two_db)
    assert one_groups and two_groups == one_groups
    assert two_story == one_story  # story ids included
    _consistent(two_db, set(one_story))


def test_without_catching_up_the_writers_miss_each_others_copies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same turns with catching up switched off: copies of the other writer's articles
    are missed, so the test above has something to catch."""
    monkeypatch.setattr(Pipeline, "catch_up", lambda self: 0)
    arts = _articles(tmp_path)
    chunks = [arts[i:i + BATCH] for i in range(0, len(arts), BATCH)]
    one_db, two_db = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    with Newsfold(one_db, settings=_settings(one_db)) as one:
        for chunk in chunks:
            one.add_articles(copy.deepcopy(chunk))
    a = Newsfold(two_db, settings=_settings(two_db))
    b = Newsfold(two_db, settings=_settings(two_db))
    try:
        a.pipeline, b.pipeline  # noqa: B018
        for k, chunk in enumerate(chunks):
            (a, b)[k % 2].add_articles(copy.deepcopy(chunk))
    finally:
        a.close()
        b.close()
    assert _state(two_db) != _state(one_db)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "newsfold", "-q", *args], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_two_ingest_processes_at_once_match_one_process_in_their_commit_order(
        tmp_path: Path) -> None:
    """Two ``newsfold ingest`` processes on interleaved halves, at once, into one file; then
    one process ingests the same batches in the order the two committed them."""
    recs = _records()
    chunks = [recs[i:i + BATCH] for i in range(0, len(recs), BATCH)]
    halves = chunks[0::2], chunks[1::2]
    files = [_write(tmp_path / f"half{k}.jsonl", [r for c in h for r in c])
             for k, h in enumerate(halves)]
    two_db = str(tmp_path / "two.db")
    env = dict(os.environ, NEWSFOLD_BATCH_SIZE=str(BATCH), NEWSFOLD_BRIEF_ENTITY_MODEL="0")
    procs = [_cli("ingest", "--db", two_db, str(f), env=env) for f in files]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err
    order = {aid: i for i, aid in enumerate(
        r[0] for r in sqlite3.connect(two_db).execute("SELECT id FROM articles ORDER BY seq"))}
    committed = sorted(chunks, key=lambda c: min(order[r["id"]] for r in c))
    one_db = str(tmp_path / "one.db")
    with Newsfold(one_db, settings=_settings(one_db)) as one:
        for k, chunk in enumerate(committed):
            one.add_articles(read_articles([_write(tmp_path / f"c{k}.jsonl", chunk)]).articles)
    assert _state(two_db) == _state(one_db)
    _consistent(two_db, {r["id"] for r in recs})


# -- a server and an ingest ---------------------------------------------------------------------
def test_an_open_instance_sees_a_copy_of_what_another_process_ingested(tmp_path: Path) -> None:
    """A server's Newsfold, open before a CLI ingest in another process, marks a copy of one
    of those articles as a copy in its story (as when a CLI ingest is followed by a POST of
    the same article)."""
    db = str(tmp_path / "shared.db")
    server = Newsfold(db, settings=_settings(db))
    try:
        server.add_articles(read_articles([EXAMPLES / "allsides.jsonl"]).articles)
        proc = _cli("ingest", "--db", db, str(EXAMPLES / "wikinews.jsonl"))
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        original = next(a for a in read_articles([EXAMPLES / "wikinews.jsonl"]).articles)
        stored = server.article(original.id)
        copy_ = Article(id="posted-copy", title=original.title, text=original.text,
                        source="Another Outlet", published=original.published)
        report = server.add_articles([copy_])
        assert report.duplicates == 1 and not report.new_stories
        posted = server.article("posted-copy")
        assert posted.duplicate_of == original.id and posted.story_id == stored.story_id
    finally:
        server.close()


@pytest.mark.extras
def test_the_web_api_marks_a_post_copy_of_a_cli_ingested_article(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsfold.web import create_app

    db = str(tmp_path / "web.db")
    Newsfold(db).close()
    token = "t-concurrency"
    with TestClient(create_app(db, ingest_token=token)) as client:
        auth = {"Authorization": f"Bearer {token}"}
        seed = {"id": "seed", "title": "Council votes on the zebrafish hatchery budget",
                "text": "The council voted on Tuesday to fund the zebrafish hatchery, a word "
                        "found nowhere else in these tests."}
        assert client.post("/api/articles", json=seed, headers=auth).status_code < 300
        proc = _cli("ingest", "--db", db, str(EXAMPLES / "wikinews.jsonl"))
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        original = read_articles([EXAMPLES / "wikinews.jsonl"]).articles[0]
        body = {"id": "posted-copy", "title": original.title, "text": original.text,
                "source": "Another Outlet"}
        r = client.post("/api/articles", json=body, headers=auth)
        assert r.status_code < 300, r.text
    with Newsfold(db) as nf:
        posted = nf.article("posted-copy")
        assert posted.duplicate_of == original.id
        assert posted.story_id == nf.article(original.id).story_id


# -- SIGKILL at a few points, then a re-run: exactly once ------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("point", "at"), [
    ("after-commit", 1), ("after-commit", 7), ("before-commit", 3), ("before-commit", 12),
    ("in-catch-up", 5),
])
def test_an_ingest_killed_at_any_point_completes_exactly_once(
        tmp_path: Path, point: str, at: int) -> None:
    recs = _records()
    src = _write(tmp_path / "all.jsonl", recs)
    env = dict(os.environ, NEWSFOLD_BATCH_SIZE=str(BATCH), NEWSFOLD_BRIEF_ENTITY_MODEL="0")
    clean_db, db = str(tmp_path / "clean.db"), str(tmp_path / "killed.db")
    proc = _cli("ingest", "--db", clean_db, str(src), env=env)
    assert proc.wait(timeout=300) == 0
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, point, str(at), "newsfold.store.sqlite:SQLiteStore",
         "ingest", "--db", db, str(src)],
        cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)  # the
    # pipes close only when the forked worker has gone too (it dies with its parent)
    assert killed.returncode == -signal.SIGKILL
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    committed = at if point == "after-commit" else at - 1
    assert stored == BATCH * committed  # whole batches only
    rerun = _cli("ingest", "--db", db, str(src), env=env)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    assert f"{stored} already stored".encode() in err or stored == 0
    _consistent(db, {r["id"] for r in recs})
    clean_story, clean_groups = _state(clean_db)
    story, groups = _state(db)
    assert groups == clean_groups
    assert story == clean_story
