"""Fit the "same content" decision (``newsfold.compare.align.WEIGHTS`` and ``SAME_MIN``).

Reads labelled sentence pairs (MRPC's ``{"id", "label", "s1", "s2"}`` lines), computes the
pair features with the whole pair set as IDF context, fits the logistic regression and the
threshold by :func:`newsfold.eval.support.fit` and prints the block to paste into
``src/newsfold/compare/align.py``. Then check it honestly with
``newsfold eval support FILE`` (cross-validated over 5 folds)::

    .venv/bin/python bench/same_content_fit.py ../shared/data/mrpc/pairs.jsonl
"""

from __future__ import annotations

import argparse
import sys

from newsfold.compare.align import FEATURES, TARGET_PRECISION, pair_features
from newsfold.eval.support import comparable, context, fit, read_pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", help="JSONL of labelled pairs")
    ap.add_argument("--target", type=float, default=TARGET_PRECISION,
                    help="precision on the fitted pairs the threshold is chosen for")
    args = ap.parse_args()
    pairs = read_pairs(args.file)
    ctx = context(pairs)
    used = [p for p, ok in zip(pairs, comparable(pairs, ctx), strict=True) if ok]
    rows = [pair_features(p.s1, p.s2, ctx) for p in used]
    weights, threshold = fit(rows, [p.same for p in used], FEATURES, args.target)
    out = ["WEIGHTS: dict[str, float] = {"]
    out += [f'    "{name}": {weights[name]:.4f},' for name in ("bias", *FEATURES)]
    out += ["}", f"SAME_MIN = {threshold:.4f}"]
    sys.stdout.write(f"# {len(used)} of {len(pairs)} pairs compared, target {args.target}\n")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
