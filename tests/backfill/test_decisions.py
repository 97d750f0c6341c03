"""The set-wise copy decisions and the window arithmetic of a backfill, without Spark."""

from __future__ import annotations

import math

import pytest

from newsfold.backfill.copies import decide_copies
from newsfold.backfill.windows import seed_slice, stitch, windows_of
from newsfold.dedupe import Deduper, Signer, content_hash, find_copies
from newsfold.pipeline.prepare import publication_order
from newsfold.records import Article

from .corpus import generate


def _articles(n: int) -> list[Article]:
    rows = generate(n)
    return publication_order([Article(id=r["id"], title=r["title"], text=r["text"],
                                       published=r["published"]) for r in rows])


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_set_wise_copies_are_the_online_detectors(threshold: float) -> None:
    articles = _articles(1500)
    # a chain: B near-copies A, C near-copies B but not A; and exact copies of a near copy
    base = articles[10]
    words = base.text.split()
    mid = len(words) // 2
    b = Article(id="chain-b", title=base.title, text=" ".join(words[:mid] + ["extra"] * 3
                                                              + words[mid:]),
                published=base.published)
    c = Article(id="chain-c", title=base.title, text=" ".join(words[:mid] + ["extra"] * 3
                                                              + words[mid:-6]),
                published=base.published)
    d = Article(id="chain-d", title=b.title, text=b.text, published=base.published)
    articles = articles[:11] + [b, c, d] + articles[11:]
    signer = Signer(64)
    rows = [(a, content_hash(a.title, a.text), signer.signature(a)) for a in articles]
    online = find_copies(Deduper(threshold=threshold, num_perm=64), rows)
    decided = decide_copies([((0.0, i), a.id, h, s) for i, (a, h, s) in enumerate(rows)],
                            threshold, 64)
    ids = [a.id for a in articles]
    setwise = [None if (c := decided[(0.0, i)]) is None else ids[c[1]] for i in range(len(ids))]
    assert sum(c is not None for c in online) > 20
    assert setwise == online


def test_windows_overlap_by_the_lead_in() -> None:
    day = 86400.0
    start, span, lead = 0.0, 30 * day, 10 * day
    assert list(windows_of(5 * day, start, span, lead)) == [(0, True)]
    assert list(windows_of(25 * day, start, span, lead)) == [(0, True), (1, False)]
    assert list(windows_of(-math.inf, start, span, lead)) == [(0, True)]
    # an original counts in the seed of window k exactly when window k and its lead-in
    # come after it
    for t in [-math.inf, 0.0, 5 * day, 19.9 * day, 20 * day, 49 * day, 50 * day, 95 * day]:
        for k in range(1, 5):
            assert (seed_slice(t, start, span, lead) <= k) == (t < start + k * span - lead)


def test_stitching_keeps_the_story_that_began_first() -> None:
    joined = stitch([(("s-late", (5.0, 0, 1)), ("s-early", (1.0, 0, 0))),
                     (("s-early", (1.0, 0, 0)), ("s-other", (3.0, 0, 0))),
                     (("s-x", (9.0, 0, 0)), ("s-y", (8.0, 0, 0)))])
    assert joined == {"s-late": "s-early", "s-other": "s-early", "s-x": "s-y"}


def test_a_copy_beyond_the_horizon_starts_afresh() -> None:
    """Ingest forgets articles older than its horizon: an exact copy made later than that is
    an original again, and the copies after it follow it."""
    day = 86400.0
    sig = bytes(range(64)) * 8
    rows = [((0.0, 0), "a", "h", sig), ((1 * day, 1), "b", "h", sig),
            ((900 * day, 2), "c", "h", sig), ((901 * day, 3), "d", "h", sig)]
    decided = decide_copies(rows, 0.8, 64, horizon=760 * day)
    assert decided == {(0.0, 0): None, (1 * day, 1): (0.0, 0), (900 * day, 2): None,
                       (901 * day, 3): (900 * day, 2)}
