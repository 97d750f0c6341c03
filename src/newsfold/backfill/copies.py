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

__all__ = ["band_keys", "band_shape", "jaccard", "resolve_near"]

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
