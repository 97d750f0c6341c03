"""``newsfold eval cluster``: ingest articles carrying a gold ``story`` into a fresh store
and score the stories newsfold forms against the gold labels."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..api import Newsfold, read_articles
from ..errors import InputError
from ..pipeline import publication_order
from ..settings import Settings
from .metrics import cluster_scores


def evaluate_clustering(path: str | Path, settings: Settings | None = None,
                        file_order: bool = False) -> dict[str, Any]:
    """Score the stories formed from ``path`` against its gold labels.

    The whole file is put into publication order first (undated articles keep their place
    after the dated article before them), as a live feed would deliver it; ingest itself only
    orders each batch. ``file_order`` ingests the lines as they come, as ``ingest`` would."""
    read = read_articles([path])
    gold: dict[str, str] = {}
    for a in read.articles:
        label = a.metadata.pop("story", None)
        if label is None:
            raise InputError(f"{a.origin}", "no gold 'story' field", "eval cluster needs one per line")
        gold[a.id] = str(label)
    settings = settings or Settings.from_env(db=":memory:")
    start = time.perf_counter()
    with Newsfold(":memory:", settings=settings) as nf:
        report = nf.add_articles(
            read.articles if file_order else publication_order(read.articles))
        pred = {a.id: a.story_id or "" for a in nf.articles()}
    elapsed = time.perf_counter() - start
    ids = [i for i in gold if i in pred]
    scores = cluster_scores([gold[i] for i in ids], [pred[i] for i in ids])
    return {
        "articles": len(ids),
        "gold_stories": len(set(gold[i] for i in ids)),
        "predicted_stories": len(set(pred[i] for i in ids)),
        "skipped": len(read.errors) + len(report.skipped),
        **scores,
        "articles_per_second": round(len(ids) / elapsed, 1) if elapsed else 0.0,
    }
