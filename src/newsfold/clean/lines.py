"""Keep the article lines of a whole page flattened to plain text.

Input is a page's text with all its boilerplate (menus, footers, captions, cookie notices,
share bars), one line per block. Each line gets a class from line-level signals:

* **bad**: debris by the rules of :func:`~newsfold.clean.classify_paragraph` (captions, credits,
  link labels, promo lines), a short line repeated within the page, a line repeated across
  the corpus or across pages of the same outlet (:class:`CorpusStats`), a menu-like line
  (separators such as ``|`` / ``»``, or a run of capitalised words), or a bare date/time;
* **good**: long prose: enough words and characters, sentence punctuation, few capitalised
  words;
* **near**: a shorter line ending like a sentence, or a sentence-long line ending with a colon
  (it introduces a list or a quote);
* **short**: anything else (headings, labels, one-word menu items).

The article is the densest run of text: the contiguous span of lines with the largest sum of
weights (good lines count their length, near lines half, short and bad lines a penalty), the
body-text-extraction idea of Finn et al. (2001) on lines. Prose that is debris (a cookie
dialog, a newsletter box) must not win: the debris rules run on the span's prose lines, and the
span is chosen again while they find some. Inside it good and near lines are
kept, short lines only when article lines surround them (sub-headings, list items); outside it
only long prose adjacent to the span survives. Every dropped line is recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from urllib.parse import urlsplit

from ..gcpause import gc_paused
from ..records import CleanResult, Removal
from ..text import CLOSERS, PROSE_ENDS
from .core import SOFT_HYPHEN, classify_paragraph

__all__ = [
    "DEFAULT_LINE_PARAMS", "CorpusStats", "LineParams", "build_corpus_stats", "clean_page_text",
    "clean_pages",
]

_SENT_INNER = re.compile(r"[.!?;,。，、！？]")
"""Punctuation inside prose, commas and semicolons with the sentence ends: two of them make a
long line prose even without an end mark, which a run of menu items lacks."""
_MENU_SEP = re.compile(r"(?:\s[|•·»›/]\s|\s[|]$|^[|]\s|\s>\s)")
_MENU_CHARS = re.compile(r"[|•·»›/>]")
_DATE_ONLY = re.compile(
    r"^[\W\d_]*(?:\d{1,4}[./:-]\d{1,2}(?:[./:-]\d{1,4})?|\d{1,2}:\d\d(?:\s?[ap]\.?m\.?)?)[\W\d_]*$",
    re.I,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_ENDERS = frozenset(PROSE_ENDS)
_CLOSERS = frozenset(CLOSERS)
_NO_DIGITS = b"0123456789"
_first = itemgetter(0)

GOOD, NEAR, SHORT, BAD = 3, 2, 1, 0


@dataclass(frozen=True, slots=True)
class LineParams:
    """The limits by which :func:`clean_page_text` classes a page's lines."""

    repeated_max_words: int = 20
    """A line of at most this many words found twice in the page is debris (a menu, a share
    bar); longer repeated lines may be a pull quote of the article."""
    corpus_min_docs: int = 20
    """The corpus-wide boilerplate test runs only over at least this many documents: fewer
    give no reliable line frequencies."""
    corpus_min_count: int = 3
    """A short line is boilerplate in at least this many documents of the corpus ..."""
    corpus_docs_per_count: int = 200
    """... or in one of every this many documents, whichever is more (the test scales with
    the corpus)."""
    corpus_max_words: int = 12
    """Only a line of at most this many words is boilerplate by corpus-wide count: long lines
    repeated across outlets are wire copy, article text."""
    host_long_words: int = 40
    """A line of the same outlet longer than this many words is boilerplate only in
    ``host_long_min_pages`` of its pages (2 for shorter lines): a long paragraph may recur in
    follow-up stories."""
    host_long_min_pages: int = 3
    """Pages of one outlet that must share a long line for it to be boilerplate."""
    short_max_words: int = 4
    """A line of at most this many words that does not end like a sentence is short (a
    heading, a label), or a date line."""
    menu_prose_words: int = 20
    """A line with menu separators is still prose at this many words ending like a sentence."""
    good_min_words: int = 10
    """Words for long prose (a good line)."""
    good_min_chars: int = 70
    """Characters for long prose (a good line)."""
    good_max_caps: float = 0.6
    """Share of capitalised words (plus one) above which a line is not long prose: titles and
    menus capitalise most words, sentences few."""
    intro_min_words: int = 6
    """A line of at least this many words ending with a colon introduces what follows (a list,
    a quote): it counts as a near line, like a sentence."""
    near_min_chars: int = 30
    """Characters for a shorter sentence-like line (a near line)."""
    near_max_caps: float = 0.7
    """Share of capitalised words (plus one) above which a sentence-like line is not near."""
    menu_min_words: int = 5
    """Words from which a line that does not end like a sentence ..."""
    menu_min_caps: float = 0.8
    """... and has at least this share of capitalised words is a menu (a run of links)."""


DEFAULT_LINE_PARAMS = LineParams()

PENDING_MAX_LINES = 1_000_000
"""CorpusStats keeps the split lines of at most this many lines of added, uncleaned text."""


def _key(line: str) -> bytes:
    """A line's identity for repetition counts: lower case, digits dropped, as UTF-8."""
    return line.lower().encode("utf-8", "surrogatepass").translate(None, _NO_DIGITS)


def _keys(lines: list[str]) -> list[bytes]:
    """:func:`_key` of each line (stripped, non-empty, no line breaks), in one pass."""
    text = "\n".join(lines)
    # bytes.lower() is the same as str.lower() on ASCII text, and faster
    blob = (text.encode("ascii").lower() if text.isascii()
            else text.lower().encode("utf-8", "surrogatepass"))
    return blob.translate(None, _NO_DIGITS).split(b"\n")


def _n_words(line: str) -> int:
    """Words of a line; a line of CJK script (no spaces between words) counts one per two
    characters."""
    n = len(line.split())
    if not line.isascii() and _CJK.search(line):
        n = max(n, len(line) // 2)
    return n


def _lines(text: str) -> list[str]:
    return [ln for ln in map(str.strip, text.splitlines()) if ln]


@dataclass(slots=True)
class CorpusStats:
    """How many documents of the corpus (and of each outlet) contain each line."""

    docs: int = 0
    doc_freq: Counter[bytes] = field(default_factory=Counter)
    host_docs: Counter[str] = field(default_factory=Counter)
    host_freq: dict[str, Counter[bytes]] = field(default_factory=dict)

    _pending: dict[str, tuple[list[str], list[bytes]]] = field(default_factory=dict, repr=False)
    """Lines and keys of texts added but not yet cleaned, so cleaning does not redo them
    (an entry is dropped when its text is cleaned; at most PENDING_MAX_LINES lines held)."""
    _pending_lines: int = field(default=0, repr=False)

    def add(self, text: str, url: str | None = None) -> None:
        lines = _lines(text)
        line_keys = _keys(lines)
        if text not in self._pending and self._pending_lines + len(lines) <= PENDING_MAX_LINES:
            self._pending[text] = (lines, line_keys)
            self._pending_lines += len(lines)
        keys = set(line_keys)
        self.docs += 1
        self.doc_freq.update(keys)
        host = _host(url)
        if host:
            self.host_docs[host] += 1
            self.host_freq.setdefault(host, Counter()).update(keys)

    def take(self, text: str) -> tuple[list[str], list[bytes]] | None:
        """The lines and keys :meth:`add` computed for ``text`` (once), or None."""
        got = self._pending.pop(text, None)
        if got is not None:
            self._pending_lines -= len(got[0])
        return got


@lru_cache(maxsize=4096)
def _host(url: str | None) -> str | None:
    if not url or not url.startswith(("http://", "https://")):
        return None
    return (urlsplit(url).hostname or "").lower().removeprefix("www.") or None


def build_corpus_stats(
    texts: Iterable[str], urls: Sequence[str | None] | None = None
) -> CorpusStats:
    """Line repetition over a corpus of flattened pages (``urls`` give each page's outlet)."""
    stats = CorpusStats()
    for i, text in enumerate(texts):
        stats.add(text, urls[i] if urls is not None and i < len(urls) else None)
    return stats


def _weight(cls: int, n_chars: int) -> float:
    """A line's weight in the densest span: good lines count their length, near lines half,
    short lines -25, bad lines -(10 + len/2), at least -60."""
    if cls == GOOD:
        return float(n_chars)
    if cls == NEAR:
        return n_chars * 0.5
    if cls == SHORT:
        return -25.0
    return max(-60.0, -10.0 - n_chars * 0.5)


def _densest(weights: list[float]) -> tuple[int, int]:
    """(first, last) line of the contiguous run with the largest sum of weights (Kadane);
    (0, -1) when no run has a positive sum."""
    best, best_lo, best_hi = 0.0, 0, -1
    run, lo = 0.0, 0
    for i, w in enumerate(weights):
        if run <= 0:
            run, lo = w, i
        else:
            run += w
        if run > best:
            best, best_lo, best_hi = run, lo, i
    return best_lo, best_hi


def clean_page_text(
    text: str,
    *,
    corpus_stats: CorpusStats | None = None,
    url: str | None = None,
    report: bool = True,
    params: LineParams = DEFAULT_LINE_PARAMS,
) -> CleanResult:
    """The article lines of a whole page's plain text, with what was dropped and why.

    ``corpus_stats`` (from :func:`build_corpus_stats` over the batch) adds line repetition
    across documents and, with ``url``, across the outlet's other pages. Without ``report``
    ``removed`` stays empty: a caller that only wants the text does not pay for a record of
    every dropped line. ``params`` holds the limits
    by which lines are classed.
    """
    cached = corpus_stats.take(text) if corpus_stats is not None and text else None
    lines = cached[0] if cached is not None else _lines(text or "")
    if text and SOFT_HYPHEN in text:  # invisible hyphenation hints go, as in clean_text
        lines = [ln.replace(SOFT_HYPHEN, "") for ln in lines]
        lines = [ln for ln in lines if ln.strip()]
        cached = None
    if not lines:
        return CleanResult(text="")
    p = params
    counts = Counter(lines)
    host = _host(url)
    n = len(lines)
    classes: list[int] = [SHORT] * n
    reasons: list[str] = [""] * n

    # Classes and weights of the lines, and the densest span of those weights.
    weights: list[float] = [0.0] * n
    stats = corpus_stats
    keys: list[bytes] = []
    host_seen: Counter[bytes] | None = None  # the outlet's line counts, when it has 2+ pages
    doc_min = 0  # corpus-wide count that makes a short line boilerplate (0: no corpus test)
    if stats is not None:
        if host and stats.host_docs.get(host, 0) >= 2:
            host_seen = stats.host_freq[host]
        if stats.docs >= p.corpus_min_docs:
            doc_min = max(p.corpus_min_count, stats.docs // p.corpus_docs_per_count)
        if host_seen is not None or doc_min:
            keys = cached[1] if cached is not None else _keys(lines)
    doc_freq = stats.doc_freq if stats is not None else None
    enders, closers = _ENDERS, _CLOSERS
    cjk_search, menu_chars, menu_sep = _CJK.search, _MENU_CHARS.search, _MENU_SEP.search
    # A short line found twice in the page is debris (a menu, a share bar); such lines are
    # common, so they are found once per distinct line.
    repeated = {ln for ln, k in counts.items()
                if k >= 2 and _n_words(ln) <= p.repeated_max_words}
    # The limits as locals: the loop below runs over every line.
    host_long, host_long_pages = p.host_long_words, p.host_long_min_pages
    corpus_max = p.corpus_max_words
    short_max, menu_prose = p.short_max_words, p.menu_prose_words
    good_words, good_chars, good_caps = p.good_min_words, p.good_min_chars, p.good_max_caps
    intro_words, near_chars, near_caps = p.intro_min_words, p.near_min_chars, p.near_max_caps
    menu_words, menu_caps = p.menu_min_words, p.menu_min_caps
    for i, ln in enumerate(lines):
        # The class of each line, from the cheapest signals first (one function for all
        # lines: this loop is most of the time of whole-page cleaning).
        if ln in repeated:
            classes[i], reasons[i] = BAD, "repeated"
            weights[i] = _weight(BAD, len(ln))
            continue
        last = ln[-1]
        ends = last in enders or (last in closers and len(ln) > 1 and ln[-2] in enders)
        words = ln.split()  # _n_words, inlined: the words are needed below
        n_words = n_tokens = len(words)
        if not ln.isascii() and cjk_search(ln):
            n_words = max(n_words, len(ln) // 2)
        # Boilerplate: a line in 2+ pages of the same outlet (a long one in 3+), or a short
        # one in many pages at all. Long lines repeated across outlets stay: a wire story
        # runs word for word in many outlets, and its paragraphs are article text.
        if keys and (
                (host_seen is not None and (seen := host_seen.get(keys[i], 0)) >= 2
                 and (n_words <= host_long or seen >= host_long_pages))
                or (doc_min and n_words <= corpus_max and doc_freq is not None
                    and doc_freq.get(keys[i], 0) >= doc_min)):
            c, why = BAD, "boilerplate"
        elif n_words <= short_max and not ends:
            if not ln[0].isalpha() and _DATE_ONLY.match(ln):
                c, why = BAD, "date-line"
            else:
                c, why = SHORT, ""
        elif menu_chars(ln) and menu_sep(ln) and not (n_words >= menu_prose and ends):
            c, why = BAD, "menu"
        else:
            caps = sum(map(str.isupper, map(_first, words)))
            n_chars = len(ln)
            if (n_words >= good_words and n_chars >= good_chars
                    and caps <= good_caps * n_tokens + 1
                    and (ends or len(_SENT_INNER.findall(ln)) >= 2)):
                c, why = GOOD, ""
            elif ((ends or (last == ":" and n_words >= intro_words))
                  and n_chars >= near_chars and caps <= near_caps * n_tokens + 1):
                c, why = NEAR, ""
            elif n_words >= menu_words and caps >= menu_caps * n_tokens and not ends:
                c, why = BAD, "menu"
            else:
                c, why = SHORT, ""
        classes[i] = c
        if why:
            reasons[i] = why
        # _weight(c, len(ln)), inlined: this loop runs over every line
        weights[i] = (float(len(ln)) if c == GOOD else len(ln) * 0.5 if c == NEAR
                      else -25.0 if c == SHORT else max(-60.0, -10.0 - len(ln) * 0.5))
    best_lo, best_hi = _densest(weights)

    # Debris that reads like prose (a cookie dialog, a newsletter box, a caption) must not
    # form or extend the span: the debris rules run on the prose lines of the span (the rest
    # need not be read), and while they find some, the span is chosen again without it.
    checked = [False] * n

    def debris(i: int) -> bool:
        """Whether prose line i is debris (then it becomes a bad line); each line once."""
        if checked[i]:
            return classes[i] == BAD
        checked[i] = True
        kind, _ = classify_paragraph(lines[i])
        if kind is None:
            return False
        classes[i], reasons[i] = BAD, kind
        weights[i] = _weight(BAD, len(lines[i]))
        return True

    while True:
        found = False
        for i in range(best_lo, best_hi + 1):
            if classes[i] >= NEAR and not checked[i] and debris(i):
                found = True
        if not found:
            break
        best_lo, best_hi = _densest(weights)

    keep = [False] * n
    for i in range(best_lo, best_hi + 1):
        c = classes[i]
        if c >= NEAR:
            keep[i] = True
        elif c == SHORT and any(classes[j] >= NEAR for j in range(max(best_lo, i - 2), i)):
            keep[i] = any(classes[j] >= NEAR for j in range(i + 1, min(best_hi, i + 2) + 1)
                          ) and len(lines[i].split()) >= 2

    # Long prose just outside the span (an article split by a big ad or gallery block).
    for step, edge in ((-1, best_lo), (1, best_hi)):
        i, gap = edge + step, 0
        while 0 <= i < len(lines) and gap <= 3:
            if classes[i] == GOOD and not debris(i):
                keep[i], gap = True, 0
            else:
                gap += 1
            i += step

    # The debris rules (captions, credits, link labels, promos) on the short lines kept so far
    # (the longer ones met them above).
    for i in range(best_lo, best_hi + 1):
        if keep[i] and classes[i] == SHORT:
            kind, _ = classify_paragraph(lines[i])
            if kind is not None:
                keep[i], reasons[i] = False, kind

    kept = [ln for ln, k in zip(lines, keep, strict=True) if k]
    if not report:
        return CleanResult(text="\n\n".join(kept))
    removed = [
        Removal(why or ("short" if best_lo <= i <= best_hi else "outside-body"), ln)
        for i, (ln, k, why) in enumerate(zip(lines, keep, reasons, strict=True)) if not k
    ]
    return CleanResult(text="\n\n".join(kept), removed=removed)


def clean_pages(
    texts: Sequence[str],
    urls: Sequence[str | None] | None = None,
    *,
    corpus_stats: bool = True,
    report: bool = True,
    params: LineParams = DEFAULT_LINE_PARAMS,
) -> list[CleanResult]:
    """:func:`clean_page_text` on each of a batch of whole pages, in order.

    With ``corpus_stats`` the pages are cleaned together: a line repeated across the batch (or
    across pages of one outlet, from ``urls``) counts as boilerplate. The garbage collector
    is paused meanwhile (:func:`newsfold.gcpause.gc_paused`). ``report`` as for
    :func:`clean_page_text`, and ``params`` its limits.
    """
    with gc_paused():
        stats = build_corpus_stats(texts, urls) if corpus_stats else None
        return [clean_page_text(t, corpus_stats=stats, url=urls[i] if urls else None,
                                report=report, params=params)
                for i, t in enumerate(texts)]
