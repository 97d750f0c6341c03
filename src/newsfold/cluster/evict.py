"""Eviction: memory stays bounded by the active window.

The clock is the ``clock_rank``-th latest publication time seen, so it depends only on the dated
articles seen, not on their order or on batch boundaries (a restored store gets the same clock).
A story whose newest dated article is more than ``cluster_window_days`` plus
``cluster_evict_margin_days`` older than the clock can no longer be joined by any article dated
within the margin before the clock: its scoring state is freed (ids, articles and first/last
dates stay, so lookups still work) and it is never a candidate or merge partner again. Terms
whose recent postings all point to evicted stories leave the index. Undated stories are never
evicted, and document frequencies are kept whole.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .clusterer import Clusterer

__all__ = ["horizon", "horizon_of", "evict"]


def horizon(cl: Clusterer) -> float | None:
    """The timestamp before which a story's newest dated article makes it dormant for good
    (None until ``clock_rank`` dated articles were seen)."""
    if len(cl.clock) < cl.params.clock_rank:
        return None
    return _before(cl, cl.clock[0])  # the heap's least: the clock_rank-th latest time


def horizon_of(cl: Clusterer, latest: list[float]) -> float | None:
    """The horizon :func:`horizon` gives once ``latest`` (the publication timestamps of the
    ``clock_rank`` latest dated articles, or all of them when fewer) have been seen."""
    if len(latest) < cl.params.clock_rank:
        return None
    return _before(cl, heapq.nlargest(cl.params.clock_rank, latest)[-1])


def _before(cl: Clusterer, clock: float) -> float:
    """The horizon for a clock time: a window and its margin earlier."""
    return clock - (cl.window_days + cl.margin_days) * 86400.0


def evict(cl: Clusterer, cut: float | None = None) -> int:
    """Free the scoring state of dated stories older than ``cut`` (default: :func:`horizon`);
    return how many. Deterministic: which stories go depends only on the state and the cut,
    not on when this runs."""
    if cut is None:
        cut = horizon(cl)
    heap = cl.by_last
    if cut is None or not heap or heap[0][0] >= cut:
        return 0
    stories = cl.stories
    terms: dict[str, None] = {}
    n = 0
    while heap and heap[0][0] < cut:
        _, sidx = heapq.heappop(heap)
        s = stories[sidx]
        if s.evicted or s.merged_into is not None or s.last is None:
            continue
        if s.last.timestamp() >= cut:  # a stale entry: the story has a newer one
            continue
        terms.update(dict.fromkeys(s.cent))
        s.evicted = True
        s.clear()
        cl.dirty.discard(sidx)
        n += 1
    postings = cl.postings
    story_of = cl.story_of_article.array
    for term in terms:
        plist = postings.get(term)
        if plist is None or not plist.n:
            continue
        if not stories[int(story_of[plist.ids[plist.n - 1]])].evicted:
            continue  # the cheap common case: the newest posting is live
        if all(stories[i].evicted for i in np.unique(story_of[plist.recent()[0]]).tolist()):
            del postings[term]
    return n
