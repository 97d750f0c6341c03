"""``newsfold eval support``: how well the brief tells that two sentences report the same content.

The brief cites an article for a summary sentence, and counts the outlets that agree on a fact,
when one of its sentences is aligned with the other: it reports the same content
(:func:`newsfold.compare.align.same_content`) or shares a specific fact with it
(:func:`newsfold.compare.align.pair_score`). This module applies both decisions to labelled
sentence pairs (JSONL lines
``{"id", "label", "s1", "s2"}``, label 1 = same content, as in the MRPC pairs) and scores it
against the labels, beside the baseline that answers "same" for every pair.

The decision needs the IDF of the sentences around a pair; in a story that is the story's. Here
the context is the whole pair set: every ``s1`` and ``s2`` of the file, each occurrence counted
as one sentence (:meth:`AlignContext.from_sentences`).

The decision's weights and threshold are fitted on MRPC (:func:`fit`), so the figure on all
pairs flatters it. :func:`cross_validate` measures it honestly: the pairs are split into folds
(pairs sharing a sentence stay in one fold), the weights and the threshold are fitted on the
other folds by the same :func:`fit` and the held-out fold is scored.
"""

from __future__ import annotations

import json
import logging
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..compare.align import (
    FEATURES,
    SAME_MIN,
    TARGET_PRECISION,
    AlignContext,
    pair_features,
    pair_probability,
    pair_score,
    probability,
)
from ..errors import InputError

__all__ = ["SWEEP", "Pair", "cross_validate", "evaluate_support", "fit", "fold_of", "read_pairs",
           "support_scores"]

log = logging.getLogger(__name__)

SWEEP: tuple[float, ...] = (0.3, 0.5, 0.7, 0.8, 0.9)
"""The probability thresholds the sweep tries (the brief's :data:`SAME_MIN` is added)."""


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled sentence pair; ``same`` is the gold answer."""

    id: str
    same: bool
    s1: str
    s2: str


def read_pairs(path: str | Path) -> list[Pair]:
    """The pairs of a JSONL file; raises :class:`~newsfold.errors.InputError` on a bad line."""
    out: list[Pair] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(where, f"malformed JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not all(k in row for k in ("label", "s1", "s2")):
                raise InputError(where, "not a pair", 'each line needs "label", "s1" and "s2"')
            if row["label"] not in (0, 1) or not isinstance(row["s1"], str) or not isinstance(
                    row["s2"], str):
                raise InputError(where, "bad pair", "label must be 0 or 1, s1 and s2 strings")
            out.append(Pair(str(row.get("id", n)), row["label"] == 1, row["s1"], row["s2"]))
    return out


def _figures(gold: Sequence[bool], said: Sequence[bool]) -> dict[str, float | int]:
    """Precision, recall, F1 and accuracy of answering ``said`` ("same") against ``gold``."""
    tp = sum(g and s for g, s in zip(gold, said, strict=True))
    fp = sum(s and not g for g, s in zip(gold, said, strict=True))
    fn = sum(g and not s for g, s in zip(gold, said, strict=True))
    tn = len(gold) - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    acc = (tp + tn) / len(gold) if gold else 0.0
    return {"judged_same": tp + fp, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": p, "recall": r, "f1": f1, "accuracy": acc}


def context(pairs: Sequence[Pair]) -> AlignContext:
    """The IDF context of a pair set: every ``s1`` and ``s2`` as one sentence."""
    return AlignContext.from_sentences([s for p in pairs for s in (p.s1, p.s2)])


def comparable(pairs: Sequence[Pair], ctx: AlignContext) -> list[bool]:
    """Which pairs the decision compares at all (:func:`~newsfold.compare.align.pair_probability`
    is not ``None``): the others are never the same content, whatever the weights."""
    return [pair_probability(p.s1, p.s2, ctx) is not None for p in pairs]


def fit(rows: Sequence[Sequence[float]], gold: Sequence[bool],
        names: Sequence[str] = FEATURES,
        target: float = TARGET_PRECISION) -> tuple[dict[str, float], float]:
    """Weights (on the raw ``names`` features, with ``bias``) of a logistic regression of
    ``gold`` on the feature ``rows``, and the lowest probability at which the rows judged same
    are at least ``target`` right. Rows that are never compared should be left out."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=float)
    y = np.asarray(gold, dtype=int)
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000).fit((x - mu) / sd, y)
    coef = model.coef_[0] / sd
    weights = {"bias": float(model.intercept_[0] - float(coef @ mu))}
    weights.update({n: float(c) for n, c in zip(names, coef, strict=True)})
    prob = np.array([_prob(r, weights, names) for r in x])
    order = np.argsort(-prob, kind="stable")
    prec = np.cumsum(y[order]) / np.arange(1, len(y) + 1)
    ok = np.nonzero(prec >= target)[0]
    threshold = float(prob[order][ok.max()]) if len(ok) else 1.0
    return weights, threshold


def _prob(row: Sequence[float], weights: dict[str, float], names: Sequence[str]) -> float:
    if tuple(names) == FEATURES:
        return probability(row, weights)
    z = weights["bias"] + sum(weights[n] * float(v) for n, v in zip(names, row, strict=True))
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def fold_of(pairs: Sequence[Pair], k: int) -> list[int]:
    """A deterministic fold (0..k-1) of each pair; pairs sharing a sentence (an id part, as in
    MRPC's ``"702876-702977"``, or the same text) land in the same fold."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys = []
    for p in pairs:
        parts = p.id.split("-") if p.id.count("-") == 1 else [p.id]
        nodes = [f"id:{x}" for x in parts] + [f"s:{p.s1}", f"s:{p.s2}"]
        for other in nodes[1:]:
            ra, rb = find(nodes[0]), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        keys.append(nodes[0])
    return [zlib.crc32(find(key).encode("utf-8")) % k for key in keys]


def cross_validate(pairs: Sequence[Pair], k: int = 5,
                   extra: Sequence[Sequence[float]] | None = None,
                   target: float = TARGET_PRECISION) -> dict[str, Any]:
    """Fit the decision (:func:`fit`) on ``k - 1`` folds and score the held-out one, for each
    fold; returns ``folds`` (figures, threshold) and ``mean`` and ``worst`` (lowest precision
    and lowest recall over folds). ``extra`` adds feature columns (one row per pair) to measure
    a richer decision the same way; ``target`` is the precision :func:`fit` aims at."""
    ctx = context(pairs)
    gold = [p.same for p in pairs]
    usable = comparable(pairs, ctx)
    rows = [list(pair_features(p.s1, p.s2, ctx)) if u else [] for p, u in zip(pairs, usable,
                                                                               strict=True)]
    names: tuple[str, ...] = FEATURES
    if extra is not None:
        rows = [r + list(e) for r, e in zip(rows, extra, strict=True)]
        names = FEATURES + tuple(f"extra{k}" for k in range(len(extra[0]) if extra else 0))
    fold = fold_of(pairs, k)
    out: list[dict[str, Any]] = []
    for f in range(k):
        train = [i for i in range(len(pairs)) if fold[i] != f and usable[i]]
        test = [i for i in range(len(pairs)) if fold[i] == f]
        weights, threshold = fit([rows[i] for i in train], [gold[i] for i in train], names,
                                target)
        said = [usable[i] and _prob(rows[i], weights, names) >= threshold for i in test]
        out.append({"fold": f, "pairs": len(test), "threshold": threshold,
                    **_figures([gold[i] for i in test], said)})
    keys = ("precision", "recall", "f1", "accuracy")
    mean = {n: sum(r[n] for r in out) / k for n in keys}
    worst = {n: min(r[n] for r in out) for n in keys}
    return {"k": k, "folds": out, "mean": mean, "worst": worst}


def support_scores(pairs: Sequence[Pair], thresholds: Sequence[float] = SWEEP,
                   folds: int = 0, vectors: bool = False) -> dict[str, Any]:
    """Score the brief's "same content" decision on labelled pairs, with the pair set as context.

    Returns ``pairs``, ``positives``, the "same content" decision's ``precision``, ``recall``,
    ``f1``, ``accuracy`` (and its counts), ``aligned`` (the same figures for the brief's
    alignment, which adds a shared specific fact), ``baseline`` (for answering "same" to every
    pair), ``sweep``: one row per probability threshold, ``brief`` marking the one in use, and
    with ``folds`` of 2 or more ``cv``, the figures of :func:`cross_validate` (with ``vectors``
    also ``cv_vectors``: the same with the sentence-vector cosine as an extra feature).
    """
    ctx = context(pairs)
    gold = [p.same for p in pairs]
    prob = [pair_probability(p.s1, p.s2, ctx) for p in pairs]
    levels = sorted(set(thresholds) | {SAME_MIN})
    said = {t: [q is not None and q >= t for q in prob] for t in levels}
    result: dict[str, Any] = {"pairs": len(pairs), "positives": sum(gold), "threshold": SAME_MIN}
    result.update(_figures(gold, said[SAME_MIN]))
    result["baseline"] = _figures(gold, [True] * len(pairs))
    result["aligned"] = _figures(gold, [pair_score(p.s1, p.s2, ctx) is not None for p in pairs])
    result["sweep"] = [{"threshold": t, "brief": t == SAME_MIN, **_figures(gold, said[t])}
                       for t in levels]
    if folds >= 2 and pairs:
        result["cv"] = cross_validate(pairs, folds)
        if vectors:
            result["cv_vectors"] = cross_validate(pairs, folds, extra=_vector_cosines(pairs))
    log.info("support: %d pairs, precision %.4f, recall %.4f (baseline precision %.4f)",
             len(pairs), result["precision"], result["recall"], result["baseline"]["precision"])
    return result


def _vector_cosines(pairs: Sequence[Pair]) -> list[list[float]]:
    """The all-MiniLM-L6-v2 cosine of each pair (the optional ``[embeddings]`` extra)."""
    from ..cluster.dense import embed

    a, b = embed([p.s1 for p in pairs]), embed([p.s2 for p in pairs])
    return [[float(x)] for x in (a * b).sum(axis=1)]


def evaluate_support(path: str | Path, thresholds: Sequence[float] = SWEEP, folds: int = 5,
                     vectors: bool = False) -> dict[str, Any]:
    """:func:`support_scores` of the pairs in a JSONL file."""
    return support_scores(read_pairs(path), thresholds, folds, vectors)


def _line(name: str, f: dict[str, Any]) -> str:
    return (f"{name:<26}{f.get('judged_same', ''):>7}{f['precision']:>11.4f}{f['recall']:>9.4f}"
            f"{f['f1']:>8.4f}{f['accuracy']:>10.4f}")


def table(r: dict[str, Any], source: str) -> str:
    """The figures of :func:`evaluate_support` as a plain-text table."""
    lines = [f"{source}: {r['pairs']} pairs, {r['positives']} same content", "",
             f"{'':<26}{'same':>7}{'precision':>11}{'recall':>9}{'F1':>8}{'accuracy':>10}",
             _line(f"same content (p >= {r['threshold']:.3f})", r),
             _line("aligned (+ shared fact)", r["aligned"]),
             _line("baseline: all same", r["baseline"])]
    for key, label in (("cv", "lexical"), ("cv_vectors", "+ sentence vectors")):
        cv = r.get(key)
        if not cv:
            continue
        lines.append(f"{cv['k']}-fold cross-validation, {label} (fitted on the other folds)")
        for f in cv["folds"]:
            lines.append(_line(f"  fold {f['fold']} (p >= {f['threshold']:.3f})", f))
        lines.append(_line("  mean", cv["mean"]))
        lines.append(_line("  worst (each column)", cv["worst"]))
    lines.append("sweep of the brief's threshold (* = brief)")
    lines += [_line(f"  p >= {s['threshold']:.3f}{' *' if s['brief'] else ''}", s)
              for s in r["sweep"]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m newsfold.eval.support FILE.jsonl [--folds K] [--vectors]``: the figures."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(
        prog="python -m newsfold.eval.support",
        description='Precision and recall of the brief\'s "same content" decision on labelled '
                    'sentence pairs, beside answering "same" to every pair.')
    ap.add_argument("file", help='JSONL file of {"id", "label", "s1", "s2"} pairs.')
    ap.add_argument("--folds", type=int, default=5,
                    help="Cross-validate over K folds (0: no cross-validation).")
    ap.add_argument("--vectors", action="store_true",
                    help="Also cross-validate with the sentence-vector cosine as a feature "
                         "(needs the [embeddings] extra).")
    args = ap.parse_args(argv)
    result = evaluate_support(args.file, folds=args.folds, vectors=args.vectors)
    sys.stdout.write(table(result, args.file) + "\n")


if __name__ == "__main__":  # pragma: no cover
    main()
