"""ROUGE scoring of summaries against reference summaries (``rouge_score``).

:func:`score_summaries` truncates every system summary to ``max_words`` words, scores it
against each reference of its topic with Porter stemming, averages over the references of a
topic, then over topics. Figures are returned ×100 (the convention of published tables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def truncate_words(text: str, max_words: int) -> str:
    return " ".join(text.split()[:max_words])


def score_summaries(
    summaries: Mapping[str, str],
    references: Mapping[str, Sequence[str]],
    max_words: int = 250,
    metrics: Sequence[str] = ("rouge1", "rouge2"),
    stemmer: bool = True,
) -> dict[str, Any]:
    """Mean ROUGE (×100) of ``summaries[topic]`` against ``references[topic]``.

    Returns ``{metric: {"recall", "precision", "f1"}, "topics": n, "per_topic": {...}}``.
    Topics without a summary score 0 (a missing summary is a failure, not a skip).
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(metrics), use_stemmer=stemmer)
    per_topic: dict[str, dict[str, dict[str, float]]] = {}
    for topic, refs in references.items():
        summary = truncate_words(summaries.get(topic, ""), max_words)
        acc = {m: {"recall": 0.0, "precision": 0.0, "f1": 0.0} for m in metrics}
        refs = [r for r in refs if r.strip()]
        for ref in refs:
            scores = scorer.score(ref, summary)
            for m in metrics:
                acc[m]["recall"] += scores[m].recall
                acc[m]["precision"] += scores[m].precision
                acc[m]["f1"] += scores[m].fmeasure
        n = max(1, len(refs))
        per_topic[topic] = {m: {k: 100 * v / n for k, v in acc[m].items()} for m in metrics}
    out: dict[str, Any] = {"topics": len(per_topic), "per_topic": per_topic}
    for m in metrics:
        out[m] = {
            k: sum(t[m][k] for t in per_topic.values()) / max(1, len(per_topic))
            for k in ("recall", "precision", "f1")
        }
    return out
