"""The set-wise copy decisions and the window arithmetic of a backfill, without Spark."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from newsfold.backfill.copies import cutoffs, decide_copies
from newsfold.backfill.windows import Placement, link, seed_slice, windows_of
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


def test_a_window_continues_the_story_most_of_its_lead_in_had() -> None:
    """Window 1 re-clusters window 0's tail (a, b, c) as one story with its own article d;
    a and b were in s-ab, c in s-c: the story continues s-ab, and window 1's view does not
    join s-ab with s-c. A story without lead-in articles keeps its own id."""
    P = Placement
    placements = [
        P("a", 0, "s-ab", True, (1.0, 0, 0)), P("b", 0, "s-ab", True, (1.0, 0, 0)),
        P("c", 0, "s-c", True, (3.0, 0, 0)),
        P("a", 1, "s-a", False, (1.0, 0, 0)), P("b", 1, "s-a", False, (1.0, 0, 0)),
        P("c", 1, "s-a", False, (1.0, 0, 0)), P("d", 1, "s-a", True, (1.0, 0, 0)),
        P("e", 1, "s-e", True, (7.0, 0, 0)),
        # window 2 sees d in its lead-in: d's story is s-ab after linking
        P("d", 2, "s-d", False, (5.0, 0, 0)), P("f", 2, "s-d", True, (5.0, 0, 0)),
    ]
    assert link(placements) == {"a": "s-ab", "b": "s-ab", "c": "s-c", "d": "s-ab",
                                "e": "s-e", "f": "s-ab"}


def test_a_tie_goes_to_the_story_that_began_first() -> None:
    P = Placement
    placements = [P("a", 0, "s-late", True, (5.0, 0, 0)), P("b", 0, "s-early", True, (1.0, 0, 0)),
                  P("a", 1, "s-x", False, (5.0, 0, 0)), P("b", 1, "s-x", False, (5.0, 0, 0)),
                  P("c", 1, "s-x", True, (5.0, 0, 0))]
    assert link(placements)["c"] == "s-early"


def test_cut_offs_are_the_clusterers_horizon_after_each_batch() -> None:
    """The cut-off a backfill computes for each ingest batch is the horizon the clusterer
    reports after the batches before it."""
    from newsfold.cluster import PARAMS, Clusterer
    from newsfold.settings import Settings

    settings = Settings(batch_size=50, cluster_window_days=30.0, cluster_evict_margin_days=5.0)
    articles = _articles(600)
    times = [None if a.published_at is None else a.published_at.timestamp() for a in articles]
    cuts = list(cutoffs(times, 50, PARAMS.clock_rank, 35 * 86400.0))
    clusterer = Clusterer(settings)
    for start in range(0, len(articles), 50):
        horizon = clusterer.horizon()
        assert {c for _, c, _ in cuts[start:start + 50]} == \
            {-math.inf if horizon is None else horizon}
        assert {b for b, _, _ in cuts[start:start + 50]} == {start // 50}
        for a in articles[start:start + 50]:
            clusterer.assign(a.id, clusterer.featurize(a), a.published)
    assert cuts[-1][1] > -math.inf


def _every_two_days(articles: list[Article]) -> list[Article]:
    """The articles spread over years: one every two days from 2001."""
    return [Article(id=a.id, title=a.title, text=a.text,
                    published=(datetime(2001, 1, 1, tzinfo=UTC)
                               + timedelta(days=2 * i)).isoformat())
            for i, a in enumerate(articles)]


def _online_and_set_wise(arts: list[Article], batch: int, reach_days: float
                         ) -> tuple[list[str], list[str | None], list[str | None]]:
    """(ids, the online detector's decisions evicting between batches of ``batch`` as ingest
    does, the set-wise decisions with the same cut-offs), clock rank 20."""
    signer = Signer(64)
    rows = [(a, content_hash(a.title, a.text), signer.signature(a)) for a in arts]
    times = [None if a.published_at is None else a.published_at.timestamp() for a in arts]
    cuts = list(cutoffs(times, batch, 20, reach_days * 86400.0))
    deduper = Deduper(threshold=0.8, num_perm=64)
    online: list[str | None] = []
    for start in range(0, len(rows), batch):
        cut = cuts[start][1]
        deduper.evict(None if cut == -math.inf else cut)
        online += find_copies(deduper, rows[start:start + batch])
    filled, last = [], -math.inf  # an undated article's order key: the time before it
    for t in times:
        last = last if t is None else t
        filled.append(last)
    keys = [(t, i) for i, t in enumerate(filled)]
    decided = decide_copies([(k, a.id, h, s) for k, (a, h, s) in zip(keys, rows, strict=True)],
                            0.8, 64, dict(zip(keys, cuts, strict=True)))
    ids = [a.id for a in arts]
    setwise = [None if (c := decided[k]) is None else ids[c[1]] for k in keys]
    return ids, online, setwise


def test_set_wise_copies_forget_as_ingest_forgets() -> None:
    """Copies made long after their original (beyond the clusterer's reach) start afresh in
    ingest, which has forgotten the original; the set-wise decisions with the same cut-offs
    agree with the online detector evicting between batches."""
    spread = _every_two_days(_articles(900))
    # copy old articles exactly and nearly, much later
    late = spread[-1].published
    for i in (3, 40, 500, 890):
        a = spread[i]
        spread.append(Article(id=a.id + "-again", title=a.title, text=a.text, published=late))
        spread.append(Article(id=a.id + "-near", title=a.title,
                              text=a.text + " Reporting by the news desk.", published=late))
    ids, online, setwise = _online_and_set_wise(spread, 40, 200)
    assert setwise == online
    # the early originals were forgotten: their late copies start afresh; the latest are found
    by_id = dict(zip(ids, online, strict=True))
    assert by_id[spread[3].id + "-again"] is None
    assert by_id[spread[890].id + "-again"] == spread[890].id


def test_a_hash_stays_remembered_while_any_of_its_articles_is() -> None:
    """An original A and its exact copy A2 made while A was remembered: once A is forgotten
    but A2 is not, a near copy of A finds A2 in the online index and joins A's group; an
    undated article is never forgotten. The set-wise decisions find the same."""
    articles = _articles(400)
    spread = _every_two_days(articles)
    a = spread[5]  # day 10
    undated = Article(id="undated", title=articles[7].title, text=articles[7].text)
    # reach 300 days: A2 on day 240, the near copy (punctuation only: another content hash,
    # the same words) on day 400, when A is forgotten and A2 is not
    near = Article(id="a-near", title=a.title + "!", text=a.text,
                   published=spread[200].published)
    spread.insert(200, near)
    spread.insert(120, Article(id="a2", title=a.title, text=a.text,
                               published=spread[120].published))
    spread.insert(6, undated)
    spread.append(Article(id="undated-near", title=undated.title + "!", text=undated.text,
                          published=spread[-1].published))
    ids, online, setwise = _online_and_set_wise(spread, 20, 300)
    by_id = dict(zip(ids, online, strict=True))
    assert by_id["a2"] == a.id and by_id["a-near"] == a.id
    assert by_id["undated-near"] == "undated"
    assert setwise == online
