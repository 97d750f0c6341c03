"""Sweep one clustering constant or setting over the dev files (B-cubed and pairwise F1).

    .venv/bin/python bench/cluster_sweep.py MIN_EVIDENCE 0.15,0.05 FILE.jsonl [FILE.jsonl ...]
    .venv/bin/python bench/cluster_sweep.py cluster_threshold 0.1,0.15 FILE.jsonl [...]

A name in upper case is a constant of :mod:`newsfold.cluster` (patched in this process); a
lower-case name is a :class:`newsfold.settings.Settings` field (set through its
``NEWSFOLD_*`` variable). Each value runs ``newsfold eval cluster`` (:func:`evaluate_clustering`)
on every file, so the figures are those of the command.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import newsfold.cluster as cluster
from newsfold.eval.cluster import evaluate_clustering


def patch_constant(name: str, value: str) -> None:
    """Set a constant of :mod:`newsfold.cluster` for this process (same type as before)."""
    setattr(cluster, name, type(getattr(cluster, name))(float(value)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("values", help="comma-separated")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    for raw in args.values.split(","):
        if args.name.isupper():
            patch_constant(args.name, raw)
        else:
            os.environ[f"NEWSFOLD_{args.name.upper()}"] = raw
        scores = {}
        for f in args.files:
            name = Path(f).parent.name if Path(f).name == "articles.jsonl" else Path(f).stem
            got = evaluate_clustering(f)
            scores[name] = [round(got["bcubed_f1"], 4), round(got["pairwise_f1"], 4)]
        print(json.dumps({args.name: raw, **scores}), flush=True)


if __name__ == "__main__":
    main()
