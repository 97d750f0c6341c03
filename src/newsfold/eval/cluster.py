"""``newsfold eval cluster``: ingest articles carrying a gold ``story`` into a fresh store
and score the stories newsfold forms against the gold labels, next to a fixed baseline
(:mod:`newsfold.eval.baseline`) scored on the same articles."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from ..api import Newsfold
from ..pipeline import publication_order
from ..records import Article
from ..settings import Settings
from .baseline import BASELINE_DISTANCE, baseline_clusters, read_gold
from .metrics import cluster_scores


def ingest_order(articles: list[Article], file_order: bool = False,
                 shuffle_seed: int = 0) -> tuple[list[Article], str]:
    """The order ``eval cluster`` ingests ``articles`` in, and its description.

    By default the articles are shuffled with ``random.Random(shuffle_seed)`` and then put in
    publication order (a stable sort), so undated articles and articles sharing a timestamp
    arrive in random order, not one story's after another as a gold file lists them; an
    undated article takes the time of the dated article before it in the shuffled list.
    ``file_order`` keeps the file's line order: no shuffle, no sort."""
    if file_order:
        return list(articles), "file order"
    shuffled = list(articles)
    random.Random(shuffle_seed).shuffle(shuffled)
    return publication_order(shuffled), f"shuffled, seed {shuffle_seed}"


def _scores(ids: list[str], gold: dict[str, str], pred: dict[str, str],
            elapsed: float) -> dict[str, Any]:
    return {
        "articles": len(ids),
        "gold_stories": len(set(gold[i] for i in ids)),
        "predicted_stories": len(set(pred[i] for i in ids)),
        **cluster_scores([gold[i] for i in ids], [pred[i] for i in ids]),
        "articles_per_second": round(len(ids) / elapsed, 1) if elapsed else 0.0,
    }


def evaluate_clustering(path: str | Path, settings: Settings | None = None,
                        file_order: bool = False, shuffle_seed: int = 0,
                        baseline: bool = True) -> dict[str, Any]:
    """Score the stories formed from ``path`` against its gold labels, with ``settings``
    (the defaults when None; ``newsfold eval cluster`` passes those of its environment).

    The articles are ingested in the order :func:`ingest_order` gives (``file_order`` and
    ``shuffle_seed`` as there); ``"order"`` in the result says which. With ``baseline`` the
    result also holds ``"baseline"``: the same scores for
    :func:`~newsfold.eval.baseline.baseline_clusters` on the articles newsfold was scored on,
    and its distance ``"threshold"``."""
    read, gold = read_gold(path)
    settings = settings or Settings()
    ordered, order = ingest_order(read.articles, file_order, shuffle_seed)
    start = time.perf_counter()
    with Newsfold(":memory:", settings=settings) as nf:
        report = nf.add_articles(ordered)
        pred = {a.id: a.story_id or "" for a in nf.articles()}
    elapsed = time.perf_counter() - start
    ids = [i for i in gold if i in pred]
    scores = _scores(ids, gold, pred, elapsed)
    result: dict[str, Any] = {
        "articles": scores.pop("articles"),
        "gold_stories": scores.pop("gold_stories"),
        "predicted_stories": scores.pop("predicted_stories"),
        "skipped": len(read.errors) + len(report.skipped),
        **scores,
        "order": order,
    }
    if baseline:
        scored = set(ids)
        start = time.perf_counter()
        base = baseline_clusters([a for a in read.articles if a.id in scored])
        result["baseline"] = {**_scores(ids, gold, base, time.perf_counter() - start),
                              "threshold": BASELINE_DISTANCE}
    return result
