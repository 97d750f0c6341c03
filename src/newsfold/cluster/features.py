"""Pure featurisation: what the clusterer keeps of an article.

An article is reduced once (:func:`featurize`) to JSON-serialisable term counts that the store
keeps, so a restart rebuilds the clusterer without re-reading texts: title terms and body
terms. Terms are folded, stemmed content words.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from ..records import Article
from ..text import content_term, fold
from .params import PARAMS, ClusterParams

__all__ = ["featurize", "terms", "weights"]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s\b")


@lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    """The index term of a lower-cased token: folded, then :func:`newsfold.text.content_term`."""
    return content_term(fold(word))


def terms(text: str) -> list[str]:
    """Content terms: lower-cased tokens split at hyphens and apostrophes (possessive 's
    dropped), accents folded, stopwords dropped, stemmed."""
    out = []
    for w in _TOKEN.findall(_POSSESSIVE.sub("", text.lower())):
        t = _term(w)
        if t:
            out.append(t)
    return out


def _counts(items: list[str], limit: int | None = None) -> dict[str, int]:
    """Counts in first-seen order; with ``limit``, only the most frequent (ties: first seen)."""
    c: dict[str, int] = {}
    for t in items:
        c[t] = c.get(t, 0) + 1
    if limit is not None and len(c) > limit:
        order = {t: i for i, t in enumerate(c)}
        keep = set(sorted(c, key=lambda t: (-c[t], order[t]))[:limit])
        c = {t: n for t, n in c.items() if t in keep}
    return c


def featurize(article: Article, params: ClusterParams = PARAMS) -> dict[str, Any]:
    """The article's clustering features (JSON-serialisable; the store keeps them): ``t`` title
    term counts and ``b`` the counts of the body's most frequent terms."""
    body = (article.text or "").split()[:params.body_words]
    return {"t": _counts(terms(article.title or "")),
            "b": _counts(terms(" ".join(body)), params.body_terms) if body else {}}


def weights(features: dict[str, Any], params: ClusterParams = PARAMS) -> dict[str, float]:
    """The term weights of an article's features before IDF: sublinear term frequency, title
    terms ``title_weight`` times a body term; every title and body term is a key. Pure, so it
    is computed with the features, ahead of the clusterer that reads it."""
    log = math.log
    tw = params.title_weight
    tf = {term: tw * (1.0 + log(c)) for term, c in features.get("t", {}).items()}
    for term, c in features.get("b", {}).items():
        tf[term] = tf.get(term, 0.0) + 1.0 + log(c)
    return tf
