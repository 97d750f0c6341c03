"""``newsfold eval cluster`` and its baseline, on real articles with gold stories
(tests/data/cluster, see its PROVENANCE.md)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from newsfold.cli import main
from newsfold.eval.baseline import BASELINE_DISTANCE, baseline_clusters, read_gold
from newsfold.eval.cluster import evaluate_clustering, ingest_order
from newsfold.eval.metrics import cluster_scores

from ..conftest import DATA

ARTICLES = DATA / "cluster" / "articles.jsonl"
MULTILING = DATA / "cluster" / "multiling.jsonl"
SCORE_KEYS = ("bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_precision",
              "pairwise_recall", "pairwise_f1", "ari", "ami")


def _f1(path: Path, pred: dict[str, str] | None = None) -> tuple[float, float]:
    """B-cubed F1 of the baseline (or ``pred``) and of putting every article in one cluster."""
    read, gold = read_gold(path)
    pred = pred or baseline_clusters(read.articles)
    ids = sorted(gold)
    got = cluster_scores([gold[i] for i in ids], [pred[i] for i in ids])["bcubed_f1"]
    one = cluster_scores([gold[i] for i in ids], ["all"] * len(ids))["bcubed_f1"]
    return got, one


def test_the_baseline_separates_the_stories() -> None:
    got, one = _f1(ARTICLES)
    assert got >= 0.9 and got > one + 0.5
    got, one = _f1(MULTILING)
    assert got > one


def test_the_baseline_does_not_depend_on_input_order() -> None:
    read, _ = read_gold(ARTICLES)
    more, _ = read_gold(MULTILING)
    articles = read.articles + more.articles
    expected = baseline_clusters(articles)
    assert set(expected) == {a.id for a in articles}
    for seed in range(3):
        shuffled = list(articles)
        random.Random(seed).shuffle(shuffled)
        assert baseline_clusters(shuffled) == expected
    assert baseline_clusters(list(reversed(articles))) == expected


def test_articles_without_a_term_are_clusters_of_their_own() -> None:
    read, _ = read_gold(ARTICLES)
    blank = [replace(a, title="It was the", text="") for a in read.articles[:3]]
    got = baseline_clusters(read.articles[3:] + blank)
    labels = [got[a.id] for a in blank]
    assert len(set(labels)) == 3
    assert not set(labels) & {got[a.id] for a in read.articles[3:]}
    assert len(set(baseline_clusters(blank).values())) == 3


def test_the_default_order_is_a_seeded_shuffle_then_publication_order() -> None:
    read, gold = read_gold(ARTICLES)
    ids = [a.id for a in read.articles]

    def order(file_order: bool = False, shuffle_seed: int = 0) -> tuple[list[str], str]:
        got, name = ingest_order(read.articles, file_order, shuffle_seed)
        return [a.id for a in got], name

    seed0, name0 = order(shuffle_seed=0)
    assert name0 == "shuffled, seed 0"
    assert order(shuffle_seed=0) == (seed0, name0)
    seed1, name1 = order(shuffle_seed=1)
    assert name1 == "shuffled, seed 1"
    assert seed1 != seed0 and sorted(seed1) == sorted(seed0) == sorted(ids)
    assert seed0 != ids
    assert order(file_order=True) == (ids, "file order")
    by_id = {a.id: a for a in read.articles}
    times = [by_id[i].published_at for i in seed0 if by_id[i].published_at is not None]
    assert times == sorted(times)
    # the undated NeuS articles, listed story by story in the file, no longer come that way
    undated = [gold[i] for i in seed0 if by_id[i].published_at is None]
    assert len(undated) == 15 and undated != sorted(undated)


def test_eval_reports_the_order_and_the_baseline_on_the_same_articles() -> None:
    result = evaluate_clustering(ARTICLES)
    assert result["order"] == "shuffled, seed 0"
    base = result["baseline"]
    assert base["threshold"] == BASELINE_DISTANCE
    assert base["articles"] == result["articles"] == 33
    assert base["gold_stories"] == result["gold_stories"]
    assert set(SCORE_KEYS) <= set(result) and set(SCORE_KEYS) <= set(base)
    assert base["bcubed_f1"] == _f1(ARTICLES)[0]
    again = evaluate_clustering(ARTICLES, shuffle_seed=0, baseline=False)
    assert "baseline" not in again
    assert {k: again[k] for k in SCORE_KEYS} == {k: result[k] for k in SCORE_KEYS}
    as_given = evaluate_clustering(ARTICLES, file_order=True, baseline=False)
    assert as_given["order"] == "file order"


def test_cli_prints_newsfold_and_baseline_side_by_side() -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["eval", "cluster", str(MULTILING), "--shuffle", "2"],
                        catch_exceptions=False)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert "order: shuffled, seed 2" in lines
    assert any(x.split() == ["newsfold", "baseline"] for x in lines)
    row = next(x for x in lines if x.startswith("bcubed_f1 ")).split()
    assert len(row) == 3 and all(0.0 <= float(v) <= 1.0 for v in row[1:])
    plain = runner.invoke(main, ["eval", "cluster", str(MULTILING), "--file-order",
                                 "--no-baseline"], catch_exceptions=False)
    lines = plain.stdout.splitlines()
    assert "order: file order" in lines
    assert not any("baseline" in x for x in lines)
    assert len(next(x for x in lines if x.startswith("bcubed_f1 ")).split()) == 2
