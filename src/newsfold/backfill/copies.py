"""Copy decisions over a whole archive at once, agreeing with the online copy detector.

:class:`~newsfold.dedupe.Deduper` takes articles in publication order: an article whose content
hash was seen joins the group of that hash's first article; otherwise it joins the group of the
earliest earlier article that shares an LSH band with it and whose estimated Jaccard similarity
reaches the threshold; otherwise it starts a group. The same decisions follow from three
set-wise steps: one representative per content hash (its earliest article, which every later
article with that hash follows), candidate pairs of representatives that share a band, kept when
their estimate reaches the threshold, and the recurrence above run over the representatives
alone (:func:`resolve_near`), which only needs the verified pairs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Any, TypeVar

import numpy as np

__all__ = ["band_keys", "band_shape", "decide_copies", "jaccard", "resolve_near", "verified_pairs"]

K = TypeVar("K", bound=Hashable)

LSH_WEIGHTS = (0.05, 0.95)
"""The false-positive and false-negative weights the copy detector builds its LSH index with."""


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


def verified_pairs(members: Iterable[tuple[K, str, bytes]], threshold: float
                   ) -> Iterator[tuple[tuple[str, str], tuple[K, K]]]:
    """The pairs of one band bucket's (order key, id, signature) members whose estimate
    reaches ``threshold``: ((id, id), (order key, order key)), earlier first."""
    ms = sorted(members)
    for i, (oa, a, sa) in enumerate(ms):
        for ob, b, sb in ms[i + 1:]:
            if jaccard(sa, sb) >= threshold:
                yield (a, b), (oa, ob)


def decide_copies(articles: Iterable[tuple[K, str, str, bytes]], threshold: float,
                  num_perm: int) -> dict[K, K | None]:
    """In one process, the steps a backfill runs on Spark: for (order key, id, content hash,
    signature) of every article, the order key of its group's original (None: an original)."""
    rows: list[tuple[Any, str, str, bytes]] = sorted(articles, key=lambda r: r[0])
    reps: dict[str, tuple[K, str, bytes]] = {}
    for key, aid, chash, sig in rows:
        reps.setdefault(chash, (key, aid, sig))
    bands, width = band_shape(threshold, num_perm)
    buckets: dict[tuple[int, bytes], list[tuple[K, str, bytes]]] = {}
    for rep in reps.values():
        if len(rep[2]) == num_perm * 8:
            for band in band_keys(rep[2], bands, width):
                buckets.setdefault(band, []).append(rep)
    pairs: dict[tuple[str, str], tuple[K, K]] = {}
    for members in buckets.values():
        if len(members) > 1:
            pairs.update(verified_pairs(members, threshold))
    keys = {o: o for pair in pairs.values() for o in pair}
    near = resolve_near(keys, pairs.values())
    out: dict[K, K | None] = {}
    for o, _, chash, _ in rows:
        first = reps[chash][0]
        out[o] = near.get(o) if first == o else near.get(first, first)
    return out
