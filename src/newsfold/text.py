"""Shared text utilities: sentences, tokens, content terms, proper-noun spans and numbers."""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, read from their own module: importing
    ``sklearn.feature_extraction`` would load SciPy too, a slow start-up for a word list."""
    spec = importlib.util.find_spec("sklearn")
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py"
        module_spec = importlib.util.spec_from_file_location("_sklearn_stop_words", path)
        if module_spec is not None and module_spec.loader is not None and path.is_file():
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            return frozenset(module.ENGLISH_STOP_WORDS)
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


STOPWORDS = _english_stop_words() | {
    "said", "says", "say", "told", "according", "mr", "mrs", "ms", "dr", "just", "like", "new",
    "year", "years", "week", "would", "could", "also", "one", "two", "s", "t", "u",
}

WORD_RE = re.compile(r"\w+(?:[’'.-]\w+)*", re.UNICODE)
NUMBER_RE = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.:]\d+)?(?![\w])")
_PROPER_RE = re.compile(
    r"\b[A-Z][\w’'-]*(?:[ \t]+(?:(?:of|the|de|van|von|al|bin|for)[ \t]+)?[A-Z][\w’'-]*)*"
)


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (lines) of a text, stripped."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def sentences(text: str) -> list[str]:
    """Split text into sentences: paragraph breaks first, then sentence ends within each.

    Every returned sentence is a verbatim substring of ``text``.
    """
    out: list[str] = []
    for para in paragraphs(text):
        out.extend(_para_sentences(para))
    return out


TITLE_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "prof", "rev", "fr", "hon", "pres", "gov", "sen", "rep", "del",
    "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm", "cmdr", "cdr", "brig",
    "supt", "insp", "det", "atty", "amb", "messrs", "mme", "mlle", "st", "mt", "ft",
])
"""Abbreviations that stand before a name: a full stop after one does not end a sentence."""
AMBIGUOUS_ABBREVIATIONS = frozenset([
    "inc", "corp", "co", "ltd", "llc", "bros", "jr", "sr", "no", "nos", "vol", "vs", "etc",
    "approx", "est", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
    "sat", "sun", "ave", "blvd", "rd",
])
"""Abbreviations that may also end a sentence: the full stop ends one only when what follows
reads as a sentence's first word."""
_SENTENCE_STARTERS = frozenset([
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its",
    "their", "our", "this", "that", "these", "those", "there", "here", "but", "and", "so",
    "yet", "or", "in", "on", "at", "as", "after", "before", "when", "while", "if", "for",
    "with", "by", "from", "to", "of", "one", "two", "three", "some", "many", "most", "all",
    "no", "not", "mr", "mrs", "ms", "dr", "police", "officials", "authorities",
])
"""Words that open sentences: after "U.S." or "Inc." they mean the sentence has ended."""
END_MARK = "[.!?…]"
"""A regex class: the marks that end a sentence of English news text. :func:`sentences` also
knows other scripts' marks; the cleaners and the ingest door look for English sentences."""
CLOSING_MARK = "[\"'”’)\\]]"
"""A regex class: a quote or bracket that may close a sentence after its end mark (English
marks; :data:`CLOSERS` adds the guillemet)."""
PROSE_ENDS = ".!?。！？…"
"""The characters that end a sentence of English or CJK text (:data:`END_MARK`'s and the
full-width 。！？): how the page cleaners tell a line that ends like prose."""
CLOSERS = "\"'”’»)]"
"""The characters that may close a sentence after its end mark: :data:`CLOSING_MARK`'s quotes
and brackets and the guillemet »."""
_TERMINALS = "!.?…։؟۔।॥።‼‽⁇⁈⁉。！．？｡"
"""Every script's sentence ends, which :func:`sentences` splits at."""
_OPENERS = "\"'“‘«(["
_END_RE = re.compile(f"[{_TERMINALS}]+[{re.escape(CLOSERS)}]*")
_UNSPACED = frozenset("。！？｡")
"""Ends of sentences in scripts written without spaces."""
_LAST_TOKEN_RE = re.compile(r"(\S+)$")
_FIRST_WORD_RE = re.compile(r"[\w’'-]+")


def _para_sentences(para: str) -> list[str]:
    """The sentences of one stripped, non-empty paragraph.

    A sentence ends at a run of end marks and the closing quotes or brackets after it, when
    what follows starts a sentence: an opening quote goes with the next sentence, not the
    last. A full stop after a title ("Lt.", "Del."), an initial ("David C. Smith"), a dotted
    abbreviation ("U.S.") or a short form ("Inc.", "Jan.") ends a sentence only as
    :func:`_ends_sentence` allows.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END_RE.finditer(para):
        end = m.end()
        if end >= len(para):
            break
        if not para[end].isspace() and para[end - 1] not in _UNSPACED:
            continue
        if _ends_sentence(para[start:m.start()], m.group(0), para[end:].lstrip()):
            spans.append((start, end))
            start = end
    spans.append((start, len(para)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and not any(c.isalnum() for c in para[a:b]):
            out[-1] = (out[-1][0], b)  # stray marks stay with the sentence before them
        elif para[a:b].strip():
            out.append((a, b))
    return [para[a:b].strip() for a, b in out]


def _ends_sentence(before: str, marks: str, nxt: str) -> bool:
    """Whether end marks ``marks`` after the text ``before`` end a sentence, ``nxt`` following."""
    first = nxt[0]
    opens = first in _OPENERS
    if not (opens or first.isdigit() or (first.isalpha() and not first.islower())):
        return False  # lower case or a comma, dash...: the sentence goes on
    if marks.rstrip(CLOSERS) != ".":
        return True
    tok = _LAST_TOKEN_RE.search(before)
    if tok is None:
        return True
    word = tok.group(1).lstrip(_OPENERS)
    low = word.lower()
    if low in TITLE_ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial
    dotted = "." in word
    if dotted or low in AMBIGUOUS_ABBREVIATIONS:
        if first.isdigit():
            return False
        fw = _FIRST_WORD_RE.match(nxt.lstrip(_OPENERS))
        quote = first in _OPENERS and first not in "(["  # "3:07 p.m. (0807 GMT)" goes on
        return quote or (fw is not None and fw.group(0).lower() in _SENTENCE_STARTERS)
    return True


_DANGLING_RE = re.compile(
    r"^(?:[\"“”']?(?:he|she|it(?!\s+(?:is|was|remains|remained|seems|seemed|appears|"
    r"appeared|has been|had been|will be|would be)\b)|they|this|these|those|his|her|their|its|but|however|also|and|"
    r"yet|still|instead|meanwhile|then|there)\b|(?-i:[a-z])|”)",
    re.IGNORECASE,
)
_QUOTED_RE = re.compile(r"“[^“”]*”?|\"[^\"]*\"?")


def dangling(sentence: str) -> bool:
    """Whether a sentence leans on the one before it: it opens on a pronoun ("He", "Those
    demands"; not the "It" of "It remains unclear"), a connective ("But", "However"), lower
    case or a closing quote mark."""
    return _DANGLING_RE.match(sentence) is not None


def quoted_share(sentence: str) -> float:
    """The share of a sentence's characters inside quotation marks (an unclosed quote runs to
    the end)."""
    inside = sum(len(m.group(0)) for m in _QUOTED_RE.finditer(sentence))
    return inside / len(sentence) if sentence else 0.0


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_porter().stem(word))


@lru_cache(maxsize=1)
def _porter() -> Any:
    with imports_hidden(("scipy", "sklearn")):  # NLTK tries both at start-up
        from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@contextmanager
def imports_hidden(names: tuple[str, ...]) -> Iterator[None]:
    """Make the modules ``names`` unimportable while the block runs, to import a package
    without optional dependencies it would only load and never use.

    ``sys.modules[name]`` is None for each name not yet imported, which Python's import system
    documents as "this module cannot be imported": an optional import fails at once and leaves
    nothing half-imported. The entries are removed afterwards, so the modules import normally
    later; only the importing package's own wrappers of them stay off in this process. Nothing
    is hidden while other threads run (one could be importing that module at that moment: the
    web server).
    """
    hidden = [n for n in names if n not in sys.modules] if threading.active_count() == 1 else []
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


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

