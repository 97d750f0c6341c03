"""newsfold.summarize: extractive, cited summaries and the story brief.

* :func:`summarize` picks verbatim sentences by concept coverage under a hard word budget
  (:mod:`newsfold.summarize.select`) and cites, for each, the articles with a sentence aligned
  with it that says the same thing (:func:`_citing`).
* :func:`build_brief` adds the headline and everything :func:`newsfold.compare.compare` finds.
  Each part is built by a stage robust to any single article (:class:`newsfold.compare.Stages`):
  an article that makes a part fail is left out of that part and named in ``Brief.omitted``.
* :func:`render_markdown` and :func:`render_html` print a brief.

Words are counted as whitespace-separated tokens (``len(text.split())``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from newsfold.records import Article, Brief, SummarySentence
from newsfold.summarize.render import render_html, render_markdown
from newsfold.text import content_terms

if TYPE_CHECKING:
    from newsfold.compare.align import StoryAnalysis
    from newsfold.compare.entities import MentionCache

# The comparison code (and the stemmer it loads) is imported by the functions that build:
# printing a stored brief (newsfold show) needs only the records and their renderings.

__all__ = ["build_brief", "headline", "render_html", "render_markdown", "summarize"]

LEAD_CHARS = 400
"""Characters of an article's first paragraph searched for its first sentence (headlines)."""
_LEAD_END = re.compile(  # the end mark first, so the look-behinds run at marks only
    r"[.!?](?<!\b[A-Z][.!?])(?<!\bMr[.!?])(?<!\bMs[.!?])(?<!\bDr[.!?])(?<!\bSt[.!?])"
    r"(?<!\bMrs[.!?])(?<!\b(?:Sen|Rep|Gov|Gen)[.!?])"
    r"[\"'”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])"
)


def _lead(para: str) -> str:
    """The first sentence of a paragraph, found cheaply (headline scoring only needs its
    words): up to the first sentence end not after a title or an initial, within
    :data:`LEAD_CHARS` characters."""
    head = para[:LEAD_CHARS]
    m = _LEAD_END.search(head)
    return head[:m.end()].rstrip() if m else head


def _citing(sa: StoryAnalysis, unit: int) -> set[int]:
    """The articles a summary sentence cites: its own, and each article of its content group
    holding a sentence aligned with it directly that says the same thing
    (:meth:`StoryAnalysis.paraphrased_by`). An article joined to the group only through a
    third sentence, or sharing one figure or name with it in otherwise other words, is not
    cited: a citation says the article reports the sentence."""
    return {sa.units[unit].article} | (sa.paraphrased_by(unit) & set(sa.cluster_articles(unit)))


def _summary(sa: StoryAnalysis, max_words: int) -> list[SummarySentence]:
    from newsfold.compare.timeline import not_before
    from newsfold.summarize.select import select

    out = []
    for i in select(sa, max_words):
        unit = sa.units[i]
        arts = not_before(sa, i, _citing(sa, i))
        out.append(SummarySentence(
            text=unit.text,
            citations=sa.ids(arts),
            article_id=sa.articles[unit.article].id,
            position=unit.position,
        ))
    return out


def summarize(articles: list[Article], max_words: int = 120, *,
              analysis: StoryAnalysis | None = None) -> list[SummarySentence]:
    """Verbatim sentences covering the story's shared content in at most ``max_words`` words.

    Each sentence cites every article reporting the same content, including its own.
    ``analysis``: the articles' analysis (:func:`newsfold.compare.analyze`) when the caller
    has it already; computed here otherwise.
    """
    from newsfold.compare import analyze

    if not articles or max_words <= 0:
        return []
    return _summary(analysis if analysis is not None else analyze(list(articles)), max_words)


def headline(articles: list[Article]) -> str:
    """The title sharing the most content terms with the other articles' titles and leads.

    Duplicate copies are not counted as other articles; ties go to the earliest article.
    """
    titled = [(i, a) for i, a in enumerate(articles) if a.title and a.title.strip()]
    if not titled:
        return ""
    if len(titled) == 1:
        return titled[0][1].title.strip()
    groups = [a.duplicate_of or a.id for a in articles]
    title_terms = [set(content_terms(a.title or "")) for a in articles]
    lead_terms = []
    for a, tt in zip(articles, title_terms, strict=True):
        # the first sentence of the text is the first sentence of its first paragraph
        para = next((line for line in (a.text or "").splitlines() if line.strip()), "")
        lead_terms.append(tt | set(content_terms(_lead(para))))
    # A title's score counts, for every other copy group, the terms it shares with the title
    # and lead of the group's first article: in how many groups each term occurs, minus the
    # title's own group (linear in the story's size).
    first_of: dict[str, int] = {}
    for j, g in enumerate(groups):
        first_of.setdefault(g, j)
    in_groups: Counter[str] = Counter()
    for j in first_of.values():
        in_groups.update(lead_terms[j])
    best: tuple[float, int] | None = None
    best_title = titled[0][1].title
    for i, a in titled:
        terms = title_terms[i]
        if not terms:
            continue
        own = lead_terms[first_of[groups[i]]]
        shared = sum(in_groups[t] for t in terms) - len(terms & own)
        key = (shared / (len(terms) ** 0.5), -i)
        if best is None or key > best:
            best, best_title = key, a.title
    return best_title.strip()


def build_brief(story_id: str, articles: list[Article], max_words: int = 120, *,
                use_ner: bool = False, mentions_cache: MentionCache | None = None) -> Brief:
    """The full brief of one story: headline, cited summary, facts, conflicts and more
    (``use_ner``: typed entities from spaCy's model when it is installed; ``mentions_cache``:
    where the model's mentions are kept between briefs, the store).

    No single article makes it fail: one that makes a part fail is left out of that part,
    with the reason in ``Brief.omitted`` (and the log)."""
    from newsfold.compare import Stages

    articles = list(articles)
    stages = Stages(articles)
    sa = stages.analysis()  # once, for the comparison and the summary
    comp = stages.comparison(sa, use_ner=use_ner, mentions_cache=mentions_cache)
    summary: list[SummarySentence] = []
    if articles and max_words > 0:
        summary = stages.on_analysis("summary", sa, lambda part: _summary(part, max_words), list)
    return Brief(
        id=story_id,
        headline=stages.run("headline", stages.articles, headline, str),
        articles=articles,
        summary=summary,
        facts=comp.facts,
        conflicts=comp.conflicts,
        quotes=comp.quotes,
        entities=comp.entities,
        timeline=comp.timeline,
        coverage=comp.coverage,
        omitted=list(stages.omitted),
    )
