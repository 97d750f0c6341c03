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
    out: list[str] = []
    for para in paragraphs(text):
        out.extend(_para_sentences(para))
    return _rejoin(out)


_SPLIT_CHARS: frozenset[str] | None = None


def _punct_chars() -> frozenset[str]:
    global _SPLIT_CHARS
    if _SPLIT_CHARS is None:
        _SPLIT_CHARS = frozenset(_sentencizer().get_pipe("sentencizer").punct_chars)
    return _SPLIT_CHARS


def _para_sentences(para: str) -> list[str]:
    """spaCy's sentencizer on one (stripped, non-empty) paragraph, run on the tokenizer's output.

    The sentencizer starts a sentence at the first token that is neither punctuation nor one of
    its ``punct_chars`` after a token that is one of its ``punct_chars``; a sentence's text runs
    from its first token to the end of its last one. A paragraph whose ``punct_chars`` all sit in
    a final run of punctuation characters is one sentence without tokenizing it.
    """
    split = _punct_chars()
    first = -1
    for i, c in enumerate(para):
        if c in split:
            first = i
            break
    if first < 0 or _all_punctuation(para, first):
        return [para]
    from spacy.attrs import IDX, IS_PUNCT, LENGTH

    doc = _sentencizer().make_doc(para)
    starts = [0]
    seen = False
    rows = doc.to_array([IDX, LENGTH, IS_PUNCT]).tolist()
    for i, (idx, length, is_punct) in enumerate(rows):
        in_split = length == 1 and para[idx] in split
        if seen and not is_punct and not in_split:
            starts.append(i)
            seen = False
        elif in_split:
            seen = True
    starts.append(len(rows))
    out = []
    for a, b in zip(starts, starts[1:], strict=False):
        if b <= a:
            continue
        idx, length, _ = rows[b - 1]
        s = para[rows[a][0]:idx + length].strip()
        if s:
            out.append(s)
    return out


def _all_punctuation(text: str, start: int) -> bool:
    """Every character from ``start`` on is Unicode punctuation (category P*), no spaces."""
    return all(unicodedata.category(c)[0] == "P" for c in text[start:])


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


class _FoldTable(dict[int, int | None]):
    """``str.translate`` table, filled on demand: combining marks dropped, curly quotes made
    straight, every other character kept."""

    def __missing__(self, cp: int) -> int | None:
        c = chr(cp)
        value = None if unicodedata.combining(c) else ord(_QUOTES.get(c, c))
        self[cp] = value
        return value


_QUOTES = {"’": "'", "‘": "'", "“": '"', "”": '"'}
_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip accents and unify quotes: a key for comparing surface text."""
    if text.isascii():  # NFKD, accents and curly quotes cannot change ASCII
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_FOLD_TABLE).lower()


def content_terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words (stopwords and one-letter tokens dropped)."""
    term = content_term
    return [t for t in map(term, WORD_RE.findall(fold(text))) if t]


@lru_cache(maxsize=200_000)
def content_term(w: str) -> str:
    """The content term of one folded word; "" for a stopword or a one-letter token."""
    if len(w) < 2 or w in STOPWORDS:
        return ""
    return stem(w) if w.isalpha() else w


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

