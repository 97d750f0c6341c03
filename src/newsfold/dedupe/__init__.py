"""Exact and near-copy detection.

Exact copies share :func:`content_hash` (BLAKE2b of the case- and whitespace-normalised title and
text). Near copies (the same article with a changed masthead, byline or footer) are found with
MinHash over word 5-gram shingles and a MinHash LSH index; a candidate counts as a copy when its
estimated Jaccard similarity reaches ``threshold``. Texts shorter than :data:`MIN_WORDS` words
(e.g. headline-only items) get an empty signature and are matched by exact hash only.

Usage, once per article in input order::

    h = content_hash(a.title, a.text)
    sig = deduper.signature(a)
    canonical = deduper.find(a, h, sig)       # id of the group's first article, or None
    deduper.add(a.id, h, sig, canonical, published=timestamp_or_None)

which :func:`find_copies` does for a sequence of articles (the ingest pipeline's batches, and
``newsfold summarize``'s articles).

On a later run the stored rows are re-added with :meth:`Deduper.add` to rebuild the state.

Memory stays bounded by the active window: :meth:`Deduper.evict` forgets every article dated
before a cut-off (the pipeline passes the clusterer's :meth:`~newsfold.cluster.Clusterer.horizon`,
before which stories are dormant for good): its signature leaves the LSH index, and its id
leaves the group and order maps; its content hash is forgotten once no article with that hash
is dated at or after the cut-off. A copy of a forgotten article is no longer recognised (it is
clustered like any other article, as its original's story can no longer be joined anyway).
Undated articles are never forgotten. Which articles are forgotten depends only on what was
added and on the cut-off, not on when :meth:`Deduper.evict` runs.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # datasketch loads SciPy: imported when a Deduper is made
    from datasketch import LeanMinHash

from ..records import Article
from ..text import fold

__all__ = ["LSH_WEIGHTS", "MIN_WORDS", "SHINGLE", "Deduper", "Signer", "content_hash",
           "find_copies", "shingles"]

SHINGLE = 5
"""Words per shingle."""
MIN_WORDS = 8
"""Texts with fewer words are matched by exact hash only."""
_SEED = 1
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def _normal(title: str, text: str) -> str:
    return " ".join(fold(f"{title}\n{text}").split())


def content_hash(title: str, text: str = "") -> str:
    """Hex BLAKE2b-128 of the case-, accent- and whitespace-normalised title and text."""
    return hashlib.blake2b(_normal(title, text).encode("utf-8"), digest_size=16).hexdigest()


def shingles(title: str, text: str) -> list[bytes]:
    """Distinct word 5-gram shingles of the folded title and text, in first-seen order."""
    toks = _WORD.findall(fold(f"{title}\n{text}"))
    if len(toks) < MIN_WORDS:
        return []
    n = min(SHINGLE, len(toks))
    seen: dict[bytes, None] = {}
    for i in range(len(toks) - n + 1):
        seen.setdefault(" ".join(toks[i : i + n]).encode("utf-8"), None)
    return list(seen)


class Signer:
    """MinHash signatures of articles: a pure function of the text, with permutations drawn
    once from the fixed seed (what the ingest worker needs without a copy detector's state)."""

    def __init__(self, num_perm: int = 64) -> None:
        from datasketch import MinHash

        self.num_perm = num_perm
        self._template = MinHash(num_perm=num_perm, seed=_SEED)

    def signature(self, article: Article) -> bytes:
        """The MinHash values as little-endian uint64 bytes; ``b""`` for short texts."""
        sh = shingles(article.title, article.text)
        if not sh:
            return b""
        m = type(self._template)(num_perm=self.num_perm, seed=_SEED,
                                 permutations=self._template.permutations, scheme=_SCHEME)
        m.update_batch(sh)
        return np.asarray(m.hashvalues, dtype="<u8").tobytes()


LSH_WEIGHTS = (0.05, 0.95)
"""False-positive and false-negative weights of the near-copy LSH index: weighted towards
recall, since candidates are checked against the threshold afterwards."""


class Deduper:
    """Online exact and near-copy detector (deterministic: fixed seed, first-added wins)."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 64) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        from datasketch import MinHashLSH

        self._signer = Signer(num_perm)
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        self._exact: dict[str, str] = {}
        self._canonical: dict[str, str] = {}
        self._order: dict[str, int] = {}
        self._sigs: dict[str, np.ndarray] = {}
        self._added = 0
        self._dated: list[tuple[float, int, str, str]] = []
        """Min-heap of (publication timestamp, order, id, content hash) of dated articles."""
        self._last_lean: tuple[bytes, LeanMinHash] | None = None
        self._hash_last: dict[str, float] = {}
        """The newest publication timestamp of each content hash (``inf``: an undated one)."""

    # -- signatures ---------------------------------------------------------------------------
    def signature(self, article: Article) -> bytes:
        """The article's MinHash signature (see :meth:`Signer.signature`)."""
        return self._signer.signature(article)

    def _values(self, signature: bytes) -> np.ndarray | None:
        if not signature:
            return None
        values = np.frombuffer(signature, dtype="<u8").astype(np.uint64)
        if len(values) != self.num_perm:
            return None  # made with another num_perm: exact matching only
        return values

    def _lean(self, signature: bytes, values: np.ndarray) -> LeanMinHash:
        """The LSH's view of a signature; the last one is kept, since ``find`` and then ``add``
        ask for the same article's."""
        memo = self._last_lean
        if memo is not None and memo[0] == signature:
            return memo[1]
        from datasketch import LeanMinHash

        lean = LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)
        self._last_lean = (signature, lean)
        return lean

    # -- the online interface -----------------------------------------------------------------
    def find(self, article: Article, content_hash: str, signature: bytes) -> str | None:
        """The canonical id of an exact or near copy already added, else None."""
        hit = self._exact.get(content_hash)
        if hit is not None:
            return hit
        values = self._values(signature)
        if values is None:
            return None
        best: tuple[int, str] | None = None
        for key in self._lsh.query(self._lean(signature, values)):
            other = self._sigs[key]
            jaccard = float(np.count_nonzero(other == values)) / len(values)
            if jaccard >= self.threshold:
                order = self._order[key]
                if best is None or order < best[0]:
                    best = (order, key)
        if best is None:
            return None
        return self._canonical[best[1]]

    def add(self, article_id: str, content_hash: str, signature: bytes,
            canonical: str | None, published: float | None = None) -> None:
        """Record an article; ``canonical`` is its group's first article (None: it starts one),
        ``published`` its publication timestamp (None: undated, never evicted)."""
        if article_id in self._order:
            return
        root = canonical if canonical is not None else article_id
        root = self._canonical.get(root, root)
        self._canonical[article_id] = root
        self._order[article_id] = self._added
        self._added += 1
        self._exact.setdefault(content_hash, root)
        ts = math.inf if published is None else published
        if ts > self._hash_last.get(content_hash, -math.inf):
            self._hash_last[content_hash] = ts
        if published is not None:
            heapq.heappush(self._dated, (published, self._order[article_id], article_id,
                                         content_hash))
        values = self._values(signature)
        if values is not None:
            self._sigs[article_id] = values
            self._lsh.insert(article_id, self._lean(signature, values), check_duplication=False)

    def evict(self, before: float | None) -> int:
        """Forget every article dated before ``before`` (a timestamp; None: nothing); return
        how many were forgotten (see the module docstring)."""
        heap = self._dated
        n = 0
        while before is not None and heap and heap[0][0] < before:
            _, _, aid, h = heapq.heappop(heap)
            if self._sigs.pop(aid, None) is not None:
                self._lsh.remove(aid)
            self._order.pop(aid, None)
            self._canonical.pop(aid, None)
            if self._hash_last.get(h, math.inf) < before:
                del self._hash_last[h]
                self._exact.pop(h, None)
            n += 1
        return n

    def __len__(self) -> int:
        """Articles added (forgotten ones included)."""
        return self._added


def find_copies(deduper: Deduper, articles: Iterable[tuple[Article, str, bytes]]
                ) -> list[str | None]:
    """For each (article, content hash, signature), in publication order, the id of the first
    article of the copy group it joins, or None when it starts one.

    Each article is added to ``deduper`` (dated by its publication time, for eviction) before
    the next is looked up, so copies within ``articles`` are found as well as copies of
    articles added before."""
    found: list[str | None] = []
    for article, chash, signature in articles:
        canonical = deduper.find(article, chash, signature)
        published = article.published_at
        deduper.add(article.id, chash, signature, canonical,
                    None if published is None else published.timestamp())
        found.append(canonical)
    return found
