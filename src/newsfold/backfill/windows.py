"""Clustering by time windows: each window clustered online as ingest does, then stitched.

Time is cut into windows of ``span`` seconds. A window takes its own articles and, ahead of
them, the articles of the ``lead`` seconds before it (its lead-in), and runs one
:class:`~newsfold.cluster.Clusterer` over them in publication order, batch by batch, with the
eviction and merge pass of ingest between batches. An article of a lead-in is thus placed twice,
by its own window and by the next: the two stories it is in are joined (:func:`stitch`), and the
joined story keeps the id of the one whose first article is earliest. Each article's story is
the one its own window gave it, after joining.

The clusterer weighs terms by their document frequency over every article decided before, so
a window's clusterer starts from the counts of all the originals before its lead-in
(:func:`seed_slice`, :func:`term_counts`): its term weights are those of one process that ran
from the start of the archive.

A copy joins its original's story without being decided: when the original is outside the
window (before its lead-in) the copy is left out and follows its original afterwards.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..cluster import Clusterer
from ..settings import Settings

__all__ = ["Entry", "Placement", "cluster_window", "seed_slice", "stitch", "term_counts",
           "window_of", "windows_of"]

Seeds = dict[int, tuple[int, Counter[str]]]
"""Slice number -> (originals, document frequency of each term) of the originals in it."""


@dataclass(slots=True)
class Entry:
    """What the clusterer needs of one article."""

    order: tuple[float, int, int]
    """Publication-order key: (time, file number, item number)."""
    id: str
    published: str | None
    features: dict[str, Any]
    canonical: str | None
    """The original of its copy group, None for an original."""


@dataclass(slots=True)
class Placement:
    """Where a window put an article."""

    id: str
    window: int
    story: str
    home: bool
    """The article belongs to this window (False: it is in the window's lead-in)."""
    first: tuple[float, int, int]
    """The order key of the story's first article in this window."""


def window_of(t: float, start: float, span: float) -> int:
    """The window of time ``t`` (``-inf``, an undated article before any dated one: the first)."""
    if t == -math.inf:
        return 0
    return max(0, int((t - start) // span))


def windows_of(t: float, start: float, span: float, lead: float) -> Iterator[tuple[int, bool]]:
    """(window, home) for every window that clusters an article of time ``t``."""
    k = window_of(t, start, span)
    yield k, True
    if t != -math.inf and t >= start + (k + 1) * span - lead:
        yield k + 1, False


def seed_slice(t: float, start: float, span: float, lead: float) -> int:
    """The first window whose seed counts an original of time ``t``: the first whose lead-in
    starts after ``t``."""
    if t == -math.inf:
        return 1
    return max(1, math.floor((t - start + lead) / span) + 1)


def term_counts(features: dict[str, Any]) -> set[str]:
    """The terms an original adds to the document frequencies (as the clusterer counts)."""
    return {*features.get("t", {}), *features.get("b", {})}


def _seed(clusterer: Clusterer, window: int, seeds: Seeds) -> None:
    """Give a fresh clusterer the article count and document frequencies of the originals
    before the window's lead-in."""
    n = 0
    df: Counter[str] = Counter()
    for j, (count, terms) in seeds.items():
        if j <= window:
            n += count
            df.update(terms)
    clusterer.seed_counts(n, df)


def cluster_window(window: int, entries: Iterable[tuple[Entry, bool]], settings: Settings,
                   seeds: Seeds | None = None) -> list[Placement]:
    """Cluster one window's (entry, home) pairs in publication order, as ingest would, from
    the term counts of the originals before it (``seeds``)."""
    ordered = sorted(entries, key=lambda e: e[0].order)
    clusterer = Clusterer(settings)
    if seeds:
        _seed(clusterer, window, seeds)
    placed: list[tuple[Entry, bool]] = []
    size = settings.batch_size
    for start in range(0, len(ordered), size):
        for entry, home in ordered[start:start + size]:
            story = clusterer.story_of(entry.canonical) if entry.canonical else None
            if entry.canonical is not None:
                if story is None:
                    continue  # the original is outside the window: the copy follows it later
                clusterer.add_to_story(entry.id, entry.features, entry.published, story)
            else:
                clusterer.assign(entry.id, entry.features, entry.published)
            placed.append((entry, home))
        clusterer.evict()
        clusterer.merge_pass()
    stories = {entry.id: clusterer.story_of(entry.id) or "" for entry, _ in placed}
    first: dict[str, tuple[float, int, int]] = {}
    for entry, _ in placed:  # in order: the first seen is the story's first
        first.setdefault(stories[entry.id], entry.order)
    return [Placement(e.id, window, stories[e.id], home, first[stories[e.id]])
            for e, home in placed]


def stitch(joins: Iterable[tuple[tuple[str, tuple[float, int, int]],
                                 tuple[str, tuple[float, int, int]]]]) -> dict[str, str]:
    """Join stories that share an article: ((story, first order), (story, first order)) pairs
    in, story id -> the id of its joined story out (the story with the earliest first article;
    ids not joined are left out)."""
    pairs = list(joins)
    first: dict[str, tuple[float, int, int]] = {}
    for pair in pairs:
        for s, f in pair:
            if s not in first or f < first[s]:
                first[s] = f
    parent = {s: s for s in first}

    def find(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for (a, _), (b, _) in pairs:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if (first[rb], rb) < (first[ra], ra):
            ra, rb = rb, ra
        parent[rb] = ra
    return {s: find(s) for s in parent if find(s) != s}
