from __future__ import annotations

import pytest

from newsfold.eval.metrics import cluster_scores

# Real labels: the first two NeuS stories (three outlets each).
GOLD = ["train-0000"] * 3 + ["train-0001"] * 3


def test_perfect() -> None:
    s = cluster_scores(GOLD, ["a", "a", "a", "b", "b", "b"])
    for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_f1", "ari", "ami"):
        assert s[k] == pytest.approx(1.0)


def test_all_singletons() -> None:
    s = cluster_scores(GOLD, [str(i) for i in range(6)])
    assert s["bcubed_precision"] == pytest.approx(1.0)
    assert s["bcubed_recall"] == pytest.approx(1 / 3)
    assert s["bcubed_f1"] == pytest.approx(0.5)
    assert s["pairwise_recall"] == 0.0
    assert s["pairwise_f1"] == 0.0


def test_one_misplaced_article() -> None:
    # pred: {0,1}, {2,3,4,5}
    s = cluster_scores(GOLD, ["a", "a", "b", "b", "b", "b"])
    # B-cubed precision: items 0,1 -> 1; item 2 -> 1/4; items 3,4,5 -> 3/4.
    assert s["bcubed_precision"] == pytest.approx((1 + 1 + 0.25 + 0.75 * 3) / 6)
    # Recall: items 0,1 -> 2/3; item 2 -> 1/3; items 3,4,5 -> 1.
    assert s["bcubed_recall"] == pytest.approx((2 / 3 * 2 + 1 / 3 + 3) / 6)
    # Pairs: predicted 1 + 6 = 7, gold 3 + 3 = 6, shared 1 + 3 = 4.
    assert s["pairwise_precision"] == pytest.approx(4 / 7)
    assert s["pairwise_recall"] == pytest.approx(4 / 6)
    p, r = 4 / 7, 4 / 6
    assert s["pairwise_f1"] == pytest.approx(2 * p * r / (p + r))
    assert -1.0 <= s["ari"] < 1.0


def test_one_cluster() -> None:
    s = cluster_scores(GOLD, ["x"] * 6)
    assert s["bcubed_precision"] == pytest.approx(0.5)
    assert s["bcubed_recall"] == pytest.approx(1.0)
    assert s["pairwise_precision"] == pytest.approx(6 / 15)
    assert s["ari"] == pytest.approx(0.0)


def test_length_mismatch() -> None:
    with pytest.raises(ValueError):
        cluster_scores(GOLD, ["a"])
