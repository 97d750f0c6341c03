"""Merges: two live stories whose members have grown alike report one event that began twice
(its first reports shared too little to join), so the younger is folded into the older. The
test is average linkage, the mean cosine between their members, as an agglomerative clusterer
would use: articles arrive one at a time, and this pass lets the stories they formed meet
again once each has more evidence."""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np

from .story import Story, add_vec, dot

if TYPE_CHECKING:
    from .clusterer import Clusterer

__all__ = ["merge_pass", "merge", "spans_meet"]


def merge_pass(cl: Clusterer) -> list[tuple[str, str]]:
    """Compare each story that took an article since the last pass with the stories sharing
    its heaviest centroid terms; merge it with the closest whose mean member cosine reaches
    ``merge_cos`` (dated spans within the window). Returns (kept id, absorbed id) pairs;
    deterministic: stories are visited in creation order."""
    p = cl.params
    pairs: list[tuple[str, str]] = []
    dirty = sorted(cl.dirty)
    cl.dirty = set()
    stories = cl.stories
    for sidx in dirty:
        s = stories[sidx]
        if s.merged_into is not None or not s.cent:
            continue
        best: tuple[float, int] | None = None
        for other in _neighbours(cl, sidx):
            t = stories[other]
            if not spans_meet(s, t, cl.window_days):
                continue
            cos = dot(s.cent, t.cent) / (len(s.members) * len(t.members))
            least = p.merge_cos if s.times and t.times else p.merge_cos_undated
            if cos >= least and (best is None or (cos, -t.seq) > (best[0], -stories[best[1]].seq)):
                best = (cos, other)
        if best is None:
            continue
        keep, absorb = sorted((sidx, best[1]), key=lambda i: stories[i].seq)
        merge(cl, keep, absorb)
        pairs.append((stories[keep].id, stories[absorb].id))
    return pairs


def _neighbours(cl: Clusterer, sidx: int) -> list[int]:
    """Live stories of merge size that at least ``merge_min_shared`` of this story's heaviest
    centroid terms reach (through the terms' recent postings)."""
    p = cl.params
    s = cl.stories[sidx]
    top = sorted(s.cent.items(), key=lambda kv: (-kv[1], kv[0]))[:p.query_terms]
    story_of = cl.story_of_article.array
    parts = []
    for term, _ in top:
        plist = cl.postings.get(term)
        if plist is not None:
            parts.append(np.unique(story_of[plist.recent()[0]]))
    if not parts:
        return []
    found, hits = np.unique(np.concatenate(parts), return_counts=True)
    stories = cl.stories
    keep = hits >= p.merge_min_shared
    found, hits = found[keep], hits[keep]
    order = np.lexsort((found, -hits))  # most shared terms first, then the older story
    out = []
    for i in found[order].tolist():
        t = stories[i]
        if i != sidx and t.merged_into is None and not t.evicted and t.cent:
            out.append(i)
            if len(out) == p.merge_partners:
                break
    return out


def spans_meet(s: Story, t: Story, window_days: float) -> bool:
    if s.first is None or s.last is None or t.first is None or t.last is None:
        return True
    gap = max((t.first - s.last).total_seconds(), (s.first - t.last).total_seconds(), 0.0)
    return gap <= window_days * 86400.0


def merge(cl: Clusterer, keep: int, absorb: int) -> None:
    """Fold story ``absorb`` into ``keep``: articles, evidence and dates."""
    k, a = cl.stories[keep], cl.stories[absorb]
    for aidx in a.articles:
        cl.story_of_article[aidx] = keep
    k.articles.extend(a.articles)
    k.members.extend(a.members)
    add_vec(k.cent, a.cent)
    add_vec(k.lcent, a.lcent)
    add_vec(k.tcent, a.tcent)
    k.titled += a.titled
    if a.dense:
        k.dense.extend(a.dense)
        k.dcent = a.dcent if k.dcent is None else k.dcent + a.dcent
    k.ents.update(a.ents)
    k.nums.update(a.nums)
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
