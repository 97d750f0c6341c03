"""The candidate index: which stories an article's heaviest terms reach, and how closely.

An inverted index from term to the (member article, weight) postings of live stories. Only the
newest ``postings_scan`` postings of a term are kept readable, so finding candidates costs about
the same at a thousand articles as at a million.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["Postings", "Reach", "Scratch", "StoryOf", "member_dots"]

_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_DOTS = np.zeros(0, dtype=np.float64)


class Postings:
    """The postings (article index, member weight) of one term, oldest first.

    Only the last ``scan`` are ever read, so older ones are dropped (amortised: the arrays grow
    to twice that, then keep their newest half)."""

    __slots__ = ("ids", "ws", "n", "scan")

    def __init__(self, scan: int) -> None:
        self.ids = np.empty(2, dtype=np.int64)
        self.ws = np.empty(2, dtype=np.float64)
        self.n = 0
        self.scan = scan

    def append(self, aidx: int, w: float) -> None:
        n, scan = self.n, self.scan
        if n == len(self.ids):
            if n >= 2 * scan:
                self.ids[:scan] = self.ids[n - scan:n]
                self.ws[:scan] = self.ws[n - scan:n]
                n = scan
            else:
                cap = min(2 * n, 2 * scan)
                ids = np.empty(cap, dtype=np.int64)
                ws = np.empty(cap, dtype=np.float64)
                ids[:n] = self.ids[:n]
                ws[:n] = self.ws[:n]
                self.ids, self.ws = ids, ws
        self.ids[n], self.ws[n] = aidx, w
        self.n = n + 1

    def recent(self) -> tuple[np.ndarray, np.ndarray]:
        """The last ``scan`` article indexes and weights (views)."""
        n = self.n
        lo = n - self.scan if n > self.scan else 0
        return self.ids[lo:n], self.ws[lo:n]

    def __len__(self) -> int:
        return self.n


class StoryOf(list[int]):
    """The story index of every article (a list), mirrored into a numpy array for vectorised
    lookups. Appends and item assignments keep the mirror in step."""

    def __init__(self) -> None:
        super().__init__()
        self.array = np.zeros(1024, dtype=np.int64)

    def append(self, sidx: int) -> None:
        n = len(self)
        if n >= len(self.array):
            grown = np.zeros(2 * len(self.array), dtype=np.int64)
            grown[:n] = self.array[:n]
            self.array = grown
        self.array[n] = sidx
        super().append(sidx)

    def __setitem__(self, key, value):  # type: ignore[no-untyped-def]
        super().__setitem__(key, value)
        if isinstance(key, int):
            self.array[key] = value
        else:  # a slice: re-mirror everything
            self.array = np.zeros(max(1024, 2 * len(self)), dtype=np.int64)
            self.array[:len(self)] = np.fromiter(self, dtype=np.int64, count=len(self))

    def __delitem__(self, key):  # type: ignore[no-untyped-def]
        raise TypeError("articles are never removed")


class Reach:
    """The stories a query's postings reached (``sids``, unique), with their best member dot
    products (``b0``)."""

    __slots__ = ("sids", "b0")

    def __init__(self, sids: np.ndarray, b0: np.ndarray) -> None:
        self.sids, self.b0 = sids, b0

    def ranked(self, first: int) -> Iterator[tuple[int, float]]:
        """(story, best dot) by (-best, story index). Only the ``first`` best are sorted until
        more are asked for."""
        n = len(self.sids)
        done = 0
        if n > first:  # the best `first` (and any tied with the last of them) first
            cut = np.partition(self.b0, n - first)[n - first]
            top = np.flatnonzero(self.b0 >= cut)
            yield from self._rank(top)
            done = len(top)  # exactly the first `done` of the whole ranking
        yield from self._rank(np.arange(n))[done:]

    def _rank(self, idx: np.ndarray) -> list[tuple[int, float]]:
        order = idx[np.lexsort((self.sids[idx], -self.b0[idx]))]
        return list(zip(self.sids[order].tolist(), self.b0[order].tolist(), strict=True))


class Scratch:
    """The work arrays of :func:`member_dots`, grown as the index grows and left as they were
    found after each query (sums 0, maxima -inf), so a query touches only what it reaches."""

    __slots__ = ("sums", "best", "slot")

    def __init__(self) -> None:
        self.sums = np.zeros(0, dtype=np.float64)
        """A member's dot product, by article index."""
        self.best = np.zeros(0, dtype=np.float64)
        """A story's best member dot product, by story index."""
        self.slot = np.zeros(0, dtype=np.intp)
        """A position in the query's stories, by story index (marks the first of each)."""

    def fit(self, articles: int, stories: int) -> None:
        """Room for article indexes below ``articles`` and story indexes below ``stories``."""
        if len(self.sums) < articles:
            grown = np.zeros(max(articles, 2 * len(self.sums)), dtype=np.float64)
            self.sums = grown
        if len(self.best) < stories:
            size = max(stories, 2 * len(self.best))
            self.best = np.full(size, -np.inf, dtype=np.float64)
            self.slot = np.zeros(size, dtype=np.intp)


def member_dots(postings: dict[str, Postings], story_of: np.ndarray,
                query: list[tuple[str, float]], scratch: Scratch) -> Reach:
    """The stories reached by the query's postings, with their best member dot product.

    Each member's dot is summed term by term in query order (``np.add.at`` adds in input
    order), so the result does not depend on how the postings are laid out."""
    ids_parts = []
    w_parts = []
    q_ws = []
    lens = []
    for term, w in query:
        plist = postings.get(term)
        if plist is None or not plist.n:
            continue
        ids, ws = plist.recent()
        ids_parts.append(ids)
        w_parts.append(ws)
        q_ws.append(w)
        lens.append(len(ids))
    if not ids_parts:
        return Reach(_NO_IDS, _NO_DOTS)
    all_ids = np.concatenate(ids_parts)
    prods = np.concatenate(w_parts) * np.repeat(q_ws, lens)
    sids = story_of[all_ids]
    scratch.fit(len(story_of), int(sids.max()) + 1)
    sums, best, slot = scratch.sums, scratch.best, scratch.slot
    # each member's dot, read at every one of its postings; then the scratch is zero again
    np.add.at(sums, all_ids, prods)
    dots = sums[all_ids]
    sums[all_ids] = 0.0
    # each story's best member dot, and each story once (at the one position of its
    # postings that the assignment kept)
    np.maximum.at(best, sids, dots)
    at = np.arange(len(sids))
    slot[sids] = at
    reached = sids[slot[sids] == at]
    b0 = best[reached]
    best[reached] = -np.inf
    return Reach(reached, b0)
