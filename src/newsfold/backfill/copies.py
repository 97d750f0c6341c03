"""Copy decisions over a whole archive at once, agreeing with the online copy detector.

:class:`~newsfold.dedupe.Deduper` takes articles in publication order: an article whose content
hash was seen joins the group of that hash's first article; otherwise it joins the group of the
earliest earlier article that shares an LSH band with it and whose estimated Jaccard similarity
reaches the threshold; otherwise it starts a group. The same decisions follow from three
set-wise steps: one representative per content hash (its earliest article, which every later
article with that hash follows), candidate pairs of representatives that share a band, kept when
their estimate reaches the threshold, and the recurrence above run over the representatives
alone (:func:`resolve_near`), which only needs the verified pairs.

Ingest forgets articles between batches: after each batch of ``batch_size`` items (in input
order) it forgets every article dated before its cut-off, the clusterer's horizon (the
``clock_rank``-th latest publication time seen, less ``cluster_window_days`` and
``cluster_evict_margin_days``). :func:`cutoffs` recomputes that cut-off for each article's
batch, and an earlier article counts for a later one only when it is in the same batch, undated
or dated on or after the later one's cut-off: a content hash not seen since then starts afresh
(:func:`runs`), and a near pair with a forgotten article is not a pair.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Iterator
from typing import Any, TypeVar

import numpy as np

from ..dedupe import LSH_WEIGHTS

__all__ = ["Seen", "band_keys", "band_shape", "cutoffs", "decide_copies", "jaccard", "resolve_near",
           "runs", "seen", "verified_pairs"]

K = TypeVar("K", bound=Hashable)

def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) of the copy detector's LSH index for these settings."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
    return int(lsh.b), int(lsh.r)


def band_keys(signature: bytes, bands: int, rows: int) -> Iterator[tuple[int, bytes]]:
    """(band number, the band's bytes) of a signature; two signatures are LSH candidates when
    they share one."""
    width = rows * 8
    for b in range(bands):
        yield b, signature[b * width:(b + 1) * width]


def jaccard(a: bytes, b: bytes) -> float:
    """The MinHash estimate of Jaccard similarity: the share of equal values."""
    va = np.frombuffer(a, dtype="<u8")
    vb = np.frombuffer(b, dtype="<u8")
    return float(np.count_nonzero(va == vb)) / len(va)


def resolve_near(order: dict[K, Any], pairs: Iterable[tuple[K, K]]) -> dict[K, K]:
    """The group original of each representative that near-copies an earlier one.

    ``order`` gives each representative's publication-order key; ``pairs`` are the verified
    near pairs. In publication order, a representative follows the original of its earliest
    verified earlier partner, as the online detector decides."""
    earlier: dict[K, list[K]] = {}
    for a, b in pairs:
        if order[a] > order[b]:
            a, b = b, a
        earlier.setdefault(b, []).append(a)
    root: dict[K, K] = {}
    for rep in sorted(earlier, key=order.__getitem__):
        first = min(earlier[rep], key=order.__getitem__)
        root[rep] = root.get(first, first)
    return root


Seen = tuple[int, float]
"""An article's ingest batch and the cut-off in force when it was decided."""

NEVER: Seen = (0, -math.inf)
"""Nothing forgotten."""


def cutoffs(times: Iterable[float | None], batch_size: int, rank: int, reach: float
            ) -> Iterator[Seen]:
    """(batch, cut-off) of each item, in input order, as ingest decides: items go in batches of
    ``batch_size``, and a batch's cut-off is the ``rank``-th latest publication time of the
    batches before it less ``reach`` seconds (``-inf`` until ``rank`` dated items were seen)."""
    latest: list[float] = []
    pending: list[float] = []
    cut = -math.inf
    for i, t in enumerate(times):
        if i and i % batch_size == 0:
            for x in pending:
                if len(latest) < rank:
                    heapq.heappush(latest, x)
                elif x > latest[0]:
                    heapq.heapreplace(latest, x)
            pending.clear()
            if len(latest) >= rank:
                cut = latest[0] - reach
        if t is not None:
            pending.append(t)
        yield i // batch_size, cut


def seen(earlier_time: float, earlier: Seen, later: Seen) -> bool:
    """Whether ingest still remembers an earlier article (its time and batch) when it decides
    a later one."""
    return (earlier[0] == later[0] or earlier_time == -math.inf
            or earlier_time >= later[1])


def runs(members: Iterable[tuple[Any, ...]]) -> list[list[tuple[Any, ...]]]:
    """One content hash's members ``(order key, ..., seen)`` in runs: a member starts a new run
    when ingest has forgotten the member before it (see :func:`seen`)."""
    out: list[list[tuple[Any, ...]]] = []
    for m in sorted(members):
        if not out or not seen(out[-1][-1][0][0], out[-1][-1][-1], m[-1]):
            out.append([])
        out[-1].append(m)
    return out


def verified_pairs(members: Iterable[tuple[Any, str, bytes, Seen]], threshold: float
                   ) -> Iterator[tuple[tuple[str, str], tuple[Any, Any]]]:
    """The pairs of one band bucket's (order key, id, signature, seen) members whose estimate
    reaches ``threshold``, the earlier still remembered when the later is decided:
    ((id, id), (order key, order key)), earlier first."""
    ms = sorted(members)
    for i, (oa, a, sa, va) in enumerate(ms):
        for ob, b, sb, vb in ms[i + 1:]:
            if seen(oa[0], va, vb) and jaccard(sa, sb) >= threshold:
                yield (a, b), (oa, ob)


def decide_copies(articles: Iterable[tuple[Any, str, str, bytes]], threshold: float,
                  num_perm: int, seen_at: dict[Any, Seen] | None = None) -> dict[Any, Any]:
    """In one process, the steps a backfill runs on Spark: for (order key, id, content hash,
    signature) of every article (an order key's first item is its time), the order key of
    its group's original (None: an original). ``seen_at``: each order key's batch and cut-off
    (:func:`cutoffs`; default: nothing forgotten)."""
    rows: list[tuple[Any, str, str, bytes]] = sorted(articles, key=lambda r: r[0])
    when = seen_at or {}
    by_hash: dict[str, list[tuple[Any, str, bytes, Seen]]] = {}
    for key, aid, chash, sig in rows:
        by_hash.setdefault(chash, []).append((key, aid, sig, when.get(key, NEVER)))
    rep_of: dict[Any, Any] = {}
    reps: list[tuple[Any, str, bytes, Seen]] = []
    for members in by_hash.values():
        for run in runs(members):
            reps.append(run[0])
            for m in run:
                rep_of[m[0]] = run[0][0]
    bands, width = band_shape(threshold, num_perm)
    buckets: dict[tuple[int, bytes], list[tuple[Any, str, bytes, Seen]]] = {}
    for rep in reps:
        if len(rep[2]) == num_perm * 8:
            for band in band_keys(rep[2], bands, width):
                buckets.setdefault(band, []).append(rep)
    pairs: dict[tuple[str, str], tuple[Any, Any]] = {}
    for members in buckets.values():
        if len(members) > 1:
            pairs.update(verified_pairs(members, threshold))
    keys = {o: o for pair in pairs.values() for o in pair}
    near = resolve_near(keys, pairs.values())
    out: dict[Any, Any] = {}
    for o, _, _, _ in rows:
        first = rep_of[o]
        out[o] = near.get(o) if first == o else near.get(first, first)
    return out
