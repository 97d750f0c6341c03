"""The SQLite store: migrations, transactions, and a crash that leaves nothing half-written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsfold import Newsfold, NotFoundError, Settings, StoreError
from newsfold.store import SQLiteStore
from newsfold.store.migrations import SCHEMA_VERSION

from ..conftest import EXAMPLES


def test_new_database_is_migrated(db: str) -> None:
    store = SQLiteStore(db)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()
    # reopening does not migrate twice
    SQLiteStore(db).close()


def test_a_newer_schema_is_refused(db: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="upgrade newsfold"):
        SQLiteStore(db)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text((EXAMPLES / "000_b0e822d6a9f2215a.txt").read_text(encoding="utf-8"))
    with pytest.raises(StoreError, match="cannot open database"):
        SQLiteStore(str(path))


def test_a_crash_mid_run_keeps_whole_batches_and_a_rerun_completes(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(db=db, batch_size=5)
    inputs = [EXAMPLES / "headlines.jsonl", EXAMPLES / "wikinews.jsonl"]
    with Newsfold(db, settings=settings) as nf:
        calls = {"n": 0}
        original = nf.pipeline.clusterer.assign

        def failing(*args: object, **kwargs: object) -> str:
            calls["n"] += 1
            if calls["n"] == 8:
                raise KeyboardInterrupt  # as if the process were stopped here
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(nf.pipeline.clusterer, "assign", failing)
        with pytest.raises(KeyboardInterrupt):
            nf.ingest(inputs)
        assert nf.store.article_count() == 5  # the first batch only, whole
        stories = {s.id: s.articles for s in nf.stories()}
        assert sum(stories.values()) == 5
    with Newsfold(db, settings=settings) as nf:
        report = nf.ingest(inputs)
        assert report.already_stored == 5 and not report.skipped
        assert nf.store.article_count() == 28
        assert sum(s.articles for s in nf.stories()) == 28


def test_unknown_ids_raise_not_found(db: str) -> None:
    with Newsfold(db) as nf:
        with pytest.raises(NotFoundError, match="no story with id"):
            nf.brief("s-0000000000")
        with pytest.raises(NotFoundError, match="no article with id"):
            nf.article("missing")


def test_a_merge_moves_articles_keeps_the_older_id_and_old_ids_still_resolve(db: str) -> None:
    with Newsfold(db) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl"])
        stories = sorted(nf.stories(), key=lambda s: s.created_seq)
        assert len(stories) == 2
        older, younger = stories[0].id, stories[1].id
        total = stories[0].articles + stories[1].articles
        nf.store.merge_stories([(older, younger)])
        (merged,) = nf.stories()
        assert merged.id == older and merged.articles == total
        assert {a.story_id for a in nf.articles()} == {older}
        assert nf.story(younger).id == older
        assert nf.brief(younger).id == older
        row = nf.store.conn.execute("SELECT old_id, new_id FROM story_merges").fetchone()
        assert tuple(row) == (younger, older)
    with Newsfold(db) as nf:  # a later run rebuilds its state from the merged store
        report = nf.ingest([EXAMPLES / "wikinews.jsonl"])
        assert report.already_stored == total
        assert {nf.pipeline.clusterer.story_of(a.id) for a in nf.articles()} == {older}


def test_story_heads_are_the_story_articles_headline_fields(db: str) -> None:
    with Newsfold(db) as nf:
        nf.ingest([EXAMPLES])
        for info in nf.stories():
            full = nf.store.story_articles(info.id)
            heads = nf.store.story_heads(info.id)
            assert [(a.id, a.title, a.text, a.published, a.duplicate_of) for a in heads] == [
                (a.id, a.title, a.text, a.published, a.duplicate_of) for a in full]
        assert any(len(nf.store.story_heads(s.id)) > 1 for s in nf.stories())


def test_merges_list_each_absorbed_id_with_the_id_it_goes_by_now(db: str) -> None:
    store = SQLiteStore(db)
    store.merge_stories([("s-b", "s-c")])
    store.merge_stories([("s-a", "s-b")])
    assert dict(store.merges()) == {"s-c": "s-a", "s-b": "s-a"}
    store.close()
