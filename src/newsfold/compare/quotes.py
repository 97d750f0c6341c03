"""Quotes: text between quotation marks (five words or more) with the speaker the text gives it.

A quote is found between double marks (“…”, "…", or a straight mark closed by a curly one), the
New York Times' two apostrophes (''…''), or single marks (‘…’) outside a double quote (as in
headlines). A quote left open at the end of a paragraph runs to its end: by the usual convention
the next paragraph's opening mark continues it.

The speaker comes from the attribution that governs the quote in its own sentence: ``“…,” X
said``, ``“…,” said X``, ``X said: “…”``, ``X said the plan was “…”`` (a partial quote in reported
speech), ``according to X``, ``X told reporters``, ``X tweeted`` and the other speech verbs. X is a
proper name kept whole across titles and initials ("Rep. Bobby Scott", "David C. Smith"), after
any description of its role ("White House press secretary Josh Earnest", "said retired Army Lt.
Gen. Mick Bednarek"), or a noun phrase ("a senior administration official", "the investor"). A
pronoun ("he said") is resolved to the nearest earlier speaker or subject of the article that it
can refer to (a "she" never to a "Mr."), or left empty when none is known; a weekday or a lone
title is never a speaker.

A quote with no attribution of its own takes the speaker of the quote it continues: the previous
piece of the same sentence (``“A,” he said, “B.”``), the quote of the sentence just before
(``X said: “A.” “B.”``), or the quote that the previous paragraph left open. Across any other
sentence it stays without a speaker. The same quote in several articles is listed once with every
article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfold.records import Article, Quote
from newsfold.text import fold, words

__all__ = ["FoundQuote", "find_quotes", "quote_spans", "quotes_of"]

_MARK_RE = re.compile(r"'''|''|[“”\"‘]|’(?![A-Za-z])")
_TITLE_WORDS = (r"(?:Rep|Sen|Gov|Gen|Lt|Col|Capt|Sgt|Adm|Dr|Mr|Mrs|Ms|Jr|Sr|St|Prof|Rev|Hon|"
                r"Pres|Atty|Supt|Maj|Cmdr|Brig)")
_TITLE = rf"{_TITLE_WORDS}\."
_CAP = r"(?:[A-Z][\w’'-]*\.?|[A-Z]\.(?:[A-Z]\.)*)"
"""A capitalised word of a name, or initials ("C.", "G.K.")."""
_NAME = (rf"(?:{_CAP}(?:\s+(?:(?:of|the|de|del|da|van|von|al|bin|le|la)\s+)?{_CAP}){{0,5}}"
         rf"(?:,\s+(?:Jr|Sr)\.?)?)")
_LOWER = r"(?:[a-z$][\w’'$-]*|\d[\w,]*)"
_DESC = rf"(?:(?:{_CAP}|{_LOWER}|[\w’'-]+[’']s)\s+){{0,7}}?"
"""Words describing a name's role before it: "Fight for $15 organizing director"."""
_NOT_IN_NP = (r"(?!(?:that|which|who|whom|whose|could|would|should|will|can|may|might|is|was|are|"
              r"were|be|been|has|have|had|to|in|on|at|with|and|or|but|by|as|about|from|into|"
              r"after|before|during|while|when|where|if|than|then|not|did|does|do|said|says|"
              r"told|it|he|she|they|we|you|i)\b)")
_NP = (rf"(?:(?:the|a|an|one|another|two|three|several|some|many|his|her|their|its|our|"
       rf"these|those)\s+(?:{_NOT_IN_NP}[\w’'$-]+\s+){{0,5}}?{_NOT_IN_NP}[a-zA-Z][\w’'-]*)")
"""A noun phrase: "the investor", "a senior administration official", "the Senate leader"."""
_PRONOUN = r"(?P<pro>he|she|they|we|I|He|She|They|We)"
_VERB_STEMS = (
    "add", "acknowledge", "admit", "advise", "agree", "allege", "announce", "answer", "argue",
    "ask", "assert", "assure", "boast", "brag", "caution", "charge", "claim", "comment",
    "complain", "concede", "conclude", "confirm", "contend", "continue", "counter", "declare",
    "demand", "deny", "describe", "emphasize", "exclaim", "explain", "insist", "joke", "lament",
    "maintain", "mention", "muse", "note", "observe", "offer", "opine", "plead", "pledge",
    "point", "post", "predict", "proclaim", "promise", "protest", "quip", "recall", "recount",
    "remark", "remind", "reply", "respond", "reiterate", "repeat", "retort", "scoff", "shout",
    "snap", "state", "stress", "suggest", "testify", "tweet", "urge", "vow", "warn", "wonder",
    "yell", "sigh", "laugh", "chuckle", "cry", "thunder", "concur", "interject", "caution",
    "question", "clarify", "elaborate", "begin", "tell", "say", "write", "speak")
_IRREGULAR = ("said", "says", "told", "tells", "wrote", "writes", "began", "begins", "spoke",
              "replied", "replies", "cried", "cries", "shot back", "fired back", "went on",
              "chimed in", "cut in", "pointed out", "points out", "put it", "puts it")


def _verb_forms() -> str:
    forms: set[str] = set(_IRREGULAR)
    for stem in _VERB_STEMS:
        if stem in ("say", "tell", "write", "speak", "begin", "point"):
            continue
        base = stem[:-1] if stem.endswith("e") else stem
        forms.update({stem + ("s" if not stem.endswith(("sh", "ch", "s")) else "es"),
                      (stem + "d") if stem.endswith("e") else (stem + "ed"), base + "ing"})
        if stem.endswith("y") and stem[-2] not in "aeiou":
            forms.update({stem[:-1] + "ied", stem[:-1] + "ies"})
        if stem in ("snap", "plead", "quip", "concur"):
            forms.update({stem + stem[-1] + "ed", stem + stem[-1] + "ing"})
    forms.update({"saying", "telling", "writing", "tweeting", "posting", "speaking", "adding"})
    return "(?:" + "|".join(sorted((re.escape(f).replace(r"\ ", r"\s+") for f in forms),
                                   key=len, reverse=True)) + ")"


_VERB = _verb_forms()
_ADV = r"(?:(?:\w+ly|also|later|then|once|still|again|simply|often|even)\s+)?"
_END = r"(?=\s*(?:[,.;:!?)(—–]|$|\s(?:who|whose|on|in|at|during|as|of|from|after|before|to|while|when|last|this|about|via|with|for|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b))"
_LEAD = r"^\s*[,—–-]?\s*"
_AFTER_PRONOUN = [re.compile(rf"{_LEAD}{_PRONOUN}\s+{_ADV}{_VERB}\b"),
                  re.compile(rf"{_LEAD}{_ADV}{_VERB}\s+(?P<pro>he|she)\b")]
_AFTER = [
    re.compile(rf"{_LEAD}{_DESC}(?P<sp>{_NAME})(?:\s*\([^)]{{1,30}}\))?(?:,[^,“”\"]{{1,100}},)?"
               rf"\s+{_ADV}{_VERB}\b"),
    re.compile(rf"{_LEAD}{_ADV}{_VERB}\s+(?:(?:on|in|at)\s+\w+\s+)?{_DESC}(?P<sp>{_NAME}){_END}"),
    re.compile(rf"{_LEAD}(?P<sp>{_NP})(?:,[^,“”\"]{{1,100}},)?\s+{_ADV}{_VERB}\b"),
    re.compile(rf"{_LEAD}{_ADV}{_VERB}\s+(?P<sp>{_NP}){_END}"),
]
_BEFORE_PRONOUN = re.compile(rf"(?:^|[,;:—–]\s*|\b(?:and|but|as|when|because|so)\s+)"
                             rf"{_PRONOUN}\s+{_ADV}(?:{_VERB}|called|calls)\b")
_BEFORE = re.compile(
    rf"(?:(?:^|(?<=[\s(—–]))(?P<sp>{_NAME})|(?:^|(?<=[,;:—–]\s)|(?<=\band\s)|(?<=\bbut\s))"
    rf"(?P<np>{_NP}))(?:\s*\([^)]{{1,30}}\))?(?:,[^,“”\"]{{1,100}},)?"
    rf"\s+{_ADV}(?:(?:has|had|have|was|is|also|would|will)\s+)?"
    rf"(?:{_VERB}|called|calls|labeled|labels|labeling|dubbed|branded|urged|described)\b")
_SENTENCE_FINAL = re.compile(
    rf",\s*(?P<sp>{_NAME}|{_NP})\s+{_ADV}{_VERB}\b[^,“”\"]{{0,60}}[.!?]?\s*$")
"""The sentence's closing attribution: "Obama “felt a moral obligation” to act, Axelrod said."."""
_ACCORDING = re.compile(rf"\baccording to\s+{_DESC}(?P<sp>{_NAME}|{_NP})", re.IGNORECASE)
_COLON = re.compile(rf"^\s*(?P<sp>{_NAME})\s*:\s*$")
"""An interview or headline line: ``Clinton: “…”``."""
_ABBREVIATIONS = ("Rep", "Sen", "Gov", "Gen", "Lt", "Col", "Capt", "Sgt", "Adm", "Dr", "Mr",
                  "Mrs", "Ms", "Jr", "Sr", "St", "Prof", "Rev", "Hon", "Pres", "Atty", "Supt",
                  "Maj", "Cmdr", "Brig", "No", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
                  "Inc", "Corp", "Co", "vs", "Ky", "Va", "Calif", "Fla", "Mich", "Mass")
_SENT_END_RE = re.compile(
    "".join(rf"(?<!\b{abbr})" for abbr in _ABBREVIATIONS)
    + r"(?<!\b[A-Z])[.!?][”\"’']*\s+(?=[A-Z“\"‘'])")
"""A sentence end: not the period of a title ("Sen.") or of an initial ("David C. Smith")."""
_BAD_SPEAKERS = {"but", "and", "the", "it", "this", "that", "in", "on", "he", "she", "they",
                 "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                 "today", "yesterday", "rep", "sen", "gov", "mr", "mrs", "ms", "dr", "i", "we",
                 "there", "here", "what", "who", "which", "if", "so", "then", "now", "a", "an",
                 "his", "her", "their", "its", "one", "some", "many", "these", "those", "you"}
_LEADING = re.compile(
    r"^(?:(?:As|When|After|While|If|But|And|So|Then|Also|Asked|Earlier|Later|Still|Yet|Now|"
    r"Meanwhile|Instead|Indeed|However|Though|Although|Because|Since|Before|Until|In|On|At|"
    r"During|Speaking|Writing|Told|Pressed|Here|There|Last|This|That|Then-)\b[^A-Z]*)+")
"""Words a capitalised run can start a sentence with that are not part of the name."""
_FEMALE = re.compile(r"^(?:Mrs|Ms|Miss|Madam|Madame)\.?\s")
_MALE = re.compile(r"^(?:Mr|Sir)\.?\s")
_FEMALE_FIRST = (
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret "
    "betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa deborah "
    "stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela "
    "nicole ruth katherine samantha christine emma catherine debra virginia rachel carolyn janet "
    "maria heather diane julie joyce victoria kelly christina joan evelyn lauren judith olivia "
    "martha cheryl megan andrea hannah jacqueline ann jean alice kathryn gloria teresa doris sara "
    "janice julia marie madison grace judy theresa beverly denise marilyn amber danielle abigail "
    "brittany rose diana natalie sophia alexis lori kayla jane hillary nikki susana valerie")
_MALE_FIRST = (
    "james robert john michael david william richard joseph thomas charles christopher daniel "
    "matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy "
    "ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin "
    "scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry "
    "tyler aaron jose adam nathan henry douglas zachary peter kyle walter ethan jeremy harold "
    "keith christian roger noah gerald carl terry sean austin arthur lawrence jesse dylan bryan "
    "joe jordan billy bruce albert willie gabriel logan alan juan wayne roy ralph randy eugene "
    "vincent russell elijah louis bobby philip johnny mike bill bob tom jim dan ben ted chris "
    "steve jeff tim")
_FEMALE_NAMES = frozenset(_FEMALE_FIRST.split())
_MALE_NAMES = frozenset(_MALE_FIRST.split())
"""Common US first names, to tell "he" from "she" when no title does."""


@dataclass(slots=True)
class FoundQuote:
    """One quote of an article: offsets of its marks into the text, its words, its speaker, and
    the sentence that attributes it (the quote's own sentence, or the one it continues)."""

    start: int
    end: int
    text: str
    speaker: str | None
    sentence: str


def _clean_speaker(sp: str | None) -> str | None:
    if not sp:
        return None
    sp = sp.strip(" ,’'")
    sp = _LEADING.sub("", sp) if re.match(r"^[A-Z]", sp) else sp
    sp = re.sub(r"\s*\([^)]*\)$", "", sp).rstrip(" ,’'")
    if sp.endswith(".") and not re.search(rf"(?:\b[A-Z]|\b{_TITLE_WORDS})\.$", sp):
        sp = sp[:-1]
    if re.search(r"[’']s?$", sp):
        return None  # a possessive: "Clinton's remarks"
    if sp.lower() in _BAD_SPEAKERS or len(sp) < 2 or not re.search(r"[A-Za-z]{2}", sp):
        return None
    if re.fullmatch(rf"{_TITLE}|[A-Z]\.", sp):
        return None
    return sp


def _pieces(para: str) -> list[tuple[int, int, bool]]:
    """The quotes of a paragraph as ``(start, end, closed)``: offsets spanning their marks; an
    open quote runs to the end of the paragraph."""
    out: list[tuple[int, int, bool]] = []
    opened, kind, nested = -1, "", 0
    for m in _MARK_RE.finditer(para):
        mark = m.group()
        if opened < 0:
            if mark in ("“", '"', "''", "'''"):
                opened = m.start()
                kind = {"“": "curly", '"': "straight"}.get(mark, "nyt")
            elif mark == "‘" and (m.start() == 0 or not para[m.start() - 1].isalnum()):
                opened, kind = m.start(), "single"
            nested = 0
            continue
        if kind == "straight" and mark == "“":
            nested += 1  # a curly quote inside a straight one
            continue
        if kind == "straight" and mark == "”" and nested:
            nested -= 1
            continue
        closes = ((kind in ("curly", "straight") and mark in ("”", '"'))
                  or (kind == "nyt" and mark in ("''", "'''"))
                  or (kind == "single" and mark in ("’", "”")))
        if kind == "curly" and mark == "“" and not para[m.end():m.end() + 1].isalnum():
            closes = True  # a misprinted closing mark: “Frozen“
        if closes:
            out.append((opened, m.end(), True))
            opened = -1
        elif kind == "curly" and mark == "“":
            out.append((opened, m.start(), False))  # never closed; a new quote opens
            opened = m.start()
    if opened >= 0:
        out.append((opened, len(para.rstrip()), False))
    return out


def _masked(para: str, pieces: list[tuple[int, int, bool]]) -> str:
    """The paragraph with the words of its quotes hidden, so that a sentence end inside a quote
    is not one of the paragraph; a quote's own final stop is kept."""
    chars = list(para)
    for start, end, _closed in pieces:
        inner = para[start + 1:end - 1].rstrip()
        keep = start + 1 + len(inner) - 1 if inner and inner[-1] in ".!?" else -1
        for i in range(start + 1, end - 1):
            if i != keep and not chars[i].isspace():
                chars[i] = "x"
    return "".join(chars)


def _sentence_bounds(masked: str, start: int, end: int) -> tuple[int, int, bool]:
    """Where the sentence holding the quote ``masked[start:end]`` begins and ends, and whether
    the quote ends it ("“… .” Next sentence")."""
    lo, hi = 0, len(masked)
    for m in _SENT_END_RE.finditer(masked):
        if m.end() <= start:
            lo = m.end()
        elif m.start() < end:
            if m.start() > start and m.end() >= end:
                return lo, end, True
        else:
            hi = m.start() + 1
            break
    return lo, hi, False


def _name_or_none(m: re.Match[str] | None) -> tuple[str | None, bool, str | None]:
    if not m:
        return None, False, None
    groups = m.groupdict()
    if groups.get("pro"):
        return None, True, groups["pro"].lower()
    sp = _clean_speaker(groups.get("sp") or groups.get("np"))
    return (sp, True, None) if sp else (None, False, None)


def _attribution(after: str, before: str, next_sentence: str, ends_sentence: bool
                 ) -> tuple[str | None, bool, str | None]:
    """(speaker, attributed, pronoun) from the text of the quote's sentence after and before it.
    When the quote ends its own sentence ("“… ?” Clinton asks"), the next sentence attributes
    it only if it begins with the attribution and says little else."""
    if ends_sentence:
        after = next_sentence if re.match(
            rf"{_LEAD}(?:{_ADV}{_VERB}\b[^.]{{0,70}}[.!?]?\s*$|[^.]{{0,80}}\b{_VERB}\b"
            rf"(?:\s+[^\s.]+){{0,5}}[.!?]?\s*$)", next_sentence) else ""
    for rx in _AFTER_PRONOUN:
        found = _name_or_none(rx.match(after))
        if found[1]:
            return found
    for rx in _AFTER:
        found = _name_or_none(rx.match(after))
        if found[1]:
            return found
    found = _name_or_none(_COLON.match(before))
    if found[1]:
        return found
    pro = list(_BEFORE_PRONOUN.finditer(before))
    named = [m for m in _BEFORE.finditer(before) if _clean_speaker(m.group("sp") or m.group("np"))]
    if pro and (not named or pro[-1].start() > named[-1].start()):
        return None, True, pro[-1].group("pro").lower()
    if named:
        return _name_or_none(named[-1])
    m = _ACCORDING.search(before + " " + after)
    if m:
        return _name_or_none(m)
    return _name_or_none(_SENTENCE_FINAL.search(after))


def _gender(name: str) -> str | None:
    if _FEMALE.match(name):
        return "f"
    if _MALE.match(name):
        return "m"
    first = re.sub(rf"^(?:{_TITLE}\s+)+", "", name).split()
    if first and first[0].lower() in _FEMALE_NAMES:
        return "f"
    if first and first[0].lower() in _MALE_NAMES:
        return "m"
    return None


class _People:
    """The people an article has named so far, to resolve "he" and "she": each surname with its
    fullest name and gender, the last one mentioned first."""

    _PERSON_RE = re.compile(
        rf"\b(?:(?P<title>{_TITLE})\s+|(?P<first>[A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?)"
        rf"(?P<last>[A-Z][a-z’'-]+(?:-[A-Z][a-z]+)?)\b")

    def __init__(self) -> None:
        self.gender: dict[str, str | None] = {}
        self.full: dict[str, str] = {}
        self.recent: list[str] = []  # surnames, most recent last

    def see(self, name: str, he_she: str | None = None) -> None:
        surname = name.split()[-1]
        if not surname[:1].isupper() or not re.search("[a-z]", surname):
            return
        if len(name.split()) > len(self.full.get(surname, "").split()):
            self.full[surname] = name
        g = _gender(name) or ({"he": "m", "she": "f"}.get(he_she or ""))
        if g:
            self.gender[surname] = g
        else:
            self.gender.setdefault(surname, None)
        if surname in self.recent:
            self.recent.remove(surname)
        self.recent.append(surname)

    def see_text(self, text: str) -> None:
        """Note the people named in a stretch of text (titled or first-and-last names)."""
        for m in self._PERSON_RE.finditer(text):
            first = m.group("first")
            if first and (first in ("The", "In", "But", "And", "When", "As", "At", "If", "On")
                          or first.lower() not in _FEMALE_NAMES | _MALE_NAMES):
                continue
            self.see(m.group(0))

    def resolve(self, pronoun: str, speakers: list[str]) -> str | None:
        """The person "he" or "she" most likely means: the last speaker named, else the last
        person named, whose gender is not known to differ."""
        if pronoun not in ("he", "she"):
            return None
        want = "m" if pronoun == "he" else "f"
        for name in reversed(speakers):
            g = self.gender.get(name.split()[-1], _gender(name))
            if g in (want, None):
                return name
            break
        for surname in reversed(self.recent[-3:]):
            if self.gender.get(surname) in (want, None):
                return self.full.get(surname, surname)
        return None


def quotes_of(text: str, min_words: int = 5) -> list[FoundQuote]:
    """Every quote of ``text`` in order, with its speaker and attributing sentence. A quote of
    fewer than ``min_words`` words is left out (its attribution still counts for the quotes that
    continue it)."""
    out: list[FoundQuote] = []
    people = _People()
    speakers: list[str] = []  # named speakers so far, most recent last
    pos = 0
    open_speaker: tuple[bool, str | None] | None = None  # a quote left open by the last paragraph
    for line in text.splitlines(keepends=True):
        para = line.strip()
        offset = pos + line.index(para[0]) if para else pos
        pos += len(line)
        if not para:
            continue
        pieces = _pieces(para)
        masked = _masked(para, pieces)
        prev: tuple[int, bool, str | None, str] | None = None  # (sentence end, attributed, ...)
        if open_speaker is not None and pieces and pieces[0][0] == 0:
            prev = (0, open_speaker[0], open_speaker[1], "")
        open_speaker = None
        seen_to = 0
        for start, end, closed in pieces:
            lo, hi, ends_sentence = _sentence_bounds(masked, start, end)
            people.see_text(_strip_quotes(para[seen_to:start], pieces))
            seen_to = max(seen_to, end)
            inner = para[start:end].strip("“”\"‘’' ")
            quote = inner.rstrip(" ,")
            nxt = ""
            if ends_sentence:
                m = _SENT_END_RE.search(masked, end)
                nxt = masked[end:m.start() + 1] if m else masked[end:]
            speaker, attributed, pronoun = _attribution(
                masked[end:hi] if not ends_sentence else "", masked[lo:start], nxt, ends_sentence)
            if pronoun:
                speaker = people.resolve(pronoun, speakers)
                if speaker:
                    people.see(speaker, pronoun)
            elif speaker:
                people.see(speaker)
                if re.match(r"[A-Z]", speaker):
                    speakers.append(speaker)
            sentence = para[lo:max(hi, end)].strip()
            if not attributed and prev is not None and _continues(masked, prev[0], lo, start):
                attributed, speaker, sentence = prev[1], prev[2], prev[3] or sentence
            if attributed:
                prev = (max(hi, end), True, speaker, sentence)
            elif prev is not None and not _continues(masked, prev[0], lo, start):
                prev = None
            if not closed and end >= len(para.rstrip()) - 1:
                open_speaker = (attributed, speaker) if attributed else None
            if len(words(quote)) < min_words:
                continue
            out.append(FoundQuote(offset + start, offset + end, quote, speaker, sentence))
        people.see_text(_strip_quotes(para[seen_to:], pieces))
        if para.endswith(":") and open_speaker is None:
            # "Caddell continued:" introduces the quote that opens the next paragraph
            lo = max((m.end() for m in _SENT_END_RE.finditer(masked)), default=0)
            speaker, attributed, pronoun = _attribution("", masked[lo:], "", False)
            if pronoun:
                speaker = people.resolve(pronoun, speakers)
            if attributed:
                open_speaker = (True, speaker)
    return out


def _strip_quotes(text: str, _pieces: list[tuple[int, int, bool]]) -> str:
    return re.sub(r"[“\"‘][^”\"’]*[”\"’]?", " ", text)


def _continues(masked: str, prev_end: int, lo: int, start: int) -> bool:
    """Whether a quote whose sentence starts at ``lo`` continues the attributed quote whose
    sentence ended at ``prev_end``: it is in that sentence, or opens the very next one."""
    return lo < prev_end or not masked[prev_end:start].strip()


def quote_spans(text: str, min_words: int = 5) -> list[tuple[int, int, str, str | None]]:
    """Every quote of ``text`` as ``(start, end, quote, speaker)``, offsets into ``text``
    spanning the quotation marks, in order (see :func:`quotes_of`)."""
    return [(q.start, q.end, q.text, q.speaker) for q in quotes_of(text, min_words)]


def _norm(text: str) -> str:
    return " ".join(words(fold(text)))


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
