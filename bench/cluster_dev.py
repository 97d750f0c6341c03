"""Development harness for dedupe + clustering.

    .venv/bin/python bench/cluster_dev.py FILE.jsonl [FILE.jsonl ...] [--threshold T]
    .venv/bin/python bench/cluster_dev.py --fit FILE.jsonl [...]   # refit the join model

Articles are sorted by ``published`` (stable; undated articles keep their file order) and run
through :class:`newsfold.dedupe.Deduper` and :class:`newsfold.cluster.Clusterer` exactly as the
pipeline does. The gold ``story`` field is only used for scoring (and, with ``--fit``, to replay
the gold state and label candidate stories).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from newsfold.cluster import FEATURE_NAMES, Clusterer
from newsfold.dedupe import Deduper, content_hash
from newsfold.eval.metrics import cluster_scores
from newsfold.api import read_articles
from newsfold.pipeline import publication_order
from newsfold.records import Article
from newsfold.settings import Settings


def load_ordered(path: str) -> tuple[list[Article], list[str]]:
    """Articles read and cleaned as ``newsfold ingest`` reads them, in publication order."""
    read = read_articles([path])
    arts = publication_order(read.articles)
    gold = [str(a.metadata.pop("story")) for a in arts]
    return arts, gold


def run(arts: list[Article], settings: Settings) -> tuple[list[str], float, int]:
    t0 = time.perf_counter()
    dd = Deduper(settings.dedupe_threshold, settings.dedupe_num_perm)
    cl = Clusterer(settings)
    pred: dict[str, str] = {}
    dups = 0
    for a in arts:
        h = content_hash(a.title, a.text)
        sig = dd.signature(a)
        canon = dd.find(a, h, sig)
        dd.add(a.id, h, sig, canon)
        feats = cl.featurize(a)
        if canon is not None:
            dups += 1
            pred[a.id] = pred[canon]
            cl.add_to_story(a.id, feats, a.published, pred[canon])
        else:
            pred[a.id] = cl.assign(a.id, feats, a.published)
    dt = time.perf_counter() - t0
    return [pred[a.id] for a in arts], len(arts) / dt, dups


NEW_STORY_WEIGHT = 10.0


def fit(paths: list[str], settings: Settings) -> tuple[list[float], float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for path in paths:
        arts, gold = load_ordered(path)
        cl = Clusterer(settings)
        rows, labels, weights = [], [], []
        seen: set[str] = set()
        for a, g in zip(arts, gold, strict=True):
            feats = cl.featurize(a)
            sid = "gold-" + g
            cands = cl.candidates(feats, a.published)
            fresh = sid not in cl._by_id
            for sidx, row in cands:
                rows.append(row)
                labels.append(1 if cl._stories[sidx].id == sid else 0)
                # A wrong join by a story's first article merges two whole stories: weigh it.
                weights.append(NEW_STORY_WEIGHT if fresh else 1.0)
            cl.restore(a.id, feats, a.published, sid)
            seen.add(g)
        w = 1.0 / max(1.0, sum(weights))
        xs += rows
        ys += labels
        ws += [w * x for x in weights]
        print(f"{path}: {len(rows)} candidate rows, {sum(labels)} positive", file=sys.stderr)
    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(np.array(xs), np.array(ys), sample_weight=np.array(ws) * len(ws))
    print("COEF = (" + ", ".join(f"{c:.3f}" for c in model.coef_[0]) + ")")
    print(f"INTERCEPT = {model.intercept_[0]:.3f}")
    for name, c in zip(FEATURE_NAMES, model.coef_[0], strict=True):
        print(f"  {name:16s} {c:+.3f}")
    return [float(c) for c in model.coef_[0]], float(model.intercept_[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--fit", action="store_true",
                    help="refit the join model on the files, then score with it")
    ap.add_argument("--sweep", default="", help="comma-separated thresholds to score")
    ap.add_argument("--no-order", action="store_true",
                    help="cluster_arrival_order=0: no arrival-recency features")
    args = ap.parse_args()
    settings = Settings()
    if args.no_order:
        settings = replace(settings, cluster_arrival_order=0)
    if args.fit:
        import newsfold.cluster as nc

        coef, intercept = fit(args.files, settings)
        nc.COEF = tuple(coef)
        nc.INTERCEPT = intercept
    if args.threshold is not None:
        settings = replace(settings, cluster_threshold=args.threshold)
    thresholds = [float(t) for t in args.sweep.split(",") if t] or [settings.cluster_threshold]
    for thr in thresholds:
        if len(thresholds) > 1:
            print(f"threshold {thr}")
        report(args.files, replace(settings, cluster_threshold=thr))


def report(files: list[str], settings: Settings) -> None:
    for path in files:
        arts, gold = load_ordered(path)
        pred, rate, dups = run(arts, settings)
        s = cluster_scores(gold, pred)
        print(f"{path}: n={len(arts)} dups={dups} gold={int(s['gold_clusters'])} "
              f"pred={int(s['pred_clusters'])} "
              f"B3 P/R/F1={s['bcubed_precision']:.4f}/{s['bcubed_recall']:.4f}/"
              f"{s['bcubed_f1']:.4f} pair P/R/F1={s['pairwise_precision']:.4f}/"
              f"{s['pairwise_recall']:.4f}/{s['pairwise_f1']:.4f} "
              f"ARI={s['ari']:.4f} AMI={s['ami']:.4f} {rate:,.0f} articles/s")


if __name__ == "__main__":
    main()
