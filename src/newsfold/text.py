"""Shared text utilities: sentences, tokens, content terms, proper-noun spans and numbers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "said", "says", "say", "told", "according", "mr", "mrs", "ms", "dr", "just", "like", "new",
    "year", "years", "week", "would", "could", "also", "one", "two", "s", "t", "u",
}

WORD_RE = re.compile(r"\w+(?:[’'.-]\w+)*", re.UNICODE)
NUMBER_RE = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.:]\d+)?(?![\w])")
_PROPER_RE = re.compile(
    r"\b[A-Z][\w’'-]*(?:[ \t]+(?:(?:of|the|de|van|von|al|bin|for)[ \t]+)?[A-Z][\w’'-]*)*"
)


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (lines) of a text, stripped."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def sentences(text: str) -> list[str]:
    """Split text into sentences: paragraph breaks first, then spaCy's rule-based sentencizer.

    Every returned sentence is a verbatim substring of ``text``.
    """
    nlp = _sentencizer()
    out: list[str] = []
    for para in paragraphs(text):
        for sent in nlp(para).sents:
            s = sent.text.strip()
            if s:
                out.append(s)
    return _rejoin(out)


def _rejoin(sents: list[str]) -> list[str]:
    """Glue a lone closing quote or bracket that the sentencizer split off onto its sentence."""
    out: list[str] = []
    for s in sents:
        if out and (len(s) <= 2 and not any(c.isalnum() for c in s)):
            out[-1] = out[-1] + s
        else:
            out.append(s)
    return out


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_porter().stem(word))


@lru_cache(maxsize=1)
def _porter() -> Any:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


def fold(text: str) -> str:
    """Lower-case, strip accents and unify quotes: a key for comparing surface text."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower()


def content_terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words (stopwords and one-letter tokens dropped)."""
    out = []
    for w in WORD_RE.findall(fold(text)):
        if len(w) < 2 or w in STOPWORDS:
            continue
        out.append(stem(w) if w.isalpha() else w)
    return out


def proper_nouns(text: str) -> list[str]:
    """Fast proper-noun spans: runs of capitalised words, sentence-initial stopwords dropped."""
    spans = []
    for m in _PROPER_RE.finditer(text):
        span = m.group(0).strip().rstrip(".")
        toks = span.split()
        while toks and toks[0].lower() in STOPWORDS:
            toks = toks[1:]
        while toks and toks[-1].lower() in STOPWORDS:
            toks = toks[:-1]
        if toks:
            spans.append(" ".join(toks))
    return spans


def numbers(text: str) -> list[str]:
    return NUMBER_RE.findall(text)


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
