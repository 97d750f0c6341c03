"""The default store: one SQLite file (or ``:memory:``)."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

from ..errors import NotFoundError, StoreBusyError, StoreError
from ..records import Article, Removal, StoryInfo
from .base import LIST_ORDER, TABLES, BriefReads, NewRow, StoredRow
from .migrations import MIGRATIONS, SCHEMA_VERSION
from .search import SearchResults, search_store

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 30.0
"""Seconds a write waits for another process's write lock before giving up (the default)."""
_CACHE_WAIT = 0.5
"""Seconds a cache write (entity mentions) waits for the lock: the cache only saves time."""

_STORY_ORDER = "ORDER BY published_ts IS NULL, published_ts, seq"
"""A story's articles in publication order (undated last, then in the order they came)."""
_BRIEF_UPSERT = (
    "INSERT INTO briefs (story_id, version, recipe, body, built_at) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (story_id) DO UPDATE SET version = excluded.version,"
    " recipe = excluded.recipe, body = excluded.body, built_at = excluded.built_at"
    " WHERE briefs.recipe <> excluded.recipe OR briefs.version <= excluded.version"
)
"""Keep a brief unless the story's stored one was built from a later version (by the same
recipe): a slow builder never puts back an older brief over a newer one."""
_STALE_BRIEFS = (
    "SELECT s.id FROM stories s LEFT JOIN briefs b ON b.story_id = s.id"
    " WHERE b.story_id IS NULL OR b.version <> s.version OR b.recipe <> ?"
    " ORDER BY s.activity_ts DESC, s.updated_seq DESC, s.seq"
)
_ARTICLE_COLUMNS = (
    "id, title, text, url, source, published, language, author, raw, raw_format, origin, "
    "metadata, removed, wire, content_hash, duplicate_of, story_id"
)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


class SQLiteStore(BriefReads):
    """Articles and stories in SQLite. Every batch is written in one transaction.

    Several processes may write one file at once (two ingests, a server and an ingest): a
    write waits up to ``busy_timeout`` seconds for another's write lock, then raises
    :class:`StoreBusyError`, which names the database and what to do.
    """

    def __init__(self, path: str = "newsfold.db", busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                        timeout=busy_timeout)
            self.conn.row_factory = sqlite3.Row
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except StoreError:
            raise
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusyError(path, busy_timeout) from exc
            raise StoreError(
                f"cannot open database {path!r}: {exc} "
                "(check the path, or pass another with --db / NEWSFOLD_DB)"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open database {path!r}: {exc} "
                "(check the path, or pass another with --db / NEWSFOLD_DB)"
            ) from exc

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self._version()
        while version < SCHEMA_VERSION:
            with self.transaction():
                # read again under the write lock: another process may have just migrated
                version = self._version()
                if version >= SCHEMA_VERSION:
                    break
                for statement in _split_sql(MIGRATIONS[version]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")
            version += 1
            log.info("database %s migrated to schema %d", self.path, version)

    def _version(self) -> int:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database {self.path!r} has schema version {version}, newer than this newsfold "
                f"({SCHEMA_VERSION}); upgrade newsfold"
            )
        return version

    def transaction(self, wait: float | None = None) -> _Transaction:
        """A write transaction (``BEGIN IMMEDIATE``: the write lock is taken at the start, so
        what is read inside it is what the writes build on). Inside another transaction it
        joins that one. ``wait``: seconds to wait for the lock (default: ``busy_timeout``)."""
        return _Transaction(self, wait)

    def snapshot(self) -> _Snapshot:
        """A read transaction: every read inside it sees one state of the database, whatever
        other processes commit meanwhile (WAL readers never wait for writers)."""
        return _Snapshot(self.conn)

    def close(self) -> None:
        self.conn.close()

    # -- writing --------------------------------------------------------------------------
    def write_batch(self, rows: Iterable[NewRow], stories_touched: dict[str, str]) -> None:
        """Write articles and create or refresh their stories, all in one transaction.

        ``stories_touched`` maps each story id to the headline to use if it is new.
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            # Every new row gets a seq above the current maximum (AUTOINCREMENT), so the rows
            # of this batch are exactly those past it: the FTS index takes them in one
            # statement, in seq order, as one insert per row would.
            top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
            self.conn.executemany(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}, published_ts, outlet, features,"
                " signature, ingested_at) VALUES (" + ",".join("?" * 22) + ")",
                map(_article_params, rows, repeat(now)),
            )
            self.conn.execute(
                "INSERT INTO articles_fts (rowid, title, text)"
                " SELECT seq, title, text FROM articles WHERE seq > ? ORDER BY seq",
                (top,),
            )
            for story_id, headline in stories_touched.items():
                self._refresh_story(story_id, headline, now)

    def _refresh_story(self, story_id: str, headline: str, now: str) -> None:
        stats = self.conn.execute(
            "SELECT COUNT(*) AS n, MIN(published_ts) AS lo, MAX(published_ts) AS hi, MAX(seq) AS s"
            " FROM articles WHERE story_id = ?",
            (story_id,),
        ).fetchone()
        first = last = None
        if stats["lo"] is not None:
            first = self._published_at(story_id, "ASC")
            last = self._published_at(story_id, "DESC")
        outlets = self._outlet_count(story_id)
        exists = self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone()
        activity = activity_ts(stats["hi"], now)
        if exists:
            self.conn.execute(
                "UPDATE stories SET article_count=?, outlet_count=?, first_published=?,"
                " last_published=?, last_ts=?, updated_seq=?, version=version+1,"
                " updated_at=?, activity_ts=? WHERE id=?",
                (stats["n"], outlets, first, last, stats["hi"], stats["s"], now, activity,
                 story_id),
            )
        else:
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM stories").fetchone()[0]
            self.conn.execute(
                "INSERT INTO stories (id, seq, headline, article_count, outlet_count,"
                " first_published, last_published, last_ts, updated_seq, created_at, version,"
                " updated_at, activity_ts) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)",
                (story_id, seq, headline, stats["n"], outlets, first, last, stats["hi"],
                 stats["s"], now, now, activity),
            )

    def _published_at(self, story_id: str, order: str) -> str | None:
        row = self.conn.execute(
            f"SELECT published FROM articles WHERE story_id = ? AND published_ts IS NOT NULL"
            f" ORDER BY published_ts {order}, seq LIMIT 1",
            (story_id,),
        ).fetchone()
        return row[0] if row else None

    def _outlet_count(self, story_id: str) -> int:
        row = self.conn.execute(
            "SELECT COUNT(DISTINCT outlet) FROM articles WHERE story_id = ?", (story_id,)
        ).fetchone()
        return int(row[0])

    def set_compared(self, compared: dict[str, int]) -> None:
        """Record each story's member count at its last merge comparison (see
        :meth:`newsfold.cluster.Clusterer.settle`)."""
        with self.transaction():
            self.conn.executemany("UPDATE stories SET compared = ? WHERE id = ?",
                                  [(n, sid) for sid, n in compared.items()])

    def compared(self, story_ids: Iterable[str] | None = None) -> dict[str, int]:
        """The recorded merge-comparison member count of ``story_ids`` (None: every story)."""
        if story_ids is None:
            return {str(k): int(v) for k, v in
                    self.conn.execute("SELECT id, compared FROM stories WHERE compared > 0")}
        ids = list(dict.fromkeys(story_ids))
        out: dict[str, int] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ",".join("?" * len(part))
            out.update((str(k), int(v)) for k, v in self.conn.execute(
                f"SELECT id, compared FROM stories WHERE id IN ({marks})", part))  # noqa: S608
        return out

    def set_headlines(self, headlines: dict[str, str]) -> None:
        with self.transaction():
            self.conn.executemany(
                "UPDATE stories SET headline = ? WHERE id = ?",
                [(h, s) for s, h in headlines.items()],
            )

    # -- reading --------------------------------------------------------------------------
    def content_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The content hash of each of ``article_ids`` that is stored (one query per 500)."""
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ",".join("?" * len(part))
            out.update(self.conn.execute(
                f"SELECT id, content_hash FROM articles WHERE id IN ({marks})", part))
        return out

    def state_rows(self, after: int = 0) -> Iterator[StoredRow]:
        """The pipeline state of every article stored after sequence number ``after`` (0:
        all), in the order they were added."""
        cur = self.conn.execute(
            "SELECT seq, id, content_hash, duplicate_of, story_id, published, features,"
            " signature FROM articles WHERE seq > ? ORDER BY seq", (after,)
        )
        for r in cur:
            yield StoredRow(
                r["seq"], r["id"], r["content_hash"], r["duplicate_of"], r["story_id"],
                r["published"], json.loads(r["features"]), r["signature"],
            )

    def latest_published(self, n: int) -> list[str]:
        """The publication dates of the ``n`` latest dated articles, latest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT published FROM articles WHERE published_ts IS NOT NULL"
            " ORDER BY published_ts DESC LIMIT ?", (n,))]

    def marks(self) -> tuple[int, int]:
        """(the last article sequence number, the last merge record number): what a writer
        has seen of the store. Both only grow, so anything past them is new."""
        seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
        merge = self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM story_merges").fetchone()[0]
        return int(seq), int(merge)

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article(self, article_id: str) -> Article:
        row = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError("article", article_id)
        return _to_article(row)

    def articles(self, story_id: str | None = None) -> Iterator[Article]:
        """All articles in the order they were added (or one story's, in publication order)."""
        if story_id is None:
            cur = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq")
        else:
            cur = self.conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE story_id = ? {_STORY_ORDER}",
                (story_id,),
            )
        for row in cur:
            yield _to_article(row)

    def story_articles(self, story_id: str) -> list[Article]:
        return list(self.articles(story_id))

    def story_heads(self, story_id: str) -> list[Article]:
        """A story's articles in publication order with only what picking its headline reads
        (id, title, text, published, duplicate_of), cheaper than :meth:`story_articles`,
        which decodes every column."""
        return [
            Article(id=aid, title=title, text=text, published=published, duplicate_of=dup)
            for aid, title, text, published, dup in self.conn.execute(
                "SELECT id, title, text, published, duplicate_of FROM articles"
                f" WHERE story_id = ? {_STORY_ORDER}",
                (story_id,),
            )
        ]

    def has_story(self, story_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None

    def story_info(self, story_id: str) -> StoryInfo:
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFoundError("story", story_id)
        return _to_story(row)

    def stories(self, limit: int | None = None, offset: int = 0) -> list[StoryInfo]:
        """Stories, most recent activity first (see :data:`LIST_ORDER`)."""
        sql = f"SELECT * FROM stories {LIST_ORDER} LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, (-1 if limit is None else limit, offset)).fetchall()
        return [_to_story(r) for r in rows]

    def story_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def merge_stories(self, pairs: list[tuple[str, str]]) -> None:
        """Move every article of each absorbed story into the kept one and record the merge,
        all in one transaction. ``pairs`` are (kept id, absorbed id), applied in order."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            for kept, old in pairs:
                self.conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (kept, old))
                self.conn.execute("UPDATE story_merges SET new_id = ? WHERE new_id = ?", (kept, old))
                self.conn.execute(
                    "INSERT INTO story_merges (old_id, new_id, merged_at) VALUES (?, ?, ?)",
                    (old, kept, now),
                )
                self.conn.execute("DELETE FROM stories WHERE id = ?", (old,))
                self.conn.execute("DELETE FROM briefs WHERE story_id = ?", (old,))
            for kept in dict.fromkeys(k for k, _ in pairs):
                if self.has_story(kept):
                    self._refresh_story(kept, "", now)

    def merged_into(self, story_id: str) -> str | None:
        """The story an absorbed story id now belongs to, or None."""
        row = self.conn.execute(
            "SELECT new_id FROM story_merges WHERE old_id = ? ORDER BY rowid DESC LIMIT 1",
            (story_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def merges(self, after: int = 0) -> Iterator[tuple[str, str]]:
        """Every merge recorded after record number ``after`` (0: all) as (absorbed id, the
        id it goes by now), oldest first."""
        for old, new in self.conn.execute(
                "SELECT old_id, new_id FROM story_merges WHERE rowid > ? ORDER BY rowid",
                (after,)):
            yield str(old), str(new)

    # -- entity mentions (a cache: see newsfold.compare.entities) ---------------------------
    def get_mentions(self, model: str, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
        """The cached mentions of the sentences keyed ``keys`` that ``model`` has read."""
        out: dict[str, list[tuple[str, str]]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT text_key, mentions FROM entity_mentions WHERE model = ? "  # noqa: S608
                f"AND text_key IN ({marks})", [model, *chunk]
            ):
                out[row[0]] = [(str(t), str(label)) for t, label in json.loads(row[1])]
        return out

    def put_mentions(self, model: str, mentions: dict[str, list[tuple[str, str]]]) -> None:
        """Keep ``model``'s mentions of sentences by key. A database that cannot be written
        (read-only, locked by a long write) is left as it is: the cache only saves time."""
        if not mentions:
            return
        rows = [(model, key, json.dumps(found, ensure_ascii=False))
                for key, found in mentions.items()]
        try:
            with self.transaction(wait=_CACHE_WAIT) as conn:
                conn.executemany(
                    "INSERT OR IGNORE INTO entity_mentions (model, text_key, mentions) "
                    "VALUES (?, ?, ?)", rows)
        except (sqlite3.OperationalError, StoreError) as exc:
            log.debug("entity mentions not cached: %s", exc)

    # -- stored briefs (see newsfold.summarize.stored) ----------------------------------------
    def put_briefs(self, briefs: Iterable[tuple[str, int, str, str]],
                   wait: float | None = None) -> None:
        """Keep briefs as (story id, version, recipe, body), in one transaction; an older
        version never replaces a newer one by the same recipe."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [(sid, version, recipe, body, now) for sid, version, recipe, body in briefs]
        if not rows:
            return
        try:
            with self.transaction(wait=wait) as conn:
                conn.executemany(_BRIEF_UPSERT, rows)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write database {self.path!r}: {exc}") from exc

    def stale_briefs(self, recipe: str) -> list[str]:
        """The stories with no stored brief by ``recipe`` from their present version, most
        recent activity first."""
        return [str(r[0]) for r in self.conn.execute(_STALE_BRIEFS, (recipe,))]

    def search(self, query: str, limit: int = 20, offset: int = 0, story_limit: int = 10
               ) -> SearchResults:
        """Full-text search (FTS5) over article titles and texts, and the stories they fold into."""
        return search_store(self.conn, query, limit=limit, offset=offset, story_limit=story_limit)

    # -- plain SQL and whole tables ----------------------------------------------------------------
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of a query (``?`` placeholders), each a dict by column name."""
        return [dict(r) for r in self.conn.execute(sql, tuple(params))]

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement (``?`` placeholders)."""
        self.conn.execute(sql, tuple(params))

    def dump(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` with every stored column, in the order it was added."""
        if table not in TABLES:
            raise ValueError(f"no table {table!r}")
        if table == "story_merges":
            sql = "SELECT rowid AS id, old_id, new_id, merged_at FROM story_merges ORDER BY rowid"
        else:
            sql = f"SELECT * FROM {table} ORDER BY " + (  # noqa: S608
                "seq" if table in ("articles", "stories") else "model, text_key"
                if table == "entity_mentions" else "story_id" if table == "briefs" else "rowid")
        for r in self.conn.execute(sql):
            yield dict(r)

    def load(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows of ``dump`` (from any store) into ``table`` (the caller holds a
        transaction); the full-text index takes the articles."""
        if table not in TABLES:
            raise ValueError(f"no table {table!r}")
        names = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
        if table == "story_merges":
            names = ["rowid", *names]
        n = 0
        top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
        sql = (f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608
               f"VALUES ({', '.join('?' * len(names))})")
        for row in rows:
            values = {"rowid": row.get("id"), **row}
            self.conn.execute(sql, [values.get(name) for name in names])
            n += 1
        if table == "articles":
            self.conn.execute(
                "INSERT INTO articles_fts (rowid, title, text)"
                " SELECT seq, title, text FROM articles WHERE seq > ? ORDER BY seq", (top,))
        return n


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception); nested, it joins the
    transaction already open. A lock not granted in time is a :class:`StoreBusyError`."""

    def __init__(self, store: SQLiteStore, wait: float | None) -> None:
        self.store = store
        self.conn = store.conn
        self.wait = wait
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if self.conn.in_transaction:
            return self.conn
        self.outer = True
        wait = self.store.busy_timeout if self.wait is None else self.wait
        if wait != self.store.busy_timeout:
            self.conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                log.debug("write lock of %s not granted in %g s", self.store.path, wait)
                raise StoreBusyError(self.store.path, wait) from exc
            raise StoreError(f"cannot write database {self.store.path!r}: {exc}") from exc
        finally:
            if wait != self.store.busy_timeout:
                self.conn.execute(
                    f"PRAGMA busy_timeout = {int(self.store.busy_timeout * 1000)}")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


class _Snapshot:
    """``BEGIN`` (deferred) … ``COMMIT``: reads in between see one state of the database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if not self.conn.in_transaction:
            self.outer = True
            self.conn.execute("BEGIN")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.outer and self.conn.in_transaction:
            self.conn.execute("COMMIT")


def _article_params(row: NewRow, now: str) -> tuple[Any, ...]:
    a = row.article
    dt = a.published_at
    return (
        a.id, a.title, a.text, a.url, a.source, a.published, a.language, a.author,
        a.raw, a.raw_format, a.origin,
        json.dumps(a.metadata, ensure_ascii=False, default=str),
        json.dumps([[r.kind, r.text] for r in a.removed], ensure_ascii=False),
        int(a.wire), a.content_hash, a.duplicate_of, a.story_id,
        dt.timestamp() if dt else None, a.outlet,
        json.dumps(row.features, ensure_ascii=False, separators=(",", ":")),
        row.signature, now,
    )


def activity_ts(last_ts: float | None, now: str) -> float:
    """A story's activity time (seconds since the epoch): its latest publication time
    ``last_ts`` when it has a dated article, else ``now``, the wall-clock time of the write
    that last added to it (ISO 8601)."""
    return float(last_ts) if last_ts is not None else datetime.fromisoformat(now).timestamp()


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _to_article(row: Mapping[str, Any]) -> Article:
    return Article(
        id=row["id"], title=row["title"], text=row["text"], url=row["url"],
        source=row["source"], published=row["published"], language=row["language"],
        author=row["author"], raw=row["raw"], raw_format=row["raw_format"], origin=row["origin"],
        metadata=json.loads(row["metadata"]),
        removed=[Removal(k, t) for k, t in json.loads(row["removed"])],
        wire=bool(row["wire"]), content_hash=row["content_hash"],
        duplicate_of=row["duplicate_of"], story_id=row["story_id"],
    )


def _to_story(row: Mapping[str, Any]) -> StoryInfo:
    return StoryInfo(
        id=row["id"], headline=row["headline"], articles=row["article_count"],
        outlets=row["outlet_count"], first_published=row["first_published"],
        last_published=row["last_published"], created_seq=row["seq"],
    )
