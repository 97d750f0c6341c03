"""Extractive selection: concept coverage under a hard word budget.

Concepts are stemmed content-term bigrams (consecutive content words of a sentence) plus the
sentence's specific anchors (numbers with units, dates, times). A concept weighs the number
of independent articles (duplicate groups) that contain it; with three or more independent
articles, concepts found in only one are dropped (they are not the story's shared content).

Greedy selection repeatedly takes the sentence with the best
``(weight of concepts not yet covered) * position prior / length ** LENGTH_EXP``, skipping
sentences that no longer fit the budget, sentences of an already-used content group, and
sentences unfit for a summary (short, questions, debris). Ties go to the earlier article and
position, so the result is deterministic. The chosen sentences are returned in reading order:
article publication order, then position.
"""

from __future__ import annotations

import math
from collections import defaultdict

from newsfold.compare.align import StoryAnalysis, Unit

LENGTH_EXP = 0.7
"""How strongly long sentences are penalised (0 = not at all, 1 = gain per word)."""
POSITION_WEIGHT = 1.0
"""Extra weight of an article's lead sentence over its later ones."""
POSITION_DECAY = 4.0
"""Sentences over which the lead bonus decays (exponentially)."""
UNIGRAM_WEIGHT = 0.0
"""Weight of single content terms relative to bigrams."""
MIN_WORDS = 6
MAX_WORDS_SENTENCE = 60


def concepts(unit: Unit) -> set[str]:
    terms = [t for t in unit.info.terms if not t.isdigit() or len(t) > 1]
    out = {f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)}
    if UNIGRAM_WEIGHT:
        out |= {f"u:{t}" for t in terms}
    out |= {a.key for a in unit.info.anchors if a.kind in ("num", "date", "time")}
    return out


def _weight(concept: str, df: int) -> float:
    return df * (UNIGRAM_WEIGHT if concept.startswith("u:") else 1.0)


def select(sa: StoryAnalysis, max_words: int) -> list[int]:
    """Indices of the chosen units, in reading order."""
    units = sa.units
    cands = [u for u in units
             if u.usable and u.info.n_words >= MIN_WORDS and u.info.n_words <= MAX_WORDS_SENTENCE
             and u.info.n_words <= max_words]
    unit_concepts = {u.idx: concepts(u) for u in cands}
    # Document frequency over independent articles (duplicate groups).
    groups_of: dict[str, set[str]] = defaultdict(set)
    for u in units:
        cs = unit_concepts[u.idx] if u.idx in unit_concepts else concepts(u)
        for c in cs:
            groups_of[c].add(sa.group[u.article])
    n_groups = len(set(sa.group))
    min_df = 2 if n_groups >= 3 else 1
    weight = {c: _weight(c, len(g)) for c, g in groups_of.items() if len(g) >= min_df}
    prior = {u.idx: 1.0 + POSITION_WEIGHT * math.exp(-u.position / POSITION_DECAY)
             for u in cands}
    covered: set[str] = set()
    used_clusters: set[int] = set()
    chosen: list[int] = []
    budget = max_words
    remaining = list(cands)
    while remaining:
        best: tuple[float, int, int] | None = None
        best_unit: Unit | None = None
        keep = []
        for u in remaining:
            if u.info.n_words > budget or sa.cluster_of[u.idx] in used_clusters:
                continue
            keep.append(u)
            gain = sum(weight.get(c, 0.0) for c in unit_concepts[u.idx] - covered)
            if gain <= 0:
                continue
            score = gain * prior[u.idx] / (u.info.n_words ** LENGTH_EXP)
            key = (score, -u.article, -u.position)
            if best is None or key > best:
                best, best_unit = key, u
        if best_unit is None:
            break
        chosen.append(best_unit.idx)
        covered |= unit_concepts[best_unit.idx]
        used_clusters.add(sa.cluster_of[best_unit.idx])
        budget -= best_unit.info.n_words
        remaining = [u for u in keep if u.idx != best_unit.idx]
    order = {a: k for k, a in enumerate(sa.publication_order())}
    chosen.sort(key=lambda i: (order[units[i].article], units[i].position))
    return chosen
