"""Copy decisions over a whole archive at once, agreeing with the online copy detector.

:class:`~newsfold.dedupe.Deduper` takes articles in publication order: an article whose content
hash was seen joins the group of that hash's first article; otherwise it joins the group of the
earliest earlier article that shares an LSH band with it and whose estimated Jaccard similarity
reaches the threshold; otherwise it starts a group. The same decisions follow from three
set-wise steps: one representative per content hash (its earliest article, which every later
article with that hash follows), candidate pairs of representatives that share a band, kept when
their estimate reaches the threshold, and the recurrence above run over the representatives
alone (:func:`resolve_near`), which only needs the verified pairs. Every article of a content
hash is in the online index under its own date (they share one signature), so an earlier hash
counts for a later representative while any of its articles before it is remembered, and
its earliest such article is the one the online detector finds.

Ingest forgets articles between batches: after each batch of ``batch_size`` items (in input
order) it forgets every article dated before its cut-off, the clusterer's horizon (the
``clock_rank``-th latest publication time seen, less ``cluster_window_days`` and
``cluster_evict_margin_days``). :func:`cutoffs` recomputes that cut-off for each article's
batch, and an earlier article counts for a later one only when it is in the same batch, undated
or dated on or after the later one's cut-off: a content hash not seen since then starts afresh
(:func:`runs`), and a near pair whose earlier side is all forgotten is not a pair.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Iterator
from typing import Any, TypeVar

import numpy as np

from ..dedupe import LSH_WEIGHTS

__all__ = ["Seen", "band_keys", "band_shape", "cutoffs", "decide_copies", "jaccard", "resolve_near",
           "run_record", "runs", "seen", "verified_pairs"]

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


def resolve_near(order: dict[K, Any], pairs: Iterable[tuple[K, K, Any]]) -> dict[K, K]:
    """The group original of each representative that near-copies an earlier one.

    ``order`` gives each representative's publication-order key; ``pairs`` are the verified
    near pairs (earlier representative, later representative, the order key of the earlier
    hash's first article still remembered for the later one). In publication order, a
    representative follows the original of the partner whose remembered article comes first,
    as the online detector decides."""
    earlier: dict[K, list[tuple[Any, K]]] = {}
    for a, b, first_seen in pairs:
        earlier.setdefault(b, []).append((first_seen, a))
    root: dict[K, K] = {}
    for rep in sorted(earlier, key=order.__getitem__):
        first = min(earlier[rep])[1]
        root[rep] = root.get(first, first)
    return root


Seen = tuple[int, float, float]
"""An article's ingest batch, the cut-off in force when it was decided, and its publication
time (``-inf``: undated, never forgotten)."""

NEVER: Seen = (0, -math.inf, -math.inf)
"""Nothing forgotten."""


def cutoffs(times: Iterable[float | None], batch_size: int, rank: int, reach: float
            ) -> Iterator[Seen]:
    """(batch, cut-off, time) of each item, in input order, as ingest decides: items go in
    batches of ``batch_size``, and a batch's cut-off is the ``rank``-th latest publication time
    of the batches before it less ``reach`` seconds (``-inf`` until ``rank`` dated items were
    seen); the time is the item's own (``-inf`` when undated)."""
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
        yield i // batch_size, cut, (-math.inf if t is None else t)


def seen(earlier: Seen, later: Seen) -> bool:
    """Whether ingest still remembers an earlier article when it decides a later one: the same
    batch, undated, or dated on or after the later one's cut-off."""
    return earlier[0] == later[0] or earlier[2] == -math.inf or earlier[2] >= later[1]


def runs(members: Iterable[tuple[Any, ...]]) -> list[list[tuple[Any, ...]]]:
    """One content hash's members ``(order key, ..., seen)`` in runs: a member starts a new run
    when ingest has forgotten the hash, every member before it (an undated one never is)."""
    out: list[list[tuple[Any, ...]]] = []
    forever = False
    for m in sorted(members):
        if not out or not (forever or seen(out[-1][-1][-1], m[-1])):
            out.append([])
            forever = False
        out[-1].append(m)
        forever = forever or m[-1][2] == -math.inf
    return out


Record = tuple[Any, str, bytes, Seen, tuple[tuple[Any, Seen], ...]]
"""A run of one content hash for the band join: its first article's (order key, id,
signature, seen) and every member's (order key, seen)."""


def run_record(run: list[tuple[Any, str, bytes, Seen]]) -> Record:
    """The :data:`Record` of a run of :func:`runs`."""
    key, aid, sig, when = run[0]
    return key, aid, sig, when, tuple((m[0], m[3]) for m in run)


def verified_pairs(records: Iterable[Record], threshold: float
                   ) -> Iterator[tuple[tuple[str, str], tuple[Any, Any, Any]]]:
    """The pairs of one band bucket's runs whose estimate reaches ``threshold`` and whose
    earlier run has an article before the later run's first that is still remembered when
    that one is decided: ((id, id), (order key, order key, that article's order key)),
    earlier first."""
    rs = sorted(records, key=lambda r: r[0])
    for i, (oa, a, sa, _, members) in enumerate(rs):
        for ob, b, sb, vb, _ in rs[i + 1:]:
            first = next((k for k, v in members if k < ob and seen(v, vb)), None)
            if first is not None and jaccard(sa, sb) >= threshold:
                yield (a, b), (oa, ob, first)


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
    reps: list[Record] = []
    for members in by_hash.values():
        for run in runs(members):
            reps.append(run_record(run))
            for m in run:
                rep_of[m[0]] = run[0][0]
    bands, width = band_shape(threshold, num_perm)
    buckets: dict[tuple[int, bytes], list[Record]] = {}
    for rep in reps:
        if len(rep[2]) == num_perm * 8:
            for band in band_keys(rep[2], bands, width):
                buckets.setdefault(band, []).append(rep)
    pairs: dict[tuple[str, str], tuple[Any, Any, Any]] = {}
    for bucket in buckets.values():
        if len(bucket) > 1:
            pairs.update(verified_pairs(bucket, threshold))
    keys = {o: o for pair in pairs.values() for o in pair[:2]}
    near = resolve_near(keys, pairs.values())
    out: dict[Any, Any] = {}
    for o, _, _, _ in rows:
        first = rep_of[o]
        out[o] = near.get(o) if first == o else near.get(first, first)
    return out
