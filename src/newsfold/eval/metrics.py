"""Clustering scores against gold labels: B-cubed, pairwise, ARI and AMI."""

from __future__ import annotations

from collections import Counter

from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

__all__ = ["bcubed", "cluster_scores"]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def bcubed(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1) of ``pred`` against ``gold`` alone: linear in the items,
    for clusterings too large for the adjusted scores of :func:`cluster_scores`."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred must have the same length")
    if not gold:
        raise ValueError("no items to score")
    joint = Counter(zip(gold, pred, strict=True))
    gsize, psize = Counter(gold), Counter(pred)
    bp = sum(c * c / psize[p] for (_g, p), c in joint.items()) / len(gold)
    br = sum(c * c / gsize[g] for (g, _p), c in joint.items()) / len(gold)
    return bp, br, _f1(bp, br)


def cluster_scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Scores of a predicted clustering ``pred`` against ``gold`` (one label per item).

    B-cubed precision is the mean over items of |pred cluster ∩ gold cluster| / |pred cluster|
    (recall: divided by |gold cluster|). Pairwise scores count item pairs put together.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred must have the same length")
    n = len(gold)
    if n == 0:
        raise ValueError("no items to score")
    joint = Counter(zip(gold, pred, strict=True))
    gsize = Counter(gold)
    psize = Counter(pred)
    bp = sum(c * c / psize[p] for (_g, p), c in joint.items()) / n
    br = sum(c * c / gsize[g] for (g, _p), c in joint.items()) / n
    same_both = sum(c * (c - 1) // 2 for c in joint.values())
    same_pred = sum(c * (c - 1) // 2 for c in psize.values())
    same_gold = sum(c * (c - 1) // 2 for c in gsize.values())
    pp = same_both / same_pred if same_pred else 1.0
    pr = same_both / same_gold if same_gold else 1.0
    return {
        "bcubed_precision": bp,
        "bcubed_recall": br,
        "bcubed_f1": _f1(bp, br),
        "pairwise_precision": pp,
        "pairwise_recall": pr,
        "pairwise_f1": _f1(pp, pr),
        "ari": float(adjusted_rand_score(gold, pred)),
        "ami": float(adjusted_mutual_info_score(gold, pred)),
        "items": float(n),
        "gold_clusters": float(len(gsize)),
        "pred_clusters": float(len(psize)),
    }
