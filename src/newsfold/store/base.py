"""What the rest of newsfold asks of a store: one contract, two implementations (SQLite, the
default; PostgreSQL, :mod:`newsfold.store.postgres`).

The pipeline decides each batch inside :meth:`Store.transaction` (the store's write lock) after
catching up with what other writers stored, by the sequence numbers of :meth:`Store.marks`;
readers (the API, the web pages) use the reading methods. The feed state
(:mod:`newsfold.store.feeds`) is plain SQL written once with ``?`` placeholders, run through
:meth:`Store.rows` and :meth:`Store.run`, which each store adapts to its dialect.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from ..errors import NotFoundError
from ..records import Article, StoryInfo
from .search import SearchResults

__all__ = ["TABLES", "NewRow", "Store", "StoredRow", "redact"]

TABLES = ("articles", "stories", "story_merges", "feeds", "fetched", "entity_mentions",
          "briefs")
"""Every table a store keeps, in the order a copy loads them (``newsfold migrate``)."""


def redact(address: str) -> str:
    """``address`` without its password, for messages (a file path is left as it is)."""
    parts = urlsplit(address)
    if not parts.scheme or parts.password is None:
        return address
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (
        f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(slots=True)
class StoredRow:
    """The per-article state that deduplication and clustering rebuild from on a new run."""

    seq: int
    id: str
    content_hash: str
    duplicate_of: str | None
    story_id: str
    published: str | None
    features: dict[str, Any]
    signature: bytes | None


@dataclass(slots=True)
class NewRow:
    """An article ready to be written, with the state its stages computed."""

    article: Article
    features: dict[str, Any]
    signature: bytes | None


class Store(Protocol):
    """Articles, stories, merges, feeds and caches, with transactions and sequence numbers."""

    path: str
    """The address the store was opened with (a file, ``:memory:``, ``postgresql://...``)."""

    # -- transactions -------------------------------------------------------------------------
    def transaction(self, wait: float | None = None) -> AbstractContextManager[object]:
        """A write transaction holding the store's write lock from its start (so what is read
        inside it is what the writes build on); nested, it joins the open one. ``wait``:
        seconds to wait for the lock before :class:`~newsfold.errors.StoreBusyError`."""
        ...

    def snapshot(self) -> AbstractContextManager[object]:
        """A read transaction: every read inside it sees one state of the store."""
        ...

    def close(self) -> None: ...

    # -- writing ------------------------------------------------------------------------------
    def write_batch(self, rows: Iterable[NewRow], stories_touched: dict[str, str]) -> None:
        """Write articles and create or refresh their stories in one transaction."""
        ...

    def merge_stories(self, pairs: list[tuple[str, str]]) -> None:
        """Fold each (kept, absorbed) pair, recording the merge, in one transaction."""
        ...

    def set_compared(self, compared: dict[str, int]) -> None: ...

    def set_headlines(self, headlines: dict[str, str]) -> None: ...

    # -- the pipeline's state and catch-up -------------------------------------------------------
    def marks(self) -> tuple[int, int]:
        """(last article sequence number, last merge record number); both only grow."""
        ...

    def state_rows(self, after: int = 0) -> Iterator[StoredRow]: ...

    def latest_published(self, n: int) -> list[str]:
        """The publication dates of the ``n`` latest dated articles, latest first."""
        ...

    def merges(self, after: int = 0) -> Iterator[tuple[str, str]]: ...

    def compared(self, story_ids: Iterable[str] | None = None) -> dict[str, int]: ...

    def content_hashes(self, article_ids: Iterable[str]) -> dict[str, str]: ...

    # -- reading ------------------------------------------------------------------------------
    def article_count(self) -> int: ...

    def article(self, article_id: str) -> Article: ...

    def articles(self, story_id: str | None = None) -> Iterator[Article]: ...

    def story_articles(self, story_id: str) -> list[Article]: ...

    def story_heads(self, story_id: str) -> list[Article]: ...

    def has_story(self, story_id: str) -> bool: ...

    def story_info(self, story_id: str) -> StoryInfo: ...

    def stories(self, limit: int | None = None, offset: int = 0) -> list[StoryInfo]: ...

    def story_count(self) -> int: ...

    def merged_into(self, story_id: str) -> str | None: ...

    def search(self, query: str, limit: int = 20, offset: int = 0, story_limit: int = 10
               ) -> SearchResults:
        """Articles matching every word of ``query``, best first (a page of ``limit`` from
        ``offset``), and on the first page the ``story_limit`` best-matching stories."""
        ...

    # -- the entity-mention cache ------------------------------------------------------------------
    def get_mentions(self, model: str, keys: list[str]) -> dict[str, list[tuple[str, str]]]: ...

    def put_mentions(self, model: str, mentions: dict[str, list[tuple[str, str]]]) -> None: ...

    # -- stored briefs (see newsfold.summarize.stored) -------------------------------------------
    def story_version(self, story_id: str) -> int:
        """The story's change counter: it grows whenever the story's articles change (an
        article added, a story merged in). Raises NotFoundError for an unknown id."""
        ...

    def get_brief(self, story_id: str, recipe: str) -> tuple[int, str] | None:
        """The stored brief of ``story_id`` built by ``recipe``, as (the story version it was
        built from, its body), or None."""
        ...

    def put_briefs(self, briefs: Iterable[tuple[str, int, str, str]],
                   wait: float | None = None) -> None:
        """Keep briefs as (story id, story version, recipe, body), each replacing the story's
        stored one unless that one was built from a later version by the same recipe.
        ``wait``: seconds to wait for the write lock (StoreBusyError after)."""
        ...

    def stale_briefs(self, recipe: str) -> list[str]:
        """The ids of the stories with no stored brief built by ``recipe`` from their present
        version, most recent activity first (the order of :meth:`stories`)."""
        ...

    def current_briefs(self, story_ids: Iterable[str], recipe: str) -> dict[str, str]:
        """Story id → body of each of ``story_ids`` whose stored brief by ``recipe`` was built
        from the story's present version."""
        ...

    def story_activity(self, story_ids: Iterable[str]) -> dict[str, datetime]:
        """The activity time (UTC) of each of ``story_ids`` that is stored: the key of the
        story list's order, its latest publication time when an article of it is dated, else
        when newsfold last added an article to it."""
        ...

    # -- plain SQL (``?`` placeholders; each store adapts them) and whole tables ------------------
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of a query, each a dict by column name."""
        ...

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement (inside :meth:`transaction` when it writes)."""
        ...

    def dump(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` (one of :data:`TABLES`) with every stored column, in the
        order it was added (merges with their record number as ``id``)."""
        ...

    def load(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows of :meth:`dump` (from any store) into ``table``; return how many. The
        caller holds a :meth:`transaction`."""
        ...


LIST_ORDER = "ORDER BY activity_ts DESC, updated_seq DESC, seq"
"""The story list's order: most recent activity first (a story's latest publication time, or
when newsfold last added to an undated one), then the story updated last, then the oldest
story; every story is ordered, ties included. The index ``stories_activity_order`` (migration
8) is this order term for term, so a page walks it from its offset."""


class BriefReads:
    """The stored-brief and story-activity reads both stores answer alike, through their own
    :meth:`Store.rows` (``?`` placeholders in either dialect)."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def story_version(self, story_id: str) -> int:
        """The story's change counter (grows whenever its articles change)."""
        found = self.rows("SELECT version FROM stories WHERE id = ?", (story_id,))
        if not found:
            raise NotFoundError("story", story_id)
        return int(found[0]["version"])

    def get_brief(self, story_id: str, recipe: str) -> tuple[int, str] | None:
        """The stored brief of ``story_id`` by ``recipe``: (the version it was built from,
        its body), or None."""
        found = self.rows("SELECT version, body FROM briefs WHERE story_id = ? AND recipe = ?",
                          (story_id, recipe))
        return None if not found else (int(found[0]["version"]), str(found[0]["body"]))

    def _rows_in(self, sql: str, ids: Iterable[str], params: Sequence[Any] = ()
                 ) -> Iterator[dict[str, Any]]:
        """The rows of ``sql`` whose ``{ids}`` is filled with placeholders for ``ids``
        (distinct, 500 a query), ``params`` first."""
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            part = unique[start:start + 500]
            yield from self.rows(sql.format(ids=",".join("?" * len(part))), [*params, *part])

    def current_briefs(self, story_ids: Iterable[str], recipe: str) -> dict[str, str]:
        """Story id → body of each of ``story_ids`` whose stored brief by ``recipe`` was built
        from the story's present version."""
        return {str(r["story_id"]): str(r["body"]) for r in self._rows_in(
            "SELECT b.story_id, b.body FROM briefs b JOIN stories s ON s.id = b.story_id"
            " WHERE b.recipe = ? AND b.version = s.version AND b.story_id IN ({ids})",
            story_ids, [recipe])}

    def story_activity(self, story_ids: Iterable[str]) -> dict[str, datetime]:
        """The activity time (UTC) of each of ``story_ids`` that is stored."""
        return {str(r["id"]): datetime.fromtimestamp(float(r["activity_ts"]), UTC)
                for r in self._rows_in(
                    "SELECT id, activity_ts FROM stories WHERE id IN ({ids})", story_ids)}
