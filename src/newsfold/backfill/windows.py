"""Clustering in publication order: in one pass, or by time windows linked where they overlap.

One pass (:func:`cluster_in_order`) feeds every article to one
:class:`~newsfold.cluster.Clusterer` in publication order, batch by batch, with the eviction
and merge pass of ingest between batches: the decisions of ``newsfold ingest`` itself.

Windows split that pass by time. Time is cut into windows of ``span`` seconds; a window takes
its own articles and, ahead of them, those of the ``lead`` seconds before it (its lead-in), and
runs its own clusterer over them in one pass. An article of a lead-in is placed by its own
window and again by the later one. Windows are then linked in time order (:func:`link`): a
story of a window continues the story that most of its lead-in articles have in their own
window, and each article keeps the story of its own window. With a lead-in as long as the
clusterer's reach (``cluster_window_days`` plus the eviction margin) every article sees the
stories it could join; what a window cannot see is the part of a long story before its lead-in,
so stories that run on for longer than the lead-in can be cut or joined differently.

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

__all__ = ["Entry", "Placement", "cluster_in_order", "cluster_window", "link", "seed_slice",
           "term_counts", "window_of", "windows_of"]

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
    """(window, home) for every window that clusters an article of time ``t``: its own, then
    each later one whose lead-in reaches back to ``t``."""
    k = window_of(t, start, span)
    yield k, True
    if t == -math.inf:
        return
    j = k + 1
    while t >= start + j * span - lead:
        yield j, False
        j += 1


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
    clusterer = Clusterer(settings)
    if seeds:
        _seed(clusterer, window, seeds)
    ordered = sorted(entries, key=lambda e: e[0].order)
    return list(cluster_in_order(clusterer, window, ordered, settings.batch_size))


def cluster_in_order(clusterer: Clusterer, window: int, ordered: Iterable[tuple[Entry, bool]],
                     batch_size: int) -> Iterator[Placement]:
    """Feed (entry, home) pairs, in publication order, to ``clusterer`` a batch at a time with
    the eviction and merge pass of ingest between batches, and place every article once the
    input is exhausted (a merge pass may still move an earlier article's story)."""
    placed: list[tuple[str, tuple[float, int, int], bool]] = []
    batch: list[tuple[Entry, bool]] = []

    def run(batch: list[tuple[Entry, bool]]) -> None:
        for entry, home in batch:
            if entry.canonical is not None:
                story = clusterer.story_of(entry.canonical)
                if story is None:
                    continue  # the original is outside the window: the copy follows it later
                clusterer.add_to_story(entry.id, entry.features, entry.published, story)
            else:
                clusterer.assign(entry.id, entry.features, entry.published)
            placed.append((entry.id, entry.order, home))
        clusterer.evict()
        clusterer.merge_pass()

    for pair in ordered:
        batch.append(pair)
        if len(batch) >= batch_size:
            run(batch)
            batch = []
    if batch:
        run(batch)
    stories = {aid: clusterer.story_of(aid) or "" for aid, _, _ in placed}
    first: dict[str, tuple[float, int, int]] = {}
    for aid, order, _ in placed:  # in order: the first seen is the story's first
        first.setdefault(stories[aid], order)
    for aid, _, home in placed:
        yield Placement(aid, window, stories[aid], home, first[stories[aid]])


def link(placements: Iterable[Placement]) -> dict[str, str]:
    """Each article's story after linking windows: article id -> story id.

    Windows are linked in time order. A story of a window that holds lead-in articles continues
    the (already linked) story that most of those articles have in their own window (ties: the
    story whose first article is earliest); a story without lead-in articles keeps its own id.
    An article's story is the one its own window gave it, after linking: stories decided by
    one window are never joined by another's view of its lead-in."""
    by_window: dict[int, list[Placement]] = {}
    for p in placements:
        by_window.setdefault(p.window, []).append(p)
    final: dict[str, str] = {}
    first_of: dict[str, tuple[float, int, int]] = {}
    for window in sorted(by_window):
        rows = by_window[window]
        votes: dict[str, Counter[str]] = {}
        for p in rows:
            if not p.home and p.id in final:
                votes.setdefault(p.story, Counter())[final[p.id]] += 1
        linked: dict[str, str] = {}
        for story, counts in votes.items():
            linked[story] = min(counts, key=lambda s: (-counts[s], first_of[s], s))
        for p in rows:
            if p.home:
                story = linked.get(p.story, p.story)
                final[p.id] = story
                if story not in first_of or p.first < first_of[story]:
                    first_of[story] = p.first
    return final
