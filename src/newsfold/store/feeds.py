"""Feeds and fetch state in the store: subscriptions, conditional-GET validators, poll times,
and the URLs and GUIDs already fetched (so none is fetched twice).

Plain functions over any :class:`~newsfold.store.Store` (schema migration 3): the SQL is
written once, with ``?`` placeholders, in the part of SQL both SQLite and PostgreSQL read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .base import Store

__all__ = [
    "FeedRow", "add_feed", "due_feeds", "feed", "feeds", "known_article", "mark_fetched",
    "next_poll_ts", "record_poll",
]


@dataclass(slots=True)
class FeedRow:
    url: str
    title: str | None
    subscribed: bool
    interval_s: float | None
    """The interval set with ``feeds add --interval`` (None: from the feed's TTL or default)."""
    ttl_s: float | None
    """The interval the feed itself asks for (RSS ``<ttl>``, ``sy:updatePeriod``)."""
    etag: str | None
    last_modified: str | None
    added_at: str
    last_polled_at: str | None
    last_ok_at: str | None
    next_poll_ts: float
    failures: int
    last_error: str | None
    items_stored: int

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(row: dict[str, Any]) -> FeedRow:
    return FeedRow(
        url=row["url"], title=row["title"], subscribed=bool(row["subscribed"]),
        interval_s=row["interval_s"], ttl_s=row["ttl_s"], etag=row["etag"],
        last_modified=row["last_modified"], added_at=row["added_at"],
        last_polled_at=row["last_polled_at"], last_ok_at=row["last_ok_at"],
        next_poll_ts=row["next_poll_ts"], failures=row["failures"], last_error=row["last_error"],
        items_stored=row["items_stored"],
    )


def add_feed(store: Store, url: str, *, title: str | None = None,
             interval_s: float | None = None, subscribed: bool = True) -> bool:
    """Add (or re-subscribe) a feed. True when it was not subscribed before."""
    existing = feed(store, url)
    with store.transaction():
        if existing is None:
            store.run(
                "INSERT INTO feeds (url, title, subscribed, interval_s, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (url, title, int(subscribed), interval_s, _now()),
            )
            return subscribed
        store.run(
            "UPDATE feeds SET subscribed = CASE WHEN ? = 1 THEN 1 ELSE subscribed END, title = COALESCE(?, title), "
            "interval_s = COALESCE(?, interval_s) WHERE url = ?",
            (int(subscribed), title, interval_s, url),
        )
        return subscribed and not existing.subscribed


def feed(store: Store, url: str) -> FeedRow | None:
    rows = store.rows("SELECT * FROM feeds WHERE url = ?", (url,))
    return _row(rows[0]) if rows else None


def feeds(store: Store, *, subscribed_only: bool = True) -> list[FeedRow]:
    sql = "SELECT * FROM feeds" + (" WHERE subscribed = 1" if subscribed_only else "")
    return [_row(r) for r in store.rows(sql + " ORDER BY added_at, url")]


def due_feeds(store: Store, now_ts: float) -> list[FeedRow]:
    """Subscribed feeds whose next poll time has come, most overdue first."""
    rows = store.rows(
        "SELECT * FROM feeds WHERE subscribed = 1 AND next_poll_ts <= ? ORDER BY next_poll_ts, url",
        (now_ts,),
    )
    return [_row(r) for r in rows]


def record_poll(
    store: Store, url: str, *, ok: bool, next_poll_ts: float, error: str | None = None,
    etag: str | None = None, last_modified: str | None = None, ttl_s: float | None = None,
    title: str | None = None, stored: int = 0,
) -> None:
    """Remember one poll of a feed (creating an unsubscribed row for a feed never added)."""
    now = _now()
    if feed(store, url) is None:
        add_feed(store, url, title=title, subscribed=False)
    with store.transaction():
        if ok:
            store.run(
                "UPDATE feeds SET last_polled_at = ?, last_ok_at = ?, next_poll_ts = ?, failures = 0,"
                " last_error = NULL, etag = COALESCE(?, etag),"
                " last_modified = COALESCE(?, last_modified), ttl_s = COALESCE(?, ttl_s),"
                " title = COALESCE(title, ?), items_stored = items_stored + ? WHERE url = ?",
                (now, now, next_poll_ts, etag, last_modified, ttl_s, title, stored, url),
            )
        else:
            store.run(
                "UPDATE feeds SET last_polled_at = ?, next_poll_ts = ?, failures = failures + 1,"
                " last_error = ? WHERE url = ?",
                (now, next_poll_ts, error, url),
            )


def known_article(store: Store, keys: Iterable[str], article_id: str | None = None) -> str | None:
    """How one of ``keys`` (normalised URLs, ``guid:...``) or ``article_id`` is already known:
    ``'stored'`` (an article is in the store), another fetch status, or None when unknown.

    A ``stored`` mark whose article is missing (a run killed before its batch was written) does
    not count.
    """
    keys = list(dict.fromkeys(keys))
    if article_id is not None and store.rows(
        "SELECT 1 AS found FROM articles WHERE id = ?", (article_id,)
    ):
        return "stored"
    for key in keys:
        rows = store.rows(
            "SELECT f.status, a.id AS present FROM fetched f LEFT JOIN articles a "
            "ON a.id = f.article_id WHERE f.key = ?", (key,),
        )
        if rows and (rows[0]["status"] != "stored" or rows[0]["present"] is not None):
            return str(rows[0]["status"])
        if not key.startswith("guid:") and store.rows(
            "SELECT 1 AS found FROM articles WHERE url = ? LIMIT 1", (key,)
        ):
            return "stored"
    return None


def mark_fetched(store: Store, keys: Iterable[str], *, url: str | None,
                 article_id: str | None, status: str) -> None:
    """Remember that the URL/GUID ``keys`` were fetched (``status``: stored, no-text...)."""
    now = _now()
    with store.transaction():
        for key in dict.fromkeys(keys):
            store.run(
                "INSERT INTO fetched (key, url, article_id, status, fetched_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(key) DO UPDATE SET url = excluded.url, article_id = excluded.article_id,"
                " status = excluded.status, fetched_at = excluded.fetched_at",
                (key, url, article_id, status, now),
            )


def next_poll_ts(store: Store) -> float | None:
    """The earliest next poll time of the subscribed feeds (None: no feed)."""
    rows = store.rows("SELECT MIN(next_poll_ts) AS next FROM feeds WHERE subscribed = 1")
    return None if not rows or rows[0]["next"] is None else float(rows[0]["next"])
