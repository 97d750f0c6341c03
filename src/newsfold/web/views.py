"""What the pages show, computed from the API's records (no markup here: templates escape).

* :func:`story_view` turns a :class:`~newsfold.records.Brief` into the story page's data: every
  citation links to the cited passage (``/articles/{id}#s-N``, N the sentence's index in the
  article as :func:`newsfold.compare.align.article_sentences` splits it, the same split the
  brief is built from).
  A citation reads as the cited article's outlet (:func:`source_labels`).
* :func:`article_view` splits an article into paragraphs of numbered sentences and marks the
  ones its story's brief quotes (summary, conflicts).
* :func:`time_tag` shows a date as a reader reads it (:mod:`newsfold.summarize.dates`).
* The coverage chart is laid out by :mod:`newsfold.web.chart`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from newsfold.compare.align import article_sentences
from newsfold.records import UNNAMED_LABEL as UNNAMED
from newsfold.records import Article, Brief, Fact, outlet_label
from newsfold.summarize import dates
from newsfold.summarize.passages import MAX_CITED, MAX_FACTS, Passages, find_sentence
from newsfold.summarize.render import STAGE_PHRASES as STAGE_WORDS  # the words `show` uses
from newsfold.summarize.render import resolved_words

from .chart import NARROW, WIDE, coverage_chart

MAX_SOURCES = 100
"""Articles the story page lists under Sources (the chart shows them all, the JSON lists
them all): past a hundred, a list is no longer read, only rendered."""



_INERT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
"""NUL and the other C0 controls HTML forbids, and the bidi embedding, override and isolate
controls (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI) that could reorder the page past the
field they came in."""


def inert_text(value: Any) -> Any:
    """Every value a template prints, made inert before it is escaped (Jinja's ``finalize``):
    text loses NUL, the other C0 controls and the bidi embedding and override controls, so an
    article's U+202E cannot run past its field and reverse what the page prints after it.
    Markup (a macro's output) was made of finalized values already and passes unchanged."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _INERT.sub("", value)
    return value


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) with a host, else None (never another scheme in an href)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ord(c) < 32 or c in " \"'<>`\\" for c in url):
        return None
    return url


def path_id(ident: str) -> str:
    return quote(ident, safe="")


def article_href(article_id: str, sentence: int | None = None) -> str:
    href = "/articles/" + path_id(article_id)
    return href if sentence is None else f"{href}#s-{sentence}"


def time_tag(value: str | None, now: datetime | None = None) -> Markup:
    """``value`` (an ISO date, timestamp or partial date) as a ``<time>`` element a reader
    reads ("30 Dec 2021, 20:35 UTC"; relative, "3 hours ago", when ``now`` is given and the
    value is recent) with the exact value in its ``datetime`` and ``title``."""
    recent = dates.relative(value, now) if now is not None else None
    return _tag(value, recent)


@lru_cache(maxsize=8192)
def _tag(value: str | None, recent: str | None) -> Markup:
    """The element for ``value``, read as ``recent`` when given, else absolute (a pure
    function of its arguments: a page of hundreds of sources renders each date once)."""
    shown = dates.shown(value)
    text = recent or shown.text
    if not text:
        return _UNDATED
    words = escape(inert_text(text))
    if not shown.machine:
        return Markup(f"<span>{words}</span>")
    return Markup(f'<time datetime="{escape(shown.machine)}" '
                  f'title="{escape(inert_text(shown.exact))}">{words}</time>')


_UNDATED = Markup('<span class="undated">undated</span>')


def date_filters(clock: Callable[[], datetime] = lambda: datetime.now(UTC)
                 ) -> dict[str, Callable[..., Any]]:
    """The templates' date filters: ``when`` (relative when recent, by ``clock``), ``date``
    (always absolute), ``date_text`` (absolute, as plain text) and ``span``
    (``first|span(last)``: "1 Jun – 30 Jul 2009")."""
    return {
        "when": lambda value: time_tag(value, clock()),
        "date": lambda value: time_tag(value),
        "date_text": lambda value: dates.absolute(value),
        "span": lambda first, last=None: dates.span_text(first, last),
    }


def source_labels(articles: list[Article]) -> dict[str, str]:
    """Article id → how a citation names it: its outlet ("Reuters"); "Wikinews #2" when the
    story holds several articles of that outlet (numbered in the order given, the Sources
    list's); "unnamed outlet" (numbered the same way) for articles naming none."""
    groups: dict[str, list[str]] = {}
    for a in articles:
        groups.setdefault(a.known_outlet or UNNAMED, []).append(a.id)
    labels: dict[str, str] = {}
    for outlet, ids in groups.items():
        for n, ident in enumerate(ids, 1):
            labels[ident] = outlet if len(ids) == 1 else f"{outlet} #{n}"
    return labels


def outlet_names(articles: list[Article], labels: dict[str, str]) -> dict[str, str]:
    """Outlet key (:attr:`Article.outlet`) → its name for a reader: a named outlet as it is,
    an unnamed one (one article each) as its article's label ("unnamed outlet #2")."""
    names: dict[str, str] = {}
    for a in articles:
        names.setdefault(a.outlet, a.known_outlet or labels.get(a.id, UNNAMED))
    return names


@dataclass(slots=True)
class Cite:
    article_id: str
    outlet: str
    href: str
    label: str = ""
    """How the citation reads: the outlet, numbered when the story has several of its
    articles (:func:`source_labels`)."""
    title: str = ""
    """The cited article's title and id (the link's tooltip)."""


@dataclass(slots=True)
class Cited:
    """A text with the links to each cited article's passage."""

    text: str
    cites: list[Cite]
    more: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class _Linker:
    def __init__(self, brief: Brief, passages: Passages | None = None) -> None:
        self.by_id = {a.id: a for a in brief.articles}
        self.labels = source_labels(brief.articles)
        self._memo: Passages = dict(passages or {})

    def anchor(self, article_id: str, text: str) -> int | None:
        key = (article_id, text)
        if key not in self._memo:
            a = self.by_id.get(article_id)
            self._memo[key] = find_sentence(a, text) if a is not None else None
        return self._memo[key]

    def cited(self, text: str, ids: list[str], first: tuple[str, int] | None = None,
              **extra: Any) -> Cited:
        cites = []
        for aid in ids[:MAX_CITED]:
            a = self.by_id.get(aid)
            outlet = a.outlet if a is not None else aid
            pos = first[1] if first and first[0] == aid else self.anchor(aid, text)
            title = f"{a.title} ({aid})" if a is not None and a.title else aid
            cites.append(Cite(aid, outlet, article_href(aid, pos),
                              self.labels.get(aid, aid), title))
        return Cited(text, cites, max(0, len(ids) - MAX_CITED), dict(extra))


def story_view(brief: Brief, passages: Passages | None = None) -> dict[str, Any]:
    """The story page's data: the brief with every citation resolved to a link. ``passages``:
    the cited passages found already (:func:`newsfold.summarize.passages.cited_passages`, as a
    stored brief keeps them), so the articles' texts are not read again.

    With two or more outlets, the facts only one outlet reports go to ``compare`` (grouped by
    outlet: what each reports that the others do not) and ``facts`` keeps the others; with
    one outlet there is nothing to compare and ``facts`` keeps them all (``compare`` is empty
    then, and when no fact is single-source)."""
    link = _Linker(brief, passages)
    names = outlet_names(brief.articles, link.labels)
    summary = [link.cited(s.text, s.citations, (s.article_id, s.position)) for s in brief.summary]
    shown = brief.facts[:MAX_FACTS]
    facts = [link.cited(f.text, f.articles, status=f.status,
                        outlets=[names.get(o, outlet_label(o)) for o in f.outlets],
                        agreed_on=f.agreed_on)
             for f in shown]
    several = len(names) > 1
    conflicts = []
    for c in brief.conflicts:
        sides = [link.cited(s.text, s.articles, value=s.value) for s in c.sides]
        conflicts.append({"what": c.what, "compared": c.compared, "sides": sides,
                          "kind": c.kind})
    quotes = [link.cited(q.text, q.articles, speaker=q.speaker, evidence=q.evidence)
              for q in brief.quotes]
    # a bare date or timestamp reads as a date; a clause is shown as the brief words it
    timeline = [link.cited(t.text, t.articles, date=t.date,
                           resolved_from=resolved_words(t))
                for t in brief.timeline]
    sources = [
        {"article": a, "href": article_href(a.id), "url": safe_url(a.url),
         "label": link.labels[a.id]} for a in brief.articles
    ]
    return {
        "summary": summary,
        "facts": [c for f, c in zip(shown, facts, strict=True)
                  if not several or f.status != "single-source"],
        "more_facts": max(0, len(brief.facts) - MAX_FACTS),
        "compare": compare_outlets(brief, shown, facts, names, sources)
        if several and any(f.status == "single-source" for f in shown) else [],
        "conflicts": conflicts, "quotes": quotes, "timeline": timeline,
        "entities": brief.entities, "sources": sources[:MAX_SOURCES],
        "more_sources": max(0, len(sources) - MAX_SOURCES), "labels": link.labels,
        "one_outlet": not several and all(f.status == "single-source" for f in shown),
        "chart": coverage_chart(brief.articles, lambda k: names.get(k, k), WIDE, article_href),
        "chart_narrow": coverage_chart(brief.articles, lambda k: names.get(k, k), NARROW,
                                       article_href),
        "omitted": omissions(brief),
        "status_counts": {s: sum(1 for f in brief.facts if f.status == s)
                          for s in ("agreed", "single-source", "disputed")},
    }


def compare_outlets(brief: Brief, shown: list[Fact], cited: list[Cited],
                    names: dict[str, str], sources: list[dict[str, Any]]
                    ) -> list[dict[str, Any]]:
    """Per outlet, what it reports that no other outlet of the story does: ``{name, sources,
    only: [Cited facts], shared: agreed facts it is one of}``, outlets with the most such facts
    first (ties in the order of the story's articles)."""
    by_outlet: dict[str, dict[str, Any]] = {}
    for a, src in zip(brief.articles, sources, strict=True):
        entry = by_outlet.setdefault(a.outlet, {"name": names[a.outlet], "sources": [],
                                                "only": [], "shared": 0})
        entry["sources"].append(src)
    for f, c in zip(shown, cited, strict=True):
        if f.status == "single-source":
            for o in f.outlets[:1]:
                if o in by_outlet:
                    by_outlet[o]["only"].append(c)
        elif f.status == "agreed":
            for o in f.outlets:
                if o in by_outlet:
                    by_outlet[o]["shared"] += 1
    entries = list(by_outlet.values())
    return sorted(entries, key=lambda e: -len(e["only"]))


def omissions(brief: Brief) -> list[dict[str, Any]]:
    """The parts of the brief that left articles out, in the order the brief builds them, each
    ``{what, count, articles: [{article_id, href, reason}]}`` phrased as ``newsfold show`` does
    ("1 article left out of the timeline")."""
    by_stage: dict[str, list[Any]] = {}
    for o in brief.omitted:
        by_stage.setdefault(o.stage, []).append(o)
    order = [*STAGE_WORDS, *sorted(set(by_stage) - set(STAGE_WORDS))]
    return [
        {"what": STAGE_WORDS.get(stage, f"left out of the {stage}"),
         "count": len({o.article for o in by_stage[stage]}),
         "articles": [{"article_id": o.article, "href": article_href(o.article), "reason": o.reason}
                   for o in by_stage[stage]]}
        for stage in order if stage in by_stage
    ]


def used_sentences(brief: Brief, article: Article) -> dict[int, list[str]]:
    """Sentence index of ``article`` → what the brief uses it for: ``summary`` (the summary
    quotes or cites it) and ``conflict`` (a side of a conflict). Facts are not marked: nearly
    every sentence is one."""
    uses: dict[int, list[str]] = {}

    def mark(text: str, ids: list[str], why: str, pos: int | None = None) -> None:
        if article.id not in ids:
            return
        i = pos if pos is not None else find_sentence(article, text)
        if i is not None and why not in uses.setdefault(i, []):
            uses[i].append(why)

    for s in brief.summary:
        mark(s.text, s.citations, "summary", s.position if s.article_id == article.id else None)
    for c in brief.conflicts:
        for side in c.sides:
            mark(side.text, side.articles, "conflict")
    return uses


def article_view(article: Article, uses: dict[int, list[str]]) -> list[list[dict[str, Any]]]:
    """Paragraphs of sentences ``{n, text, uses}`` covering the whole cleaned text."""
    text = article.text
    paragraphs: list[list[dict[str, Any]]] = [[]]
    cursor = 0
    for n, s in enumerate(article_sentences(text)):
        at = text.find(s, cursor)
        if at < 0:
            at = cursor
        elif "\n" in text[cursor:at] and paragraphs[-1]:
            paragraphs.append([])
        paragraphs[-1].append({"n": n, "text": s, "uses": uses.get(n, [])})
        cursor = at + len(s) if at >= cursor else cursor
    return [p for p in paragraphs if p]
