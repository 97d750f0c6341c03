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

import hashlib
import importlib.util
import logging
import re
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from newsfold.compare.align import StoryAnalysis
from newsfold.compare.anchors import MONTHS, WEEKDAYS
from newsfold.nlp import LEFT_OUT as _LEFT_OUT
from newsfold.nlp import entity_package, model_key
from newsfold.records import Entity
from newsfold.text import STOPWORDS, fold, imports_hidden, proper_nouns
from newsfold.words import MENTION_TITLES

log = logging.getLogger(__name__)
MAX_MODEL_CHARS = 20_000
"""Characters of one text the entity model is given at most. The model is run per sentence;
a "sentence" longer than this is a text without sentence ends (a run of words, markup, a
number), which would cost spaCy about a gigabyte per 100,000 characters and past its
``max_length`` (1,000,000) fails outright (E088). Such a text is skipped: no names."""

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
        if fold(t).strip(".") in MENTION_TITLES:
            last_title = k
    if 0 <= last_title < len(toks) - 1:
        toks = toks[last_title + 1:]
    while len(toks) > 1 and (fold(toks[-1]).strip(".") in MENTION_TITLES
                             or fold(toks[-1]).strip(".") in _CALENDAR):
        toks = toks[:-1]
    return _POSS_RE.sub("", " ".join(toks))


def _initials(key: str) -> str:
    """``united states`` → ``us``; "" for a one-word name."""
    words = [w for w in key.split() if w not in {"of", "the", "and", "for", "de"}]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


class MentionCache(Protocol):
    """Where recognised mentions are kept between processes (the store): per model, per
    sentence text, the (surface, label) pairs the model found in it."""

    def get_mentions(self, model: str, keys: list[str]) -> dict[str, list[tuple[str, str]]]: ...

    def put_mentions(self, model: str, mentions: dict[str, list[tuple[str, str]]]) -> None: ...


def _text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Recogniser:
    """spaCy's entity recogniser from an installed model package, loaded on first use: a
    brief whose sentences all have cached mentions never imports spaCy."""

    def __init__(self, package: str) -> None:
        self.package = package
        self._nlp: Any = None
        self._failed = False

    @property
    def key(self) -> str:
        """What the mentions depend on besides the text (:func:`newsfold.nlp.model_key`): a
        new version of the model, spaCy or thinc keys new cache entries."""
        return model_key(self.package)

    def load(self) -> Any:
        """The spaCy pipeline with only ``ner`` in it, or None when it cannot be loaded."""
        if self._nlp is None and not self._failed:
            try:
                with imports_hidden(_torch_hidden(self.package)):
                    import spacy

                self._nlp = spacy.load(self.package, exclude=_LEFT_OUT)
            except Exception:  # noqa: BLE001 - any failure means "entities by rule"
                self._failed = True
        return self._nlp

    def mentions(self, texts: list[str], cache: MentionCache | None = None
                 ) -> list[list[tuple[str, str]]] | None:
        """(surface, spaCy label) of every entity in each text, from ``cache`` (the store)
        when it has them, kept there when found; None when the model is needed and cannot be
        loaded."""
        keys = [_text_key(t) for t in texts]
        found = cache.get_mentions(self.key, sorted(set(keys))) if cache is not None else {}
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        for k, t in list(todo.items()):
            if len(t) > MAX_MODEL_CHARS:  # never handed to the model: no names, not cached
                log.debug("entities: a text of %d characters skipped (over %d)", len(t),
                          MAX_MODEL_CHARS)
                del todo[k]
                found = {**found, k: []}
        if todo:
            nlp = self.load()
            if nlp is None:
                return None
            new = {k: [(e.text, e.label_) for e in doc.ents]
                   for k, doc in zip(todo, nlp.pipe(list(todo.values()), batch_size=64),
                                     strict=True)}
            found = {**found, **new}
            if cache is not None:
                cache.put_mentions(self.key, new)
        return [found[k] for k in keys]


def _model_config_is_torch_free(package: str) -> bool:
    """True when every architecture in the model's config is one of spaCy's own (``spacy.``),
    none of which runs on PyTorch; False for transformer models or an unreadable config."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return False
    configs = list(Path(spec.origin).parent.glob("*/config.cfg"))
    if len(configs) != 1:
        return False
    names = re.findall(r'^@architectures\s*=\s*"([^"]*)"', configs[0].read_text("utf-8"),
                       re.MULTILINE)
    return bool(names) and all(n.startswith("spacy.") for n in names)


def _torch_hidden(package: str) -> tuple[str, ...]:
    """``("torch",)`` when spaCy can be imported without thinc importing PyTorch.

    thinc imports torch at start-up whenever it is installed (the [embeddings] extra brings it),
    a cost of seconds that a model of spaCy's own architectures never uses; with torch hidden
    (:func:`newsfold.text.imports_hidden`) thinc records that it is absent and carries on.
    Nothing is hidden when thinc is already imported or the model's config names an
    architecture outside spaCy's own.
    """
    return ("torch",) if "thinc" not in sys.modules and _model_config_is_torch_free(package) \
        else ()


@lru_cache(maxsize=1)
def _ner() -> Recogniser | None:
    """The entity recogniser of the installed model package, not yet loaded; None when no
    model package is installed."""
    package = entity_package()
    return None if package is None else Recogniser(package)


def _spans(sa: StoryAnalysis, use_ner: bool,
           cache: MentionCache | None) -> list[tuple[int, str, str]]:
    """(article index, surface name, kind) for every name mention."""
    out: list[tuple[int, str, str]] = []
    recogniser = _ner() if use_ner else None
    found = (recogniser.mentions([u.text for u in sa.units], cache) if recogniser is not None
             else None)
    if found is not None:
        for u, mentions in zip(sa.units, found, strict=True):
            for text, label in mentions:
                kind = _KINDS.get(label)
                if kind is not None:
                    out.append((u.article, text, kind))
        return out
    for u in sa.units:
        for k, span in enumerate(proper_nouns(u.text)):
            if k == 0 and u.text.startswith(span) and " " not in span:
                continue  # a capitalised first word is usually an ordinary word
            out.append((u.article, span, "name"))
    return out


def find_entities(sa: StoryAnalysis, top: int = 20, use_ner: bool = False,
                  mentions_cache: MentionCache | None = None) -> list[Entity]:
    mentions: dict[str, Counter[str]] = defaultdict(Counter)
    arts: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, int] = {}
    for k, (ai, span, kind) in enumerate(_spans(sa, use_ner, mentions_cache)):
        name = _canon(span.strip())
        key = fold(name)
        if len(key) < 2 or key in STOPWORDS or key.strip(".") in _SKIP \
                or not any(c.isalpha() for c in key) or key.strip(".") in MENTION_TITLES:
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

    bares = {key: bare(key) for key in mentions}  # merges only drop keys: computed once
    for key in sorted(mentions, key=lambda k: -len(k.split())):
        tail = " " + key
        longer = sorted((k for k in mentions if k != key and bares[k].endswith(tail)),
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
