"""Which sentence of a cited article a brief's text is: the passage each citation links to.

A brief cites articles by id; the story page links each citation to the cited sentence
(``/articles/{id}#s-N``, N the sentence's index as
:func:`newsfold.compare.align.article_sentences` splits the article). :func:`find_sentence`
finds it in one article; :func:`cited_passages` finds every one the story page links, so a
stored brief (:mod:`newsfold.summarize.stored`) carries them and the page needs no article
text.
"""

from __future__ import annotations

from newsfold.compare.align import article_sentences, sentence_info
from newsfold.records import Article, Brief

MAX_FACTS = 60
"""Facts listed on the story page (all are in the JSON)."""
MAX_CITED = 12
"""Citation links shown per sentence before "and N more"."""
MATCH_MIN = 0.35
"""Content-term overlap a sentence needs to count as the cited passage in another article."""

Passages = dict[tuple[str, str], int | None]
"""(article id, cited text) → the index of the sentence of the article that reports the text,
None when none is close enough."""


def _terms(text: str) -> set[str]:
    return set(sentence_info(text).terms)


def find_sentence(article: Article, text: str) -> int | None:
    """Index of the sentence of ``article`` that reports ``text``: verbatim, else the best
    content-term overlap (None when nothing is close enough)."""
    sents = article_sentences(article.text)
    flat = " ".join(text.split())
    for i, s in enumerate(sents):
        if flat and flat in " ".join(s.split()):
            return i
    want = _terms(text)
    if not want:
        return None
    best, best_i = 0.0, None
    for i, s in enumerate(sents):
        have = _terms(s)
        if not have:
            continue
        score = len(want & have) / len(want | have)
        if score > best:
            best, best_i = score, i
    return best_i if best >= MATCH_MIN else None


def cited_passages(brief: Brief) -> Passages:
    """The passage of every citation the story page links (the first :data:`MAX_CITED` of
    each text's citations; the first :data:`MAX_FACTS` facts), found in ``brief``'s articles,
    which must carry their text. A summary sentence's own article is linked by its position,
    so it is not looked up."""
    by_id = {a.id: a for a in brief.articles}
    found: Passages = {}

    def add(text: str, ids: list[str], first: str | None = None) -> None:
        for aid in ids[:MAX_CITED]:
            if aid == first or (aid, text) in found:
                continue
            a = by_id.get(aid)
            found[aid, text] = find_sentence(a, text) if a is not None else None

    for s in brief.summary:
        add(s.text, s.citations, s.article_id)
    for f in brief.facts[:MAX_FACTS]:
        add(f.text, f.articles)
    for c in brief.conflicts:
        for side in c.sides:
            add(side.text, side.articles)
    for q in brief.quotes:
        add(q.text, q.articles)
    for t in brief.timeline:
        add(t.text, t.articles)
    return found
