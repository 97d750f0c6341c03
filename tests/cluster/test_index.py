"""The candidate index against plain reference loops, on real headlines and leads."""

from __future__ import annotations

import json
import random
from pathlib import Path

from newsfold.cluster import Clusterer, ClusterParams
from newsfold.cluster.index import Postings, member_dots
from newsfold.cluster.story import dot, heaviest
from newsfold.records import Article
from newsfold.settings import Settings

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "cluster" / "articles.jsonl"


def _articles() -> list[Article]:
    """The fixture's real articles eight times, words shuffled and cut, so stories grow and
    postings overflow."""
    rows = [json.loads(x) for x in FIXTURE.read_text(encoding="utf-8").splitlines() if x.strip()]
    rnd = random.Random(3)
    out = []
    for rep in range(8):
        for r in rows:
            words = (r["text"] or "").split()
            rnd.shuffle(words)
            out.append(Article(id=f"{r['id']}-{rep}", title=r["title"],
                               text=" ".join(words[: max(3, len(words) - rep)]),
                               published=r["published"]))
    return out


def _reference(cl: Clusterer, query: list[tuple[str, float]], scan: int
               ) -> list[tuple[int, float]]:
    """The plain loop: each member's dot summed term by term, the best per story, ranked."""
    dots: dict[int, float] = {}
    for term, w in query:
        plist = cl.postings.get(term)
        if plist is None:
            continue
        ids, ws = plist.recent()
        assert len(ids) <= scan
        for aidx, mw in zip(ids.tolist(), ws.tolist(), strict=True):
            dots[aidx] = dots.get(aidx, 0.0) + w * mw
    best: dict[int, float] = {}
    for aidx, d in dots.items():
        sidx = cl.story_of_article[aidx]
        best[sidx] = max(best.get(sidx, d), d)
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))


def test_member_dots_match_the_plain_loop() -> None:
    params = ClusterParams(postings_scan=7, rank_first=3)  # trimmed and re-ranked often
    cl = Clusterer(Settings(), params=params)
    checked = 0
    for a in _articles():
        feats = cl.featurize(a)
        full = cl.vectors(feats)
        if full:
            query = sorted(full.items(), key=lambda kv: (-kv[1], kv[0]))[:params.query_terms]
            reach = member_dots(cl.postings, cl.story_of_article.array, query, cl.scratch)
            got = list(reach.ranked(params.rank_first))
            assert got == _reference(cl, query, 7)
            # a merge pass queries with a centroid (a sum of members): dots well above 1
            heavy = [(t, 9.0 * w) for t, w in query]
            assert list(member_dots(cl.postings, cl.story_of_article.array, heavy, cl.scratch)
                        .ranked(params.rank_first)) == _reference(cl, heavy, 7)
            checked += len(got)
        cl.assign(a.id, feats, a.published)
    assert checked > 100
    assert all(len(p) <= 2 * 7 for p in cl.postings.values())


def test_postings_keep_the_most_recent() -> None:
    p = Postings(scan=10)
    items = [(i, 1.0 / (i + 1)) for i in range(53)]
    for aidx, w in items:
        p.append(aidx, w)
    ids, ws = p.recent()
    assert list(zip(ids.tolist(), ws.tolist(), strict=True)) == items[-10:]
    assert 10 <= len(p) <= 20


def test_dot_is_the_plain_sum() -> None:
    rnd = random.Random(1)
    for _ in range(200):
        a = {f"t{rnd.randrange(40)}": rnd.random() for _ in range(rnd.randrange(30))}
        b = {f"t{rnd.randrange(40)}": rnd.random() for _ in range(rnd.randrange(30))}
        x, y = (a, b) if len(a) <= len(b) else (b, a)
        assert dot(a, b) == sum(w * y.get(t, 0.0) for t, w in x.items())


def test_heaviest_is_the_head_of_the_full_sort() -> None:
    rnd = random.Random(2)
    for _ in range(300):
        # few distinct weights, so ties are common
        vec = {f"t{rnd.randrange(60)}": rnd.choice([0.1, 0.2, 0.25, rnd.random()])
               for _ in range(rnd.randrange(50))}
        for k in (1, 5, 20, 80):
            assert heaviest(vec, k) == sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
