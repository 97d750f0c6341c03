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

No single article can take a story's brief down (:class:`Stages`): each part is built by a
stage that, when it fails, is run again without the article that makes it fail, and the
article is recorded as left out of that part (:class:`newsfold.records.Omission`, logged as a
warning). An over-long text is read only up to :data:`MAX_TEXT_CHARS` characters and
:data:`MAX_SENTENCES` sentences, so memory and time stay bounded whatever is stored.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from newsfold.compare.align import StoryAnalysis, analyze, article_sentences
from newsfold.compare.conflicts import find_conflicts
from newsfold.compare.entities import MAX_MODEL_CHARS, MentionCache, _ner, find_entities
from newsfold.compare.quotes import find_quotes
from newsfold.compare.timeline import (
    EARLIEST,
    LATEST,
    find_timeline,
    implausible,
    not_before,
    publication_time,
)
from newsfold.errors import NewsfoldError
from newsfold.records import Article, Comparison, Conflict, Entity, Fact, Omission
from newsfold.text import dangling, quoted_share

__all__ = ["MAX_FACTS", "MAX_SENTENCES", "MAX_TEXT_CHARS", "Comparison", "Stages", "analyze",
           "compare", "coverage", "facts_of"]

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_FACTS = 25
"""Facts a brief lists at most (besides disputed ones)."""
FACT_MAX_WORDS = 60
FACT_MAX_QUOTED = 0.5
"""A sentence more than half inside quotation marks is a quote, not a fact."""
MAX_TEXT_CHARS = 100_000
"""Characters of an article's text a brief reads at most (about 16,000 words, more than the
longest news report): past it, the text is cut at the last line or sentence break."""
MAX_SENTENCES = 500
"""Sentences of an article a brief reads at most: the alignment compares every sentence with
every other, so a text of thousands of sentences would take gigabytes."""


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
        dt = publication_time(a.published)
        cur = publication_time(row["first_published"])
        if dt and (cur is None or dt < cur):
            row["first_published"] = a.published
    dated = [(publication_time(a.published), i, a.id) for i, a in enumerate(articles)]
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


def _reason(err: BaseException) -> str:
    """An exception as one short line: its type and message."""
    text = " ".join(str(err).split())
    line = f"{type(err).__name__}: {text}" if text else type(err).__name__
    return line if len(line) <= 200 else line[:199] + "…"


def _cut(text: str) -> str | None:
    """The start of an over-long text that a brief reads (at most :data:`MAX_TEXT_CHARS`
    characters, ending at a line or sentence break when one is in its second half, and at most
    :data:`MAX_SENTENCES` sentences); None when the whole text is read."""
    head = text
    if len(head) > MAX_TEXT_CHARS:
        head = head[:MAX_TEXT_CHARS]
        brk = max(head.rfind("\n"), head.rfind(". ") + 1)
        if brk > MAX_TEXT_CHARS // 2:
            head = head[:brk]
    sents = article_sentences(head)
    if len(sents) > MAX_SENTENCES:
        end = 0
        for sent in sents[:MAX_SENTENCES]:  # each sentence is a verbatim substring, in order
            at = head.find(sent, end)
            if at >= 0:
                end = at + len(sent)
        head = head[:end]
    return None if len(head) == len(text) else head


class Stages:
    """The stages of one story's brief, each robust to any single article.

    A stage is a function of a list of articles or of their analysis (:meth:`analysis`, computed
    once and passed to each stage that reads it). When it raises, each article is tried alone:
    those that fail alone are left out; if the rest still fails, the articles are added one by
    one and each that makes the stage fail is left out. Every article left out is recorded in
    :attr:`omitted` (article, stage, reason) and logged, and the stage's result is that of the
    articles kept. newsfold's own errors (a store that cannot be read) are not an article's
    fault and propagate. Stages that succeed cost nothing extra, so a sound story's brief is
    exactly what it would be without this.
    """

    def __init__(self, articles: Iterable[Article]) -> None:
        self.omitted: list[Omission] = []
        self.articles = [self._bounded(a) for a in articles]
        self._analyses: dict[tuple[int, ...], StoryAnalysis] = {}

    def omit(self, article: Article, stage: str, reason: str) -> None:
        """Record (once) and log that ``article`` is left out of ``stage``."""
        entry = Omission(article.id, stage, reason)
        if entry not in self.omitted:
            self.omitted.append(entry)
            log.warning("brief: article %r left out of the %s: %s", article.id, stage, reason)

    def _bounded(self, article: Article) -> Article:
        """The article as the stages read it: an over-long text cut (:func:`_cut`), and a
        placeholder publication time (outside 1800–2199) dropped, so that every stage (the
        timeline, the reading order, conflicts' updates, coverage) takes it as undated."""
        changes: dict[str, Any] = {}
        if implausible(article.published):
            changes["published"] = None
            self.omit(article, "date", f"publication time {str(article.published)[:40]!r} is "
                      f"outside {EARLIEST.year}–{LATEST.year - 1}; read as undated")
        text = article.text if isinstance(article.text, str) else ""
        cut = _cut(text)
        if cut is not None:
            changes["text"] = cut
            self.omit(article, "text", f"only the first {len(cut):,} of its {len(text):,} "
                                       "characters are read")
        return dataclasses.replace(article, **changes) if changes else article

    def run(self, stage: str, articles: list[Article], fn: Callable[[list[Article]], T],
            empty: Callable[[], T]) -> T:
        """``fn(articles)``, or ``fn`` of the articles that do not make it fail."""
        try:
            return fn(articles)
        except NewsfoldError:
            raise
        except Exception as err:  # noqa: BLE001 - any failure is isolated to its article
            log.warning("brief: the %s failed (%s); looking for the article that makes it "
                        "fail", stage, _reason(err))
        kept = [a for a in articles if self._attempt(stage, a, partial(fn, [a]))]
        if len(kept) < len(articles):
            try:
                return fn(kept) if kept else empty()
            except NewsfoldError:
                raise
            except Exception:  # noqa: BLE001, S110 - they fail together: one by one below
                pass
        result = empty()
        ok: list[Article] = []
        for a in kept:
            got = self._attempt(stage, a, partial(fn, [*ok, a]))
            if got:
                [result] = got
                ok.append(a)
        return result

    def _attempt(self, stage: str, article: Article, call: Callable[[], T]) -> list[T]:
        """``[call()]``; or ``[]`` when it raises, with ``article`` (the one it added) left out
        of ``stage``. newsfold's own errors propagate."""
        try:
            return [call()]
        except NewsfoldError:
            raise
        except Exception as err:  # noqa: BLE001 - any failure is isolated to its article
            self.omit(article, stage, _reason(err))
            return []

    def _analysis_of(self, articles: list[Article]) -> StoryAnalysis:
        """The analysis of these articles, computed once however many stages ask for it (a
        stage that fails tries the same fewer articles as the one before it)."""
        key = tuple(map(id, articles))  # the articles are held by self.articles
        sa = self._analyses.get(key)
        if sa is None:
            sa = self._analyses[key] = analyze(articles)
        return sa

    def analysis(self) -> StoryAnalysis:
        """The sentence alignment of the articles (those it can analyse), to pass to
        :meth:`on_analysis` and :meth:`comparison`."""
        return self.run("analysis", self.articles, self._analysis_of, lambda: analyze([]))

    def on_analysis(self, stage: str, sa: StoryAnalysis, fn: Callable[[StoryAnalysis], T],
                    empty: Callable[[], T]) -> T:
        """``fn(sa)``; when it fails, ``fn`` of the analysis of the articles kept."""
        def run(arts: list[Article]) -> T:
            return fn(sa if arts is sa.articles else self._analysis_of(arts))

        return self.run(stage, sa.articles, run, empty)

    def _entities(self, sa: StoryAnalysis, ner: bool,
                  cache: MentionCache | None) -> list[Entity]:
        found = find_entities(sa, use_ner=ner, mentions_cache=cache)
        if ner:
            for u in sa.units:
                if len(u.text) > MAX_MODEL_CHARS:
                    self.omit(sa.articles[u.article], "entities",
                              f"a sentence of {len(u.text):,} characters is longer than the "
                              f"entity model reads ({MAX_MODEL_CHARS:,}); its names are left out")
        return found

    def comparison(self, sa: StoryAnalysis, use_ner: bool = False,
                   mentions_cache: MentionCache | None = None) -> Comparison:
        """Facts, conflicts, quotes, entities, timeline and coverage (see :func:`compare`) from
        the articles and their analysis ``sa`` (:meth:`analysis`); ``mentions_cache`` keeps
        the entity model's mentions between briefs (the store)."""
        if not self.articles:
            return Comparison(omitted=list(self.omitted))

        def conflicts_of(part: StoryAnalysis) -> tuple[list[Conflict], set[int], StoryAnalysis]:
            conflicts, touched = find_conflicts(part)
            return conflicts, touched, part

        conflicts, touched, on = self.on_analysis(
            "conflicts", sa, conflicts_of, lambda: ([], set(), sa))

        def facts(part: StoryAnalysis) -> list[Fact]:
            return facts_of(part, touched if part is on else _same_units(on, touched, part))

        ner = use_ner and _ner() is not None

        def entities(part: StoryAnalysis) -> list[Entity]:
            return self._entities(part, ner, mentions_cache)

        return Comparison(
            facts=self.on_analysis("facts", sa, facts, list),
            conflicts=conflicts,
            quotes=self.run("quotes", self.articles, find_quotes, list),
            entities=self.on_analysis("entities", sa, entities, list),
            timeline=self.on_analysis("timeline", sa, find_timeline, list),
            coverage=self.run("coverage", self.articles, coverage, dict),
            omitted=list(self.omitted),
        )


def _same_units(src: StoryAnalysis, units: set[int], dst: StoryAnalysis) -> set[int]:
    """The units of ``dst`` that are ``units`` of ``src`` (same article id and position)."""
    keys = {(src.articles[src.units[u].article].id, src.units[u].position) for u in units}
    return {u.idx for u in dst.units if (dst.articles[u.article].id, u.position) in keys}


def compare(articles: list[Article], *, use_ner: bool = False,
            mentions_cache: MentionCache | None = None) -> Comparison:
    """Facts, conflicts, quotes, entities, timeline and coverage of one story's articles.

    ``use_ner``: use spaCy's small English model (the ``[nlp]`` extra) for typed entities
    instead of the fast proper-noun rules; it falls back to the rules when the model is missing.
    ``mentions_cache``: where the model's mentions are kept between briefs (the store).
    An article that makes a part fail is left out of that part (``Comparison.omitted``).
    """
    articles = list(articles)
    if not articles:
        return Comparison()
    stages = Stages(articles)
    return stages.comparison(stages.analysis(), use_ner=use_ner, mentions_cache=mentions_cache)
