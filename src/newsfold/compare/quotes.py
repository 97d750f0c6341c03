"""Quotes: text between quotation marks (five words or more) with a speaker when stated.

The speaker comes from simple attribution patterns next to the quote in the same sentence:
``“…,” X said`` / ``“…,” said X`` / ``X said: “…”`` / ``according to X``, where X is a
proper name or a noun phrase ending in a role ("a senior administration official"). A
pronoun ("he said") gives no speaker. A quote with no attribution that directly follows an
attributed quote in the same paragraph inherits its speaker. The same quote in several
articles is listed once with every article.
"""

from __future__ import annotations

import re

from newsfold.records import Article, Quote
from newsfold.text import fold, words

_QUOTE_RE = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"")
_NAME = r"[A-Z][\w’'.-]*(?:\s+(?:(?:of|the|de|van|von|al|bin)\s+)?[A-Z][\w’'.-]*){0,4}"
_ROLE = (
    r"(?:official|spokes(?:man|woman|person)|minister|president|secretary|source|aide|"
    r"statement|diplomat|officer|analyst|expert|lawyer|director|chief|leader|ambassador|"
    r"governor|senator|mayor|chairman|chairwoman|commander|general|representative|"
    r"administration|agency|ministry|police|witness|resident|survivor|scientist|doctor)s?"
)
_NP = rf"(?:(?:an?|the|one|another)\s+(?:[\w’'-]+\s+){{0,4}}?{_ROLE})"
_SPEAKER = rf"(?P<sp>{_NAME}|{_NP})"
_VERB = r"(?:said|says|added|adds|told|tells|stated|wrote|writes|explained|insisted|warned|noted|declared|asked)"
_AFTER_RE = [
    re.compile(rf"^\s*[,—–-]?\s*{_SPEAKER}(?:,[^,]{{1,60}},)?\s+{_VERB}\b"),
    re.compile(rf"^\s*[,—–-]?\s*{_VERB}\s+{_SPEAKER}"),
]
_BEFORE_RE = [
    re.compile(rf"{_SPEAKER}(?:,[^,]{{1,60}},)?\s+{_VERB}(?:\s+\w+)?(?:\s+that)?\s*[,:]?\s*$"),
    re.compile(rf"\baccording to\s+{_SPEAKER}[^“\"]*$", re.IGNORECASE),
]
_ACCORDING_RE = re.compile(rf"\baccording to\s+{_SPEAKER}")
_PRONOUN_AFTER_RE = re.compile(
    rf"^\s*[,—–-]?\s*(?:he|she|they|it|we|i)\s+{_VERB}\b|^\s*[,—–-]?\s*{_VERB}\s+(?:he|she)\b",
    re.IGNORECASE,
)
_SENT_END_RE = re.compile(r"[.!?]\s+(?=[A-Z“\"])")
_BAD_SPEAKERS = {"but", "and", "the", "it", "this", "that", "in", "on", "he", "she", "they"}


def _clean_speaker(sp: str | None) -> str | None:
    if not sp:
        return None
    sp = sp.strip(" ,.’'")
    if sp.lower() in _BAD_SPEAKERS or len(sp) < 2:
        return None
    return sp


def _sentence_bounds(para: str, start: int, end: int) -> tuple[str, str]:
    """The text of the quote's sentence before its opening mark and after its closing mark."""
    before = para[:start]
    cuts = list(_SENT_END_RE.finditer(before))
    if cuts:
        before = before[cuts[-1].end():]
    after = para[end:]
    m = _SENT_END_RE.search(after)
    if m:
        after = after[: m.start() + 1]
    return before, after


def _speaker(para: str, start: int, end: int) -> tuple[str | None, bool]:
    """(speaker, attributed) for a quote at para[start:end]."""
    before, after = _sentence_bounds(para, start, end)
    if _PRONOUN_AFTER_RE.match(after):
        return None, True
    for rx in _AFTER_RE:
        m = rx.match(after)
        if m and _clean_speaker(m.group("sp")):
            return _clean_speaker(m.group("sp")), True
    for rx in _BEFORE_RE:
        m = rx.search(before)
        if m and _clean_speaker(m.group("sp")):
            return _clean_speaker(m.group("sp")), True
    m = _ACCORDING_RE.search(before + " " + after)
    if m and _clean_speaker(m.group("sp")):
        return _clean_speaker(m.group("sp")), True
    return None, False


def _norm(text: str) -> str:
    return " ".join(words(fold(text)))


def quote_spans(text: str, min_words: int = 5) -> list[tuple[int, int, str, str | None]]:
    """Every quote of ``text`` as ``(start, end, quote, speaker)``, offsets into ``text``
    spanning the quotation marks, in order. A quote of fewer than ``min_words`` words is left
    out; one with no attribution of its own takes the speaker of the quote before it in the
    same paragraph."""
    out: list[tuple[int, int, str, str | None]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        para = line.strip()
        offset = pos + line.index(para[0]) if para else pos
        pos += len(line)
        if not para:
            continue
        prev_speaker: str | None = None
        for m in _QUOTE_RE.finditer(para):
            inner = (m.group(1) or m.group(2) or "").strip()
            quote = inner.rstrip(" ,")
            if len(words(quote)) < min_words:
                continue
            speaker, attributed = _speaker(para, m.start(), m.end())
            if not attributed and prev_speaker:
                speaker = prev_speaker
            prev_speaker = speaker
            out.append((offset + m.start(), offset + m.end(), quote, speaker))
    return out


def find_quotes(articles: list[Article], min_words: int = 5) -> list[Quote]:
    """The quotes of a story's articles, each listed once with every article that has it."""
    found: list[tuple[str, str, str | None, set[int]]] = []  # (key, text, speaker, articles)
    for ai, art in enumerate(articles):
        for _start, _end, text, speaker in quote_spans(art.text, min_words):
            key = _norm(text)
            for k, (key2, _t, sp2, arts) in enumerate(found):
                if key == key2 or (len(key) > 20 and (key in key2 or key2 in key)):
                    arts.add(ai)
                    if sp2 is None and speaker:
                        found[k] = (key2, _t, speaker, arts)
                    break
            else:
                found.append((key, text, speaker, {ai}))
    return [Quote(text, speaker, [articles[a].id for a in sorted(arts)])
            for _k, text, speaker, arts in found]
