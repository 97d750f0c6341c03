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
import hashlib
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsfold.api import read_articles
from newsfold.cluster import FEATURE_NAMES, FEATURE_NAMES_DENSE, Clusterer
from newsfold.dedupe import Deduper, content_hash
from newsfold.eval.metrics import cluster_scores
from newsfold.pipeline import publication_order
from newsfold.records import Article
from newsfold.settings import Settings


def load_ordered(path: str) -> tuple[list[Article], list[str]]:
    """Articles read and cleaned as ``newsfold ingest`` reads them, in publication order."""
    read = read_articles([path])
    arts = publication_order(read.articles)
    gold = [str(a.metadata.pop("story")) for a in arts]
    return arts, gold


DENSE_CACHE = Path(os.environ.get("NEWSFOLD_DENSE_CACHE", "/tmp/newsfold-dense-cache"))
"""Sentence vectors by text digest (``cluster_embeddings``): encoding a dev set takes minutes."""


def featurize_all(cl: Clusterer, arts: list[Article]) -> list[dict[str, Any]]:
    """Every article's features; with ``cluster_embeddings`` also its sentence vector, read
    from (or added to) the on-disk cache."""
    feats = [cl.featurize(a) for a in arts]
    if not cl.dense:
        return feats
    from newsfold.cluster.dense import dense_text

    DENSE_CACHE.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha1(dense_text(a.title, a.text).encode()).hexdigest() for a in arts]
    todo = []
    for i, k in enumerate(keys):
        f = DENSE_CACHE / f"{k}.txt"
        if f.exists():
            feats[i]["v"] = f.read_text()
        else:
            todo.append(i)
    if todo:
        print(f"encoding {len(todo)} articles", file=sys.stderr)
        sub = [feats[i] for i in todo]
        cl.add_dense([arts[i] for i in todo], sub)
        for i in todo:
            (DENSE_CACHE / f"{keys[i]}.txt").write_text(feats[i]["v"])
    return feats


def run(arts: list[Article], settings: Settings,
        assigned: Callable[[Clusterer, Article, dict[str, Any]], object] | None = None,
        ) -> tuple[list[str], float, int]:
    """Dedupe and cluster ``arts`` as the pipeline does; return (story per article,
    articles/s, copies). ``assigned`` is called after each original article is assigned."""
    dd = Deduper(settings.dedupe_threshold, settings.dedupe_num_perm)
    cl = Clusterer(settings)
    all_feats = featurize_all(cl, arts) if cl.dense else None
    t0 = time.perf_counter()
    pred: dict[str, str] = {}
    dups = 0
    for k, a in enumerate(arts):
        h = content_hash(a.title, a.text)
        sig = dd.signature(a)
        canon = dd.find(a, h, sig)
        dd.add(a.id, h, sig, canon)
        feats = all_feats[k] if all_feats is not None else cl.featurize(a)
        if canon is not None:
            dups += 1
            pred[a.id] = pred[canon]
            cl.add_to_story(a.id, feats, a.published, pred[canon])
        else:
            pred[a.id] = cl.assign(a.id, feats, a.published)
            if assigned is not None:
                assigned(cl, a, feats)
    dt = time.perf_counter() - t0
    return [pred[a.id] for a in arts], len(arts) / dt, dups


NEW_STORY_WEIGHT = 10.0
FIT_C = 1.0
FIT_ROUNDS = 1


def _rows(arts: list[Article], gold: list[str], settings: Settings, replay: bool,
          ) -> tuple[list[list[float]], list[int], list[float]]:
    """Candidate rows labelled by gold. ``replay``: the gold state is rebuilt (each article
    restored into its gold story); otherwise the clusterer runs with the current model and a
    candidate is positive when most of its members share the article's gold story, so the fit
    also sees the mixed stories its own mistakes make."""
    cl = Clusterer(settings)
    rows: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    seen: set[str] = set()
    majority: dict[str, Counter[str]] = {}
    for a, g, feats in zip(arts, gold, featurize_all(cl, arts), strict=True):
        fresh = g not in seen
        seen.add(g)
        for sidx, row in cl.candidates(feats, a.published):
            sid = cl._stories[sidx].id
            if replay:
                pos = sid == "gold-" + g
            else:
                top = majority[sid].most_common(1)[0][0]
                pos = top == g
            rows.append(row)
            labels.append(1 if pos else 0)
            # A wrong join by a story's first article merges two whole stories: weigh it.
            weights.append(NEW_STORY_WEIGHT if fresh else 1.0)
        if replay:
            cl.restore(a.id, feats, a.published, "gold-" + g)
        else:
            sid = cl.assign(a.id, feats, a.published)
            majority.setdefault(sid, Counter())[g] += 1
    return rows, labels, weights


def fit(paths: list[str], settings: Settings, c: float = 1.0,
        rounds: int = FIT_ROUNDS, file_weights: list[float] | None = None,
        ) -> tuple[list[float], float]:
    """Logistic join model: gold-state rows, then ``rounds`` - 1 rounds adding the rows of the
    states the previous model actually reaches (each file weighs the same in total, times its
    entry in ``file_weights``)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    data = [load_ordered(p) for p in paths]
    per_file: list[tuple[list[list[float]], list[int], list[float]]] = []
    for (arts, gold), path in zip(data, paths, strict=True):
        per_file.append(_rows(arts, gold, settings, replay=True))
        print(f"{path}: {len(per_file[-1][0])} gold-state rows", file=sys.stderr)
    coef: list[float] = []
    intercept = 0.0
    for r in range(rounds):
        xs, ys, ws = [], [], []
        for k, (rows, labels, weights) in enumerate(per_file):
            w = (file_weights[k] if file_weights else 1.0) / max(1.0, sum(weights))
            xs += rows
            ys += labels
            ws += [w * x for x in weights]
        model = LogisticRegression(C=c, max_iter=5000)
        model.fit(np.array(xs), np.array(ys), sample_weight=np.array(ws) * len(ws))
        coef = [float(x) for x in model.coef_[0]]
        intercept = float(model.intercept_[0])
        set_model(coef, intercept, settings.cluster_embeddings)
        if r + 1 < rounds:
            for i, (arts, gold) in enumerate(data):
                rows, labels, weights = _rows(arts, gold, settings, replay=False)
                old = per_file[i]
                per_file[i] = (old[0] + rows, old[1] + labels, old[2] + weights)
    print("COEF = (" + ", ".join(f"{x:.3f}" for x in coef) + ")")
    print(f"INTERCEPT = {intercept:.3f}")
    names = FEATURE_NAMES_DENSE if settings.cluster_embeddings else FEATURE_NAMES
    for name, x in zip(names, coef, strict=True):
        print(f"  {name:24s} {x:+.3f}")
    return coef, intercept


def set_model(coef: list[float], intercept: float, dense: bool) -> None:
    """Use these coefficients in this process (the dense model's with ``dense``)."""
    import newsfold.cluster as nc

    if dense:
        nc.COEF_DENSE, nc.INTERCEPT_DENSE = tuple(coef), intercept
    else:
        nc.COEF, nc.INTERCEPT = tuple(coef), intercept


def write_model(coef: list[float], intercept: float, dense: bool = False) -> None:
    import re

    import newsfold.cluster as nc

    path = Path(nc.__file__)
    src = path.read_text(encoding="utf-8")
    body = ", ".join(f"{x:.3f}" for x in coef)
    lines, line = [], "    "
    for part in body.split(" "):
        if len(line) + len(part) + 1 > 96:
            lines.append(line.rstrip())
            line = "    "
        line += part + " "
    lines.append(line.rstrip())
    tag = "_DENSE" if dense else ""
    new = f"COEF{tag}: tuple[float, ...] = (\n" + "\n".join(lines) + f",\n)\nINTERCEPT{tag} = " \
        + f"{intercept:.3f}"
    src = re.sub(rf"COEF{tag}: tuple\[float, \.\.\.\] = .*?\nINTERCEPT{tag} = [^\n]+", new, src,
                 count=1, flags=re.S)
    path.write_text(src, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--fit", action="store_true",
                    help="refit the join model on the files, then score with it")
    ap.add_argument("--C", type=float, default=FIT_C, help="inverse L2 strength of the fit")
    ap.add_argument("--sweep", default="", help="comma-separated thresholds to score")
    ap.add_argument("--write", action="store_true",
                    help="with --fit: write the coefficients into newsfold/cluster/__init__.py")
    ap.add_argument("--file-weights", default="",
                    help="with --fit: comma-separated weight of each file (default all 1)")
    ap.add_argument("--window", type=float, default=None)
    ap.add_argument("--no-order", action="store_true",
                    help="cluster_arrival_order=0: no arrival-recency features")
    args = ap.parse_args()
    settings = Settings.from_env()
    if args.window is not None:
        settings = replace(settings, cluster_window_days=args.window)
    if args.no_order:
        settings = replace(settings, cluster_arrival_order=False)
    if args.fit:
        fw = [float(x) for x in args.file_weights.split(",") if x] or None
        if fw is not None and len(fw) != len(args.files):
            raise SystemExit("--file-weights needs one weight per file")
        coef, intercept = fit(args.files, settings, args.C, file_weights=fw)
        if args.write:
            write_model(coef, intercept, settings.cluster_embeddings)
        set_model(coef, intercept, settings.cluster_embeddings)
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
