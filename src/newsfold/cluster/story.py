"""A story's scoring state: the sums and counts its members add, kept so that comparing an
article with a story costs the same whatever the story's size."""

from __future__ import annotations

import bisect
import heapq
import math
import operator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat

import numpy as np

__all__ = ["Story", "add_vec", "dot", "gap", "heaviest", "nearest_gap", "normalise"]


@dataclass(slots=True)
class Story:
    id: str
    seq: int
    members: list[int] = field(default_factory=list)
    """Articles that added evidence (copies do not), by index."""
    articles: list[int] = field(default_factory=list)
    """Every article of the story (copies included), by index."""
    cent: dict[str, float] = field(default_factory=dict)
    """Sum of the members' vectors (a dot product with it over the member count is the mean
    cosine)."""
    times: list[float] = field(default_factory=list)
    """Publication timestamps of the dated articles, sorted."""
    first: datetime | None = None
    last: datetime | None = None
    merged_into: int | None = None
    compared: int = 0
    """Members the story had when the merge pass last compared it (see :mod:`.merge`)."""
    evicted: bool = False
    """Dormant for good: the scoring state was freed (see :mod:`newsfold.cluster.evict`)."""
    dcent: np.ndarray | None = None
    """Sum of the members' sentence vectors (``cluster_embeddings`` only)."""
    dense: int = 0
    """Members with a sentence vector (the ones ``dcent`` sums)."""

    def add_time(self, dt: datetime) -> None:
        ts = dt.timestamp()
        bisect.insort(self.times, ts)
        if self.first is None or dt < self.first:
            self.first = dt
        if self.last is None or dt > self.last:
            self.last = dt

    def clear(self) -> None:
        """Free the scoring state (ids, articles and first/last dates stay)."""
        self.members = []
        self.cent = {}
        self.times = []
        self.dcent, self.dense = None, 0


def add_vec(acc: dict[str, float], vec: dict[str, float]) -> None:
    """Add ``vec`` into ``acc`` in place."""
    get = acc.get
    for t, w in vec.items():
        acc[t] = get(t, 0.0) + w


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(map(operator.mul, a.values(), map(b.get, a, repeat(0.0))))


def heaviest(vec: dict[str, float], k: int) -> list[tuple[str, float]]:
    """The ``k`` heaviest terms of ``vec`` with their weights, heaviest first (equal weights in
    term order). Only the terms at least as heavy as the ``k``-th are sorted."""
    if len(vec) > k:
        cut = heapq.nlargest(k, vec.values())[-1]
        items = [kv for kv in vec.items() if kv[1] >= cut]
    else:
        items = list(vec.items())
    items.sort(key=lambda kv: (-kv[1], kv[0]))
    return items[:k]


def normalise(vec: dict[str, float]) -> dict[str, float]:
    ws = vec.values()
    norm = math.sqrt(sum(map(operator.mul, ws, ws)))
    if norm == 0.0:
        return {}
    return {t: w / norm for t, w in vec.items()}


DAY = 86400.0


def day_only(ts: float) -> bool:
    """A timestamp at midnight UTC: a date without a time of day (as the records parse it)."""
    return ts % DAY == 0.0


def gap(a: float, b: float) -> float:
    """Seconds between two timestamps; a date without a time of day stands for its whole day,
    so when either is one the gap is a day shorter (never below 0)."""
    g = abs(a - b)
    return max(0.0, g - DAY) if day_only(a) or day_only(b) else g


def nearest_gap(times: list[float], ts: float) -> float:
    """:func:`gap` from ``ts`` to the nearest of ``times`` (sorted, non-empty)."""
    i = bisect.bisect_left(times, ts)
    return min(gap(times[j], ts) for j in (i - 1, i) if 0 <= j < len(times))
