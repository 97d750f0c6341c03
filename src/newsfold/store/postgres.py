"""The PostgreSQL store (the ``[postgres]`` extra: psycopg 3), chosen by a ``postgresql://``
address. Same tables, transactions and results as :class:`~newsfold.store.SQLiteStore`.

The write lock is a transaction-level advisory lock (``pg_advisory_xact_lock``) on one key per
database: every write transaction takes it first, so the writers' clustering decisions are made
one batch at a time, each after catching up with what the others committed (by the article and
merge sequence numbers, as on SQLite), and the lock goes with the commit. Reads never wait.
Full-text search runs on a generated ``tsvector`` column with a GIN index
(:func:`newsfold.store.search.search_postgres`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row

from ..errors import NotFoundError, StoreBusyError, StoreError
from ..records import Article, StoryInfo
from .base import LIST_ORDER, TABLES, BriefReads, NewRow, StoredRow, redact
from .migrations import POSTGRES_MIGRATIONS, SCHEMA_VERSION
from .search import SearchResults, search_postgres
from .sqlite import (
    _ARTICLE_COLUMNS,
    _BRIEF_UPSERT,
    _CACHE_WAIT,
    _STALE_BRIEFS,
    _STORY_ORDER,
    BUSY_TIMEOUT,
    _article_params,
    _split_sql,
    _to_article,
    _to_story,
    activity_ts,
)

log = logging.getLogger(__name__)

LOCK_KEY = 0x6E657773666F6C64
"""The advisory lock key of the write lock (the bytes of 'newsfold'); one lock per database."""
_PAGE = 2000
"""Rows read per query when a whole table is walked (in sequence order)."""
_PLACEHOLDER = re.compile(r"\?")
CONNECT_TIMEOUT = 10
"""Seconds to wait for the server when the address does not say (libpq waits for the
operating system's TCP timeout otherwise, minutes for an unreachable host)."""


def _sql(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


class PostgresStore(BriefReads):
    """Articles and stories in a PostgreSQL database. Every batch is written in one
    transaction under the database's write lock (an advisory lock); a writer that waits more
    than ``busy_timeout`` seconds for it raises :class:`StoreBusyError`."""

    def __init__(self, address: str, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = address
        self.busy_timeout = busy_timeout
        self._shown = redact(address)
        try:
            conninfo = address if "connect_timeout" in conninfo_to_dict(address) else \
                make_conninfo(address, connect_timeout=CONNECT_TIMEOUT)
            self.conn = _Connection.connect(conninfo, autocommit=True, cursor_factory=_Cursor)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot open database {self._shown!r}: {str(exc).strip()} (check the address "
                "postgresql://user@host/dbname and that the server is running, or pass another "
                "with --db / NEWSFOLD_DB)"
            ) from exc
        try:
            self._migrate()
        except BaseException:
            self.conn.close()
            raise

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Bring the schema up to date; the write lock only when a step is due (opening a
        store never waits for another writer's batch otherwise)."""
        if self._version() == SCHEMA_VERSION:
            return
        with self.transaction():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS newsfold_schema (version INTEGER NOT NULL)")
            if self.conn.execute("SELECT 1 FROM newsfold_schema").fetchone() is None:
                self.conn.execute("INSERT INTO newsfold_schema (version) VALUES (0)")
            version = self._version()  # again, under the lock: another may have migrated
            while version < SCHEMA_VERSION:
                for statement in _split_sql(POSTGRES_MIGRATIONS[version]):
                    self.conn.execute(statement)
                version += 1
                self.conn.execute("UPDATE newsfold_schema SET version = %s", (version,))
                log.info("database %s migrated to schema %d", self._shown, version)

    def _version(self) -> int:
        row = self.conn.execute("SELECT to_regclass('newsfold_schema') IS NOT NULL").fetchone()
        version = self._count("SELECT version FROM newsfold_schema") if row and row[0] else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database {self._shown!r} has schema version {version}, newer than this "
                f"newsfold ({SCHEMA_VERSION}); upgrade newsfold")
        return version

    def schema_version(self) -> int:
        return self._count("SELECT version FROM newsfold_schema")

    # -- transactions ---------------------------------------------------------------------
    def _in_transaction(self) -> bool:
        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def transaction(self, wait: float | None = None) -> _Transaction:
        """A write transaction holding the write lock (the advisory lock) from its start, so
        what is read inside it is what the writes build on. Nested, it joins the open one.
        ``wait``: seconds to wait for the lock (default: ``busy_timeout``)."""
        return _Transaction(self, self.busy_timeout if wait is None else wait)

    def snapshot(self) -> _Snapshot:
        """A read transaction (``REPEATABLE READ``): every read inside it sees one state."""
        return _Snapshot(self)

    def close(self) -> None:
        self.conn.close()

    # -- writing --------------------------------------------------------------------------
    def write_batch(self, rows: Iterable[NewRow], stories_touched: dict[str, str]) -> None:
        """Write articles and create or refresh their stories, all in one transaction
        (the text index is a generated column: PostgreSQL keeps it)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction(), self.conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}, published_ts, outlet, features,"
                " signature, ingested_at) VALUES (" + ",".join(["%s"] * 22) + ")",
                list(map(_article_params, rows, repeat(now))),
            )
            for story_id, headline in stories_touched.items():
                self._refresh_story(story_id, headline, now)

    def _refresh_story(self, story_id: str, headline: str, now: str) -> None:
        n, lo, hi, top, outlets = self.conn.execute(
            "SELECT COUNT(*), MIN(published_ts), MAX(published_ts), MAX(seq),"
            " COUNT(DISTINCT outlet) FROM articles WHERE story_id = %s", (story_id,),
        ).fetchone() or (0, None, None, None, 0)
        first = last = None
        if lo is not None:
            first = self._published_at(story_id, "ASC")
            last = self._published_at(story_id, "DESC")
        activity = activity_ts(hi, now)
        updated = self.conn.execute(
            "UPDATE stories SET article_count=%s, outlet_count=%s, first_published=%s,"
            " last_published=%s, last_ts=%s, updated_seq=%s, version=version+1,"
            " updated_at=%s, activity_ts=%s WHERE id=%s",
            (n, outlets, first, last, hi, top, now, activity, story_id),
        )
        if updated.rowcount == 0:
            self.conn.execute(
                "INSERT INTO stories (id, seq, headline, article_count, outlet_count,"
                " first_published, last_published, last_ts, updated_seq, created_at, version,"
                " updated_at, activity_ts)"
                " VALUES (%s, (SELECT COALESCE(MAX(seq), 0) + 1 FROM stories),"
                " %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, %s)",
                (story_id, headline, n, outlets, first, last, hi, top, now, now, activity),
            )

    def _published_at(self, story_id: str, order: str) -> str | None:
        row = self.conn.execute(
            f"SELECT published FROM articles WHERE story_id = %s AND published_ts IS NOT NULL"
            f" ORDER BY published_ts {order}, seq LIMIT 1",
            (story_id,),
        ).fetchone()
        return row[0] if row else None

    def set_compared(self, compared: dict[str, int]) -> None:
        """Record each story's member count at its last merge comparison."""
        with self.transaction(), self.conn.cursor() as cur:
            cur.executemany("UPDATE stories SET compared = %s WHERE id = %s",
                            [(n, sid) for sid, n in compared.items()])

    def compared(self, story_ids: Iterable[str] | None = None) -> dict[str, int]:
        """The recorded merge-comparison member count of ``story_ids`` (None: every story)."""
        if story_ids is None:
            cur = self.conn.execute("SELECT id, compared FROM stories WHERE compared > 0")
        else:
            cur = self.conn.execute("SELECT id, compared FROM stories WHERE id = ANY(%s)",
                                    (list(dict.fromkeys(story_ids)),))
        return {str(k): int(v) for k, v in cur.fetchall()}

    def set_headlines(self, headlines: dict[str, str]) -> None:
        with self.transaction(), self.conn.cursor() as cur:
            cur.executemany("UPDATE stories SET headline = %s WHERE id = %s",
                            [(h, s) for s, h in headlines.items()])

    # -- reading --------------------------------------------------------------------------
    def content_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The content hash of each of ``article_ids`` that is stored."""
        return dict(self.conn.execute(
            "SELECT id, content_hash FROM articles WHERE id = ANY(%s)",
            (list(dict.fromkeys(article_ids)),)).fetchall())

    def state_rows(self, after: int = 0) -> Iterator[StoredRow]:
        """The pipeline state of every article stored after sequence number ``after``, in the
        order they were added (read a page at a time)."""
        while True:
            rows = self.conn.execute(
                "SELECT seq, id, content_hash, duplicate_of, story_id, published, features,"
                " signature FROM articles WHERE seq > %s ORDER BY seq LIMIT %s",
                (after, _PAGE)).fetchall()
            for r in rows:
                yield StoredRow(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]),
                                None if r[7] is None else bytes(r[7]))
            if len(rows) < _PAGE:
                return
            after = rows[-1][0]

    def latest_published(self, n: int) -> list[str]:
        """The publication dates of the ``n`` latest dated articles, latest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT published FROM articles WHERE published_ts IS NOT NULL"
            " ORDER BY published_ts DESC LIMIT %s", (n,)).fetchall()]

    def marks(self) -> tuple[int, int]:
        """(the last article sequence number, the last merge record number)."""
        row = self.conn.execute(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM articles),"
            " (SELECT COALESCE(MAX(id), 0) FROM story_merges)").fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def article_count(self) -> int:
        return self._count("SELECT COUNT(*) FROM articles")

    def _count(self, sql: str, params: Sequence[Any] = ()) -> int:
        row = self.conn.execute(sql, params).fetchone()
        return 0 if row is None else int(row[0])

    def article(self, article_id: str) -> Article:
        row = self.conn.cursor(row_factory=dict_row).execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = %s", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError("article", article_id)
        return _to_article(row)

    def articles(self, story_id: str | None = None) -> Iterator[Article]:
        """All articles in the order they were added (or one story's, in publication order)."""
        cur = self.conn.cursor(row_factory=dict_row)
        if story_id is not None:
            rows = cur.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE story_id = %s {_STORY_ORDER}",
                (story_id,)).fetchall()
            for row in rows:
                yield _to_article(row)
            return
        after = 0
        while True:
            rows = cur.execute(
                f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles WHERE seq > %s ORDER BY seq"
                " LIMIT %s", (after, _PAGE)).fetchall()
            for row in rows:
                yield _to_article(row)
            if len(rows) < _PAGE:
                return
            after = rows[-1]["seq"]

    def story_articles(self, story_id: str) -> list[Article]:
        return list(self.articles(story_id))

    def story_heads(self, story_id: str) -> list[Article]:
        """A story's articles in publication order with only what picking its headline reads."""
        return [
            Article(id=aid, title=title, text=text, published=published, duplicate_of=dup)
            for aid, title, text, published, dup in self.conn.execute(
                "SELECT id, title, text, published, duplicate_of FROM articles"
                f" WHERE story_id = %s {_STORY_ORDER}", (story_id,)).fetchall()
        ]

    def has_story(self, story_id: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM stories WHERE id = %s", (story_id,)).fetchone() is not None

    def story_info(self, story_id: str) -> StoryInfo:
        row = self.conn.cursor(row_factory=dict_row).execute(
            "SELECT * FROM stories WHERE id = %s", (story_id,)).fetchone()
        if row is None:
            raise NotFoundError("story", story_id)
        return _to_story(row)

    def stories(self, limit: int | None = None, offset: int = 0) -> list[StoryInfo]:
        """Stories, most recent activity first."""
        rows = self.conn.cursor(row_factory=dict_row).execute(
            f"SELECT * FROM stories {LIST_ORDER} LIMIT %s OFFSET %s", (limit, offset)).fetchall()
        return [_to_story(r) for r in rows]

    def story_count(self) -> int:
        return self._count("SELECT COUNT(*) FROM stories")

    def merge_stories(self, pairs: list[tuple[str, str]]) -> None:
        """Move every article of each absorbed story into the kept one and record the merge,
        all in one transaction. ``pairs`` are (kept id, absorbed id), applied in order."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            for kept, old in pairs:
                self.conn.execute("UPDATE articles SET story_id = %s WHERE story_id = %s",
                                  (kept, old))
                self.conn.execute("UPDATE story_merges SET new_id = %s WHERE new_id = %s",
                                  (kept, old))
                self.conn.execute(
                    "INSERT INTO story_merges (old_id, new_id, merged_at) VALUES (%s, %s, %s)",
                    (old, kept, now))
                self.conn.execute("DELETE FROM stories WHERE id = %s", (old,))
                self.conn.execute("DELETE FROM briefs WHERE story_id = %s", (old,))
            for kept in dict.fromkeys(k for k, _ in pairs):
                if self.has_story(kept):
                    self._refresh_story(kept, "", now)

    def merged_into(self, story_id: str) -> str | None:
        """The story an absorbed story id now belongs to, or None."""
        row = self.conn.execute(
            "SELECT new_id FROM story_merges WHERE old_id = %s ORDER BY id DESC LIMIT 1",
            (story_id,)).fetchone()
        return None if row is None else str(row[0])

    def merges(self, after: int = 0) -> Iterator[tuple[str, str]]:
        """Every merge recorded after record number ``after`` as (absorbed id, id now)."""
        for old, new in self.conn.execute(
                "SELECT old_id, new_id FROM story_merges WHERE id > %s ORDER BY id",
                (after,)).fetchall():
            yield str(old), str(new)

    # -- entity mentions (a cache) ----------------------------------------------------------
    def get_mentions(self, model: str, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
        """The cached mentions of the sentences keyed ``keys`` that ``model`` has read."""
        out: dict[str, list[tuple[str, str]]] = {}
        for key, found in self.conn.execute(
                "SELECT text_key, mentions FROM entity_mentions WHERE model = %s"
                " AND text_key = ANY(%s)", (model, list(keys))).fetchall():
            out[key] = [(str(t), str(label)) for t, label in json.loads(found)]
        return out

    def put_mentions(self, model: str, mentions: dict[str, list[tuple[str, str]]]) -> None:
        """Keep ``model``'s mentions of sentences by key; a store that cannot be written now
        is left as it is (the cache only saves time)."""
        if not mentions:
            return
        rows = [(model, key, json.dumps(found, ensure_ascii=False))
                for key, found in mentions.items()]
        try:
            with self.transaction(wait=_CACHE_WAIT), self.conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO entity_mentions (model, text_key, mentions) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING", rows)
        except (psycopg.Error, StoreError) as exc:
            log.debug("entity mentions not cached: %s", exc)

    # -- stored briefs (see newsfold.summarize.stored) ----------------------------------------
    def put_briefs(self, briefs: Iterable[tuple[str, int, str, str]],
                   wait: float | None = None) -> None:
        """Keep briefs as (story id, version, recipe, body), in one transaction; an older
        version never replaces a newer one by the same recipe. The write lock is not taken
        (no decision of a writer reads briefs): ``wait`` bounds the wait for the rows of a
        brief another process is storing at the same time."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [(sid, version, recipe, body, now) for sid, version, recipe, body in briefs]
        if not rows:
            return
        wait = self.busy_timeout if wait is None else wait
        joined = self._in_transaction()
        try:
            if not joined:
                self.conn.execute("BEGIN")
                self.conn.execute(f"SET LOCAL lock_timeout = {max(1, int(wait * 1000))}")
            with self.conn.cursor() as cur:
                cur.executemany(_sql(_BRIEF_UPSERT), rows)
            if not joined:
                self.conn.execute("COMMIT")
        except pg_errors.LockNotAvailable as exc:
            if not joined:
                self.conn.execute("ROLLBACK")
            raise StoreBusyError(self._shown, wait) from exc
        except BaseException as exc:
            if not joined and not (self.conn.closed or self.conn.broken):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, psycopg.Error):
                raise StoreError(f"cannot write database {self._shown!r}: {exc}") from exc
            raise

    def stale_briefs(self, recipe: str) -> list[str]:
        """The stories with no stored brief by ``recipe`` from their present version, most
        recent activity first."""
        return [str(r[0]) for r in self.conn.execute(_sql(_STALE_BRIEFS), (recipe,)).fetchall()]

    def search(self, query: str, limit: int = 20, offset: int = 0, story_limit: int = 10
               ) -> SearchResults:
        """Full-text search (tsvector, GIN) over article titles and texts, and the stories."""
        return search_postgres(self.conn, query, limit=limit, offset=offset, story_limit=story_limit)

    # -- plain SQL and whole tables -----------------------------------------------------------
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of a query (``?`` placeholders), each a dict by column name."""
        return self.conn.cursor(row_factory=dict_row).execute(_sql(sql), params).fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement (``?`` placeholders)."""
        self.conn.execute(_sql(sql), params)

    def _columns(self, table: str) -> list[str]:
        if table not in TABLES:
            raise ValueError(f"no table {table!r}")
        return [r[0] for r in self.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " AND table_schema = current_schema() AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position", (table,)).fetchall()]

    def dump(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` with every stored column, in the order it was added."""
        names = ", ".join(self._columns(table))
        cur = self.conn.cursor(row_factory=dict_row)
        if table != "articles":
            order = {"stories": "seq", "story_merges": "id", "feeds": "added_at, url",
                     "fetched": "fetched_at, key", "entity_mentions": "model, text_key",
                     "briefs": "story_id"}[table]
            yield from cur.execute(f"SELECT {names} FROM {table} ORDER BY {order}").fetchall()
            return
        after = 0
        while True:  # a page at a time: the articles are most of a store
            rows = cur.execute(f"SELECT {names} FROM articles WHERE seq > %s ORDER BY seq"
                               " LIMIT %s", (after, _PAGE)).fetchall()
            for row in rows:
                if row["signature"] is not None:
                    row["signature"] = bytes(row["signature"])
                yield row
            if len(rows) < _PAGE:
                return
            after = rows[-1]["seq"]

    def load(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows of ``dump`` (from any store) into ``table`` (the caller holds a
        transaction); the sequences continue past the numbers loaded."""
        names = self._columns(table)
        sql = (f"INSERT INTO {table} ({', '.join(names)}) "
               f"VALUES ({', '.join(['%s'] * len(names))})")
        n = 0
        with self.conn.cursor() as cur:
            batch: list[list[Any]] = []
            for row in rows:
                batch.append([row.get(name) for name in names])
                if len(batch) >= _PAGE:
                    cur.executemany(sql, batch)
                    n, batch = n + len(batch), []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
        serial = {"articles": "seq", "story_merges": "id"}.get(table)
        if serial:
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{serial}'),"
                f" GREATEST((SELECT MAX({serial}) FROM {table}), 1),"
                f" (SELECT MAX({serial}) FROM {table}) IS NOT NULL)")
        return n


def _lost(conn: psycopg.Connection[Any], exc: psycopg.OperationalError) -> StoreError:
    return StoreError(
        f"database {redact(conn.info.dsn)!r} failed: {str(exc).strip()} "
        "(check that the PostgreSQL server is running and reachable, then run again)")


class _Connection(psycopg.Connection[Any]):
    """A connection whose loss (the server stopped or unreachable) is a :class:`StoreError`
    that says what to do, not a driver traceback."""

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().execute(*args, **kwargs)
        except pg_errors.LockNotAvailable:
            raise
        except psycopg.OperationalError as exc:
            if self.closed or self.broken:
                raise _lost(self, exc) from exc
            raise

    def cursor(self, *args: Any, **kwargs: Any) -> Any:
        if self.closed or self.broken:
            raise _lost(self, psycopg.OperationalError("the connection is closed"))
        return super().cursor(*args, **kwargs)


class _Cursor(psycopg.Cursor[Any]):
    """A cursor of :class:`_Connection`: a lost connection is a :class:`StoreError`."""

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().execute(*args, **kwargs)
        except pg_errors.LockNotAvailable:
            raise
        except psycopg.OperationalError as exc:
            if self.connection.closed or self.connection.broken:
                raise _lost(self.connection, exc) from exc
            raise

    def executemany(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().executemany(*args, **kwargs)
        except psycopg.OperationalError as exc:
            if self.connection.closed or self.connection.broken:
                raise _lost(self.connection, exc) from exc
            raise


class _Transaction:
    """``BEGIN`` and the advisory write lock … ``COMMIT`` (``ROLLBACK`` on an exception); nested,
    it joins the transaction already open. A lock not granted in time is a
    :class:`StoreBusyError`."""

    def __init__(self, store: PostgresStore, wait: float) -> None:
        self.store = store
        self.conn = store.conn
        self.wait = wait
        self.outer = False

    def __enter__(self) -> psycopg.Connection[Any]:
        if self.store._in_transaction():
            # joining: the lock is taken again (a no-op when the open one holds it)
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            return self.conn
        self.outer = True
        self.conn.execute("BEGIN")
        try:
            if self.wait <= 0:
                row = self.conn.execute("SELECT pg_try_advisory_xact_lock(%s)",
                                        (LOCK_KEY,)).fetchone()
                if not row or not row[0]:
                    raise StoreBusyError(self.store._shown, self.wait)
            else:
                self.conn.execute(f"SET LOCAL lock_timeout = {max(1, int(self.wait * 1000))}")
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                self.conn.execute("SET LOCAL lock_timeout = 0")
        except pg_errors.LockNotAvailable as exc:
            self.conn.execute("ROLLBACK")
            log.debug("write lock of %s not granted in %g s", self.store._shown, self.wait)
            raise StoreBusyError(self.store._shown, self.wait) from exc
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif not (self.conn.closed or self.conn.broken):
            self.conn.execute("ROLLBACK")


class _Snapshot:
    """``BEGIN ISOLATION LEVEL REPEATABLE READ`` … ``COMMIT``: reads see one state."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store
        self.outer = False

    def __enter__(self) -> psycopg.Connection[Any]:
        if not self.store._in_transaction():
            self.outer = True
            self.store.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        return self.store.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        conn = self.store.conn
        if self.outer and not (conn.closed or conn.broken) and self.store._in_transaction():
            conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
