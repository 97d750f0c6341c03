"""Online story clustering.

Articles arrive in publication order; each joins the best live story or starts a new one.

Representation (:meth:`Clusterer.featurize`, stored per article): stemmed title terms and lead
terms with counts, proper-noun entities and numbers. An article's vector is TF-IDF with
sublinear tf (title terms weighted :data:`TITLE_WEIGHT` times), with IDF from document
frequencies kept online and frozen into the vector when the article is added.

Candidates come from an inverted index over terms (only the most recent :data:`POSTINGS_SCAN`
postings of a term are read, so the cost per article stays roughly constant); a story is
dormant, and never a candidate, when the article is more than ``cluster_window_days`` away from
the story's dated members (both must be dated; undated articles ignore time). For the
:data:`CANDIDATES` best stories by member similarity a small logistic model combines:

* ``max_cos``   the best cosine against one member,
* ``top2``      the mean of the two best member cosines (0 for a missing second member),
* ``cent_cos``  the cosine against the story centroid,
* ``title_cos`` the cosine of the title terms against the story's title centroid,
* ``ent``       the idf-weighted share of the article's entity tokens the story already has,
  ``ent_rare`` the idf of the rarest shared entity token (scaled to about [0, 1]),
* ``num``       the share of the article's numbers the story already has,
* ``log_size``  log(1 + members),
* ``short`` (headline only) and ``long`` (full article) indicators crossed with the similarities
  (headlines also with ``top2``, the title cosine, the burst and the story size, full articles
  with the title cosine, the rarest shared entity, ``top2`` and ``gap_far``, so headline feeds and
  long reports each have a model of their own inside the same one),
* time, when both are dated: ``burst`` (1 at the same minute, 0 from an hour; only when both
  carry a time of day), crossed with ``max_cos``/``cent_cos``; ``dated_cent_cos``;
  ``beyond_week`` and ``gap_far`` (log days beyond a week): minutes and months are separate
  signals, and time only ever adds to lexical evidence,
* ``same_outlet`` 1 when the story already has an article from the article's own outlet and
  so far holds at most one per outlet (0 until :data:`MIN_OUTLETS` outlets have been seen, so
  few-source collections are not affected),
* ``undated_recent`` for undated pairs when ``settings.cluster_arrival_order`` is on:
  1 / (1 + articles added since the story last took one), crossed with ``max_cos``.

A story is never joined below :data:`MIN_EVIDENCE` cosine (best member, centroid or title),
or :data:`DATED_MIN_EVIDENCE` when both sides are dated and share names
(:data:`DATED_MIN_ENTITIES`), so time or arrival order alone cannot glue unrelated articles.

The article joins the most probable story when its probability reaches ``cluster_threshold``
(ties go to the older story). When an article could join two or more stories with
:data:`BRIDGE_P` each, those stories report one event and the next merge pass folds the
younger fragments among them into the oldest. Every other story an article nearly joined (its
probability reached :data:`LINK_P`) is *linked* to the one it joined; the merge pass
also merges two stories with :data:`LINK_MIN` links that number :data:`LINK_SHARE` of their
members together. The linked story ids are kept in the article's features (``"co"``), so a
restore rebuilds the links (the store's merge records name the stories absorbed since).
With ``cluster_embeddings`` (the ``[embeddings]`` extra, :mod:`newsfold.cluster.dense`) each
article also carries a sentence vector of its title and lead, and the model has two more
features, ``dense_max`` and ``dense_cent`` (the sentence cosine to the story's nearest member and
to its centroid), with coefficients of its own (``COEF_DENSE``); a centroid sentence cosine of
:data:`DENSE_MIN_EVIDENCE` also counts as evidence for the floor above.

The coefficients were fitted with ``bench/cluster_dev.py --fit`` on the development sets plus
two re-dated NeuS variants from ``bench/cluster_scale.py --variant`` (gold state replayed,
candidates labelled by the gold story).

Story ids are ``story_id_for(first article id)`` and never change.

Memory is bounded by the active window: :meth:`Clusterer.evict` (the pipeline calls it after
every batch and after restoring a store) frees the scoring state of dated stories that can no
longer be joined. The clock is the :data:`CLOCK_RANK`-th latest publication time seen (so a
few articles with absurd future dates cannot age everything at once; it depends only on the
dated articles seen, not on their order or on batch boundaries, so a restored store gets the
same clock). A story whose newest dated article is more than ``cluster_window_days`` plus
``cluster_evict_margin_days`` older than the clock is dormant for every article dated within
the margin before the clock or later; its centroids, entity/number/outlet counts, member list
and links are dropped (ids, articles and first/last dates stay, so :meth:`story_of`,
:meth:`current_id` and :meth:`add_to_story` still work), and it is never a candidate, a recent
story or a merge partner again. Terms whose recent postings all point to evicted stories are
dropped from the index. Undated stories are never evicted, and the document frequencies (IDF)
are kept whole. The margin is what lets input that is only roughly in time order still find
its stories: an article dated more than the margin before the clock may miss a story it could
have joined (the pipeline already warns when a batch reaches back more than a week); with
input in time order no article could have joined an evicted story anyway. The one other
difference: an evicted story is no merge partner, where a live story whose dated span reaches
back to within the window of it could otherwise have absorbed it in :meth:`merge_pass`.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import math
import operator
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import chain, repeat
from typing import Any, overload

import numpy as np

from ..records import Article, parse_iso
from ..settings import Settings
from ..text import STOPWORDS, fold, numbers, proper_nouns, stem

__all__ = ["Clusterer", "story_id_for", "FEATURE_NAMES", "COEF", "INTERCEPT",
           "FEATURE_NAMES_DENSE", "COEF_DENSE", "INTERCEPT_DENSE"]

TITLE_WEIGHT = 2.0
LEAD_WORDS = 600
"""Body words read for lead terms, entities and numbers."""
MAX_BODY_TERMS = 100
MAX_ENTITIES = 24
MAX_NUMBERS = 12
POSTINGS_SCAN = 200
QUERY_TERMS = 12
RECENT_STORIES = 3
MIN_EVIDENCE = 0.15
"""A story needs at least this cosine (best member, centroid or title) to be joined at all, so
time or arrival order alone never glue unrelated articles together (the model alone would join
the undated Biden-Putin call to the story just before it, Biden's first executive actions)."""
DATED_MIN_EVIDENCE = 0.05
DATED_MIN_ENTITIES = 0.1
"""When the article and the story are both dated (within the window), a cosine of
DATED_MIN_EVIDENCE is enough if the story also has this idf-weighted share of the article's
names: the reports of one broad topic share few words but the same places and people (with the
0.1 join threshold: multiling2011 0.928 -> 0.943, uci-headlines 0.862 -> 0.876). Without the names
test the same pair of Biden stories, dated the same day, would join."""
LONG_TERMS = 40
"""An article with this many distinct lead terms counts as a full article."""
CANDIDATES = 4
"""Reached stories scored by the join model (besides the RECENT_STORIES): the best by member
dot. Fewer candidates are fewer chances of a wrong join at the low threshold; from 6 to 4
(``bench/cluster_sweep.py CANDIDATES``): neus 0.9641 -> 0.9646, uci 0.9069 -> 0.9066,
multiling 0.9827, the re-dated NeuS proxies 0.8952 / 0.8963 -> 0.8991 / 0.8997, the generated
30k corpus 0.8572 -> 0.8584, and a quarter less scoring per article (3 and 2 score higher on
the proxies but lower on uci and the 30k corpus)."""
CLOCK_RANK = 100
"""The eviction clock is the publication time this many places from the latest one seen."""
MERGE_COS = 0.8
"""Centroid cosine at which the merge pass folds two live stories into one."""
MERGE_MIN_MEMBERS = 4
"""Only stories with at least this many articles of evidence each are merged: small stories'
centroids are too thin to show that two stories have grown together."""
MIN_OUTLETS = 10
"""Distinct outlets the clusterer must have seen before ``same_outlet`` counts: collections
from a few sources (one wiki, three wire services) publish many articles per story each."""
MERGE_MIN_SHARED = 2
"""A merge candidate must be reached by at least this many of a story's top centroid terms."""
BRIDGE_P = 0.99
"""An article whose join probability reaches this for two or more live stories shows that they
report one event (each began from headlines the other did not share): the merge pass folds the
younger ones that are still fragments (fewer than MERGE_MIN_MEMBERS articles; larger stories
meet the centroid test) into the oldest. Fragments only: folding large stories this way chained
unrelated ones (generated 30k corpus, pairwise F1 0.656 -> 0.566); fragments only, 0.656 -> 0.666
and uci-headlines B-cubed 0.876 -> 0.885."""
LINK_MIN = 3
LINK_SHARE = 0.6
LINK_P = 0.05
"""Two live stories are *linked* by every article that joined one of them while the other also
reached LINK_P, half the default join threshold (with ``cluster_embeddings`` two of the seven
Olympic links below fall between 0.05 and 0.1: multiling2011 0.957 -> 0.983 there; the lexical
figures do not move but the one-date proxy, 0.8991 -> 0.8988). The merge pass folds them into
one when at least LINK_MIN articles link them and the links number at least LINK_SHARE times
their members together: most of their reports could have gone either way, so they report one
event or topic that began in two places (the 2008 Olympic Games and the torch relay in
multiling2011, each link below p 0.99). On the development sets (``newsfold eval cluster``,
then with 6 candidates and links from the 0.1 threshold): multiling2011 0.957 ->
0.983, uci-headlines 0.885 -> 0.907, the generated 30k corpus 0.848 -> 0.857 (pairwise 0.666 ->
0.679), NeuS and the re-dated NeuS sets unchanged. A share of 0.5 gave uci 0.912 but 30k
pairwise 0.648 (larger stories chained). LINK_MIN holds whatever the share, so that two small
stories never merge on one or two shared candidates."""

FEATURE_NAMES = (
    "max_cos", "top2", "cent_cos", "title_cos", "ent", "ent_rare", "num", "log_size",
    "short", "short_max_cos", "short_cent_cos", "short_ent_rare",
    "long", "long_max_cos", "long_cent_cos",
    "burst", "burst_max_cos", "burst_cent_cos", "dated_cent_cos", "beyond_week", "gap_far",
    "undated_recent", "undated_recent_max_cos", "same_outlet",
    "short_top2", "short_title_cos", "short_burst", "short_log_size",
    "long_title_cos", "long_ent_rare", "long_top2", "long_far",
)
_LOG_HOUR = math.log1p(60.0)
_LOG_YEAR = math.log1p(365.0)
# Fitted by ``bench/cluster_dev.py --fit --write FILES --file-weights 1,7,1,1,1`` on neus-train,
# uci-headlines, multiling2011 and the two re-dated NeuS variants (see the module docstring).
COEF: tuple[float, ...] = (
    -5.584, -13.684, 9.982, 7.012, -1.084, 2.890, 2.519, -1.422, -13.848, 0.030, 0.986, -2.345,
    -3.072, -12.448, 0.693, 7.332, 7.317, 4.194, 22.740, -1.399, -13.709, 4.952, 10.426,
    -5.378, 0.866, 0.985, 16.530, 2.077, 4.351, 10.495, -12.521, 10.305,
)
INTERCEPT = -7.568

DENSE_MIN_EVIDENCE = 0.25
"""With ``cluster_embeddings``, a sentence-vector cosine to the story's centroid that counts as
evidence enough (in place of MIN_EVIDENCE's lexical cosine)."""
FEATURE_NAMES_DENSE = FEATURE_NAMES + ("dense_max", "dense_cent")
"""With ``cluster_embeddings``: also the sentence-vector cosine to the nearest member and to
the centroid (:mod:`newsfold.cluster.dense`)."""
# Fitted as COEF, with NEWSFOLD_CLUSTER_EMBEDDINGS=1 (``bench/cluster_dev.py --fit --write``).
COEF_DENSE: tuple[float, ...] = (
    -5.460, -15.961, 4.524, 6.861, -0.654, 1.375, 2.311, -1.539, -13.884, 1.525, 0.780, 0.395,
    -3.379, -13.841, -1.704, 7.881, 8.319, 3.737, 21.322, -0.260, -15.089, 3.587, 14.914,
    -3.234, 2.025, 0.780, 18.286, 1.315, 6.868, 12.366, -14.381, 10.360, -0.494, 6.479,
)
INTERCEPT_DENSE = -7.905

_ENT_SPLIT = re.compile(r"[\s\-–—/]+|'s\b|’s\b")
_ALPHA_WORD = re.compile(r"[^\W\d_][\w’'-]*", re.UNICODE)


def story_id_for(article_id: str) -> str:
    """``s-`` and the first 10 hex digits of BLAKE2b of the article id."""
    return "s-" + hashlib.blake2b(article_id.encode("utf-8")).hexdigest()[:10]


def _precise(dt: datetime) -> bool:
    """False for a date without a time of day (parsed as midnight UTC)."""
    return bool(dt.hour or dt.minute or dt.second or dt.microsecond)


def _title_case(title: str) -> bool:
    """True when most content words of a title are capitalised (headline style)."""
    ws = [w for w in _ALPHA_WORD.findall(title) if w.lower() not in STOPWORDS and len(w) > 2]
    if len(ws) < 3:
        return False
    caps = sum(1 for w in ws if w[0].isupper())
    return caps / len(ws) >= 0.7


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s\b")


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    """The index term of a lower-cased token: folded, stemmed; "" for stopwords and noise."""
    if not word.isascii():
        word = _fold_word(word)
    if len(word) < 2 or word in STOPWORDS:
        return ""
    return stem(word) if word.isalpha() else word


def _terms(text: str) -> list[str]:
    """Content terms: lower-cased tokens split at hyphens and apostrophes (possessive 's
    dropped), accents folded, stopwords dropped, stemmed."""
    out = []
    for w in _TOKEN.findall(_POSSESSIVE.sub("", text.lower())):
        t = _term(w)
        if t:
            out.append(t)
    return out


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)


def _counts(terms: list[str], limit: int | None = None) -> dict[str, int]:
    c: dict[str, int] = {}
    for t in terms:
        c[t] = c.get(t, 0) + 1
    if limit is not None and len(c) > limit:
        order = {t: i for i, t in enumerate(c)}
        keep = sorted(c, key=lambda t: (-c[t], order[t]))[:limit]
        keep_set = set(keep)
        c = {t: n for t, n in c.items() if t in keep_set}
    return c


@dataclass(slots=True)
class _Story:
    id: str
    seq: int
    members: list[int] = field(default_factory=list)
    cent: dict[str, float] = field(default_factory=dict)
    cent_sq: float = 0.0
    tcent: dict[str, float] = field(default_factory=dict)
    tcent_sq: float = 0.0
    ents: Counter[str] = field(default_factory=Counter)
    nums: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    times: list[tuple[float, bool]] = field(default_factory=list)
    """(timestamp, has a time of day) of every dated article, sorted."""
    size: int = 0
    touched: int = 0
    articles: list[int] = field(default_factory=list)
    """Every article of the story (copies included), by index."""
    merged_into: int | None = None
    evicted: bool = False
    """Dormant for good: the scoring state was freed (see :meth:`Clusterer.evict`)."""
    dense: list[np.ndarray] = field(default_factory=list)
    """Members' sentence vectors (``cluster_embeddings`` only; empty otherwise)."""
    dcent: np.ndarray | None = None
    """Sum of the members' sentence vectors."""
    _dmat: np.ndarray | None = None
    """The member vectors stacked (rebuilt when a member was added since)."""

    def dense_matrix(self) -> np.ndarray:
        if self._dmat is None or len(self._dmat) != len(self.dense):
            self._dmat = np.vstack(self.dense)
        return self._dmat


class _Postings:
    """The postings (article index, member weight) of one term, oldest first.

    Only the last :data:`POSTINGS_SCAN` are ever read, so older ones are dropped (amortised:
    the arrays grow to twice that, then keep their newest half); memory stays bounded by the
    vocabulary. Reads like a list of ``(aidx, w)`` tuples (``len``, iteration, slices)."""

    __slots__ = ("ids", "ws", "n")

    def __init__(self) -> None:
        self.ids = np.empty(2, dtype=np.int64)
        self.ws = np.empty(2, dtype=np.float64)
        self.n = 0

    def append(self, posting: tuple[int, float]) -> None:
        n = self.n
        if n == len(self.ids):
            if n >= 2 * POSTINGS_SCAN:
                self.ids[:POSTINGS_SCAN] = self.ids[n - POSTINGS_SCAN:n]
                self.ws[:POSTINGS_SCAN] = self.ws[n - POSTINGS_SCAN:n]
                n = POSTINGS_SCAN
            else:
                cap = min(2 * n, 2 * POSTINGS_SCAN)
                ids = np.empty(cap, dtype=np.int64)
                ws = np.empty(cap, dtype=np.float64)
                ids[:n] = self.ids[:n]
                ws[:n] = self.ws[:n]
                self.ids, self.ws = ids, ws
        self.ids[n], self.ws[n] = posting
        self.n = n + 1

    def recent(self) -> tuple[np.ndarray, np.ndarray]:
        """The last :data:`POSTINGS_SCAN` article indexes and weights (views)."""
        n = self.n
        lo = n - POSTINGS_SCAN if n > POSTINGS_SCAN else 0
        return self.ids[lo:n], self.ws[lo:n]

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, key: int) -> tuple[int, float]: ...
    @overload
    def __getitem__(self, key: slice) -> list[tuple[int, float]]: ...
    def __getitem__(self, key: int | slice) -> tuple[int, float] | list[tuple[int, float]]:
        if isinstance(key, slice):
            start, stop, step = key.indices(self.n)
            sl = slice(start, stop, step)
            return list(zip(self.ids[sl].tolist(), self.ws[sl].tolist(), strict=True))
        i = range(self.n)[key]
        return int(self.ids[i]), float(self.ws[i])

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self[:])


class _StoryOf(list[int]):
    """The story index of every article (a list), mirrored into a numpy array for
    vectorised lookups. Appends and item assignments keep the mirror in step."""

    def __init__(self) -> None:
        super().__init__()
        self.array = np.zeros(1024, dtype=np.int64)

    def append(self, sidx: int) -> None:
        n = len(self)
        if n >= len(self.array):
            grown = np.zeros(2 * len(self.array), dtype=np.int64)
            grown[:n] = self.array[:n]
            self.array = grown
        self.array[n] = sidx
        super().append(sidx)

    def __setitem__(self, key, value):  # type: ignore[no-untyped-def]
        super().__setitem__(key, value)
        if isinstance(key, int):
            self.array[key] = value
        else:  # a slice: re-mirror everything
            self.array = np.zeros(max(1024, 2 * len(self)), dtype=np.int64)
            self.array[:len(self)] = np.fromiter(self, dtype=np.int64, count=len(self))

    def __delitem__(self, key):  # type: ignore[no-untyped-def]
        raise TypeError("articles are never removed")


def _add_vec(acc: dict[str, float], sq: float, vec: dict[str, float]) -> float:
    dot = 0.0
    for t, w in vec.items():
        old = acc.get(t, 0.0)
        dot += old * w
        acc[t] = old + w
    return sq + 2.0 * dot + sum(w * w for w in vec.values())


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # sum(w * b.get(t, 0.0) for t, w in a.items()), term for term, without a Python frame
    return sum(map(operator.mul, a.values(), map(b.get, a, repeat(0.0))))


class Clusterer:
    """Online, deterministic story clustering (see the module docstring)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.threshold = self.settings.cluster_threshold
        self.window_days = self.settings.cluster_window_days
        self.use_order = self.settings.cluster_arrival_order
        self._df: Counter[str] = Counter()
        self._edf: Counter[str] = Counter()
        self._recent: list[int] = []
        self._n = 0
        self._stories: list[_Story] = []
        self._by_id: dict[str, int] = {}
        self._articles: dict[str, int] = {}
        self._art_story: _StoryOf = _StoryOf()
        self._postings: dict[str, _Postings] = {}
        self._outlets: set[str] = set()
        self._dirty: set[int] = set()
        """Stories that took evidence since the last merge pass."""
        self._bridges: list[list[int]] = []
        """Groups of stories one article could join with BRIDGE_P each (merged next pass)."""
        self._links: dict[tuple[int, int], int] = {}
        """(older, younger) live story indexes -> articles linking them (see LINK_MIN)."""
        self._partners: dict[int, set[int]] = {}
        """The stories each story is linked with (the keys of ``_links``, by story)."""
        self._linked: set[tuple[int, int]] = set()
        """Links that grew since the last merge pass."""
        self._aliases: dict[str, str] = {}
        """Ids of stories merged before a restore -> the id they go by now (see :meth:`alias`)."""
        self.margin_days = self.settings.cluster_evict_margin_days
        self._clock_rank = CLOCK_RANK
        self._clock: list[float] = []
        """Min-heap of the :data:`CLOCK_RANK` latest publication timestamps seen."""
        self._by_last: list[tuple[float, int]] = []
        """Min-heap of (newest dated timestamp, story index); stale entries are skipped."""
        self.evicted = 0
        """Stories evicted so far."""
        self.dense = bool(self.settings.cluster_embeddings)
        """Sentence vectors are a signal (the ``[embeddings]`` extra; see ``dense.py``)."""
        self.without_dense = 0
        """Articles taken as evidence without a sentence vector while ``dense`` is on (stored
        before the setting was turned on)."""

    # -- features -----------------------------------------------------------------------------
    def featurize(self, article: Article) -> dict[str, Any]:
        """Compact JSON-serialisable features: title/lead term counts, entities, numbers."""
        title = article.title or ""
        lead_words = (article.text or "").split()[:LEAD_WORDS]
        lead = " ".join(lead_words)
        t = _counts(_terms(title))
        b = _counts(_terms(lead), MAX_BODY_TERMS)
        ent_src = [lead] if _title_case(title) else [title, lead]
        ents: dict[str, None] = {}
        for src in ent_src:
            for span in proper_nouns(src):
                for tok in _ENT_SPLIT.split(_fold(span)):
                    tok = tok.strip("'’.")
                    if len(tok) > 1 and tok not in STOPWORDS:
                        ents.setdefault(tok, None)
        nums: dict[str, None] = {}
        for src in (title, lead):
            for n in numbers(src):
                nums.setdefault(n.replace(",", ""), None)
        out: dict[str, Any] = {
            "t": t,
            "b": b,
            "e": list(ents)[:MAX_ENTITIES],
            "n": list(nums)[:MAX_NUMBERS],
        }
        outlet = article.known_outlet  # folded; no key when the article names no outlet
        if outlet and (key := _fold(outlet.strip())):
            out["o"] = key
        return out

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
        """The article's sentence vector (None when off or when the features have none)."""
        if not self.dense:
            return None
        packed = features.get("v")
        if packed is None:  # stored before the option was on: no dense evidence
            return None
        from .dense import unpack

        return unpack(packed)

    def _vectors(self, features: dict[str, Any], seen: bool = False,
                 ) -> tuple[dict[str, float], dict[str, float]]:
        """The article's (body+title, title) TF-IDF vectors, normalised.

        With ``seen`` the IDF is the one the state will have once the article itself is
        observed (one more document, one more for each of its terms), computed before the
        decision, without observing it."""
        return self._weigh(features.get("t", {}), _raw(features), seen)

    def _weigh(self, t: dict[str, int], raw: dict[str, float], seen: bool,
               ) -> tuple[dict[str, float], dict[str, float]]:
        """:meth:`_vectors` from the title counts and the raw term weights (:func:`_raw`)."""
        log = math.log
        shift = 1.0 if seen else 0.0
        n1 = (self._n + shift) + 1.0
        df = self._df.get
        idf = {term: log(n1 / ((df(term, 0) + shift) + 1.0)) + 1.0 for term in raw}
        vec = {term: w * idf[term] for term, w in raw.items()}
        tvec = {term: (1.0 + log(c)) * idf[term] for term, c in t.items()}
        return _normalise(vec), _normalise(tvec)

    # -- state --------------------------------------------------------------------------------
    def _observe(self, features: dict[str, Any]) -> None:
        self._n += 1
        for term in set(features.get("t", {})) | set(features.get("b", {})):
            self._df[term] += 1
        for e in set(features.get("e", [])):
            self._edf[e] += 1

    def _new_story(self, article_id: str, story_id: str | None = None) -> int:
        sid = story_id or story_id_for(article_id)
        k = 1
        while sid in self._by_id and story_id is None:
            sid = story_id_for(f"{article_id}#{k}")
            k += 1
        if sid in self._by_id:
            return self._by_id[sid]
        idx = len(self._stories)
        self._stories.append(_Story(id=sid, seq=idx))
        self._by_id[sid] = idx
        return idx

    def _attach(self, article_id: str, features: dict[str, Any], published: str | None,
                sidx: int, vec: dict[str, float], tvec: dict[str, float],
                evidence: bool = True) -> None:
        aidx = len(self._art_story)
        self._art_story.append(sidx)
        self._articles[article_id] = aidx
        s = self._stories[sidx]
        s.size += 1
        s.articles.append(aidx)
        dt = parse_iso(published)
        if dt is not None:
            s.first = dt if s.first is None or dt < s.first else s.first
            ts = dt.timestamp()
            if s.last is None or dt > s.last:
                s.last = dt
                heapq.heappush(self._by_last, (ts, sidx))
            bisect.insort(s.times, (ts, _precise(dt)))
            if len(self._clock) < self._clock_rank:
                heapq.heappush(self._clock, ts)
            elif ts > self._clock[0]:
                heapq.heapreplace(self._clock, ts)
        if not evidence or s.evicted:  # an evicted story takes no evidence again
            return
        s.members.append(aidx)
        s.touched = self._n
        self._dirty.add(sidx)
        if sidx in self._recent:
            self._recent.remove(sidx)
        self._recent.insert(0, sidx)
        del self._recent[RECENT_STORIES:]
        s.cent_sq = _add_vec(s.cent, s.cent_sq, vec)
        s.tcent_sq = _add_vec(s.tcent, s.tcent_sq, tvec)
        dvec = self._dense_vec(features)
        if self.dense and dvec is None:
            self.without_dense += 1
        if dvec is not None:
            s.dense.append(dvec)
            s.dcent = dvec.copy() if s.dcent is None else s.dcent + dvec
        s.ents.update(features.get("e", []))
        s.nums.update(features.get("n", []))
        outlet = features.get("o")
        if outlet:
            s.outlets[outlet] += 1
            self._outlets.add(outlet)
        for term, w in vec.items():
            plist = self._postings.get(term)
            if plist is None:
                plist = self._postings[term] = _Postings()
            plist.append((aidx, w))

    # -- scoring ------------------------------------------------------------------------------
    def candidates(self, features: dict[str, Any], published: str | None,
                   vectors: tuple[dict[str, float], dict[str, float]] | None = None,
                   min_evidence: float = 0.0, dated_min_evidence: float | None = None,
                   ) -> list[tuple[int, list[float]]]:
        """The candidate stories (index) with their feature rows, best member cosine first.

        Stories whose best member, centroid and title cosines all stay below ``min_evidence``
        (``dated_min_evidence`` when the article and the story are both dated) are left out."""
        vec, tvec = vectors if vectors is not None else self._vectors(features)
        if not vec:
            return []
        query = sorted(vec.items(), key=lambda kv: -kv[1])[:QUERY_TERMS]
        reach = self._member_dots(query)
        # Each recent story is a candidate even when no posting reached it (best dot 0).
        # (member weights are positive, so every reached story ranks above them)
        recent_dots = {sidx: reach.dots(sidx) for sidx in self._recent}
        extra = sorted((sidx for sidx, d in recent_dots.items() if d is None),
                       key=lambda k: (self._stories[k].seq, k))
        dt = parse_iso(published)
        ts = dt.timestamp() if dt is not None else None
        window = self.window_days * 86400.0
        stories = self._stories
        near: dict[int, tuple[float, bool]] = {}
        """(gap, has a time of day) of the nearest dated article of each story checked."""

        def live(sidx: int) -> bool:
            """A story with members that is not dormant for this article."""
            s = stories[sidx]
            if not s.members:
                return False
            if ts is None or not s.times:
                return True
            near[sidx] = _nearest(s.times, ts)
            return near[sidx][0] <= window

        # The CANDIDATES best live stories with members; liveness is only checked until they
        # are found (it does not change the ranking).
        best: dict[int, list[float]] = {}
        chosen: list[int] = []
        for sidx, b0, b1 in chain(reach.ranked(), ((k, 0.0, 0.0) for k in extra)):
            if live(sidx):
                chosen.append(sidx)
                best[sidx] = [b0, b1]
                if len(chosen) == CANDIDATES:
                    break
        short = 0.0 if features.get("b") else 1.0
        long = 1.0 if len(features.get("b", {})) >= LONG_TERMS else 0.0
        ents = features.get("e", [])
        ent_norm = math.log(self._n + 1.0) + 1.0
        ent_w = {e: self._entity_idf(e) for e in ents}
        ent_total = sum(ent_w.values())
        nums = features.get("n", [])
        outlet = features.get("o") if len(self._outlets) >= MIN_OUTLETS else None
        dvec = self._dense_vec(features)
        out = []
        for sidx in self._recent:
            if sidx not in chosen and live(sidx):
                chosen.append(sidx)
                best[sidx] = recent_dots[sidx] or [0.0, 0.0]
        for sidx in chosen:
            s = self._stories[sidx]
            b = best[sidx]
            max_cos = b[0]
            top2 = (b[0] + b[1]) / 2.0
            cent = _dot(vec, s.cent) / math.sqrt(s.cent_sq) if s.cent_sq > 0 else 0.0
            title = _dot(tvec, s.tcent) / math.sqrt(s.tcent_sq) if s.tcent_sq > 0 else 0.0
            shared = [w for e, w in ent_w.items() if e in s.ents]
            ent = sum(shared) / ent_total if ent_total > 0 else 0.0
            evidence = max(max_cos, cent, title)
            dsims = _dense_sims(dvec, s) if self.dense else None
            enough = (evidence >= min_evidence
                      or (dated_min_evidence is not None and sidx in near  # both dated
                          and evidence >= dated_min_evidence and ent >= DATED_MIN_ENTITIES)
                      or (dsims is not None and dsims[1] >= DENSE_MIN_EVIDENCE))
            if not enough:
                continue
            rare = max(shared) / ent_norm if shared else 0.0
            num = sum(1 for n in nums if n in s.nums) / len(nums) if nums else 0.0
            burst = week = far = dated = recent = 0.0
            if sidx in near:
                # the gap to the nearest dated article (not to the span: input need not
                # arrive in time order, and a span between two far dates says nothing)
                gap, near_precise = near[sidx]
                dated = 1.0
                minutes = gap / 60.0
                if near_precise and dt is not None and _precise(dt):
                    burst = max(0.0, 1.0 - math.log1p(minutes) / _LOG_HOUR)
                if gap > 7 * 86400.0:
                    week = 1.0
                    far = math.log1p(gap / 86400.0 - 7.0) / _LOG_YEAR
            elif self.use_order:
                recent = 1.0 / (1.0 + self._n - s.touched)
            row = [max_cos, top2, cent, title, ent, rare, num, math.log1p(len(s.members)),
                   short, short * max_cos, short * cent, short * rare,
                   long, long * max_cos, long * cent,
                   burst, burst * max_cos, burst * cent, dated * cent, week, far,
                   recent, recent * max_cos,
                   1.0 if outlet and s.outlets[outlet] and s.outlets.most_common(1)[0][1] == 1
                   else 0.0,
                   short * top2, short * title, short * burst,
                   short * math.log1p(len(s.members)),
                   long * title, long * rare, long * top2, long * far]
            if dsims is not None:
                row += dsims
            out.append((sidx, row))
        return out

    def _member_dots(self, query: list[tuple[str, float]]) -> _Reach:
        """The stories reached by the query's postings, with their best and second best member
        dot products.

        Each member's dot is summed term by term in query order, exactly as a sequential loop
        over the postings would (``np.bincount`` adds its weights in input order).
        """
        ids_parts = []
        w_parts = []
        q_ws = []
        lens = []
        postings = self._postings
        for term, w in query:
            plist = postings.get(term)
            if plist is None or not plist.n:
                continue
            ids, ws = plist.recent()
            ids_parts.append(ids)
            w_parts.append(ws)
            q_ws.append(w)
            lens.append(len(ids))
        if not ids_parts:
            return _Reach(_NO_IDS, _NO_DOTS, _NO_DOTS)
        all_ids = np.concatenate(ids_parts)
        prods = np.concatenate(w_parts) * np.repeat(q_ws, lens)
        # np.unique(all_ids, return_inverse=True), without its generic overhead
        by_id = all_ids.argsort(kind="stable")
        sorted_ids = all_ids[by_id]
        first = np.empty(len(sorted_ids), dtype=bool)
        first[0] = True
        np.not_equal(sorted_ids[1:], sorted_ids[:-1], out=first[1:])
        uniq = sorted_ids[first]
        inv = np.empty(len(all_ids), dtype=np.intp)
        inv[by_id] = np.cumsum(first) - 1
        dots = np.bincount(inv, weights=prods, minlength=len(uniq))
        sids = self._art_story.array[uniq]
        # By story, best member first, with one float key (a dot is at most 1; dots closer than
        # the key's rounding, about 1e-10 at a million stories, may come in either order).
        order = np.argsort(sids * 4.0 - dots)
        s_sorted = sids[order]
        d_sorted = dots[order]
        new_group = np.empty(len(s_sorted), dtype=bool)
        new_group[0] = True
        np.not_equal(s_sorted[1:], s_sorted[:-1], out=new_group[1:])
        heads = np.flatnonzero(new_group)
        b0 = d_sorted[heads]
        second = heads + 1
        has2 = np.zeros(len(heads), dtype=bool)
        inside = second < len(s_sorted)
        has2[inside] = ~new_group[second[inside]]
        b1 = np.zeros(len(heads), dtype=np.float64)
        b1[has2] = d_sorted[second[has2]]
        return _Reach(s_sorted[heads], b0, b1)

    def _entity_idf(self, entity: str) -> float:
        return math.log((self._n + 1.0) / (self._edf.get(entity, 0) + 1.0)) + 1.0

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        return [self.probability(r) for r in rows]

    def probability(self, row: list[float]) -> float:
        coef, intercept = (COEF_DENSE, INTERCEPT_DENSE) if self.dense else (COEF, INTERCEPT)
        if len(row) != len(coef):
            raise ValueError(f"expected {len(coef)} features, got {len(row)}")
        z = intercept + sum(map(operator.mul, coef, row))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    # -- the online interface -----------------------------------------------------------------
    def assign(self, article_id: str, features: dict[str, Any], published: str | None) -> str:
        """Put an article in the best live story or a new one; return the story id."""
        if article_id in self._articles:
            return self._stories[self._art_story[self._articles[article_id]]].id
        best: tuple[float, int, int] | None = None
        tcounts, raw = features.get("t", {}), _raw(features)  # both vector pairs weigh these
        vectors = self._weigh(tcounts, raw, False)
        cands = self.candidates(features, published, vectors,  # never on time alone
                                MIN_EVIDENCE, DATED_MIN_EVIDENCE)
        sure: list[int] = []
        linkable: list[int] = []
        for (sidx, _), p in zip(cands, self.probabilities([r for _, r in cands]), strict=True):
            key = (-p, self._stories[sidx].seq, sidx)
            if p >= self.threshold and (best is None or key < best):
                best = key
            if p >= LINK_P:
                linkable.append(sidx)
            if p >= BRIDGE_P:
                sure.append(sidx)
        if len(sure) >= 2:
            self._bridges.append(sure)
        vec, tvec = self._weigh(tcounts, raw, True)
        self._observe(features)
        sidx = best[2] if best is not None else self._new_story(article_id)
        self._attach(article_id, features, published, sidx, vec, tvec)
        # the other stories it nearly joined, kept with the features (a restore relinks)
        features.pop("co", None)
        if best is not None and len(linkable) > 1:
            others = [i for i in linkable if i != sidx]
            features["co"] = [self._stories[i].id for i in others]
            for other in others:
                self._link(sidx, other)
        return self._stories[sidx].id

    def restore(self, article_id: str, features: dict[str, Any], published: str | None,
                story_id: str) -> None:
        """Add an already-assigned article to the state without deciding anything."""
        if article_id in self._articles:
            return
        sidx = self._story_index(article_id, story_id)
        self._observe(features)
        vec, tvec = self._vectors(features)
        self._attach(article_id, features, published, sidx, vec, tvec)
        for other_id in features.get("co", ()):
            other = self._resolve(other_id)
            if other is not None and other != sidx and not self._stories[other].evicted:
                self._link(sidx, other)

    def alias(self, old_id: str, new_id: str) -> None:
        """Before a restore: the story ``old_id`` was merged into ``new_id`` (the store's merge
        record), so links the restored articles name by the old id reach the story it is now."""
        self._aliases[old_id] = new_id

    def _link(self, a: int, b: int, n: int = 1) -> None:
        key = _pair(a, b)
        self._links[key] = self._links.get(key, 0) + n
        self._partners.setdefault(a, set()).add(b)
        self._partners.setdefault(b, set()).add(a)
        self._linked.add(key)

    def _unlink(self, sidx: int) -> dict[int, int]:
        """Drop every link of a story; return them (partner -> count)."""
        out = {}
        for other in sorted(self._partners.pop(sidx, ())):
            out[other] = self._links.pop(_pair(sidx, other))
            self._partners[other].discard(sidx)
        return out

    def add_to_story(self, article_id: str, features: dict[str, Any], published: str | None,
                     story_id: str) -> None:
        """A duplicate copy joins its original's story without adding evidence."""
        if article_id in self._articles:
            return
        sidx = self._story_index(article_id, story_id)
        self._attach(article_id, features, published, sidx, {}, {}, evidence=False)

    def _story_index(self, article_id: str, story_id: str) -> int:
        """The live story that ``story_id`` names now, created if it is new."""
        sidx = self._resolve(story_id)
        return self._new_story(article_id, story_id) if sidx is None else sidx

    def story_of(self, article_id: str) -> str | None:
        aidx = self._articles.get(article_id)
        return None if aidx is None else self._stories[self._art_story[aidx]].id

    def __len__(self) -> int:
        return sum(1 for s in self._stories if s.merged_into is None)

    # -- the merge pass -----------------------------------------------------------------------
    def _resolve(self, story_id: str) -> int | None:
        sidx = self._by_id.get(story_id)
        if sidx is None and story_id in self._aliases:
            sidx = self._by_id.get(self._aliases[story_id])
        return None if sidx is None else self._current(sidx)

    def _current(self, sidx: int) -> int:
        """The story that ``sidx`` is now (after merges)."""
        nxt = self._stories[sidx].merged_into
        while nxt is not None:
            sidx, nxt = nxt, self._stories[nxt].merged_into
        return sidx

    def current_id(self, story_id: str) -> str:
        """The id a story goes by now (the id of the story it was merged into, if it was)."""
        sidx = self._resolve(story_id)
        return story_id if sidx is None else self._stories[sidx].id

    def merge_pass(self, min_cos: float | None = None) -> list[tuple[str, str]]:
        """Merge stories that have grown together; return (kept id, absorbed id) pairs.

        First the fragments that one article could join with :data:`BRIDGE_P` each, as well
        as an older story, are folded into the oldest of them. Then two stories whose links
        (articles that joined one and nearly joined the other) reach :data:`LINK_MIN` and
        :data:`LINK_SHARE` of their members are merged. Then each story that took an article
        since the last pass is compared with the stories that share its heaviest centroid
        terms; when two live stories' centroids reach ``min_cos`` cosine (and their dated spans
        are within the window), the younger one is absorbed into the older, which keeps its
        id. Deterministic: stories are visited in creation order.
        """
        if min_cos is None:
            min_cos = MERGE_COS
        pairs: list[tuple[str, str]] = []
        bridges, self._bridges = self._bridges, []
        for group in bridges:
            live = sorted({i for i in map(self._current, group) if not self._stories[i].evicted},
                          key=lambda i: self._stories[i].seq)
            if len(live) < 2:
                continue
            keep, *younger = live
            for absorb in younger:
                if (len(self._stories[absorb].members) < MERGE_MIN_MEMBERS
                        and self._spans_meet(self._stories[keep], self._stories[absorb])):
                    self._merge(keep, absorb)
                    pairs.append((self._stories[keep].id, self._stories[absorb].id))
        linked, self._linked = self._linked, set()
        for a, b in sorted(linked):
            i, j = self._current(a), self._current(b)
            n = self._links.get(_pair(i, j))
            if n is None or n < LINK_MIN:  # merged into one, evicted, or too few
                continue
            s, t = self._stories[i], self._stories[j]
            if (n >= LINK_SHARE * (len(s.members) + len(t.members))
                    and self._spans_meet(s, t)):
                keep, absorb = (i, j) if s.seq < t.seq else (j, i)
                self._merge(keep, absorb)
                pairs.append((self._stories[keep].id, self._stories[absorb].id))
        dirty = sorted(self._dirty)
        self._dirty = set()
        for sidx in dirty:
            s = self._stories[sidx]
            if s.merged_into is not None or len(s.members) < MERGE_MIN_MEMBERS or s.cent_sq <= 0:
                continue
            best: tuple[float, int] | None = None
            for other in self._neighbours(sidx):
                t = self._stories[other]
                if not self._spans_meet(s, t):
                    continue
                cos = _dot(s.cent, t.cent) / math.sqrt(s.cent_sq * t.cent_sq)
                if cos >= min_cos and (best is None or (cos, -t.seq) > (best[0], -self._stories[best[1]].seq)):
                    best = (cos, other)
            if best is None:
                continue
            keep, absorb = sorted((sidx, best[1]), key=lambda i: self._stories[i].seq)
            self._merge(keep, absorb)
            pairs.append((self._stories[keep].id, self._stories[absorb].id))
        return pairs

    def _neighbours(self, sidx: int) -> list[int]:
        """Live stories of merge size that at least :data:`MERGE_MIN_SHARED` of this story's
        heaviest centroid terms reach (through the terms' recent postings)."""
        s = self._stories[sidx]
        top = sorted(s.cent.items(), key=lambda kv: (-kv[1], kv[0]))[:QUERY_TERMS]
        story_of = self._art_story.array
        parts = []
        for term, _ in top:
            plist = self._postings.get(term)
            if plist is not None:  # the stories of the term's recent postings, once each
                parts.append(np.unique(story_of[plist.recent()[0]]))
        if not parts:
            return []
        found, hits = np.unique(np.concatenate(parts), return_counts=True)
        stories = self._stories
        return [i for i in found[hits >= MERGE_MIN_SHARED].tolist() if i != sidx
                and stories[i].merged_into is None
                and len(stories[i].members) >= MERGE_MIN_MEMBERS and stories[i].cent_sq > 0]

    def _spans_meet(self, s: _Story, t: _Story) -> bool:
        if s.first is None or s.last is None or t.first is None or t.last is None:
            return True
        gap = max((t.first - s.last).total_seconds(), (s.first - t.last).total_seconds(), 0.0)
        return gap <= self.window_days * 86400.0

    def _merge(self, keep: int, absorb: int) -> None:
        k, a = self._stories[keep], self._stories[absorb]
        for aidx in a.articles:
            self._art_story[aidx] = keep
        k.articles.extend(a.articles)
        k.members.extend(a.members)
        k.size += a.size
        k.touched = max(k.touched, a.touched)
        k.cent_sq = _add_vec(k.cent, k.cent_sq, a.cent)
        k.tcent_sq = _add_vec(k.tcent, k.tcent_sq, a.tcent)
        if a.dense:
            k.dense.extend(a.dense)
            k.dcent = a.dcent if k.dcent is None else k.dcent + a.dcent
        k.ents.update(a.ents)
        k.nums.update(a.nums)
        k.outlets.update(a.outlets)
        k.times = sorted(k.times + a.times)
        for dt in (a.first, a.last):
            if dt is not None:
                k.first = dt if k.first is None or dt < k.first else k.first
                if k.last is None or dt > k.last:
                    k.last = dt
                    heapq.heappush(self._by_last, (dt.timestamp(), keep))
        for other, n in self._unlink(absorb).items():
            if other != keep:
                self._link(keep, other, n)
        a.merged_into = keep
        a.members, a.articles, a.cent, a.tcent, a.times = [], [], {}, {}, []
        a.cent_sq = a.tcent_sq = 0.0
        a.dense, a.dcent, a._dmat = [], None, None
        self._recent = [keep if i == absorb else i for i in self._recent]
        self._recent = list(dict.fromkeys(self._recent))
        self._dirty.discard(absorb)

    # -- eviction -----------------------------------------------------------------------------
    def horizon(self) -> float | None:
        """The timestamp before which a story's newest dated article makes it dormant for good
        (None until :data:`CLOCK_RANK` dated articles were seen)."""
        if len(self._clock) < self._clock_rank:
            return None
        return self._clock[0] - (self.window_days + self.margin_days) * 86400.0

    def evict(self) -> int:
        """Free the scoring state of dated stories older than :meth:`horizon`; return how many.

        Deterministic: which stories go depends only on the state, not on when this runs."""
        cut = self.horizon()
        heap = self._by_last
        if cut is None or not heap or heap[0][0] >= cut:
            return 0
        stories = self._stories
        terms: dict[str, None] = {}
        n = 0
        while heap and heap[0][0] < cut:
            _, sidx = heapq.heappop(heap)
            s = stories[sidx]
            if s.evicted or s.merged_into is not None or s.last is None:
                continue
            if s.last.timestamp() >= cut:  # a stale entry: the story has a newer one
                continue
            terms.update(dict.fromkeys(s.cent))
            s.evicted = True
            s.members = []
            s.cent, s.tcent = {}, {}
            s.cent_sq = s.tcent_sq = 0.0
            s.ents, s.nums, s.outlets = Counter(), Counter(), Counter()
            s.times = []  # first/last stay; an evicted story is never scored again
            s.dense, s.dcent, s._dmat = [], None, None
            self._dirty.discard(sidx)
            self._unlink(sidx)
            n += 1
        self.evicted += n
        # Drop terms whose recent postings only reach evicted stories: they can add nothing
        # to any live story's dots (a later posting of the term starts a fresh list, whose
        # recent entries are the live ones the old list would have given).
        postings = self._postings
        story_of = self._art_story.array
        for term in terms:
            plist = postings.get(term)
            if plist is None or not plist.n:
                continue
            if not stories[int(story_of[plist.ids[plist.n - 1]])].evicted:
                continue  # the cheap common case: the newest posting is live
            if all(stories[i].evicted for i in np.unique(story_of[plist.recent()[0]]).tolist()):
                del postings[term]
        return n


RANK_FIRST = 32
"""Reached stories ranked at first; the rest only when fewer than CANDIDATES of these are live."""
_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_DOTS = np.zeros(0, dtype=np.float64)


class _Reach:
    """The stories a query's postings reached (``sids``, unique), with their best (``b0``) and
    second best (``b1``) member dot products."""

    __slots__ = ("sids", "b0", "b1")

    def __init__(self, sids: np.ndarray, b0: np.ndarray, b1: np.ndarray) -> None:
        self.sids, self.b0, self.b1 = sids, b0, b1

    def dots(self, sidx: int) -> list[float] | None:
        """[best, second best] member dot of a story (None when it was not reached)."""
        at = np.flatnonzero(self.sids == sidx)
        return [float(self.b0[at[0]]), float(self.b1[at[0]])] if len(at) else None

    def ranked(self) -> Iterator[tuple[int, float, float]]:
        """(story, best, second best) by (-best, story index); a story's seq is its index (see
        ``_new_story``). Only the :data:`RANK_FIRST` best are sorted until more are asked for."""
        n = len(self.sids)
        done = 0
        if n > RANK_FIRST:  # the best RANK_FIRST (and any tied with the last of them) first
            cut = np.partition(self.b0, n - RANK_FIRST)[n - RANK_FIRST]
            first = np.flatnonzero(self.b0 >= cut)
            yield from self._rank(first)
            done = len(first)  # they are exactly the first `done` of the whole ranking
        yield from self._rank(np.arange(n))[done:]

    def _rank(self, idx: np.ndarray) -> list[tuple[int, float, float]]:
        order = idx[np.lexsort((self.sids[idx], -self.b0[idx]))]
        return list(zip(self.sids[order].tolist(), self.b0[order].tolist(),
                        self.b1[order].tolist(), strict=True))


def _dense_sims(vec: np.ndarray | None, story: _Story) -> list[float]:
    """[sentence-vector cosine to the nearest member, to the centroid] (0s when either side
    has no vectors)."""
    if vec is None or not story.dense or story.dcent is None:
        return [0.0, 0.0]
    nearest = float(np.max(story.dense_matrix() @ vec))
    norm = float(np.linalg.norm(story.dcent))
    return [nearest, float(story.dcent @ vec) / norm if norm > 0 else 0.0]


def _nearest(times: list[tuple[float, bool]], ts: float) -> tuple[float, bool]:
    """Seconds from ``ts`` to the nearest of ``times`` (sorted, non-empty) and whether that
    one has a time of day (on a tie, the later one)."""
    i = bisect.bisect_left(times, (ts, False))
    best: tuple[float, bool] | None = None
    if i < len(times):
        best = (times[i][0] - ts, times[i][1])
    if i > 0 and (best is None or ts - times[i - 1][0] < best[0]):
        best = (ts - times[i - 1][0], times[i - 1][1])
    assert best is not None
    return best


def _pair(a: int, b: int) -> tuple[int, int]:
    """The key of a link: (older story index, younger)."""
    return (a, b) if a < b else (b, a)


def _raw(features: dict[str, Any]) -> dict[str, float]:
    """Each term's sublinear tf weight, title counts weighted :data:`TITLE_WEIGHT` times."""
    log = math.log
    raw: dict[str, float] = {}
    for term, c in features.get("t", {}).items():
        raw[term] = raw.get(term, 0.0) + TITLE_WEIGHT * (1.0 + log(c))
    for term, c in features.get("b", {}).items():
        raw[term] = raw.get(term, 0.0) + 1.0 + log(c)
    return raw


def _normalise(vec: dict[str, float]) -> dict[str, float]:
    ws = vec.values()
    norm = math.sqrt(sum(map(operator.mul, ws, ws)))
    if norm == 0.0:
        return {}
    return {t: w / norm for t, w in vec.items()}
