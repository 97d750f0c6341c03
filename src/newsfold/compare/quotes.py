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
(``X said: “A.” “B.”``) or of one followed only by sentences about the same speaker, the quote that
the previous paragraph left open, or the one it ended on when the new paragraph opens with a
sentence that is the quote alone. Across any other sentence it stays without a speaker. The same
quote in several articles is listed once with every article. See docs/quotes.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfold.records import Article, Quote
from newsfold.text import fold, words
from newsfold.words import NOT_PERSON_WORDS, NOT_SPEAKERS

__all__ = ["FoundQuote", "find_quotes", "quote_spans", "quotes_of"]

_STOPS = ".!?"
"""The marks that end a sentence of quoted speech and its attribution: no ellipsis, unlike
:data:`newsfold.text.END_MARK`, as in a quote it marks words left out and the sentence goes on."""
_MARK_RE = re.compile(r"'''|''|[“”\"‘]|’(?![A-Za-z])")
_TITLE_ABBREVIATIONS = ("Rep", "Sen", "Gov", "Gen", "Lt", "Col", "Capt", "Sgt", "Adm", "Dr", "Mr",
                        "Mrs", "Ms", "Jr", "Sr", "St", "Prof", "Rev", "Hon", "Pres", "Atty",
                        "Supt", "Maj", "Cmdr", "Brig")
"""Abbreviated titles, whose full stop is part of a name ("Sen. Jim Webb"), and "Jr"/"Sr";
narrower than :data:`newsfold.text.TITLE_ABBREVIATIONS`, which splits sentences."""
_TITLE_WORDS = f"(?:{'|'.join(_TITLE_ABBREVIATIONS)})"
_TITLE = rf"{_TITLE_WORDS}\."
_CAP = (r"(?!(?:He|She|It|They|We|I|His|Her|Its|Their|The|This|That|But|And)\b)"
        r"(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][\w’'-]*\.?)")
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
_NP = (rf"(?:(?i:the|a|an|one|another|two|three|several|some|many|his|her|their|its|our|this|"
       rf"these|those)\s+(?:{_NOT_IN_NP}(?:[A-Z]\.)+\s+|{_NOT_IN_NP}[\w’'$-]+\s+){{0,5}}?{_NOT_IN_NP}[a-zA-Z][\w’'-]*"
       rf"|{_NAME}[’']s\s+(?:{_NOT_IN_NP}[a-z][\w-]*\s+){{0,2}}{_NOT_IN_NP}[a-z][\w-]*)")
"""A noun phrase: "the investor", "a senior administration official", "the Senate leader",
"Mrs. Clinton's campaign"."""
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
    "fume", "gush", "marvel", "grumble", "mutter", "whisper", "scream", "rage", "crow",
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
_ADV = (r"(?:(?:himself|herself|themselves|itself)\s+)?"
        r"(?:(?:\w+ly|also|later|then|once|still|again|simply|often|even|now)\s+)?")
_END = r"(?=\s*(?:[,.;:!?)(—–]|$|\s(?:who|whose|on|in|at|during|as|of|from|after|before|to|while|when|last|this|about|via|with|for|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b))"
_LEAD = r"^\s*[,—–-]?\s*"
_AFTER_PRONOUN = [re.compile(rf"{_LEAD}{_PRONOUN}\s+{_ADV}{_VERB}\b"),
                  re.compile(rf"{_LEAD}{_ADV}{_VERB}\s+(?P<pro>he|she)\b")]
_AFTER = [
    re.compile(rf"{_LEAD}{_DESC}(?P<sp>{_NAME})(?:\s*\([^)]{{1,30}}\))?(?:,[^“”\"]{{1,100}}?,)?"
               rf"\s+{_ADV}{_VERB}\b"),
    re.compile(rf"{_LEAD}{_ADV}{_VERB}\s+{_DESC}(?P<sp>{_NAME}){_END}"),
    re.compile(rf"{_LEAD}(?P<sp>{_NP})(?:,[^,“”\"]{{1,100}},)?\s+{_ADV}{_VERB}\b"),
    re.compile(rf"{_LEAD}{_ADV}{_VERB}\s+(?P<sp>{_NP}){_END}"),
]
_BEFORE_PRONOUN = re.compile(rf"(?:^|[,;:—–]\s*|(?<=[{_STOPS}]\s)|\b(?i:and|but|as|when|because|so)\s+)"
                             rf"{_PRONOUN}\s+{_ADV}(?:{_VERB}|called|calls)\b")
_NOT_AFTER = "".join(rf"(?<!\b{w} )" for w in ("in", "of", "Of", "at", "on", "to", "from", "with",
                                                 "by", "for", "In", "At", "On", "From", "For"))
"""Not right after a preposition: the name there is a place or an object, not the speaker."""
_BEFORE = re.compile(
    rf"(?:(?:^|(?<=[\s(—–])){_NOT_AFTER}(?!(?:Of|From|For|With|By|Former)\b)(?P<sp>{_NAME})|(?:^|(?<=[,;:—–]\s)|(?<=\band\s)|(?<=\bbut\s))"
    rf"(?P<np>{_NP}))(?:\s*\([^)]{{1,30}}\))?(?:,[^“”\"]{{1,100}}?,)?"
    rf"\s+{_ADV}(?:(?:has|had|have|was|is|also|would|will)\s+)?"
    rf"(?:{_VERB}|called|calls|labeled|labels|labeling|dubbed|branded|urged|described)\b")
_SENTENCE_FINAL = re.compile(
    rf",\s*(?:(?P<sp>{_NAME}|{_NP})\s+{_ADV}{_VERB}\b[^,“”\"]{{0,60}}[{_STOPS}]?\s*$"
    rf"|{_VERB}\s+{_DESC}(?P<np>{_NAME}){_END})")
"""The sentence's closing attribution: "Obama “felt a moral obligation” to act, Axelrod said."."""
_STANCE = (r"(?:called|calls|described|describes|labeled|labels|dubbed|branded|praised|praises|"
           r"condemned|condemns|criticized|criticizes|slammed|slams|blasted|blasts|accused|"
           r"accuses|defended|defends|dismissed|dismisses|mocked|mocks|hailed|hails|touted|"
           r"touts|cited|cites|expressed|expresses|echoed|echoes|attacked|attacks|rejected|"
           r"rejects|derided|derides|decried|decries|characterized|characterizes|likened|"
           r"likens|compared|compares|referred\s+to|refers\s+to|apologized|apologizes|"
           r"thanked|thanks|invoked|invokes|quoted|quotes|vowed|vows|pledged|pledges)")
"""Verbs whose subject, at the start of the sentence, owns a partial quote later in it."""
_COLON_SUBJECT = re.compile(
    rf"^\s*(?:[^,:]{{0,80}},\s+)?(?P<sp>{_NAME})(?:\s*\([^)]{{1,30}}\))?"
    rf"(?:,[^,“”\":]{{1,100}},)?\s+{_ADV}(?:(?:has|had|have|was|is|also|would|will)\s+)?"
    rf"[a-z]\w+\b[^“”\":.]{{0,60}}:\s*$")
"""The subject of a clause that introduces the quote after a colon: "Trump went further: “…”"."""
_ACCORDING = re.compile(rf"\baccording to\s+{_DESC}(?P<sp>{_NAME}|{_NP})", re.IGNORECASE)
_COLON = re.compile(rf"^\s*(?P<sp>{_NAME})\s*:\s*$")
"""An interview or headline line: ``Clinton: “…”``."""
_ABBREVIATIONS = (*_TITLE_ABBREVIATIONS, "No", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
                  "Inc", "Corp", "Co", "vs", "Ky", "Va", "Calif", "Fla", "Mich", "Mass")
_SENT_END_RE = re.compile(
    r"(?:[!?]|\.(?<!\b[A-Z]\.)" + "".join(rf"(?<!\b{abbr}\.)" for abbr in _ABBREVIATIONS)
    + r")[”\"’']*\s+(?=[A-Z“\"‘'])"
    r"|(?<=\b[A-Z]\.[A-Z])\.\s+(?=(?:He|She|It|They|We|The|But|And|In|This|That|I)\s)")
"""A sentence end: not the period of a title ("Sen.") or of an initial ("David C. Smith"), but
that of "U.S." before "He" or "The"."""
_NOT_NAMES = frozenset(["of", "from", "or", "former", "each", "for", "with", "to", "by", "as",
                        "than", "once", "also", "after", "before", "alongside", "among",
                        "besides", "beyond", "despite", "like", "unlike", "via", "within"])
"""Capitalised words that begin a sentence, never a name: "Of Carson, …", "Former"."""
_LEADING = re.compile(
    r"^(?:(?:As|When|After|While|If|But|And|So|Then|Also|Asked|Earlier|Later|Still|Yet|Now|"
    r"Meanwhile|Instead|Indeed|However|Though|Although|Because|Since|Before|Until|In|On|At|"
    r"During|Speaking|Writing|Told|Pressed|Here|There|Last|This|That|Then-|Is|Are|Was|Were|"
    r"Do|Does|Did|Has|Have|Will|Would|Can|Could|Should|What|Why|How|Who|Where)\b[^A-Z]*)+")
"""Words a capitalised run can start a sentence with that are not part of the name."""
_SUBJECT = re.compile(
    rf"^\s*(?:{_LEADING.pattern[1:]})?(?:[^,]{{0,80}},\s+)?(?P<sp>{_NAME}|{_NP})"
    rf"(?:\s*\([^)]{{1,30}}\))?(?:,[^,“”\"]{{1,100}},)?\s+{_ADV}"
    rf"(?:(?:has|had|have|was|also|would|will)\s+)?"
    rf"(?:{_STANCE}\b|(?!(?:his|its|this|was|has|is|as|us|thus|plus)\b)[a-z]\w+(?:ed|s)\b[^“”\"]{{0,120}}?(?:,\s+|\s+(?:and|but)\s+(?:\w+ly\s+|now\s+)?)"
    rf"(?:{_VERB})\b)")
"""The subject of the sentence owning the quote: "Mrs. Warren praised her, saying she had “…”"."""
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
    sp = re.sub(r"^[A-Z][\w.]*[’']s\s+(?=[A-Z])", "", sp)  # "Commentary’s Noah Rothman"
    while re.match(r"[A-Z]\w*(?:\s+[A-Z]|$)", sp) and sp.split()[0].lower() in _NOT_NAMES:
        sp = sp.split(None, 1)[1] if " " in sp else ""  # "Of Carson", "Former", "Or"
    if sp.endswith(".") and not re.search(rf"(?:\b[A-Z]|\b{_TITLE_WORDS})\.$", sp):
        sp = sp[:-1]
    if re.search(r"[’']s?$", sp):
        return None  # a possessive: "Clinton's remarks"
    if sp.lower() in NOT_SPEAKERS or len(sp) < 2 or not re.search(r"[A-Za-z]{2}", sp):
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


def _sentence_bounds(ends: list[tuple[int, int]], length: int, start: int, end: int
                     ) -> tuple[int, int, bool]:
    """Where the sentence holding the quote ``[start:end]`` of a paragraph begins and ends, and
    whether the quote ends it ("“… .” Next sentence"), from the paragraph's sentence ends
    (``(stop, next start)`` pairs)."""
    lo, hi = 0, length
    for stop, nxt in ends:
        if nxt <= start:
            lo = nxt
        elif stop < end:
            if stop > start and nxt >= end:
                return lo, end, True
        else:
            hi = stop + 1
            break
    return lo, hi, False


_PREPOSITION = re.compile(
    r"\b(?:in|at|on|to|from|of|for|with|by|near|about|into|across|outside|inside|over|than|"
    r"through|toward|towards|against|like|after|before|since|during)\s+(?:the\s+)?$",
    re.IGNORECASE)


def _name_or_none(m: re.Match[str] | None, object_ok: bool = False
                  ) -> tuple[str | None, bool, str | None]:
    """(speaker, attributed, pronoun) from a match of an attribution pattern. A name right after
    a preposition ("a town hall in Columbus, Ohio, said") is a place or an object, not the
    speaker, unless the pattern means it (``according to X``)."""
    if not m:
        return None, False, None
    groups = m.groupdict()
    if groups.get("pro"):
        return None, True, groups["pro"].lower()
    group = "sp" if groups.get("sp") else "np"
    if not object_ok and groups.get(group) and _PREPOSITION.search(m.string[:m.start(group)]):
        return None, False, None
    sp = _clean_speaker(groups.get(group))
    return (sp, True, None) if sp else (None, False, None)


def _attribution(after: str, before: str, next_sentence: str, ends_sentence: bool,
                 asks: bool = False) -> tuple[str | None, bool, str | None]:
    """(speaker, attributed, pronoun) from the text of the quote's sentence after and before it.
    When the quote ends its own sentence, the next sentence attributes it if the quote ``asks``
    or exclaims and the sentence begins with the attribution ("“… ?” Clinton asks as …"), or if
    it begins with the attribution and says little else ("“… .” Trump said on Monday.")."""
    if ends_sentence:
        after = next_sentence if asks or re.match(
            rf"{_LEAD}(?:{_ADV}{_VERB}\b[^.]{{0,70}}[{_STOPS}]?\s*$|[^.]{{0,80}}\b{_VERB}\b"
            rf"(?:\s+[^\s.]+){{0,5}}[{_STOPS}]?\s*$)", next_sentence) else ""
    for rx in (*_AFTER_PRONOUN, *_AFTER):
        found = _name_or_none(rx.match(after))
        if found[1]:
            return found
    found = _name_or_none(_COLON.match(before))
    if found[1]:
        return found
    pro = list(_BEFORE_PRONOUN.finditer(before))
    named = [m for m in _BEFORE.finditer(before) if _name_or_none(m)[0]]
    if pro and (not named or pro[-1].start() > named[-1].start()):
        return None, True, pro[-1].group("pro").lower()
    if named:
        return _name_or_none(named[-1])
    m = _ACCORDING.search(before + " " + after)
    if m:
        return _name_or_none(m, object_ok=True)
    found = _name_or_none(_SENTENCE_FINAL.search(after))
    if found[1]:
        return found
    found = _name_or_none(_SUBJECT.match(before))
    if found[1]:
        return found
    return _name_or_none(_COLON_SUBJECT.match(before))


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


_MENTION_RE = re.compile(
    rf"(?:^|(?<=[{_STOPS}]\s)|(?<=[{_STOPS}][”\"’']\s)|(?<=[,;:]\s))(?:{_LEADING.pattern[1:]})?"
    rf"(?P<sp>{_NAME})(?:\s*\([^)]{{1,30}}\))?(?:,[^,“”\"]{{1,100}}?,)?\s+{_ADV}"
    rf"(?:(?:has|had|have|was|is|also|would|will|did|does|could)\s+)?[a-z]\w+")
"""A name as the subject of a clause: a sentence's subject or the speaker of any verb."""
_PERSON_RE = re.compile(
    rf"\b(?:{_TITLE}\s+(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s+)?|(?:[A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?)"
    rf"[A-Z][a-z’'-]+(?:-[A-Z][a-z]+)?\b(?![’']s)")
"""A person's name with a title or a first name, which can tell the person's gender."""
_SPEECH_END = re.compile(rf"\b{_VERB}$")
_PRONOUN_NEXT = re.compile(r"\s+(?:that\s+)?(he|she|He|She)\b")
"""A pronoun right after a subject's verb ("Fields said she"), which tells its gender."""
_TITLE_END = re.compile(rf"(?:\b[A-Z]|\b{_TITLE_WORDS})\.\s+$")
"""Text ending in a title or an initial: what follows is the rest of a name."""
_DETERMINER = ("the a an several some many other others both all most few two three four five "
               "each every no any this these those")
_DETERMINERS = frozenset(_DETERMINER.split())


class _People:
    """The people an article names, in order, to resolve "he" and "she": each surname with its
    fullest name and gender when a title or first name tells it."""

    def __init__(self) -> None:
        self.gender: dict[str, str | None] = {}
        self.full: dict[str, str] = {}
        self.person: set[str] = set()
        # (paragraph, offset, surname, the name as written there)
        self.mentions: list[tuple[int, int, str, str]] = []

    def note(self, name: str, para: int, pos: int, he_she: str | None = None,
             speaker: bool = False) -> None:
        """Note that ``name`` is mentioned as a subject (or ``speaker``) at ``pos`` of
        paragraph ``para``; ``he_she`` is a pronoun known to refer to it."""
        parts = name.split()
        surname = parts[-1].rstrip(".,")
        if (not surname[:1].isupper() or not re.search("[a-z]", surname)
                or surname.lower() in NOT_PERSON_WORDS or surname.lower() in NOT_SPEAKERS):
            return
        if len(parts) > len(self.full.get(surname, "").split()):
            self.full[surname] = name
        g = _gender(name) or {"he": "m", "she": "f"}.get(he_she or "")
        if g:
            self.gender[surname] = g
            self.person.add(surname)
        else:
            self.gender.setdefault(surname, None)
        if speaker or len(parts) > 1:
            self.person.add(surname)  # a speaker, or a full name, that is no organisation
        self.mentions.append((para, pos, surname, name))

    def note_paragraph(self, masked: str, para: int) -> None:
        """Note the names that are subjects of a clause in a paragraph (quotes masked), and
        the people it names anywhere with a title or a known first name."""
        for m in _PERSON_RE.finditer(masked):
            name = m.group(0)
            surname = name.split()[-1]
            if surname.lower() not in NOT_PERSON_WORDS and _gender(name):
                self.gender[surname] = _gender(name)
                self.person.add(surname)
                if len(name.split()) > len(self.full.get(surname, "").split()):
                    self.full[surname] = name
        for m in _MENTION_RE.finditer(masked):
            subject = _clean_speaker(m.group("sp"))
            before = masked[:m.start("sp")]
            if (subject and not _PREPOSITION.search(before) and not _TITLE_END.search(before)
                    and subject.split()[0].lower() not in _DETERMINERS):
                he_she = _PRONOUN_NEXT.match(masked, m.end())
                self.note(subject, para, m.start("sp"), he_she.group(1).lower() if he_she else None,
                          speaker=_SPEECH_END.search(m.group(0)) is not None)

    def resolve(self, pronoun: str, para: int, pos: int) -> str | None:
        """The person "he" or "she" at ``pos`` of paragraph ``para`` most likely means: the
        last person named as a subject or speaker in this or the two paragraphs before, whose
        gender is not known to differ; none when there is no such person."""
        if pronoun not in ("he", "she"):
            return None
        want = "m" if pronoun == "he" else "f"
        for p, at, surname, written in reversed(self.mentions):
            if (p, at) >= (para, pos):
                continue
            if p < para - 2:
                break
            if surname in self.person and self.gender.get(surname) in (want, None):
                # a full name as written ("Eric Trump"), else the fullest seen for the surname
                untitled = re.sub(rf"^(?:{_TITLE}\s+)+", "", written)
                return written if len(untitled.split()) > 1 else self.full.get(surname, surname)
        return None


def quotes_of(text: str, min_words: int = 5) -> list[FoundQuote]:
    """Every quote of ``text`` in order, with its speaker and attributing sentence. A quote of
    fewer than ``min_words`` words is left out (its attribution still counts for the quotes that
    continue it)."""
    out: list[FoundQuote] = []
    if not _MARK_RE.search(text):
        return out
    people = _People()
    pos = 0
    # the speaker of a quote the last paragraph left open, or ended on
    open_speaker: tuple[bool, str | None] | None = None
    open_sentence, open_carried = "", False
    pi = 0  # the paragraph's number, blank lines left out
    for line in text.splitlines(keepends=True):
        para = line.strip()
        offset = pos + line.index(para[0]) if para else pos
        pos += len(line)
        if not para:
            continue
        pi += 1
        pieces = _pieces(para)
        masked = _masked(para, pieces)
        ends = [(m.start(), m.end()) for m in _SENT_END_RE.finditer(masked)] if pieces else []
        people.note_paragraph(masked, pi)
        # the quote before: (its sentence's end, attributed, speaker, sentence)
        prev: tuple[int, bool, str | None, str] | None = None
        carried = False  # prev is the last paragraph's closing quote, not one left open
        if open_speaker is not None and pieces and pieces[0][0] == 0:
            prev = (0, open_speaker[0], open_speaker[1], open_sentence)
            carried = open_carried
        open_speaker, open_sentence, open_carried = None, "", False
        for start, end, closed in pieces:
            lo, hi, ends_sentence = _sentence_bounds(ends, len(masked), start, end)
            inner = para[start:end].strip("“”\"‘’' ")
            quote = inner.rstrip(" ,")
            nxt = ""
            if ends_sentence:
                stop = next((a for a, _b in ends if a >= end), len(masked) - 1)
                nxt = masked[end:stop + 1]
            speaker, attributed, pronoun = _attribution(
                masked[end:hi] if not ends_sentence else "", masked[lo:start], nxt, ends_sentence,
                asks=quote.rstrip("”\"’' ").endswith(("?", "!")))
            if pronoun:
                speaker = people.resolve(pronoun, pi, start)
                if speaker:
                    people.note(speaker, pi, start, he_she=pronoun)
            elif speaker and re.match(r"[A-Z]", speaker):
                people.note(speaker, pi, start, speaker=True)
            sentence = para[lo:max(hi, end)].strip()
            if ends_sentence and attributed and not _attribution("", masked[lo:start], "", False)[1]:
                hi = end + len(nxt)  # attributed by the next sentence: "“…?” Trump went on."
                sentence = para[lo:hi].strip()
            whole = not (masked[lo:start] + masked[end:hi]).strip()
            if (not attributed and prev is not None and (whole or not carried)
                    and _continues(masked, prev[0], lo, start, prev[2])):
                attributed, speaker, sentence = prev[1], prev[2], prev[3] or sentence
            if attributed:
                prev = (max(hi, end), True, speaker, sentence)
            elif prev is not None and (carried or not _continues(masked, prev[0], lo, start,
                                                                 prev[2])):
                prev = None
            carried = False
            if not closed and end >= len(para.rstrip()) - 1:
                open_speaker = (attributed, speaker) if attributed else None
            if len(words(quote)) < min_words:
                continue
            out.append(FoundQuote(offset + start, offset + end, quote, speaker, sentence))
        if open_speaker is None and prev is not None and prev[0] >= len(para.rstrip()) - 1:
            # the paragraph ends on an attributed quote: by convention a paragraph that opens
            # with a quote and names no one goes on with the same speaker
            open_speaker, open_sentence, open_carried = (True, prev[2]), prev[3], True
        if para.endswith(":") and open_speaker is None:
            # "Caddell continued:" introduces the quote that opens the next paragraph
            lo = max((m.end() for m in _SENT_END_RE.finditer(masked)), default=0)
            speaker, attributed, pronoun = _attribution("", masked[lo:], "", False)
            if pronoun:
                speaker = people.resolve(pronoun, pi, len(para))
            if attributed:
                open_speaker = (True, speaker)
    return out


def _strip_quotes(text: str, _pieces: list[tuple[int, int, bool]]) -> str:
    return re.sub(r"[“\"‘][^”\"’]*[”\"’]?", " ", text)


def _continues(masked: str, prev_end: int, lo: int, start: int,
               speaker: str | None = None) -> bool:
    """Whether a quote whose sentence starts at ``lo`` continues the attributed quote whose
    sentence ended at ``prev_end``: it is in that sentence, opens the very next one, or only
    sentences about the same speaker come between ("…,” said Robin Maynard. He holds two
    degrees. “But I like working with my hands.”")."""
    if lo < prev_end or not masked[prev_end:start].strip():
        return True
    if not speaker or lo != start:
        return False
    surname = re.escape(speaker.split()[-1])
    between = [x for x in _SENT_END_RE.split(masked[prev_end:lo]) if x.strip()]
    return bool(between) and all(
        re.match(rf"\s*(?:He|She|{surname})\b(?!\s*[’']s)", x) for x in between)


def quote_spans(text: str, min_words: int = 5) -> list[tuple[int, int, str, str | None]]:
    """Every quote of ``text`` as ``(start, end, quote, speaker)``, offsets into ``text``
    spanning the quotation marks, in order (see :func:`quotes_of`)."""
    return [(q.start, q.end, q.text, q.speaker) for q in quotes_of(text, min_words)]


def _norm(text: str) -> str:
    return " ".join(words(fold(text)))


def find_quotes(articles: list[Article], min_words: int = 5) -> list[Quote]:
    """The quotes of a story's articles, each listed once with every article that has it."""
    # (key, text, speaker, attributing sentence, articles)
    found: list[tuple[str, str, str | None, str | None, set[int]]] = []
    for ai, art in enumerate(articles):
        for q in quotes_of(art.text, min_words):
            key = _norm(q.text)
            evidence = q.sentence if q.speaker else None
            for k, (key2, _t, sp2, _ev, arts) in enumerate(found):
                if key == key2 or (len(key) > 20 and (key in key2 or key2 in key)):
                    arts.add(ai)
                    if sp2 is None and q.speaker:
                        found[k] = (key2, _t, q.speaker, evidence, arts)
                    break
            else:
                found.append((key, q.text, q.speaker, evidence, {ai}))
    return [Quote(text, speaker, [articles[a].id for a in sorted(arts)], evidence)
            for _k, text, speaker, evidence, arts in found]
