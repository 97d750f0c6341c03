"""Copy decisions over a whole archive at once, agreeing with the online copy detector.

:class:`~newsfold.dedupe.Deduper` takes articles in publication order: an article whose content
hash was seen joins the group of that hash's first article; otherwise it joins the group of the
earliest earlier article that shares an LSH band with it and whose estimated Jaccard similarity
reaches the threshold; otherwise it starts a group. The same decisions follow from three
set-wise steps: one representative per content hash (its earliest article, which every later
article with that hash follows), candidate pairs of representatives that share a band, kept when
their estimate reaches the threshold, and the recurrence above run over the representatives
alone (:func:`resolve_near`), which only needs the verified pairs.

Ingest forgets articles dated more than its horizon (``cluster_window_days`` plus
``cluster_evict_margin_days``) before the latest: a content hash not seen for that long starts
afresh, and a near copy of a forgotten article is not recognised. So a hash's articles are cut
into runs where two in a row are further apart than the horizon (each run has its own
representative, :func:`runs`), and a near pair counts only when the earlier article is within
the horizon of the later one.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator
from typing import Any, TypeVar

import numpy as np

from ..dedupe import LSH_WEIGHTS

__all__ = ["band_keys", "band_shape", "decide_copies", "jaccard", "resolve_near", "runs",
           "verified_pairs"]

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


def runs(members: Iterable[tuple[Any, ...]], horizon: float) -> list[list[tuple[Any, ...]]]:
    """One content hash's members (order key first; its first item the time) in runs: a new
    run starts after a gap longer than ``horizon`` seconds."""
    out: list[list[tuple[Any, ...]]] = []
    last = -math.inf
    for m in sorted(members):
        t = m[0][0]
        if not out or (t != -math.inf and t - last > horizon):
            out.append([])
        out[-1].append(m)
        if t != -math.inf:
            last = t
    return out


def verified_pairs(members: Iterable[tuple[Any, str, bytes]], threshold: float,
                   horizon: float = math.inf
                   ) -> Iterator[tuple[tuple[str, str], tuple[Any, Any]]]:
    """The pairs of one band bucket's (order key, id, signature) members whose estimate
    reaches ``threshold`` and that are within ``horizon`` seconds of each other:
    ((id, id), (order key, order key)), earlier first."""
    ms = sorted(members)
    for i, (oa, a, sa) in enumerate(ms):
        for ob, b, sb in ms[i + 1:]:
            if ob[0] - oa[0] > horizon:
                break
            if jaccard(sa, sb) >= threshold:
                yield (a, b), (oa, ob)


def decide_copies(articles: Iterable[tuple[Any, str, str, bytes]], threshold: float,
                  num_perm: int, horizon: float = math.inf) -> dict[Any, Any]:
    """In one process, the steps a backfill runs on Spark: for (order key, id, content hash,
    signature) of every article (an order key's first item is its time), the order key of
    its group's original (None: an original)."""
    rows: list[tuple[Any, str, str, bytes]] = sorted(articles, key=lambda r: r[0])
    by_hash: dict[str, list[tuple[Any, str, bytes]]] = {}
    for key, aid, chash, sig in rows:
        by_hash.setdefault(chash, []).append((key, aid, sig))
    rep_of: dict[Any, Any] = {}
    reps: list[tuple[Any, str, bytes]] = []
    for members in by_hash.values():
        for run in runs(members, horizon):
            reps.append(run[0])
            for m in run:
                rep_of[m[0]] = run[0][0]
    bands, width = band_shape(threshold, num_perm)
    buckets: dict[tuple[int, bytes], list[tuple[Any, str, bytes]]] = {}
    for rep in reps:
        if len(rep[2]) == num_perm * 8:
            for band in band_keys(rep[2], bands, width):
                buckets.setdefault(band, []).append(rep)
    pairs: dict[tuple[str, str], tuple[Any, Any]] = {}
    for members in buckets.values():
        if len(members) > 1:
            pairs.update(verified_pairs(members, threshold, horizon))
    keys = {o: o for pair in pairs.values() for o in pair}
    near = resolve_near(keys, pairs.values())
    out: dict[Any, Any] = {}
    for o, _, _, _ in rows:
        first = rep_of[o]
        out[o] = near.get(o) if first == o else near.get(first, first)
    return out
