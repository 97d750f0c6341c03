"""``newsfold eval support``: how well the brief tells that two sentences report the same content.

The brief cites an article for a summary sentence, and counts the outlets that agree on a fact,
when one of its sentences is aligned with the other (:func:`newsfold.compare.align.pair_score`).
This module applies that same decision to labelled sentence pairs (JSONL lines
``{"id", "label", "s1", "s2"}``, label 1 = same content, as in the MRPC pairs) and scores it
against the labels, beside the baseline that answers "same" for every pair.

The decision needs the IDF, rare names and anchor counts of the sentences around a pair; in a
story those are the story's. Here the context is the whole pair set: every ``s1`` and ``s2`` of
the file, each occurrence counted as one sentence (:meth:`AlignContext.from_sentences`).

The sweep varies the cosine that aligns two sentences on its own (``high``), the other rules
unchanged; the brief uses :data:`newsfold.compare.align.HIGH`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..compare.align import HIGH, AlignContext, pair_score
from ..errors import InputError

__all__ = ["SWEEP", "Pair", "evaluate_support", "read_pairs", "support_scores"]

log = logging.getLogger(__name__)

SWEEP: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
"""The values of ``high`` the sweep tries (the brief's :data:`HIGH` is added if missing)."""


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


def support_scores(pairs: Sequence[Pair],
                   thresholds: Sequence[float] = SWEEP) -> dict[str, Any]:
    """Score the brief's "same content" decision on labelled pairs, with the pair set as context.

    Returns ``pairs``, ``positives``, the decision's ``precision``, ``recall``, ``f1``,
    ``accuracy`` (and its counts), ``baseline`` (the same figures for answering "same" to every
    pair) and ``sweep``: one row per ``high`` threshold, ``brief`` marking the one in use.
    """
    ctx = AlignContext.from_sentences([s for p in pairs for s in (p.s1, p.s2)])
    gold = [p.same for p in pairs]
    highs = sorted(set(thresholds) | {HIGH})
    said = {h: [pair_score(p.s1, p.s2, ctx, high=h) is not None for p in pairs] for h in highs}
    result: dict[str, Any] = {"pairs": len(pairs), "positives": sum(gold), "high": HIGH}
    result.update(_figures(gold, said[HIGH]))
    result["baseline"] = _figures(gold, [True] * len(pairs))
    result["sweep"] = [{"high": h, "brief": h == HIGH, **_figures(gold, said[h])} for h in highs]
    log.info("support: %d pairs, precision %.4f, recall %.4f (baseline precision %.4f)",
             len(pairs), result["precision"], result["recall"], result["baseline"]["precision"])
    return result


def evaluate_support(path: str | Path, thresholds: Sequence[float] = SWEEP) -> dict[str, Any]:
    """:func:`support_scores` of the pairs in a JSONL file."""
    return support_scores(read_pairs(path), thresholds)


def table(r: dict[str, Any], source: str) -> str:
    """The figures of :func:`evaluate_support` as a plain-text table."""
    lines = [f"{source}: {r['pairs']} pairs, {r['positives']} same content", "",
             f"{'':<22}{'same':>7}{'precision':>11}{'recall':>9}{'F1':>8}{'accuracy':>10}"]
    rows = [(f"brief (high {r['high']:.2f})", r), ("baseline: all same", r["baseline"])]
    rows += [(f"  high {s['high']:.2f}{' *' if s['brief'] else ''}", s) for s in r["sweep"]]
    for k, (name, f) in enumerate(rows):
        if k == 2:
            lines.append("sweep (* = brief)")
        lines.append(f"{name:<22}{f['judged_same']:>7}{f['precision']:>11.4f}{f['recall']:>9.4f}"
                     f"{f['f1']:>8.4f}{f['accuracy']:>10.4f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m newsfold.eval.support FILE.jsonl``: the figures as a table on stdout."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(
        prog="python -m newsfold.eval.support",
        description='Precision and recall of the brief\'s "same content" decision on labelled '
                    'sentence pairs, beside answering "same" to every pair.')
    ap.add_argument("file", help='JSONL file of {"id", "label", "s1", "s2"} pairs.')
    args = ap.parse_args(argv)
    sys.stdout.write(table(evaluate_support(args.file), args.file) + "\n")


if __name__ == "__main__":  # pragma: no cover
    main()
