"""Full-text search over the store (SQLite FTS5, the ``articles_fts`` index of migration 2).

A query is read as plain words, never as FTS5 syntax: every word (``\\w+``) is quoted and all of
them must occur (in the title or the text), so user input cannot raise a syntax error or reach
FTS5 operators. Articles are ranked by BM25 with the title weighing more than the text; stories
are the stories of the matching articles, ranked by their best match.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

MAX_TERMS = 16
"""Words of a query used at most (the rest are ignored)."""
TITLE_WEIGHT = 4.0
"""BM25 weight of the title column against 1.0 for the text."""
STORY_SCAN = 5000
"""Best-matching articles grouped into stories (bounds the cost of a very common word)."""

_OPEN, _CLOSE = "\x02", "\x03"
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for plain words, or None when there is no word."""
    words = _WORD_RE.findall(text or "")[:MAX_TERMS]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


@dataclass(slots=True)
class ArticleHit:
    id: str
    title: str
    story_id: str
    outlet: str
    published: str | None
    snippet: list[tuple[str, bool]] = field(default_factory=list)
    """The matching passage as (text, is_match) pieces: plain text, never markup."""

    @property
    def snippet_text(self) -> str:
        return "".join(t for t, _ in self.snippet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "article", "id": self.id, "title": self.title, "story_id": self.story_id,
            "outlet": self.outlet, "published": self.published, "snippet": self.snippet_text,
        }


@dataclass(slots=True)
class StoryHit:
    id: str
    headline: str
    articles: int
    outlets: int
    last_published: str | None
    matching_articles: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "story", "id": self.id, "headline": self.headline, "articles": self.articles,
            "outlets": self.outlets, "last_published": self.last_published,
            "matching_articles": self.matching_articles,
        }


@dataclass(slots=True)
class SearchResults:
    query: str
    total_articles: int = 0
    articles: list[ArticleHit] = field(default_factory=list)
    stories: list[StoryHit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total_articles": self.total_articles,
            "stories": [s.to_dict() for s in self.stories],
            "articles": [a.to_dict() for a in self.articles],
            "results": [s.to_dict() for s in self.stories] + [a.to_dict() for a in self.articles],
        }


def split_snippet(marked: str) -> list[tuple[str, bool]]:
    """Cut an FTS5 snippet with our markers into (text, is_match) pieces."""
    pieces: list[tuple[str, bool]] = []
    rest = marked
    while rest:
        start = rest.find(_OPEN)
        if start < 0:
            pieces.append((rest, False))
            break
        if start:
            pieces.append((rest[:start], False))
        end = rest.find(_CLOSE, start + 1)
        if end < 0:
            pieces.append((rest[start + 1:], True))
            break
        pieces.append((rest[start + 1:end], True))
        rest = rest[end + 1:]
    return [(t.replace(_OPEN, "").replace(_CLOSE, ""), m) for t, m in pieces if t]


def search_store(
    conn: sqlite3.Connection, query: str, limit: int = 20, offset: int = 0, story_limit: int = 10
) -> SearchResults:
    """Articles matching every word of ``query`` (best first) and the stories they belong to."""
    results = SearchResults(query=query)
    match = fts_query(query)
    if match is None:
        return results
    rank = f"bm25(articles_fts, {TITLE_WEIGHT}, 1.0)"
    results.total_articles = int(conn.execute(
        "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)
    ).fetchone()[0])
    if not results.total_articles:
        return results
    rows = conn.execute(
        "SELECT a.id, a.title, a.story_id, a.outlet, a.published,"
        f" snippet(articles_fts, 1, '{_OPEN}', '{_CLOSE}', '…', 24) AS snip"
        " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
        f" WHERE articles_fts MATCH ? ORDER BY {rank}, a.seq LIMIT ? OFFSET ?",
        (match, max(0, limit), max(0, offset)),
    ).fetchall()
    for r in rows:
        results.articles.append(ArticleHit(
            id=r[0], title=r[1], story_id=r[2], outlet=r[3], published=r[4],
            snippet=split_snippet(r[5] or ""),
        ))
    if offset == 0 and story_limit > 0:
        story_rows = conn.execute(
            "SELECT s.id, s.headline, s.article_count, s.outlet_count, s.last_published, m.n"
            " FROM (SELECT h.sid AS sid, MIN(h.r) AS r, COUNT(*) AS n FROM"
            "       (SELECT a.story_id AS sid, " + rank + " AS r"
            "        FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            "        WHERE articles_fts MATCH ? ORDER BY r LIMIT ?) AS h"
            "       GROUP BY h.sid) AS m"
            " JOIN stories s ON s.id = m.sid ORDER BY m.r, s.seq LIMIT ?",
            (match, STORY_SCAN, story_limit),
        ).fetchall()
        results.stories.extend(_story_hits(story_rows))
    return results


def search_postgres(
    conn: Any, query: str, limit: int = 20, offset: int = 0, story_limit: int = 10
) -> SearchResults:
    """:func:`search_store` on PostgreSQL (``conn``: a psycopg connection): the same words
    (every ``\\w+`` of the query must occur, no operators), the ``articles.fts`` tsvector and its
    GIN index, ``ts_rank`` with the title weighing :data:`TITLE_WEIGHT` times the text, and
    ``ts_headline`` for the snippet.

    The matches are ranked once (ranking reads each match's whole tsvector, the cost of a
    common word): the count, the page of articles and the stories all come from that one
    ranked list."""
    results = SearchResults(query=query)
    words = _WORD_RE.findall(query or "")[:MAX_TERMS]
    if not words:
        return results
    # plainto_tsquery: the words ANDed, read as plain text (nothing in them is an operator)
    tsq = "plainto_tsquery('simple'::regconfig, %(q)s)"
    rank = f"ts_rank('{{0, 0, {1.0 / TITLE_WEIGHT}, 1}}', a.fts, {tsq}, 1)"
    q = " ".join(words)
    ranked = conn.execute(f"SELECT a.seq, a.story_id, {rank} FROM articles a"
                          f" WHERE a.fts @@ {tsq}", {"q": q}).fetchall()
    results.total_articles = len(ranked)
    if not ranked:
        return results
    ranked.sort(key=lambda r: (-r[2], r[0]))  # best first, the older article on a tie
    page = [r[0] for r in ranked[max(0, offset):max(0, offset) + max(0, limit)]]
    if page:
        options = (f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=24, MinWords=12, ShortWord=0,"
                   " MaxFragments=1, FragmentDelimiter=…")
        rows = {r[0]: r[1:] for r in conn.execute(
            "SELECT a.seq, a.id, a.title, a.story_id, a.outlet, a.published,"
            f" ts_headline('simple'::regconfig, a.text, {tsq}, %(options)s),"
            " left(a.text, 40), right(a.text, 40) FROM articles a WHERE a.seq = ANY(%(seqs)s)",
            {"q": q, "options": options, "seqs": page}).fetchall()}
        for seq in page:
            r = rows[seq]
            results.articles.append(ArticleHit(
                id=r[0], title=r[1], story_id=r[2], outlet=r[3], published=r[4],
                snippet=split_snippet(_ellipsis(r[5] or "", r[6] or "", r[7] or "")),
            ))
    if offset == 0 and story_limit > 0:
        best: dict[str, tuple[float, int]] = {}
        for _seq, sid, r in ranked[:STORY_SCAN]:
            top, n = best.get(sid, (r, 0))
            best[sid] = (max(top, r), n + 1)
        info = {r[0]: r for r in conn.execute(
            "SELECT s.id, s.headline, s.article_count, s.outlet_count, s.last_published, s.seq"
            " FROM stories s WHERE s.id = ANY(%(ids)s)", {"ids": list(best)}).fetchall()}
        order = sorted(info, key=lambda sid: (-best[sid][0], info[sid][5]))[:story_limit]
        results.stories.extend(_story_hits([(*info[sid][:5], best[sid][1]) for sid in order]))
    return results


def _story_hits(rows: list[Any]) -> list[StoryHit]:
    """Story hits from rows of (id, headline, articles, outlets, last published, matching)."""
    return [StoryHit(id=r[0], headline=r[1], articles=r[2], outlets=r[3], last_published=r[4],
                     matching_articles=r[5]) for r in rows]


def _ellipsis(headline: str, head: str, tail: str) -> str:
    """``headline`` with '…' where it cuts the text (``head`` and ``tail``: the text's first
    and last characters), as FTS5's snippet marks it."""
    plain = headline.replace(_OPEN, "").replace(_CLOSE, "")
    words = plain.split()
    if not words:
        return headline
    if not head.lstrip().startswith(words[0]):
        headline = "…" + headline
    if not tail.rstrip().endswith(words[-1]):
        headline += "…"
    return headline
