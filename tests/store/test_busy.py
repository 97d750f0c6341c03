"""A database another process is writing: a write waits for the lock, and past the busy
timeout gives up with newsfold's own error (exit 3), never a ``database is locked`` traceback.
The other writer is a connection holding ``BEGIN IMMEDIATE``."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from newsfold import Newsfold, StoreError
from newsfold.cli import EXIT_ERROR, main
from newsfold.errors import ConfigError
from newsfold.store import SQLiteStore, StoreBusyError

from ..conftest import EXAMPLES

HEADLINES = EXAMPLES / "headlines.jsonl"


@contextmanager
def lock_held(db: str, release: threading.Event | None = None) -> Iterator[threading.Event]:
    """Another connection holds the write lock (``BEGIN IMMEDIATE``) until the block ends, or
    until ``release`` is set; the lock is taken before the block starts."""
    taken = threading.Event()
    done = release or threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO feeds (url, added_at) VALUES ('https://x.test/feed', 'now')")
        taken.set()
        done.wait(60)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    taken.wait(10)
    try:
        yield done
    finally:
        done.set()
        thread.join(60)


def test_a_lock_held_past_the_busy_timeout_is_a_clear_store_error(
        db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Newsfold(db).close()  # the file exists, migrated
    monkeypatch.setenv("NEWSFOLD_BUSY_TIMEOUT", "0.2")
    with lock_held(db), Newsfold(db) as nf:  # opening only reads: it does not wait
        with pytest.raises(StoreBusyError) as caught:
            nf.ingest([HEADLINES])
        message = str(caught.value)
        assert isinstance(caught.value, StoreError)
        assert db in message and "busy" in message and "NEWSFOLD_BUSY_TIMEOUT" in message
        assert "database is locked" not in message
    with Newsfold(db) as nf:  # nothing half-written; a run once the lock is free completes
        assert nf.store.article_count() == 0
        report = nf.ingest([HEADLINES])
        assert report.added == 20 and nf.store.article_count() == 20


def test_the_cli_says_the_database_is_busy_and_exits_3(
        db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Newsfold(db).close()
    monkeypatch.setenv("NEWSFOLD_BUSY_TIMEOUT", "0.2")
    with lock_held(db):
        result = CliRunner().invoke(main, ["ingest", "--db", db, str(HEADLINES)])
    assert result.exit_code == EXIT_ERROR
    assert isinstance(result.exception, SystemExit)  # not an uncaught exception
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "newsfold: error: database" in out and "is busy" in out
    assert "Traceback" not in out


def test_a_lock_held_shorter_than_the_busy_timeout_is_waited_for(db: str) -> None:
    Newsfold(db).close()
    release = threading.Event()
    with lock_held(db, release), Newsfold(db) as nf:
        timer = threading.Timer(0.3, release.set)
        timer.start()
        report = nf.ingest([HEADLINES])  # waits (busy timeout 30 s) until the lock is freed
        timer.join()
        assert report.added == 20 and not report.skipped
        assert nf.store.article_count() == 20


def test_a_store_waits_as_long_as_it_is_told(db: str) -> None:
    SQLiteStore(db).close()
    store = SQLiteStore(db, busy_timeout=0.1)
    with lock_held(db), pytest.raises(StoreBusyError, match=r"more than 0\.1 s"):
        store.set_headlines({"s-x": "x"})
    store.close()


def test_the_entity_cache_gives_up_quietly_when_the_database_is_busy(db: str) -> None:
    SQLiteStore(db).close()
    store = SQLiteStore(db)  # a 30 s busy timeout: the cache must not wait for it
    with lock_held(db):
        store.put_mentions("m", {"k": [("Paris", "GPE")]})
    assert store.get_mentions("m", ["k"]) == {}
    store.close()


@pytest.mark.parametrize("raw", ["-1", "soon", "nan", "inf"])
def test_a_bad_busy_timeout_is_a_config_error(raw: str, db: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFOLD_BUSY_TIMEOUT", raw)
    with pytest.raises(ConfigError, match="NEWSFOLD_BUSY_TIMEOUT"):
        Newsfold(db)
