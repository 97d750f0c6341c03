"""``newsfold eval citations``: do a summary's citations hold? Scored against judgements made
by reading.

For each story of a labelled file (articles with a gold ``story``), newsfold writes its
summary; every pair of a summary sentence and another article of the story is a question:
does that article report what the sentence says? (The sentence's own article does, verbatim,
and is left out.) ``--write-pairs`` writes the questions, each with the article's closest
sentences as a reading aid, for judging; a judgements file answers them by key (``{"key",
"supports"}``: no article text, so it can be kept beside the code). Scoring reads the
judgements: citation precision (cited articles that report the sentence) and recall (articles
that report it and are cited), beside two baselines in the same run: citing every article of
the story and citing none but the source. Pairs without a judgement are counted apart.
``--facts`` asks the same of the brief's agreed facts: does each other article a fact lists
report it (the share that does is the precision of "agreed").
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..records import Article
from .judged import read_judgements

__all__ = ["citation_pairs", "fact_pairs", "score_citations", "score_facts", "table"]

EVIDENCE = 3
"""Closest sentences of the other article shown to the judge."""


def _key(story: str, sentence: str, article: str) -> str:
    return hashlib.sha1(f"{story}\x1f{sentence}\x1f{article}".encode()).hexdigest()[:16]


Claim = tuple[str, str, list[str], set[str]]
"""(sentence, its source article, the articles to ask about, the articles newsfold cites)."""


def _questions(path: str | Path, stories: int | None,
               claims: Callable[[list[Article]], Iterable[Claim]]) -> Iterator[dict[str, Any]]:
    """One question per claim of the first ``stories`` stories and article asked about other
    than the claim's source, with that article's closest sentences as a reading aid."""
    from ..api import read_articles
    from ..compare.align import AlignContext, article_sentences, pair_cosine

    groups: dict[str, list[Article]] = defaultdict(list)
    for a in read_articles([str(path)]).articles:
        groups[str(a.metadata.get("story"))].append(a)
    names = sorted(n for n, arts in groups.items() if len(arts) >= 2)[:stories]
    for name in names:
        arts = groups[name]
        sents = {a.id: article_sentences(a.text) for a in arts}
        ctx = AlignContext.from_sentences([s for ss in sents.values() for s in ss])
        for text, source, asked, cited in claims(arts):
            for aid in asked:
                if aid == source:
                    continue
                ranked = sorted(sents[aid], key=lambda t: -pair_cosine(text, t, ctx))
                yield {
                    "key": _key(name, text, aid),
                    "story": name,
                    "sentence": text,
                    "source": source,
                    "article": aid,
                    "cited": aid in cited,
                    "closest": ranked[:EVIDENCE],
                }


def citation_pairs(path: str | Path, stories: int | None = None,
                   max_words: int = 100) -> Iterator[dict[str, Any]]:
    """Every (summary sentence, other article) question of the first ``stories`` stories."""
    from ..api import summarize_articles

    def summary(arts: list[Article]) -> Iterator[Claim]:
        [group] = summarize_articles(arts, max_words=max_words, use_ner=False)
        for s in group.brief.summary:
            yield s.text, s.article_id, [a.id for a in arts], set(s.citations)

    return _questions(path, stories, summary)


def fact_pairs(path: str | Path, stories: int | None = None) -> Iterator[dict[str, Any]]:
    """Every (agreed fact, another article it lists) question of the first ``stories``
    stories: does that article report the fact? Keys are made as for summary sentences, so one
    judgement answers both when a fact's sentence is also a summary's."""
    from ..compare import compare

    def agreed(arts: list[Article]) -> Iterator[Claim]:
        by_id = {a.id: a for a in arts}
        for fact in compare(arts).facts:
            if fact.status == "agreed":
                source = next((i for i in fact.articles if fact.text in by_id[i].text),
                              fact.articles[0])
                yield fact.text, source, fact.articles, set(fact.articles)

    return _questions(path, stories, agreed)


def score_facts(path: str | Path, judged: str | Path,
                stories: int | None = None) -> dict[str, Any]:
    """How many of the articles an agreed fact lists report it, by the judgements."""
    answers = _answers(judged)
    c: dict[str, int] = defaultdict(int)
    for pair in fact_pairs(path, stories):
        if pair["key"] not in answers:
            c["unjudged"] += 1
            continue
        c["pairs"] += 1
        c["supporting"] += answers[pair["key"]]
    return {"judged_pairs": c["pairs"], "unjudged_pairs": c["unjudged"],
            "supporting": c["supporting"],
            "precision": round(c["supporting"] / c["pairs"], 4) if c["pairs"] else 0.0}


def _answers(judged: str | Path) -> dict[str, bool]:
    return read_judgements(judged, "supports")


def score_citations(path: str | Path, judged: str | Path, stories: int | None = None,
                    max_words: int = 100) -> dict[str, Any]:
    """Citation precision and recall against the judgements in ``judged``."""
    answers = _answers(judged)
    c: dict[str, int] = defaultdict(int)
    for pair in citation_pairs(path, stories, max_words):
        if pair["key"] not in answers:
            c["unjudged"] += 1
            continue
        supports, cited = answers[pair["key"]], pair["cited"]
        c["pairs"] += 1
        c["supporting"] += supports
        c["cited"] += cited
        c["cited_supporting"] += cited and supports

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    return {
        "judged_pairs": c["pairs"],
        "unjudged_pairs": c["unjudged"],
        "newsfold": {"cited": c["cited"], "precision": ratio(c["cited_supporting"], c["cited"]),
                     "recall": ratio(c["cited_supporting"], c["supporting"])},
        "cite every article": {"cited": c["pairs"],
                               "precision": ratio(c["supporting"], c["pairs"]),
                               "recall": 1.0 if c["supporting"] else 0.0},
        "cite the source only": {"cited": 0, "precision": 0.0, "recall": 0.0},
    }


def table(result: dict[str, Any]) -> str:
    """The figures of :func:`score_citations` as a plain-text table."""
    lines = [f"{result['judged_pairs']} judged (sentence, article) pairs"
             f" ({result['unjudged_pairs']} without a judgement)",
             f"{'system':<22}{'cited':>7}{'precision':>11}{'recall':>8}"]
    for name in ("newsfold", "cite every article", "cite the source only"):
        r = result[name]
        lines.append(f"{name:<22}{r['cited']:>7}{r['precision']:>11.4f}{r['recall']:>8.4f}")
    return "\n".join(lines)
