"""newsfold.compare: what the articles of one story agree on, disagree on, quote and name.

:func:`compare` aligns the story's sentences across articles (see
:mod:`newsfold.compare.align`) and derives

* ``facts``: one per content group (aligned sentences), with every article reporting it and
  the independent outlets (a duplicate group counts once); ``agreed`` with two or more
  outlets, ``single-source`` with one, ``disputed`` when a conflict touches it. Only
  sentences that state something alone are facts: not mostly a quotation, not leaning on the
  sentence before ("He added..."), 6 to 60 words. Facts are ranked by outlets, then articles,
  then how early their articles report them, and capped at ``max_facts`` (disputed facts are
  always kept);
* ``conflicts``: different values for the same thing from different outlets
  (:mod:`newsfold.compare.conflicts`);
* ``quotes``, ``entities``, ``timeline`` and ``coverage``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsfold.compare.align import StoryAnalysis, analyze
from newsfold.compare.conflicts import find_conflicts
from newsfold.compare.entities import _ner, find_entities
from newsfold.compare.quotes import find_quotes
from newsfold.compare.timeline import find_timeline, not_before
from newsfold.records import Article, Conflict, Entity, Fact, Quote, TimelineEvent, parse_iso
from newsfold.text import dangling, quoted_share

__all__ = ["MAX_FACTS", "Comparison", "analyze", "compare", "coverage", "facts_of"]

MAX_FACTS = 25
"""Facts a brief lists at most (besides disputed ones)."""
FACT_MAX_WORDS = 60
FACT_MAX_QUOTED = 0.5
"""A sentence more than half inside quotation marks is a quote, not a fact."""


@dataclass(slots=True)
class Comparison:
    facts: list[Fact] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)


def _representative(sa: StoryAnalysis, members: list[int]) -> int:
    """The member most similar to the others; ties go to the earliest article and position."""
    usable = [u for u in members if sa.units[u].usable] or members
    if len(usable) == 1:
        return usable[0]

    def key(u: int) -> tuple[float, int, int]:
        total = sum(float(sa.sim[u, v]) for v in usable if v != u)
        return (-round(total, 6), sa.units[u].article, sa.units[u].position)

    return min(usable, key=key)


def _states_a_fact(sa: StoryAnalysis, u: int) -> bool:
    unit = sa.units[u]
    return (unit.usable and unit.info.n_words <= FACT_MAX_WORDS and not dangling(unit.text)
            and quoted_share(unit.text) <= FACT_MAX_QUOTED)


def _rare_names(sa: StoryAnalysis) -> set[str]:
    """Names in few of the story's sentences (at most two, or 3%): specific to a fact, unlike
    the story's protagonists."""
    counts: Counter[str] = Counter()
    for u in sa.units:
        counts.update(set(u.info.names))
    limit = max(2, int(0.03 * len(sa.units)))
    return {n for n, c in counts.items() if c <= limit}


def _specifics(sa: StoryAnalysis, u: int, rare: set[str]) -> dict[str, str]:
    """A sentence's specific values by key (a number with its unit or head noun, a date, a
    time) and its rare names, each with its wording in the sentence."""
    info = sa.units[u].info
    text = sa.units[u].text
    out = {f"@{a.key}": a.surface for a in info.anchors
           if a.kind in ("date", "time") or (a.kind == "num" and a.referent)}
    for n in info.names:
        m = re.search(re.escape(n), text, re.IGNORECASE) if n in rare else None
        if m:
            out[f"name:{n}"] = m.group(0)
    return out


def _agreement(sa: StoryAnalysis, rep: int, members: list[int], arts: set[int],
               rare: set[str]) -> tuple[set[int], list[str]]:
    """The articles that report a fact and what they all agree on.

    An article whose sentence paraphrases the fact's sentence reports all of it. Another one
    reports only the specific values its sentence shares with the fact's (a number with its
    unit, a date, a time, a rare name); one sharing none is in the group only through a third
    sentence and is left out. When the value-sharing articles have no value in common, those
    sharing the most widely shared one stay. Returns (articles, agreed values as worded in the
    fact's sentence; empty when every article paraphrases it)."""
    own = sa.units[rep].article
    paraphrased = ({own} | sa.paraphrased_by(rep)) & (arts | {own})
    others = arts - paraphrased
    if not others:
        return arts, []
    mine = _specifics(sa, rep, rare)
    shares: dict[int, set[str]] = {}
    for a in others:
        theirs: set[str] = set()
        for u in members:
            if sa.units[u].article == a:
                theirs |= set(_specifics(sa, u, rare))
        if theirs & set(mine):
            shares[a] = theirs & set(mine)
    if not shares:
        return paraphrased, []
    common = set.intersection(*shares.values())
    if not common:
        counts = Counter(k for ks in shares.values() for k in ks)
        top = min(counts, key=lambda k: (-counts[k], k))
        shares = {a: ks for a, ks in shares.items() if top in ks}
        common = set.intersection(*shares.values())
    text = sa.units[rep].text
    return paraphrased | set(shares), sorted({mine[k] for k in common}, key=text.find)


def facts_of(sa: StoryAnalysis, disputed_units: set[int] | None = None,
             max_facts: int = MAX_FACTS) -> list[Fact]:
    """One fact per content group with a sentence worth stating, ranked, at most
    ``max_facts`` besides the disputed ones."""
    disputed_units = disputed_units or set()
    rare = _rare_names(sa)
    rows: list[tuple[int, int, float, int, int, Fact]] = []
    for members in sa.clusters:
        stating = [u for u in members if _states_a_fact(sa, u)]
        if not stating:
            continue
        rep = _representative(sa, stating)
        arts, agreed_on = _agreement(
            sa, rep, members, not_before(sa, rep, {sa.units[u].article for u in members}), rare)
        outlets = sa.outlets(arts)
        if disputed_units & set(members):
            status = "disputed"
        elif len(outlets) >= 2:
            status = "agreed"
        else:
            status = "single-source"
        unit = sa.units[rep]
        first = min(members, key=lambda u: (sa.units[u].article, sa.units[u].position))
        # How early the reporting articles state it: a story's main facts lead its articles.
        depth = sum(min(sa.units[u].position for u in members if sa.units[u].article == a)
                    for a in arts) / len(arts)
        agreed_on = agreed_on if len(outlets) >= 2 else []
        rows.append((-len(outlets), -len(arts), depth, sa.units[first].article,
                     sa.units[first].position,
                     Fact(unit.text, sa.ids(arts), outlets, status, agreed_on)))
    rows.sort(key=lambda r: r[:5])
    kept = [r[5] for r in rows[:max_facts]]
    kept += [r[5] for r in rows[max_facts:] if r[5].status == "disputed"]
    return kept


def coverage(articles: list[Article]) -> dict[str, Any]:
    """Who covered the story, when, and which articles are wire copy or originals."""
    outlets: dict[str, dict[str, Any]] = {}
    for a in articles:
        row = outlets.setdefault(a.outlet, {"outlet": a.outlet, "articles": [],
                                            "first_published": None})
        row["articles"].append(a.id)
        dt = parse_iso(a.published)
        cur = parse_iso(row["first_published"])
        if dt and (cur is None or dt < cur):
            row["first_published"] = a.published
    dated = [(parse_iso(a.published), i, a.id) for i, a in enumerate(articles)]
    with_dates = [(dt, i, ident) for dt, i, ident in dated if dt is not None]
    if with_dates:
        first_report: str | None = min(with_dates)[2]
    else:
        first_report = articles[0].id if articles else None
    return {
        "outlets": list(outlets.values()),
        "first_report": first_report,
        "wire": [a.id for a in articles if a.wire],
        "original": [a.id for a in articles if not a.wire and not a.duplicate_of],
    }


def compare(articles: list[Article], *, use_ner: bool = False) -> Comparison:
    """Facts, conflicts, quotes, entities, timeline and coverage of one story's articles.

    ``use_ner``: use spaCy's small English model (the ``[nlp]`` extra) for typed entities
    instead of the fast proper-noun rules; it falls back to the rules when the model is missing.
    """
    articles = list(articles)
    if not articles:
        return Comparison()
    sa = analyze(articles)
    conflicts, touched = find_conflicts(sa)
    ner = use_ner and _ner() is not None
    return Comparison(
        facts=facts_of(sa, touched),
        conflicts=conflicts,
        quotes=find_quotes(articles),
        entities=find_entities(sa, use_ner=ner),
        timeline=find_timeline(sa),
        coverage=coverage(articles),
    )
