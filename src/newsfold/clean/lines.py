"""Keep the article lines of a whole page flattened to plain text.

Input is a page's text with all its boilerplate (menus, footers, captions, cookie notices,
share bars), one line per block. Each line gets a class from line-level signals:

* **bad**: debris by the rules of :func:`~newsfold.clean.classify_paragraph` (captions, credits,
  link labels, promo lines), a short line repeated within the page, a line repeated across
  the corpus or across pages of the same outlet (:class:`CorpusStats`), a menu-like line
  (separators such as ``|`` / ``»``, or a run of capitalised words), or a bare date/time;
* **good**: long prose: enough words and characters, sentence punctuation, few capitalised
  words;
* **near**: a shorter line ending like a sentence;
* **short**: anything else (headings, labels, one-word menu items).

The article is the densest run of text: the contiguous span of lines with the largest sum of
weights (good lines count their length, near lines half, short and bad lines a penalty), the
body-text-extraction idea of Finn et al. (2001) on lines. Inside it good and near lines are
kept, short lines only when article lines surround them (sub-headings, list items); outside it
only long prose adjacent to the span survives. Every dropped line is recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..records import CleanResult, Removal
from .core import classify_paragraph

__all__ = ["CorpusStats", "build_corpus_stats", "clean_page_text"]

_DIGITS = re.compile(r"\d+")
_SENT_END = re.compile(r"[.!?。！？…]['\"’”)\]»]?$")
_SENT_INNER = re.compile(r"[.!?;,。，、！？]")
_MENU_SEP = re.compile(r"(?:\s[|•·»›/]\s|\s[|]$|^[|]\s|\s>\s)")
_DATE_ONLY = re.compile(
    r"^[\W\d_]*(?:\d{1,4}[./:-]\d{1,2}(?:[./:-]\d{1,4})?|\d{1,2}:\d\d(?:\s?[ap]\.?m\.?)?)[\W\d_]*$",
    re.I,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

GOOD, NEAR, SHORT, BAD = 3, 2, 1, 0


def _key(line: str) -> str:
    return _DIGITS.sub("0", line.lower())[:200]


@dataclass(slots=True)
class CorpusStats:
    """How many documents of the corpus (and of each outlet) contain each line."""

    docs: int = 0
    doc_freq: Counter[str] = field(default_factory=Counter)
    host_docs: Counter[str] = field(default_factory=Counter)
    host_freq: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, text: str, url: str | None = None) -> None:
        keys = {_key(ln.strip()) for ln in text.splitlines() if ln.strip()}
        self.docs += 1
        self.doc_freq.update(keys)
        host = _host(url)
        if host:
            self.host_docs[host] += 1
            self.host_freq.setdefault(host, Counter()).update(keys)

    def boilerplate(self, key: str, words: int, host: str | None) -> bool:
        """A line seen in other pages of the same outlet, or (short) in many pages at all.

        Long lines repeated across outlets are kept: a wire story runs word for word in many
        outlets, and its paragraphs are article text everywhere.
        """
        if host and self.host_docs.get(host, 0) >= 2:
            seen = self.host_freq[host].get(key, 0)
            if seen >= 2 and (words <= 40 or seen >= 3):
                return True
        if words <= 12 and self.docs >= 20:
            return self.doc_freq.get(key, 0) >= max(3, self.docs // 200)
        return False


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


def _classify(line: str, repeats: int, stats: CorpusStats | None, host: str | None,
              ) -> tuple[int, str]:
    n_chars = len(line)
    words = line.split()
    n_words = len(words)
    if _CJK.search(line):
        n_words = max(n_words, n_chars // 2)
    if repeats >= 2 and n_words <= 20:
        return BAD, "repeated"
    if stats is not None and stats.boilerplate(_key(line), n_words, host):
        return BAD, "boilerplate"
    ends = bool(_SENT_END.search(line))
    if n_words <= 4 and not ends:
        if _DATE_ONLY.match(line):
            return BAD, "date-line"
        return SHORT, ""
    if _MENU_SEP.search(line) and not (n_words >= 20 and ends):
        return BAD, "menu"
    caps = sum(1 for w in words if w[:1].isupper())
    if n_words >= 10 and n_chars >= 70:
        inner = len(_SENT_INNER.findall(line))
        if (ends or inner >= 2) and caps <= 0.6 * len(words) + 1:
            return GOOD, ""
    if ends and n_chars >= 30 and caps <= 0.7 * len(words) + 1:
        return NEAR, ""
    if n_words >= 5 and caps >= 0.8 * len(words) and not ends:
        return BAD, "menu"
    return SHORT, ""


def clean_page_text(
    text: str,
    *,
    corpus_stats: CorpusStats | None = None,
    url: str | None = None,
) -> CleanResult:
    """The article lines of a whole page's plain text, with what was dropped and why.

    ``corpus_stats`` (from :func:`build_corpus_stats` over the batch) adds line repetition
    across documents and, with ``url``, across the outlet's other pages.
    """
    lines = [ln.strip() for ln in (text or "").splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return CleanResult(text="")
    counts = Counter(lines)
    host = _host(url)
    classes: list[int] = []
    reasons: list[str] = []
    for ln in lines:
        c, why = _classify(ln, counts[ln], corpus_stats, host)
        classes.append(c)
        reasons.append(why)

    # Densest span: maximum-sum contiguous run of line weights.
    weights = []
    for ln, c in zip(lines, classes, strict=True):
        if c == GOOD:
            weights.append(float(len(ln)))
        elif c == NEAR:
            weights.append(len(ln) * 0.5)
        elif c == SHORT:
            weights.append(-25.0)
        else:
            weights.append(-min(60.0, 10.0 + len(ln) * 0.5))
    best, best_lo, best_hi = 0.0, 0, -1
    run, lo = 0.0, 0
    for i, w in enumerate(weights):
        if run <= 0:
            run, lo = w, i
        else:
            run += w
        if run > best:
            best, best_lo, best_hi = run, lo, i

    keep = [False] * len(lines)
    for i in range(best_lo, best_hi + 1):
        c = classes[i]
        if c in (GOOD, NEAR):
            keep[i] = True
        elif c == SHORT:
            prev_ok = any(classes[j] in (GOOD, NEAR) for j in range(max(best_lo, i - 2), i))
            next_ok = any(classes[j] in (GOOD, NEAR)
                          for j in range(i + 1, min(best_hi, i + 2) + 1))
            keep[i] = prev_ok and next_ok and len(lines[i].split()) >= 2

    # Long prose just outside the span (an article split by a big ad or gallery block).
    for step, edge in ((-1, best_lo), (1, best_hi)):
        i, gap = edge + step, 0
        while 0 <= i < len(lines) and gap <= 3:
            if classes[i] == GOOD:
                keep[i], gap = True, 0
            else:
                gap += 1
            i += step

    # The debris rules (captions, credits, link labels, promos) on the lines kept so far.
    for i, ln in enumerate(lines):
        if keep[i]:
            kind, _ = classify_paragraph(ln)
            if kind is not None:
                keep[i], reasons[i] = False, kind

    removed: list[Removal] = []
    kept: list[str] = []
    for i, ln in enumerate(lines):
        if keep[i]:
            kept.append(ln)
        else:
            inside = best_lo <= i <= best_hi
            removed.append(Removal(reasons[i] or ("short" if inside else "outside-body"), ln))
    return CleanResult(text="\n\n".join(kept), removed=removed)
