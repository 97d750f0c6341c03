"""PostgreSQL against SQLite on real articles: the same stories and briefs end to end, several
writers making the stories of one, and a store copied from one to the other whole.

Real articles: examples/articles, tests/data/cluster (NeuS and UCI headlines, Wikinews) and
tests/data/dedupe (Wikinews with their copies).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from newsfold import Newsfold, Settings
from newsfold.api import read_articles
from newsfold.pipeline import Pipeline
from newsfold.store import Store, open_store
from newsfold.store.base import TABLES

from ..conftest import DATA, EXAMPLES, ROOT
from ..helpers import KILLER
from ..test_concurrency import BATCH, _articles, _records, _write

INPUTS = [EXAMPLES, DATA / "cluster" / "articles.jsonl", DATA / "dedupe"]


def _settings(db: str) -> Settings:
    return Settings(db=db, batch_size=BATCH, brief_entity_model=False)


def _state(address: str) -> tuple[dict[str, str], set[frozenset[str]]]:
    """Every article's story, and the copy groups (each original with its copies)."""
    store = open_store(address)
    try:
        rows = list(store.dump("articles"))
    finally:
        store.close()
    groups: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["duplicate_of"] is not None:
            groups[r["duplicate_of"]].update((r["duplicate_of"], r["id"]))
    return {r["id"]: r["story_id"] for r in rows}, {frozenset(g) for g in groups.values()}


def _consistent(address: str, expected_ids: set[str]) -> None:
    """Every input article stored once, in a story whose row counts it."""
    store = open_store(address)
    try:
        ids = [r["id"] for r in store.rows("SELECT id FROM articles")]
        assert len(ids) == len(set(ids)) and set(ids) == expected_ids
        per_story = {r["story_id"]: r["n"] for r in store.rows(
            "SELECT story_id, COUNT(*) AS n FROM articles GROUP BY story_id")}
        assert per_story == {s.id: s.articles for s in store.stories()}
    finally:
        store.close()


def test_ingest_stories_and_briefs_are_the_same_on_both_stores(
        tmp_path: Path, pg_db: str) -> None:
    lite = str(tmp_path / "lite.db")
    reports, stories, briefs = [], [], []
    for address in (lite, pg_db):
        settings = Settings(db=address, batch_size=16, brief_entity_model=False)
        with Newsfold(address, settings=settings) as nf:
            report = nf.ingest(INPUTS)
            reports.append((report.added, report.duplicates, report.new_stories, report.merges))
            stories.append(nf.stories())
            briefs.append({s.id: nf.brief(s.id).to_dict() for s in stories[-1]})
    assert reports[0][0] > 80 and reports[0][1] > 0  # articles and copies
    assert reports[1] == reports[0]
    assert stories[1] == stories[0]  # ids, headlines, counts, order
    assert len(stories[0]) > 10
    assert briefs[1] == briefs[0]
    assert _state(pg_db) == _state(lite)


def test_search_matches_the_same_articles_on_both_stores(tmp_path: Path, pg_db: str) -> None:
    lite = str(tmp_path / "lite.db")
    for address in (lite, pg_db):
        with Newsfold(address, settings=_settings(address)) as nf:
            nf.ingest([EXAMPLES])
    with Newsfold(lite) as a, Newsfold(pg_db) as b:
        for query in ("navy", "British sailors Iran", "the", "election results", "nothingxyz"):
            ra, rb = a.search(query, limit=100), b.search(query, limit=100)
            assert rb.total_articles == ra.total_articles, query
            assert {h.id for h in rb.articles} == {h.id for h in ra.articles}, query
            assert {s.id for s in rb.stories} == {s.id for s in ra.stories}, query
        top = a.search("navy sailors").articles[0]
        assert b.search("navy sailors").articles[0].id == top.id  # the title counts most
        assert any(hit for _, hit in b.search("navy").articles[0].snippet)


# -- several writers on one PostgreSQL database ---------------------------------------------------
def _turns(tmp_path: Path, address: str) -> None:
    arts = _articles(tmp_path)
    chunks = [arts[i:i + BATCH] for i in range(0, len(arts), BATCH)]
    a = Newsfold(address, settings=_settings(address))
    b = Newsfold(address, settings=_settings(address))
    try:
        a.pipeline, b.pipeline  # both states built before either writes  # noqa: B018
        for k, chunk in enumerate(chunks):
            (a, b)[k % 2].add_articles(copy.deepcopy(chunk))
    finally:
        a.close()
        b.close()


def _one(tmp_path: Path) -> str:
    one = str(tmp_path / "one.db")
    arts = _articles(tmp_path)
    with Newsfold(one, settings=_settings(one)) as nf:
        for i in range(0, len(arts), BATCH):
            nf.add_articles(copy.deepcopy(arts[i:i + BATCH]))
    return one


def test_two_writers_taking_turns_make_the_stories_and_copies_of_one(
        tmp_path: Path, pg_db: str) -> None:
    one = _one(tmp_path)
    _turns(tmp_path, pg_db)
    one_story, one_groups = _state(one)
    two_story, two_groups = _state(pg_db)
    assert one_groups and two_groups == one_groups
    assert two_story == one_story  # story ids included
    _consistent(pg_db, set(one_story))


def test_without_catching_up_the_writers_miss_each_others_copies(
        tmp_path: Path, pg_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    one = _one(tmp_path)
    monkeypatch.setattr(Pipeline, "catch_up", lambda self: 0)
    _turns(tmp_path, pg_db)
    assert _state(pg_db) != _state(one)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "newsfold", "-q", *args], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_two_ingest_processes_at_once_match_one_process_in_their_commit_order(
        tmp_path: Path, pg_db: str) -> None:
    recs = _records()
    chunks = [recs[i:i + BATCH] for i in range(0, len(recs), BATCH)]
    files = [_write(tmp_path / f"half{k}.jsonl", [r for c in chunks[k::2] for r in c])
             for k in range(2)]
    env = dict(os.environ, NEWSFOLD_BATCH_SIZE=str(BATCH), NEWSFOLD_BRIEF_ENTITY_MODEL="0",
               PYTHONPATH=str(ROOT / "src"))
    open_store(pg_db).close()  # migrated before the two start
    procs = [_cli("ingest", "--db", pg_db, str(f), env=env) for f in files]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    store = open_store(pg_db)
    order = {r["id"]: i for i, r in enumerate(store.dump("articles"))}
    store.close()
    committed = sorted(chunks, key=lambda c: min(order[r["id"]] for r in c))
    one = str(tmp_path / "one.db")
    with Newsfold(one, settings=_settings(one)) as nf:
        for k, chunk in enumerate(committed):
            nf.add_articles(read_articles([_write(tmp_path / f"c{k}.jsonl", chunk)]).articles)
    assert _state(pg_db) == _state(one)
    _consistent(pg_db, {r["id"] for r in recs})


# -- newsfold migrate ---------------------------------------------------------------------------
def _everything(store: Store) -> dict[str, list[dict[str, object]]]:
    return {t: list(store.dump(t)) for t in TABLES}


def test_migrate_copies_everything_and_the_copy_goes_on(tmp_path: Path, pg_db: str) -> None:
    from newsfold.store.feeds import add_feed, mark_fetched

    src = str(tmp_path / "src.db")
    with Newsfold(src, settings=_settings(src)) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl", EXAMPLES / "headlines.jsonl"])
        older, younger = sorted(nf.stories(), key=lambda s: s.created_seq)[:2]
        nf.store.merge_stories([(older.id, younger.id)])
        add_feed(nf.store, "https://example.org/feed.xml", title="Example", interval_s=60.0)
        mark_fetched(nf.store, ["https://example.org/a"], url="https://example.org/a",
                     article_id="M0020", status="stored")
        nf.store.put_mentions("m", {"k": [("Iran", "GPE")]})
    done = subprocess.run([sys.executable, "-m", "newsfold", "migrate", "--from", src,
                           "--to", pg_db], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "articles" in done.stderr
    a, b = open_store(src), open_store(pg_db)
    try:
        assert _everything(b) == _everything(a)
        assert b.marks() == a.marks() and b.stories() == a.stories()
        assert b.merged_into(younger.id) == older.id
        assert b.search("navy").total_articles == a.search("navy").total_articles > 0
    finally:
        a.close()
        b.close()
    # a second copy into a store that is not empty is refused
    again = subprocess.run([sys.executable, "-m", "newsfold", "migrate", "--from", src,
                            "--to", pg_db], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), timeout=300)
    assert again.returncode == 3 and "not empty" in again.stderr
    # both go on the same way: the same new articles make the same stories
    for address in (src, pg_db):
        with Newsfold(address, settings=_settings(address)) as nf:
            nf.ingest([EXAMPLES / "allsides.jsonl"])
    assert _state(pg_db) == _state(src)
    # and back to SQLite
    back = str(tmp_path / "back.db")
    done = subprocess.run([sys.executable, "-m", "newsfold", "migrate", "--from", pg_db,
                           "--to", back], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), timeout=300)
    assert done.returncode == 0, done.stderr
    # (the PostgreSQL store is the source now: src took the same articles a moment apart, so
    # its ingest times may differ by a second)
    a, b = open_store(pg_db), open_store(back)
    try:
        assert _everything(b) == _everything(a)
        assert b.search("navy").total_articles == a.search("navy").total_articles
    finally:
        a.close()
        b.close()


# -- SIGKILL mid-run, then a re-run: exactly once ----------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("point", "at"), [("after-commit", 2), ("before-commit", 4)])
def test_an_ingest_killed_mid_run_completes_exactly_once(
        tmp_path: Path, pg_db: str, point: str, at: int) -> None:
    import signal

    recs = _records()
    src = _write(tmp_path / "all.jsonl", recs)
    env = dict(os.environ, NEWSFOLD_BATCH_SIZE=str(BATCH), NEWSFOLD_BRIEF_ENTITY_MODEL="0",
               PYTHONPATH=str(ROOT / "src"))
    clean = str(tmp_path / "clean.db")
    assert _cli("ingest", "--db", clean, str(src), env=env).wait(timeout=300) == 0
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, point, str(at), "newsfold.store.postgres:PostgresStore",
         "ingest", "--db", pg_db, str(src)],
        cwd=ROOT, env=env, capture_output=True, timeout=300, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    store = open_store(pg_db)
    stored = store.article_count()
    store.close()
    assert stored == BATCH * (at if point == "after-commit" else at - 1)  # whole batches
    rerun = _cli("ingest", "--db", pg_db, str(src), env=env)  # the dead writer's lock is gone
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    _consistent(pg_db, {r["id"] for r in recs})
    assert _state(pg_db) == _state(clean)


# -- errors ----------------------------------------------------------------------------------------
def test_a_lost_connection_is_a_store_error_that_says_what_to_do(
        pg_server: str, pg_db: str) -> None:
    import psycopg

    from newsfold.errors import StoreError

    store = open_store(pg_db)
    pid = store.conn.info.backend_pid  # type: ignore[attr-defined]
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreError, match="server is running"):
        store.article_count()
    with pytest.raises(StoreError, match="server is running"), store.transaction():
        pass
    store.close()


def test_an_unreachable_server_is_named_without_its_password(pg_server: str) -> None:
    from newsfold.errors import StoreError

    port = int(pg_server.rsplit(":", 1)[1])
    with pytest.raises(StoreError, match="cannot open database") as info:
        open_store(f"postgresql://newsfold:s3cret@127.0.0.1:{port}/no_such_database")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)


def test_a_server_that_never_answers_is_given_up_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that takes the connection but never answers (a hung server, a firewall) is an
    error after the connect timeout, not a wait for ever."""
    import socket

    from newsfold.errors import StoreError
    from newsfold.store import postgres

    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT", 1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with pytest.raises(StoreError, match="cannot open database"):
            open_store(f"postgresql://newsfold@127.0.0.1:{port}/news")
