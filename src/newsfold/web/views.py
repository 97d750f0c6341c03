"""What the pages show, computed from the API's records (no markup here: templates escape).

* :func:`story_view` turns a :class:`~newsfold.records.Brief` into the story page's data: every
  citation links to the cited passage (``/articles/{id}#s-N``, N the sentence's index in the
  article as :func:`newsfold.compare.align.article_sentences` splits it, the same split the
  brief is built from).
* :func:`article_view` splits an article into paragraphs of numbered sentences and marks the
  ones its story's brief uses.
* :func:`coverage_chart` lays out the coverage chart (outlets over time) as SVG numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from newsfold.compare.align import article_sentences
from newsfold.records import Article, Brief, parse_iso
from newsfold.summarize.passages import MAX_CITED, MAX_FACTS, Passages, find_sentence
from newsfold.summarize.render import STAGE_PHRASES as STAGE_WORDS  # the words `show` uses

MAX_CHART_OUTLETS = 14
"""Outlet rows in the coverage chart; the rest share one row."""


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


@dataclass(slots=True)
class Cite:
    article_id: str
    outlet: str
    href: str


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
            cites.append(Cite(aid, outlet, article_href(aid, pos)))
        return Cited(text, cites, max(0, len(ids) - MAX_CITED), dict(extra))


def story_view(brief: Brief, passages: Passages | None = None) -> dict[str, Any]:
    """The story page's data: the brief with every citation resolved to a link. ``passages``:
    the cited passages found already (:func:`newsfold.summarize.passages.cited_passages`, as a
    stored brief keeps them), so the articles' texts are not read again."""
    link = _Linker(brief, passages)
    summary = [link.cited(s.text, s.citations, (s.article_id, s.position)) for s in brief.summary]
    facts = [link.cited(f.text, f.articles, status=f.status, outlets=f.outlets,
                        agreed_on=f.agreed_on)
             for f in brief.facts[:MAX_FACTS]]
    conflicts = []
    for c in brief.conflicts:
        sides = [link.cited(s.text, s.articles, value=s.value) for s in c.sides]
        conflicts.append({"what": c.what, "compared": c.compared, "sides": sides,
                          "kind": c.kind})
    quotes = [link.cited(q.text, q.articles, speaker=q.speaker, evidence=q.evidence)
              for q in brief.quotes]
    timeline = [link.cited(t.text, t.articles, date=t.date, resolved_from=t.resolved_from)
                for t in brief.timeline]
    sources = [
        {"article": a, "href": article_href(a.id), "url": safe_url(a.url)} for a in brief.articles
    ]
    return {
        "summary": summary, "facts": facts, "more_facts": max(0, len(brief.facts) - MAX_FACTS),
        "conflicts": conflicts, "quotes": quotes, "timeline": timeline,
        "entities": brief.entities, "sources": sources, "chart": coverage_chart(brief.articles),
        "omitted": omissions(brief),
        "status_counts": {s: sum(1 for f in brief.facts if f.status == s)
                          for s in ("agreed", "single-source", "disputed")},
    }


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
    """Sentence index of ``article`` → what the brief uses it for (summary, fact, quote...)."""
    uses: dict[int, list[str]] = {}

    def mark(text: str, ids: list[str], why: str, pos: int | None = None) -> None:
        if article.id not in ids:
            return
        i = pos if pos is not None else find_sentence(article, text)
        if i is not None and why not in uses.setdefault(i, []):
            uses[i].append(why)

    for s in brief.summary:
        mark(s.text, s.citations, "summary", s.position if s.article_id == article.id else None)
    for f in brief.facts:
        mark(f.text, f.articles, f"{f.status} fact")
    for c in brief.conflicts:
        for side in c.sides:
            mark(side.text, side.articles, "disputed")
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


@dataclass(slots=True)
class ChartRow:
    label: str
    y: int
    count: int
    dots: list[dict[str, Any]] = field(default_factory=list)
    bar: float = 0.0


def coverage_chart(articles: list[Article]) -> dict[str, Any]:
    """Outlets over time as SVG coordinates: one row per outlet, one dot per article at its
    publication time; undated stories get a bar per outlet (article count)."""
    left, width, row_h, top = 240, 540, 22, 12
    order: dict[str, list[Article]] = {}
    for a in articles:
        order.setdefault(a.outlet, []).append(a)
    names = list(order)
    if len(names) > MAX_CHART_OUTLETS:
        keep = sorted(names, key=lambda n: -len(order[n]))[:MAX_CHART_OUTLETS - 1]
        kept = [n for n in names if n in keep]
        rest = [a for n in names if n not in keep for a in order[n]]
        groups = [(n, order[n]) for n in kept] + [(f"{len(names) - len(kept)} other outlets", rest)]
    else:
        groups = [(n, order[n]) for n in names]
    times = [t.timestamp() for a in articles if (t := parse_iso(a.published)) is not None]
    lo, hi = (min(times), max(times)) if times else (0.0, 0.0)
    span = hi - lo
    most = max((len(g) for _, g in groups), default=1)
    rows = []
    for k, (label, group) in enumerate(groups):
        row = ChartRow(label=label if len(label) <= 22 else label[:21] + "…",
                       y=top + k * row_h, count=len(group))
        row.bar = round(width * len(group) / most, 1)
        for a in group:
            t = parse_iso(a.published)
            if t is None:
                continue
            x = left + (width * (t.timestamp() - lo) / span if span else width / 2)
            row.dots.append({"x": round(x, 1), "title": f"{a.outlet}: {a.published}",
                             "href": article_href(a.id)})
        rows.append(row)
    ticks = []
    if times:
        for i in range(5 if span else 1):
            ts = lo + span * i / 4 if span else lo
            x = left + (width * i / 4 if span else width / 2)
            ticks.append({"x": round(x, 1), "label": _tick_label(ts, span)})
    return {
        "rows": rows, "dated": bool(times), "left": left, "width": width,
        "height": top + len(rows) * row_h + 28, "axis_y": top + len(rows) * row_h + 4,
        "ticks": ticks, "undated": len(articles) - len(times),
    }


def _tick_label(ts: float, span: float) -> str:
    from datetime import UTC, datetime

    dt = datetime.fromtimestamp(ts, UTC)
    if span and span < 3 * 86400:
        return dt.strftime("%b %d %H:%M")
    return dt.strftime("%Y-%m-%d")
