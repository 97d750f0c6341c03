"""Pure featurisation: what the clusterer keeps of an article, and how it compares one with a
story.

An article is reduced once (:func:`featurize`) to JSON-serialisable counts that the store keeps,
so a restart rebuilds the clusterer without re-reading texts: title terms, lead terms, body
terms, names, numbers and the outlet. Terms are folded, stemmed content words.

Names are the capitalised runs of the title and the lead, split into tokens, without the
capitals that name no one: weekdays, months, titles and honorifics, time zones, wire-service
tags, and any word the same text also writes in lower case ("Police ... the police").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..records import Article
from ..text import STOPWORDS, content_term, fold, numbers, proper_nouns
from .params import PARAMS, ClusterParams

__all__ = ["featurize", "terms", "GENERIC_CAPITALS"]

GENERIC_CAPITALS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "today", "yesterday", "tomorrow", "tonight", "morning", "afternoon", "evening", "night", "week", "weekend", "month", "year", "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "lord", "lady", "president", "vice", "prime", "minister", "secretary", "chief", "officer", "sen", "senator", "rep", "representative", "gov", "governor", "gen", "general", "col", "colonel", "lt", "lieutenant", "sgt", "sergeant", "capt", "captain", "cmdr", "adm", "admiral", "maj", "major", "judge", "justice", "chairman", "chairwoman", "chair", "director", "spokesman", "spokeswoman", "spokesperson", "ceo", "cfo", "deputy", "mayor", "king", "queen", "prince", "princess", "pope", "rev", "reverend", "father", "saint", "st", "jr", "sr", "inc", "corp", "co", "ltd", "llc", "plc", "gmt", "utc", "est", "edt", "cst", "cdt", "pst", "pdt", "bst", "cet", "am", "pm", "ap", "afp", "upi", "reuters", "xinhua", "nyt", "cnn", "bbc", "update", "updated", "updates", "breaking", "exclusive", "live", "video", "photo", "photos", "watch", "read", "more", "click", "here", "advertisement", "copyright", "news", "report", "reports", "i", "we", "you", "he", "she", "it", "they", "his", "her", "its", "their", "our", "my", "this", "that", "these", "those", "there", "here", "when", "where", "what", "who", "why", "how", "but", "and", "or", "if", "as", "at", "by", "for", "from", "in", "into", "of", "on", "to", "with", "after", "before", "while"])
"""Capitalised words that name no person, place or organisation of an event."""

_ENT_SPLIT = re.compile(r"[\s\-–—/]+|'s\b|’s\b")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s\b")
_LOWER_WORD = re.compile(r"(?<![\w’'])[a-z][a-z’'-]*")


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


_ALPHA_WORD = re.compile(r"[^\W\d_][\w’'-]*", re.UNICODE)


def _title_case(title: str) -> bool:
    """True when most content words of a title are capitalised (headline style)."""
    ws = [w for w in _ALPHA_WORD.findall(title) if w.lower() not in STOPWORDS and len(w) > 2]
    return len(ws) >= 3 and sum(1 for w in ws if w[0].isupper()) / len(ws) >= 0.7


def names(title: str, lead: str, limit: int) -> list[str]:
    """Name tokens of the title and lead (see the module docstring), first seen first. A title
    in headline case capitalises every word, so it is only read when there is no lead."""
    text = lead if lead and _title_case(title) else f"{title}\n{lead}"
    lower = {fold(w) for w in _LOWER_WORD.findall(text)}
    out: dict[str, None] = {}
    for span in proper_nouns(text):
        for tok in _ENT_SPLIT.split(fold(span)):
            tok = tok.strip("'’.")
            if (len(tok) > 1 and tok not in STOPWORDS and tok not in GENERIC_CAPITALS
                    and tok not in lower and not tok.isdigit()):
                out.setdefault(tok, None)
                if len(out) >= limit:
                    return list(out)
    return list(out)


def featurize(article: Article, params: ClusterParams = PARAMS) -> dict[str, Any]:
    """The article's clustering features (JSON-serialisable; the store keeps them).

    ``t`` title term counts, ``l`` lead term counts (absent without a body), ``b`` body term
    counts, ``e`` name tokens, ``n`` numbers, ``o`` the folded outlet when the article names one.
    """
    title = article.title or ""
    body = (article.text or "").split()[:params.body_words]
    lead = " ".join(body[:params.lead_words])
    out: dict[str, Any] = {"t": _counts(terms(title))}
    if body:
        out["l"] = _counts(terms(lead))
        out["b"] = _counts(terms(" ".join(body)), params.body_terms)
    else:
        out["b"] = {}
    out["e"] = names(title, " ".join(body[:params.entity_words]), params.max_entities)
    nums: dict[str, None] = {}
    for src in (title, lead):
        for n in numbers(src):
            nums.setdefault(n.replace(",", ""), None)
    out["n"] = list(nums)[:params.max_numbers]
    outlet = article.known_outlet
    if outlet and (key := fold(outlet.strip())):
        out["o"] = key
    return out
