"""Conflicts: different outlets giving different values for the same thing.

Precision first. Two values conflict only when

* both are numbers with the same unit or head noun (``troops``, ``people``, ``$``, ``percent``)
  and each sentence has exactly one value with that unit, or both are dates/times;
* the two sentences come from different independent articles (duplicate groups count once;
  ``across_outlets=True`` also requires different outlet names);
* the sentences are about the same thing: TF-IDF cosine of at least ``NUM_MIN``
  (``CASUALTY_MIN`` for casualty counts, ``DATE_MIN`` for dates and times) and, for numbers, a content word shared in the few words around the
  values beside the unit itself (not a word of the story's topic, found in over 10% of its
  sentences); casualty counts (``deaths``, ``injured``, ``missing``: "the death toll passed
  80,000", "200,000 people were killed") need no such word;
* neither article also states the other value with that unit (an article giving both is
  reporting a change, not disagreeing);
* values whose wording makes them compatible are not a conflict: "more than 100" and "120",
  "up to 200,000" and "150,000", "about 100" and "110" (``APPROX_TOLERANCE``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from newsfold.compare.align import StoryAnalysis
from newsfold.compare.anchors import Anchor
from newsfold.records import Conflict, ConflictSide
from newsfold.text import content_terms

NUM_MIN = 0.3
CASUALTY_MIN = 0.2
DATE_MIN = 0.45
CONTEXT_WORDS = 5
TOPICAL_SHARE = 0.1
CASUALTIES = {"deaths", "injured", "missing"}
"""Casualty counts name their referent themselves: no shared context word is needed."""
APPROX_TOLERANCE = 0.15
_GENERIC_UNITS = {"percent", "year", "day", "time", "week", "month", "hour", "minut"}


@dataclass(slots=True)
class _Side:
    value: str
    units: list[int] = field(default_factory=list)


_BOUNDARY = {"and", "or", "but", "while", "whereas", "although", "though", "with", "including"}
_GENERIC_CONTEXT = {"estim", "report", "offici", "accord", "least", "approxim", "nearli",
                    "roughli", "almost", "total", "number", "figur", "said", "say"}


def _context(text: str, a: Anchor) -> set[str]:
    """Content words next to the value, not crossing a clause boundary or another number."""
    def clip(toks: list[str], reverse: bool) -> list[str]:
        seq = list(reversed(toks)) if reverse else toks
        out = []
        for t in seq[:CONTEXT_WORDS]:
            bare = t.strip(".,;:()\"“”'’").lower()
            if bare in _BOUNDARY or any(c.isdigit() for c in bare):
                break
            out.append(t)
            if t.endswith((",", ";", ":", ".")) and not reverse:
                break
            if reverse and t.endswith((",", ";", ":", ".")):
                out.pop()
                break
        return out

    before = clip(text[: a.start].split(), reverse=True)
    after = clip(text[a.end:].split(), reverse=False)
    return set(content_terms(" ".join(before + after))) - {a.referent} - _GENERIC_CONTEXT


def _single(anchors: tuple[Anchor, ...], kinds: tuple[str, ...], referent: str) -> Anchor | None:
    hits = [a for a in anchors if a.kind in kinds and a.referent == referent]
    return hits[0] if len(hits) == 1 else None


def find_conflicts(
    sa: StoryAnalysis, across_outlets: bool = False
) -> tuple[list[Conflict], set[int]]:
    """The conflicts of a story and the units (sentences) they touch.

    Sides come from different independent articles (duplicate groups); with
    ``across_outlets`` they must also come from differently named outlets (an outlet
    contradicting its own earlier report is then not listed).
    """
    units = sa.units
    # Values each article states, per referent: an article stating both values is not a side.
    stated: list[dict[str, set[str]]] = [{} for _ in sa.articles]
    for u in units:
        for a in u.info.anchors:
            stated[u.article].setdefault(a.referent, set()).add(a.value)
    found: dict[tuple[str, str], dict[str, _Side]] = {}
    # Context words found in more than TOPICAL_SHARE of the sentences are the story's topic
    # ("earthquake"), not what a number measures.
    n_units = len(units)
    topical = math.log((n_units + 1) / (TOPICAL_SHARE * n_units + 1)) + 1.0
    pair_cos: dict[tuple[str, str], float] = {}
    n = len(units)
    for i in range(n):
        ui = units[i]
        if not ui.usable:
            continue
        ai_all = [a for a in ui.info.anchors if a.kind in ("num", "date", "time")
                  and (a.kind != "num" or a.referent)]
        if not ai_all:
            continue
        for j in range(i + 1, n):
            uj = units[j]
            if not uj.usable or sa.group[ui.article] == sa.group[uj.article]:
                continue
            if across_outlets and (sa.group_outlet[sa.group[ui.article]]
                                   == sa.group_outlet[sa.group[uj.article]]):
                continue
            cos = float(sa.sim[i, j])
            if cos < CASUALTY_MIN:
                continue
            for ai in ai_all:
                kinds = ("date",) if ai.kind == "date" else (ai.kind,)
                a1 = _single(ui.info.anchors, kinds, ai.referent)
                a2 = _single(uj.info.anchors, kinds, ai.referent)
                if a1 is None or a2 is None or a1.value == a2.value:
                    continue
                if ai.kind in ("date", "time"):
                    if cos < DATE_MIN:
                        continue
                else:
                    if ai.referent not in CASUALTIES and cos < NUM_MIN:
                        continue
                    if ai.referent in _GENERIC_UNITS and cos < DATE_MIN:
                        continue
                    shared = _context(ui.text, a1) & _context(uj.text, a2)
                    if ai.referent not in CASUALTIES and not {
                        t for t in shared if sa.idf.get(t, 99.0) >= topical
                    }:
                        continue
                    r1, r2 = a1.interval(APPROX_TOLERANCE), a2.interval(APPROX_TOLERANCE)
                    if r1 and r2 and max(r1[0], r2[0]) <= min(r1[1], r2[1]):
                        continue  # "more than 100" and "120" are compatible
                if a2.value in stated[ui.article].get(ai.referent, set()):
                    continue
                if a1.value in stated[uj.article].get(ai.referent, set()):
                    continue
                key = (ai.referent, str(sa.cluster_of[i]))
                # Merge by referent: join an existing conflict on the same referent that
                # already holds one of the two sentences.
                for k, sides in found.items():
                    if k[0] == ai.referent and any(
                        i in s.units or j in s.units for s in sides.values()
                    ):
                        key = k
                        break
                sides = found.setdefault(key, {})
                for k_unit, a in ((i, a1), (j, a2)):
                    side = sides.setdefault(a.value, _Side(a.value))
                    if k_unit not in side.units:
                        side.units.append(k_unit)
                pair_cos[key] = max(pair_cos.get(key, 0.0), cos)
    conflicts: list[Conflict] = []
    touched: set[int] = set()
    for key, sides in found.items():
        referent = key[0]
        out_sides = []
        first_anchor: Anchor | None = None
        for side in sorted(sides.values(), key=lambda s: min(units[u].article for u in s.units)):
            arts: set[int] = set()
            for k_unit in side.units:
                touched.add(k_unit)
                arts.add(units[k_unit].article)
                # Aligned sentences stating the same value support this side too.
                for v in sa.clusters[sa.cluster_of[k_unit]]:
                    if any(a.referent == referent and a.value == side.value
                           for a in units[v].info.anchors):
                        arts.add(units[v].article)
            u0 = min(side.units, key=lambda u: (units[u].article, units[u].position))
            anchor = next(a for a in units[u0].info.anchors
                          if a.referent == referent and a.value == side.value)
            first_anchor = first_anchor or anchor
            out_sides.append(ConflictSide(anchor.surface, units[u0].text, sa.ids(arts)))
        kind = first_anchor.kind if first_anchor else "num"
        if kind == "date":
            what = "date"
            compared = "dates in sentences reporting the same event"
        elif kind == "time":
            what = "time"
            compared = "clock times in sentences reporting the same event"
        else:
            unit_word = (referent if referent in CASUALTIES else
                         _unit_word(first_anchor) if first_anchor else referent)
            what = f"number of {unit_word}" if referent not in ("$", "€", "£", "¥") else "amount"
            compared = (f"casualty counts ({unit_word}) in related sentences of different articles"
                        if referent in CASUALTIES else
                        f"numbers with the unit '{unit_word}' in sentences of different articles "
                        "sharing the words around the value")
        compared += f" (TF-IDF cosine {pair_cos[key]:.2f}; {len(out_sides)} values)"
        conflicts.append(Conflict(what, out_sides, compared))
    return conflicts, touched


def _unit_word(a: Anchor) -> str:
    if a.referent == "percent":
        return "percent"
    tail = a.surface.split()[-1] if " " in a.surface else a.surface
    word = tail.split("-")[-1].strip(".,;:’'\"")
    return word if word and not word[0].isdigit() else a.referent
