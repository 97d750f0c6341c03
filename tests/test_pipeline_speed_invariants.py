"""The ingest speed-ups change nothing: each fast path against a plain reference.

* text: ``fold``, ``content_terms`` and ``sentences`` (tokenizer-only sentencizer with a
  no-tokenize fast path) against the straightforward spaCy/unicodedata versions;
* pipeline: the worker-process preparation gives the same store as the serial one;
* store: batched article inserts keep the FTS index in step.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest

import newsfold.pipeline as pipeline_mod
from newsfold import text as T
from newsfold.api import Newsfold
from newsfold.cluster import Clusterer, ClusterParams
from newsfold.pipeline import IngestReport
from newsfold.records import Article
from newsfold.settings import Settings
from tests.cluster.test_index import _articles

DATA = Path(__file__).resolve().parent / "data"


# -- text --------------------------------------------------------------------------------------
def _fold_ref(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower()


def _content_terms_ref(text: str) -> list[str]:
    out = []
    for w in T.WORD_RE.findall(_fold_ref(text)):
        if len(w) < 2 or w in T.STOPWORDS:
            continue
        out.append(T.stem(w) if w.isalpha() else w)
    return out


def _texts() -> list[str]:
    texts = [
        "", "Hello", "Hello.", "One. Two", "Mr. Smith went to Washington. He said “no.”",
        "U.S. officials met. They agreed!", "Wait... what?! Yes.", 'He said: "Go." Then left.',
        "Ends with quote.\u201d", "A.  B", "A.\tB", "A.\xa0B", "Zoë’s café. Naïve résumé!",
        "İstanbul. ǅ. ﬁn.", "。終わり。次", "Numbers 3.5 and 1,000. Next (yes).", "«Oui.» Non",
        "First para. Second.\n\nThird para! Fourth?\n“Quote.”\n)", "(Reuters) - Text. More.",
    ]
    for r in (json.loads(x) for x in (DATA / "cluster" / "articles.jsonl").read_text(
            encoding="utf-8").splitlines() if x.strip()):
        texts += [r["title"], r["text"] or ""]
    alphabet = list(" .!?a bC'\"()[]-—…,;:\t\n\xa0") + [
        "’", "“", "”", "é", "\u0301", "$", "5", "Mr.", "U.S.", "..."]
    rnd = random.Random(7)
    for _ in range(3000):
        texts.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 50))))
    return texts


def test_text_fast_paths_match_reference() -> None:
    for t in _texts():
        assert T.fold(t) == _fold_ref(t), t
        assert T.content_terms(t) == _content_terms_ref(t), t


# -- pipeline and store ------------------------------------------------------------------------
def _write_corpus(path: Path) -> None:
    rows = [json.loads(x) for x in (DATA / "cluster" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    with open(path, "w", encoding="utf-8") as f:
        for rep in range(4):
            for r in rows:
                r = dict(r, id=f"{r['id']}-{rep}")
                r.pop("story", None)
                f.write(json.dumps(r) + "\n")
        f.write("not json\n")
        f.write(json.dumps({"id": "empty"}) + "\n")
        f.write(json.dumps(dict(rows[0], id=f"{rows[0]['id']}-0")) + "\n")  # already in input


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


def _serial_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Settings, IngestReport, str]:
    """The test corpus ingested serially in small chunks and batches: the reference store."""
    corpus = tmp_path / "in.jsonl"
    _write_corpus(corpus)
    settings = Settings(batch_size=7)
    monkeypatch.setattr(pipeline_mod, "_CHUNK", 5)
    monkeypatch.setattr(pipeline_mod, "_PARALLEL", False)
    ref_db = str(tmp_path / "ref.db")
    with Newsfold(ref_db, settings=settings) as nf:
        ref = nf.ingest([corpus])
    return corpus, settings, ref, ref_db


@pytest.mark.parametrize("parallel", [False, True])
def test_worker_preparation_changes_nothing(tmp_path: Path, parallel: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, settings, ref, ref_db = _serial_reference(tmp_path, monkeypatch)
    monkeypatch.setattr(pipeline_mod, "_PARALLEL", parallel)
    pools: list[object] = []

    class Pool(pipeline_mod.ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            pools.append(self)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_mod, "ProcessPoolExecutor", Pool)
    db = str(tmp_path / "x.db")
    with Newsfold(db, settings=settings) as nf:
        got = nf.ingest([corpus])
    if threading.active_count() == 1:  # else (threads left by other tests) it runs serially
        assert len(pools) == (1 if parallel else 0)
    assert got.added == ref.added > 100
    assert got.skipped == ref.skipped and len(got.skipped) == 2
    assert got.already_stored == ref.already_stored == 1
    assert (got.duplicates, got.new_stories, got.touched_stories) == (
        ref.duplicates, ref.new_stories, ref.touched_stories)
    assert _dump(db) == _dump(ref_db)


def test_added_articles_stay_the_callers_objects(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_mod, "_CHUNK", 4)
    arts = _articles()[:40]
    with Newsfold(str(tmp_path / "a.db"), settings=Settings(batch_size=6)) as nf:
        nf.add_articles(arts)
        stored = {a.id: a.story_id for a in nf.articles()}
    assert all(a.story_id and a.content_hash for a in arts)
    assert {a.id: a.story_id for a in arts} == stored


def _die(chunk: list[object]) -> list[object]:
    import os

    os._exit(3)


def test_a_dead_worker_falls_back_to_this_process(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, settings, _, ref_db = _serial_reference(tmp_path, monkeypatch)
    monkeypatch.setattr(pipeline_mod, "_PARALLEL", True)
    monkeypatch.setattr(pipeline_mod, "_prepare_chunk", _die)
    db = str(tmp_path / "x.db")
    with Newsfold(db, settings=settings) as nf:
        nf.ingest([corpus])
    assert _dump(db) == _dump(ref_db)


def test_worker_path_in_a_fresh_process(tmp_path: Path) -> None:
    """The parametrised test above, in a single-threaded interpreter, so the worker is used."""
    root = Path(__file__).resolve().parent.parent
    code = (
        "import pathlib, pytest, sys\n"
        "import threading\n"
        "from tests import test_pipeline_speed_invariants as t\n"
        "assert threading.active_count() == 1\n"
        "mp = pytest.MonkeyPatch()\n"
        "t.test_worker_preparation_changes_nothing(pathlib.Path(sys.argv[1]), True, mp)\n"
        "mp.undo()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")


def test_added_articles_reach_the_worker_with_their_outlet() -> None:
    """Articles built in Python are sent to the worker as plain fields: the features made there
    are the ones made here, and the outlet arrives with the article."""
    worker = pipeline_mod._Worker(Settings())
    for a in _articles()[:40]:
        a.source = a.source or "Reuters"
        a.url = "https://www.example.com/a"
        here = worker.finish(a)
        there = worker.unwire(a, worker.raw(pipeline_mod._wire(a)))
        assert not isinstance(there, Exception)
        assert there.features == here.features
        assert there.article.known_outlet == here.article.known_outlet
        assert there.signature == here.signature and there.content_hash == here.content_hash


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
    from functools import partial

    monkeypatch.setattr(pipeline_mod, "Clusterer",
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
