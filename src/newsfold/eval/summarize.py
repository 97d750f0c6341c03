"""``newsfold eval summarize``: ROUGE of newsfold's summaries (and other systems') against
reference summaries, all scored side by side by the same scorer."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..api import read_articles, summarize_articles
from ..errors import InputError
from .rouge import score_summaries


def _jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{n}", f"malformed JSON ({exc.msg})") from None
    return rows


def load_references(path: str | Path) -> dict[str, list[str]]:
    """Reference summaries by topic from a JSONL of ``{story, references: [text, ...]}``."""
    return {str(r["story"]): list(r["references"]) for r in _jsonl(path)}


def evaluate_summaries(
    articles_path: str | Path,
    refs_path: str | Path,
    *,
    max_words: int = 250,
    peers_path: str | Path | None = None,
    group_by: str = "story",
) -> dict[str, Any]:
    """Summarise each ``group_by`` group of the articles and score it against its references.

    Returns ``{"systems": {name: {rouge1: {...}, rouge2: {...}, rougeL: {...}}}, "topics": n}``
    where recall/precision/f1 are ×100; "newsfold" is this system, the rest come from peers.
    """
    read = read_articles([articles_path])
    if read.errors:
        raise read.errors[0]
    refs = load_references(refs_path)
    groups = summarize_articles(read.articles, group_by=group_by, max_words=max_words,
                                use_ner=False)  # entities do not change the summary
    ours = {g.group: " ".join(s.text for s in g.brief.summary) for g in groups}
    systems: dict[str, dict[str, str]] = {"newsfold": ours}
    if peers_path:
        peers: dict[str, dict[str, str]] = defaultdict(dict)
        for row in _jsonl(peers_path):
            peers[str(row["system"])][row["story"]] = row["summary"]
        systems.update(sorted(peers.items()))
    metrics = ("rouge1", "rouge2", "rougeL")
    results = {}
    for name, summaries in systems.items():
        scored = score_summaries(summaries, refs, max_words=max_words, metrics=metrics)
        results[name] = {m: scored[m] for m in metrics}
    return {"topics": len(refs), "max_words": max_words, "systems": results}
