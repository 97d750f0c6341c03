"""A story's scoring state: the sums and counts its members add, kept so that comparing an
article with a story costs the same whatever the story's size."""

from __future__ import annotations

import bisect
import math
import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat

import numpy as np

__all__ = ["Story", "add_vec", "dot", "gap", "nearest_gap", "normalise"]


@dataclass(slots=True)
class Story:
    id: str
    seq: int
    members: list[int] = field(default_factory=list)
    """Articles that added evidence (copies do not), by index."""
    articles: list[int] = field(default_factory=list)
    """Every article of the story (copies included), by index."""
    cent: dict[str, float] = field(default_factory=dict)
    """Sum of the members' full vectors (a dot product with it over the member count is the
    mean cosine); likewise the lead vectors (``lcent``) and the title vectors (``tcent``)."""
    lcent: dict[str, float] = field(default_factory=dict)
    tcent: dict[str, float] = field(default_factory=dict)
    titled: int = 0
    """Members with a title (the ones ``tcent`` sums)."""
    ents: Counter[str] = field(default_factory=Counter)
    """Members naming each name token."""
    nums: Counter[str] = field(default_factory=Counter)
    times: list[float] = field(default_factory=list)
    """Publication timestamps of the dated articles, sorted."""
    first: datetime | None = None
    last: datetime | None = None
    merged_into: int | None = None
    evicted: bool = False
    """Dormant for good: the scoring state was freed (see :mod:`newsfold.cluster.evict`)."""
    dense: list[np.ndarray] = field(default_factory=list)
    """Members' sentence vectors (``cluster_embeddings`` only)."""
    dcent: np.ndarray | None = None
    _dmat: np.ndarray | None = None

    def dense_matrix(self) -> np.ndarray:
        if self._dmat is None or len(self._dmat) != len(self.dense):
            self._dmat = np.vstack(self.dense)
        return self._dmat

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
        self.cent, self.lcent, self.tcent = {}, {}, {}
        self.titled = 0
        self.ents, self.nums = Counter(), Counter()
        self.times = []
        self.dense, self.dcent, self._dmat = [], None, None


def add_vec(acc: dict[str, float], vec: dict[str, float]) -> None:
    """Add ``vec`` into ``acc`` in place."""
    get = acc.get
    for t, w in vec.items():
        acc[t] = get(t, 0.0) + w


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(map(operator.mul, a.values(), map(b.get, a, repeat(0.0))))


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
