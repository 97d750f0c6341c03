"""The online clusterer: each article, in publication order, joins the best live story or
starts a new one (the method is described in docs/clustering.md)."""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from datetime import datetime
from typing import Any

import numpy as np

from ..records import Article, parse_iso
from ..settings import Settings
from . import evict as _evict
from . import merge as _merge
from .features import featurize, weights
from .index import Postings, Scratch, StoryOf, member_dots
from .model import bar, row, score
from .params import PARAMS, ClusterParams
from .story import Story, add_vec, dot, heaviest, nearest_gap, normalise

__all__ = ["Clusterer", "story_id_for"]

Vector = dict[str, float]
"""An article's TF-IDF vector (title terms weighted up), of unit length or empty."""


def story_id_for(article_id: str) -> str:
    """``s-`` and the first 10 hex digits of BLAKE2b of the article id."""
    return "s-" + hashlib.blake2b(article_id.encode("utf-8")).hexdigest()[:10]


class Clusterer:
    """Online, deterministic story clustering.

    ``assign`` decides an article's story; ``restore`` and ``add_to_story`` rebuild the state
    from a store without deciding anything; ``merge_pass`` and ``evict`` run between batches.
    Story ids are ``story_id_for(first article id)`` and never change; a merge keeps the older.
    """

    def __init__(self, settings: Settings | None = None, params: ClusterParams = PARAMS) -> None:
        self.settings = settings or Settings()
        self.params = params
        self.threshold = self.settings.cluster_threshold
        self.window_days = self.settings.cluster_window_days
        self.margin_days = self.settings.cluster_evict_margin_days
        self.dense = bool(self.settings.cluster_embeddings)
        """Sentence vectors are a signal (the ``[embeddings]`` extra; see ``dense.py``)."""
        self._n = 0
        self._df: Counter[str] = Counter()
        self.stories: list[Story] = []
        self._by_id: dict[str, int] = {}
        self._articles: dict[str, int] = {}
        self.story_of_article = StoryOf()
        self.postings: dict[str, Postings] = {}
        self.scratch = Scratch()
        """Work arrays of the candidate search (no state between calls)."""
        self.dirty: set[int] = set()
        """Stories that took evidence since the last merge pass."""
        self._aliases: dict[str, str] = {}
        """Ids of stories merged before a restore -> the id they go by now (see :meth:`alias`)."""
        self.clock: list[float] = []
        """Min-heap of the ``clock_rank`` latest publication timestamps seen."""
        self.by_last: list[tuple[float, int]] = []
        """Min-heap of (newest dated timestamp, story index); stale entries are skipped."""
        self.evicted = 0
        """Stories evicted so far."""
        self.without_dense = 0
        """Articles taken as evidence without a sentence vector while ``dense`` is on."""

    # -- features -----------------------------------------------------------------------------

    def seed_counts(self, articles: int, document_frequencies: Counter[str]) -> None:
        """Start term weighting as if ``articles`` originals with these document frequencies
        had been seen before: a clusterer that takes over part of an archive weighs terms as
        one run from the archive's start would."""
        self._n = articles
        self._df = Counter(document_frequencies)

    def featurize(self, article: Article) -> dict[str, Any]:
        """The article's features (see :func:`newsfold.cluster.features.featurize`)."""
        return featurize(article, self.params)

    def add_dense(self, articles: list[Article], features: list[dict[str, Any]]) -> None:
        """Add each article's sentence vector (key ``"v"``) to its features, in one batch; a
        no-op unless ``cluster_embeddings`` is on, and for features that already have one."""
        if not self.dense:
            return
        from .dense import dense_text, embed, pack

        todo = [i for i, f in enumerate(features) if "v" not in f]
        if not todo:
            return
        vecs = embed([dense_text(articles[i].title, articles[i].text) for i in todo])
        for i, vec in zip(todo, vecs, strict=True):
            features[i]["v"] = pack(vec)

    def _dense_vec(self, features: dict[str, Any]) -> np.ndarray | None:
        if not self.dense or features.get("v") is None:
            return None
        from .dense import unpack

        return unpack(features["v"])

    def vectors(self, features: dict[str, Any], tf: dict[str, float] | None = None) -> Vector:
        """The article's TF-IDF vector with sublinear tf, with the IDF of the state before the
        article is counted (a decision and a restore both compute it at that point). ``tf``:
        the features' :func:`~newsfold.cluster.features.weights`, when computed ahead."""
        if tf is None:
            tf = weights(features, self.params)
        log = math.log
        df = self._df.get
        n1 = self._n + 1.0
        return normalise({term: w * (log(n1 / (df(term, 0) + 1.0)) + 1.0)
                          for term, w in tf.items()})

    # -- scoring ------------------------------------------------------------------------------
    def candidates(self, features: dict[str, Any], published: str | None,
                   vector: Vector | None = None) -> list[tuple[int, list[float]]]:
        """The live candidate stories (index) with their feature rows
        (:data:`~newsfold.cluster.model.FEATURES`), best member dot first."""
        full = vector if vector is not None else self.vectors(features)
        if not full:
            return []
        p = self.params
        query = heaviest(full, p.query_terms)
        reach = member_dots(self.postings, self.story_of_article.array, query, self.scratch)
        dt = parse_iso(published)
        ts = dt.timestamp() if dt is not None else None
        window = self.window_days * 86400.0
        stories = self.stories
        chosen: list[tuple[int, float | None]] = []
        for sidx, _ in reach.ranked(p.rank_first):
            s = stories[sidx]
            if not s.members:
                continue
            near: float | None = None
            if ts is not None and s.times:
                near = nearest_gap(s.times, ts)
                if near > window:  # dormant for this article
                    continue
            chosen.append((sidx, near))
            if len(chosen) == p.candidates:
                break
        dvec = self._dense_vec(features)
        out = []
        for sidx, near in chosen:
            s = stories[sidx]
            features_row = row(dot(full, s.cent) / len(s.members), near, p)
            if self.dense:
                features_row.append(_dense_cos(dvec, s))
            out.append((sidx, features_row))
        return out

    def choose(self, cands: list[tuple[int, list[float]]]) -> tuple[int, float] | None:
        """The candidate whose score clears the score it needs by the most (the older story on
        a tie), with that margin: it is joined when the margin is not negative."""
        if not cands:
            return None
        p, thr, stories = self.params, self.threshold, self.stories
        margins = [(score(row, p) - bar(row, thr, p), sidx) for sidx, row in cands]
        margin, sidx = min(margins, key=lambda m: (-m[0], stories[m[1]].seq))
        return sidx, margin

    # -- the online interface -----------------------------------------------------------------
    def assign(self, article_id: str, features: dict[str, Any], published: str | None,
               tf: dict[str, float] | None = None) -> str:
        """Put an article in the best live story or a new one; return the story id. ``tf``:
        the features' :func:`~newsfold.cluster.features.weights`, when computed ahead."""
        if article_id in self._articles:
            return self.stories[self.story_of_article[self._articles[article_id]]].id
        if tf is None:
            tf = weights(features, self.params)
        vec = self.vectors(features, tf)
        best = self.choose(self.candidates(features, published, vec))
        self._observe(tf)
        sidx = best[0] if best is not None and best[1] >= 0.0 else self._new_story(article_id)
        self._attach(article_id, features, published, sidx, vec)
        return self.stories[sidx].id

    def restore(self, article_id: str, features: dict[str, Any], published: str | None,
                story_id: str) -> None:
        """Add an already-assigned article to the state without deciding anything."""
        if article_id in self._articles:
            return
        sidx = self._story_index(article_id, story_id)
        tf = weights(features, self.params)
        # a dormant story takes no evidence again: its vector is not needed
        vec = None if self.stories[sidx].evicted else self.vectors(features, tf)
        self._observe(tf)
        self._attach(article_id, features, published, sidx, vec)

    def add_to_story(self, article_id: str, features: dict[str, Any], published: str | None,
                     story_id: str) -> None:
        """A duplicate copy joins its original's story without adding evidence."""
        if article_id in self._articles:
            return
        sidx = self._story_index(article_id, story_id)
        self._attach(article_id, features, published, sidx, None)

    def alias(self, old_id: str, new_id: str) -> None:
        """Before a restore: the story ``old_id`` was merged into ``new_id`` (the store's merge
        record), so articles restored under the old id reach the story it is now."""
        self._aliases[old_id] = new_id

    def replay_merge(self, old_id: str, new_id: str) -> None:
        """Apply a merge another process recorded (story ``old_id`` folded into ``new_id``)
        while catching up with the store. A story this state never held gets an alias, so
        articles stored under its id reach the story it is now."""
        absorb = self._resolve(old_id)
        if absorb is None:
            self._aliases[old_id] = new_id
            return
        keep = self._story_index(old_id, new_id)
        if keep != absorb:
            _merge.merge(self, keep, absorb)

    def dirty_ids(self, before: set[int]) -> list[str]:
        """The ids of the live stories dirty now and not in ``before``."""
        stories = self.stories
        return [stories[i].id for i in sorted(self.dirty - before)
                if stories[i].merged_into is None]

    def settle(self, before: set[int], compared: dict[str, int]) -> None:
        """After catching up (or restoring): the stories that took evidence from stored
        articles (dirty now, not in ``before``) were compared for merges by the process that
        stored them, so they are not dirty here, and each takes the member count at which
        that process last compared it (``compared``, by story id), so the next merge passes
        here gate on growth as they would have there."""
        for sidx in self.dirty - before:
            s = self.stories[sidx]
            if s.id in compared:
                s.compared = compared[s.id]
        self.dirty &= before

    def compared_of(self, story_ids: list[str]) -> dict[str, int]:
        """Each live story's member count at its last merge comparison, by id."""
        out = {}
        for sid in story_ids:
            sidx = self._resolve(sid)
            if sidx is not None:
                out[self.stories[sidx].id] = self.stories[sidx].compared
        return out

    def story_of(self, article_id: str) -> str | None:
        aidx = self._articles.get(article_id)
        return None if aidx is None else self.stories[self.story_of_article[aidx]].id

    def current_id(self, story_id: str) -> str:
        """The id a story goes by now (the id of the story it was merged into, if it was)."""
        sidx = self._resolve(story_id)
        return story_id if sidx is None else self.stories[sidx].id

    def merge_pass(self) -> list[tuple[str, str]]:
        """Fold stories that have grown together; (kept id, absorbed id) pairs."""
        return _merge.merge_pass(self)

    def horizon(self) -> float | None:
        """The timestamp before which a story's newest dated article makes it dormant for good
        (None until ``clock_rank`` dated articles were seen)."""
        return _evict.horizon(self)

    def horizon_of(self, latest: list[float]) -> float | None:
        """The :meth:`horizon` once the articles dated ``latest`` (the ``clock_rank`` latest
        publication timestamps) have been seen."""
        return _evict.horizon_of(self, latest)

    def evict(self, before: float | None = None) -> int:
        """Free the scoring state of stories dormant before ``before`` (default: past
        :meth:`horizon`); return how many."""
        n = _evict.evict(self, before)
        self.evicted += n
        return n

    def __len__(self) -> int:
        return sum(1 for s in self.stories if s.merged_into is None)

    # -- state --------------------------------------------------------------------------------
    def _observe(self, tf: dict[str, float]) -> None:
        """Count the article's terms (the keys of its weights) in the document frequencies."""
        self._n += 1
        df = self._df
        for term in tf:
            df[term] += 1

    def _new_story(self, article_id: str, story_id: str | None = None) -> int:
        sid = story_id or story_id_for(article_id)
        k = 1
        while sid in self._by_id and story_id is None:
            sid = story_id_for(f"{article_id}#{k}")
            k += 1
        if sid in self._by_id:
            return self._by_id[sid]
        idx = len(self.stories)
        self.stories.append(Story(id=sid, seq=idx))
        self._by_id[sid] = idx
        return idx

    def _story_index(self, article_id: str, story_id: str) -> int:
        """The live story that ``story_id`` names now, created if it is new."""
        sidx = self._resolve(story_id)
        return self._new_story(article_id, story_id) if sidx is None else sidx

    def _resolve(self, story_id: str) -> int | None:
        sidx = self._by_id.get(story_id)
        if sidx is None and story_id in self._aliases:
            sidx = self._by_id.get(self._aliases[story_id])
        return None if sidx is None else self.current(sidx)

    def current(self, sidx: int) -> int:
        """The story that ``sidx`` is now (after merges)."""
        nxt = self.stories[sidx].merged_into
        while nxt is not None:
            sidx, nxt = nxt, self.stories[nxt].merged_into
        return sidx

    def _attach(self, article_id: str, features: dict[str, Any], published: str | None,
                sidx: int, vec: Vector | None) -> None:
        """Record the article in story ``sidx``; with its ``vec`` it is also evidence."""
        aidx = len(self.story_of_article)
        self.story_of_article.append(sidx)
        self._articles[article_id] = aidx
        s = self.stories[sidx]
        s.articles.append(aidx)
        dt = parse_iso(published)
        if dt is not None:
            ts = dt.timestamp()
            if len(self.clock) < self.params.clock_rank:
                heapq.heappush(self.clock, ts)
            elif ts > self.clock[0]:
                heapq.heapreplace(self.clock, ts)
        if vec is None or s.evicted:  # a copy, or a story that takes no evidence again
            if dt is not None and not s.evicted:
                self._add_time(sidx, dt)
            return
        if dt is not None:
            self._add_time(sidx, dt)
        s.members.append(aidx)
        self.dirty.add(sidx)
        add_vec(s.cent, vec)
        dvec = self._dense_vec(features)
        if self.dense and dvec is None:
            self.without_dense += 1
        if dvec is not None:
            s.dcent = dvec.copy() if s.dcent is None else s.dcent + dvec
            s.dense += 1
        scan = self.params.postings_scan
        for term, w in vec.items():
            plist = self.postings.get(term)
            if plist is None:
                plist = self.postings[term] = Postings(scan)
            plist.append(aidx, w)

    def _add_time(self, sidx: int, dt: datetime) -> None:
        s = self.stories[sidx]
        before = s.last
        s.add_time(dt)
        if s.last is not None and s.last != before:
            heapq.heappush(self.by_last, (s.last.timestamp(), sidx))


def _dense_cos(vec: np.ndarray | None, story: Story) -> float:
    """Mean sentence-vector cosine with the story's members that have one (0 when either side
    has none)."""
    if vec is None or story.dcent is None or not story.dense:
        return 0.0
    return float(story.dcent @ vec) / story.dense
