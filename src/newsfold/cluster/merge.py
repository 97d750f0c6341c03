"""Merges: two live stories whose members have grown alike report one event that began twice
(its first reports shared too little to join), so the younger is folded into the older. The
test is average linkage, the mean cosine between their members, as an agglomerative clusterer
would use: articles arrive one at a time, and this pass lets the stories they formed meet
again once each has more evidence."""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from .index import member_dots
from .model import bar, row, score
from .story import Story, add_vec, dot, heaviest

if TYPE_CHECKING:
    from .clusterer import Clusterer

__all__ = ["merge_pass", "merge", "span_gap"]


def merge_pass(cl: Clusterer) -> list[tuple[str, str]]:
    """Compare each story that took an article since the last pass with the stories its
    heaviest centroid terms reach, and again once it has grown by ``merge_growth`` (one more
    article hardly moves a large story's mean cosine); merge it with the closest that passes the join rule an article
    would (:mod:`.model`): mean member cosine, less the gap cost of the time between the two
    dated spans, at the threshold, or above it by ``undated_extra`` when either is undated.
    Returns (kept id, absorbed id) pairs; deterministic: stories are visited in creation
    order."""
    p = cl.params
    pairs: list[tuple[str, str]] = []
    dirty = sorted(cl.dirty)
    cl.dirty = set()
    stories = cl.stories
    for sidx in dirty:
        s = stories[sidx]
        m = len(s.members)
        if s.merged_into is not None or not m or m < s.compared * p.merge_growth:
            continue
        s.compared = m
        best: tuple[float, int] | None = None
        for other in _neighbours(cl, sidx):
            t = stories[other]
            apart = span_gap(s, t)
            if apart is not None and apart > cl.window_days * 86400.0:
                continue
            cos = dot(s.cent, t.cent) / (len(s.members) * len(t.members))
            pair = row(cos, apart, p)
            if score(pair, p) >= bar(pair, cl.threshold, p) and (
                    best is None or (cos, -t.seq) > (best[0], -stories[best[1]].seq)):
                best = (cos, other)
        if best is None:
            continue
        keep, absorb = sorted((sidx, best[1]), key=lambda i: stories[i].seq)
        merge(cl, keep, absorb)
        pairs.append((stories[keep].id, stories[absorb].id))
    return pairs


def _neighbours(cl: Clusterer, sidx: int) -> list[int]:
    """The ``merge_partners`` live stories whose members the story's heaviest centroid terms
    reach most closely (through the index, as an article reaches its candidates)."""
    p = cl.params
    s = cl.stories[sidx]
    top = heaviest(s.cent, p.query_terms)
    reach = member_dots(cl.postings, cl.story_of_article.array, top, cl.scratch)
    stories = cl.stories
    out = []
    for i, _ in reach.ranked(p.merge_partners + 1):
        t = stories[i]
        if i != sidx and t.merged_into is None and not t.evicted and t.cent:
            out.append(i)
            if len(out) == p.merge_partners:
                break
    return out


def span_gap(s: Story, t: Story) -> float | None:
    """Seconds between the two stories' dated spans (0 when they overlap; None when either
    has no date)."""
    if s.first is None or s.last is None or t.first is None or t.last is None:
        return None
    return max((t.first - s.last).total_seconds(), (s.first - t.last).total_seconds(), 0.0)


def merge(cl: Clusterer, keep: int, absorb: int) -> None:
    """Fold story ``absorb`` into ``keep``: articles, evidence and dates."""
    k, a = cl.stories[keep], cl.stories[absorb]
    for aidx in a.articles:
        cl.story_of_article[aidx] = keep
    k.articles.extend(a.articles)
    k.members.extend(a.members)
    add_vec(k.cent, a.cent)
    if a.dcent is not None:
        k.dcent = a.dcent if k.dcent is None else k.dcent + a.dcent
        k.dense += a.dense
    k.times = sorted(k.times + a.times)
    for dt in (a.first, a.last):
        if dt is not None:
            k.first = dt if k.first is None or dt < k.first else k.first
            if k.last is None or dt > k.last:
                k.last = dt
                heapq.heappush(cl.by_last, (dt.timestamp(), keep))
    a.merged_into = keep
    a.articles = []
    a.clear()
    cl.dirty.discard(absorb)
