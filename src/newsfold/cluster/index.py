"""The candidate index: which stories an article's heaviest terms reach, and how closely.

An inverted index from term to the (member article, weight) postings of live stories. Only the
newest ``postings_scan`` postings of a term are kept readable, so finding candidates costs about
the same at a thousand articles as at a million.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["Postings", "StoryOf", "Reach", "member_dots"]

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


def member_dots(postings: dict[str, Postings], story_of: np.ndarray,
                query: list[tuple[str, float]]) -> Reach:
    """The stories reached by the query's postings, with their best member dot product.

    Each member's dot is summed term by term in query order (``np.bincount`` adds its weights
    in input order), so the result does not depend on how the postings are laid out."""
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
    # np.unique(all_ids, return_inverse=True), without its generic overhead
    by_id = all_ids.argsort(kind="stable")
    sorted_ids = all_ids[by_id]
    first = np.empty(len(sorted_ids), dtype=bool)
    first[0] = True
    np.not_equal(sorted_ids[1:], sorted_ids[:-1], out=first[1:])
    uniq = sorted_ids[first]
    inv = np.empty(len(all_ids), dtype=np.intp)
    inv[by_id] = np.cumsum(first) - 1
    dots = np.bincount(inv, weights=prods, minlength=len(uniq))
    sids = story_of[uniq]
    # the best member of each story first, with one float key (unit vectors: a dot is at most
    # 1, so the story index dominates; dots closer than the key's rounding may come in either
    # order, which changes nothing but which of two equal maxima is read)
    order = np.argsort(sids * 4.0 - dots, kind="stable")
    s_sorted = sids[order]
    head = np.empty(len(s_sorted), dtype=bool)
    head[0] = True
    np.not_equal(s_sorted[1:], s_sorted[:-1], out=head[1:])
    return Reach(s_sorted[head], dots[order][head])
