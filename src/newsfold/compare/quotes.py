"""Quotes: text between quotation marks (five words or more) with a speaker when stated.

The speaker comes from the attribution next to the quote in the same sentence: ``“…,” X said``,
``“…,” said X``, ``X said: “…”``, ``X said the plan was “…”`` (a partial quote in reported
speech), ``according to X``, with the usual speech verbs ("told", "replied", "declares",
"tweeted"...). X is a proper name, kept whole across titles and initials ("Rep. Bobby Scott",
"Robert P. Casey Jr."), possibly after its role in lower case ("White House press secretary Josh
Earnest"), or a noun phrase ending in a role ("a senior administration official"). A pronoun
("he said"), a weekday or a lone title gives no speaker. A quote with no attribution that
directly follows an attributed quote in the same paragraph inherits its speaker. The same quote
in several articles is listed once with every article.
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
_VERB = (r"(?:said|says|added|adds|told|tells|stated|states|wrote|writes|explained|explains|"
         r"insisted|insists|warned|warns|noted|notes|declared|declares|asked|asks|replied|"
         r"replies|responded|responds|acknowledged|acknowledges|argued|argues|claimed|claims|"
         r"recalled|recalls|continued|tweeted|posted|announced|announces|admitted|admits|"
         r"conceded|concedes|countered|counters|observed|remarked|shot back|fired back|"
         r"interjected|quipped|joked|concluded|pointed out|went on)")
_AFTER_RE = [
    re.compile(rf"^\s*[,—–-]?\s*{_SPEAKER}(?:,[^,]{{1,60}},)?\s+{_VERB}\b"),
    re.compile(rf"^\s*[,—–-]?\s*{_VERB}\s+{_SPEAKER}"),
    re.compile(rf"^\s*[,—–-]?\s*(?:[A-Z][\w’'.-]*\s+){{0,3}}(?:[a-z][\w’'-]*\s+){{1,3}}"
               rf"(?P<sp>{_NAME})(?:,[^,]{{1,60}},)?\s+{_VERB}\b"),
    re.compile(rf"^\s*[,—–-]?\s*{_VERB}\s+(?:[A-Z][\w’'.-]*\s+){{0,3}}(?:[a-z][\w’'-]*\s+){{1,3}}"
               rf"(?P<sp>{_NAME})"),
]
_BEFORE_RE = [
    re.compile(rf"{_SPEAKER}(?:,[^,]{{1,60}},)?\s+{_VERB}(?:\s+\w+)?(?:\s+that)?\s*[,:]?\s*$"),
    re.compile(rf"{_SPEAKER}(?:,[^,]{{1,60}},)?\s+{_VERB}\b[^.!?“”\"]{{0,150}}$"),
    re.compile(rf"\baccording to\s+{_SPEAKER}[^“\"]*$", re.IGNORECASE),
]
_ACCORDING_RE = re.compile(rf"\baccording to\s+{_SPEAKER}")
_AFTER_NP_RE = re.compile(
    rf"^\s*[,—–-]?\s*(?P<sp>(?:the|a|an)\s+(?:[\w’'-]+\s+){{0,3}}?[a-z][\w’'-]+"
    rf"|[A-Z][\w’'-]*[’']s\s+[a-z][\w’'-]+)\s+{_VERB}\b")
"""Right after the quote, any noun phrase that speaks: "“…,” the investor said"."""
_SENTENCE_FINAL_RE = re.compile(rf",\s*{_SPEAKER}\s+{_VERB}\b[^,“”\"]{{0,60}}[.!?]?\s*$")
"""The sentence's closing attribution: "Obama “felt a moral obligation” to act, Axelrod said."."""
_PRONOUN_AFTER_RE = re.compile(
    rf"^\s*[,—–-]?\s*(?:he|she|they|it|we|i)\s+{_VERB}\b|^\s*[,—–-]?\s*{_VERB}\s+(?:he|she)\b",
    re.IGNORECASE,
)
_ABBREVIATIONS = ("Rep", "Sen", "Gov", "Gen", "Lt", "Col", "Capt", "Sgt", "Adm", "Dr", "Mr",
                  "Mrs", "Ms", "Jr", "Sr", "St", "Prof", "Rev", "Hon", "Pres", "Atty", "Supt")
_SENT_END_RE = re.compile(
    "".join(rf"(?<!\b{abbr})" for abbr in _ABBREVIATIONS)
    + r"(?<!\b[A-Z])[.!?]\s+(?=[A-Z“\"])")
"""A sentence end: not the period of a title ("Sen.") or of an initial ("Robert P. Casey")."""
_BAD_SPEAKERS = {"but", "and", "the", "it", "this", "that", "in", "on", "he", "she", "they",
                 "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                 "today", "yesterday", "rep", "sen", "gov", "mr", "mrs", "ms", "dr"}
_LEADING = re.compile(r"^(?:As|When|After|While|If|But|And|So|Then|Also|Asked|Earlier|Later)\s+")
"""Sentence words a capitalised run can start with that are not part of the name."""


def _clean_speaker(sp: str | None) -> str | None:
    if not sp:
        return None
    sp = _LEADING.sub("", sp.strip(" ,’'")).rstrip(" ,.’'")
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
    for rx, text in ((_AFTER_NP_RE, after), (_SENTENCE_FINAL_RE, after)):
        m = rx.search(text)
        if m and _clean_speaker(m.group("sp")):
            return _clean_speaker(m.group("sp")), True
    return None, False


def _norm(text: str) -> str:
    return " ".join(words(fold(text)))


def quote_spans(text: str, min_words: int = 5) -> list[tuple[int, int, str, str | None]]:
    """Every quote of ``text`` as ``(start, end, quote, speaker)``, offsets into ``text``
    spanning the quotation marks, in order. A quote of fewer than ``min_words`` words is left
    out (its attribution still counts); one with no attribution of its own takes the speaker of
    the quote before it in the same paragraph."""
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
            speaker, attributed = _speaker(para, m.start(), m.end())
            if len(words(quote)) < min_words:
                if attributed:  # a short quote still names who goes on speaking
                    prev_speaker = speaker
                continue
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
