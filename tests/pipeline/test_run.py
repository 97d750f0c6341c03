"""The ingest flow: the worker process changes no stored byte, articles built in Python stay
the caller's objects, and forgetting dormant stories changes nothing for input in time order.
Each stored result is compared as the whole store (articles, stories, the full-text index)."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

import pytest

import newsfold.pipeline.run as run_mod
from newsfold.api import Newsfold
from newsfold.cluster import Clusterer, ClusterParams
from newsfold.records import Article
from newsfold.settings import Settings
from tests.cluster.test_index import _articles

from ..helpers import run_alone
from .corpus import write_corpus


def _dump(db: str) -> dict[str, object]:
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    out = {
        "articles": conn.execute(
            "SELECT seq, id, story_id, duplicate_of, content_hash, features, signature,"
            " published_ts, outlet FROM articles ORDER BY seq").fetchall(),
        "stories": conn.execute(
            "SELECT id, seq, headline, article_count, outlet_count, first_published,"
            " last_published, last_ts, updated_seq FROM stories ORDER BY seq").fetchall(),
        "fts": conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Kerry OR Iran'"
            " ORDER BY rowid").fetchall(),
    }
    conn.close()
    return out


def test_the_worker_process_changes_nothing(tmp_path: Path) -> None:
    """Run here and in a fresh single-threaded interpreter (below), where the worker is used."""
    corpus = write_corpus(tmp_path / "in.jsonl")
    reports = []
    for worker in (False, True):
        with Newsfold(str(tmp_path / f"{worker}.db"),
                      settings=Settings(batch_size=7, ingest_worker=worker)) as nf:
            reports.append(nf.ingest([corpus]))
    ref, got = reports
    assert got.added == ref.added > 100
    assert got.skipped == ref.skipped and len(got.skipped) == 2
    assert got.already_stored == ref.already_stored == 1
    assert (got.duplicates, got.new_stories, got.touched_stories) == (
        ref.duplicates, ref.new_stories, ref.touched_stories)
    assert _dump(str(tmp_path / "True.db")) == _dump(str(tmp_path / "False.db"))


def test_the_worker_process_changes_nothing_in_a_fresh_process(tmp_path: Path) -> None:
    run_alone("tests.pipeline.test_run", ["test_the_worker_process_changes_nothing"], tmp_path)


def test_added_articles_stay_the_callers_objects(tmp_path: Path) -> None:
    arts = _articles()[:40]
    with Newsfold(str(tmp_path / "a.db"), settings=Settings(batch_size=6)) as nf:
        nf.add_articles(arts)
        stored = {a.id: a.story_id for a in nf.articles()}
    assert all(a.story_id and a.content_hash for a in arts)
    assert {a.id: a.story_id for a in arts} == stored


# -- eviction of dormant state -----------------------------------------------------------------
def _eras() -> list[Article]:
    """The fixture's real NeuS articles, repeated (re-worded) in four eras 800 days apart, in
    time order: every era's stories are dormant for the next one."""
    from datetime import UTC, datetime, timedelta

    base = datetime(2012, 1, 1, tzinfo=UTC)
    out = []
    for a in _articles():
        if a.published is not None:  # the undated NeuS rows only (no headline-only copies)
            continue
        rep = int(a.id.rsplit("-", 1)[1])
        era, k = divmod(rep, 2)
        day = base + timedelta(days=800 * era + 16 * k + int(a.id.split("-")[2]))
        out.append(Article(id=a.id, title=a.title, text=a.text, published=day.isoformat()))
    out.sort(key=lambda a: a.published or "")
    return out


def test_eviction_changes_nothing_for_input_in_time_order(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_mod, "Clusterer",
                        partial(Clusterer, params=ClusterParams(clock_rank=5)))
    arts = _eras()
    ref_db = str(tmp_path / "ref.db")
    with Newsfold(ref_db, settings=Settings(batch_size=10,
                                            cluster_evict_margin_days=float("inf"))) as nf:
        nf.add_articles(arts)
        assert nf.pipeline.clusterer.evicted == 0
    db = str(tmp_path / "a.db")
    with Newsfold(db, settings=Settings(batch_size=10)) as nf:
        nf.add_articles(_eras())
        cl, dd = nf.pipeline.clusterer, nf.pipeline.deduper
        assert cl.evicted > 0 and len(dd._sigs) < len(dd)
        horizon = cl.horizon()
        assert horizon is not None
        dormant = [s for s in cl.stories if s.last is not None and s.last.timestamp() < horizon]
        assert dormant and all(s.evicted and not s.members and not s.cent for s in dormant)
        assert all(not s.evicted for s in cl.stories
                   if s.last is not None and s.last.timestamp() >= horizon)
    assert _dump(db) == _dump(ref_db)
    # A store restored in a later session evicts the same stories and continues the same way.
    half = len(arts) // 2
    db2 = str(tmp_path / "b.db")
    with Newsfold(db2, settings=Settings(batch_size=10)) as nf:
        nf.add_articles(_eras()[:half])
    with Newsfold(db2, settings=Settings(batch_size=10)) as nf:
        nf.add_articles(_eras()[half:])
        assert nf.pipeline.clusterer.evicted > 0
    assert _dump(db2)["articles"] == _dump(ref_db)["articles"]


def test_a_restore_frees_dormant_stories_as_it_goes(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Restoring a store whose eras are long dormant never holds them all at once, and ends in
    the state that restoring everything and then evicting reaches."""
    monkeypatch.setattr(run_mod, "Clusterer",
                        partial(Clusterer, params=ClusterParams(clock_rank=5)))
    db = str(tmp_path / "a.db")
    with Newsfold(db, settings=Settings(batch_size=10)) as nf:
        nf.add_articles(_eras())
        first = nf.pipeline.clusterer
        alive_after_ingest = {s.id for s in first.stories if s.members}
    held: list[int] = []
    absorb = run_mod.Pipeline._absorb

    def counting(self: run_mod.Pipeline, row: object, *args: object) -> None:
        absorb(self, row, *args)  # type: ignore[arg-type]
        held.append(sum(1 for s in self.clusterer.stories if s.members))

    monkeypatch.setattr(run_mod.Pipeline, "_absorb", counting)
    with Newsfold(db, settings=Settings(batch_size=10)) as nf:
        restored = nf.pipeline
        cl = restored.clusterer
        alive = {s.id for s in cl.stories if s.members}
        # the same stories hold scoring state as after the ingest, with the same members
        assert alive == alive_after_ingest
        assert {s.id: len(s.members) for s in cl.stories if s.members} == {
            s.id: len(s.members) for s in first.stories if s.members}
        # the copy detector forgot the old eras' articles: it never took them in
        assert len(restored.deduper._sigs) < len(held)
    dormant = sum(1 for s in cl.stories if s.evicted)
    assert dormant > 2 * len(alive)
    # at no point did the restore hold every story's state (one batch of slack)
    assert max(held) <= len(alive) + 10 < dormant + len(alive)
