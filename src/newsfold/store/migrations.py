"""Every schema change, in order, for each store: :data:`MIGRATIONS` for SQLite (``PRAGMA
user_version`` records how many have run) and :data:`POSTGRES_MIGRATIONS` for PostgreSQL (the
``newsfold_schema`` table records it). Step *n* makes the same tables in both; a new step is
added to both lists."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, stories, merges
    """
    CREATE TABLE articles (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        id            TEXT NOT NULL UNIQUE,
        title         TEXT NOT NULL,
        text          TEXT NOT NULL,
        url           TEXT,
        source        TEXT,
        published     TEXT,
        published_ts  REAL,
        language      TEXT,
        author        TEXT,
        raw           TEXT NOT NULL,
        raw_format    TEXT NOT NULL,
        origin        TEXT NOT NULL,
        metadata      TEXT NOT NULL DEFAULT '{}',
        removed       TEXT NOT NULL DEFAULT '[]',
        wire          INTEGER NOT NULL DEFAULT 0,
        content_hash  TEXT NOT NULL,
        duplicate_of  TEXT,
        story_id      TEXT NOT NULL,
        outlet        TEXT NOT NULL,
        features      TEXT NOT NULL DEFAULT '{}',
        signature     BLOB,
        ingested_at   TEXT NOT NULL
    );
    CREATE INDEX articles_story ON articles (story_id, published_ts);
    CREATE INDEX articles_hash ON articles (content_hash);
    CREATE TABLE stories (
        id               TEXT PRIMARY KEY,
        seq              INTEGER NOT NULL UNIQUE,
        headline         TEXT NOT NULL,
        article_count    INTEGER NOT NULL DEFAULT 0,
        outlet_count     INTEGER NOT NULL DEFAULT 0,
        first_published  TEXT,
        last_published   TEXT,
        last_ts          REAL,
        updated_seq      INTEGER NOT NULL DEFAULT 0,
        created_at       TEXT NOT NULL
    );
    CREATE INDEX stories_activity ON stories (updated_seq);
    CREATE TABLE story_merges (
        old_id     TEXT NOT NULL,
        new_id     TEXT NOT NULL,
        merged_at  TEXT NOT NULL
    );
    """,
    # 2: full-text search (FTS5) over article titles and texts, kept in step by write_batch
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq',
        tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    """,
    # 3: feeds (subscriptions and conditional-GET state) and fetched URLs / GUIDs
    """
    CREATE TABLE feeds (
        url            TEXT PRIMARY KEY,
        title          TEXT,
        subscribed     INTEGER NOT NULL DEFAULT 1,
        interval_s     REAL,
        ttl_s          REAL,
        etag           TEXT,
        last_modified  TEXT,
        added_at       TEXT NOT NULL,
        last_polled_at TEXT,
        last_ok_at     TEXT,
        next_poll_ts   REAL NOT NULL DEFAULT 0,
        failures       INTEGER NOT NULL DEFAULT 0,
        last_error     TEXT,
        items_stored   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE fetched (
        key         TEXT PRIMARY KEY,
        url         TEXT,
        article_id  TEXT,
        status      TEXT NOT NULL,
        fetched_at  TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS articles_url ON articles (url);
    """,
    # 4: entity mentions spaCy's model found in a sentence, by model and sentence text, so a
    # brief does not run the model again on sentences it has read before
    """
    CREATE TABLE entity_mentions (
        model      TEXT NOT NULL,
        text_key   TEXT NOT NULL,
        mentions   TEXT NOT NULL,
        PRIMARY KEY (model, text_key)
    ) WITHOUT ROWID;
    """,
    # 5: how many members a story had when a merge pass last compared it, so that a writer
    # catching up with another (or restarting) gates its merge passes as that writer did
    """
    ALTER TABLE stories ADD COLUMN compared INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: the story list's order (SQLiteStore.stories' ORDER BY, term for term), so a page of
    # the list walks the index from its offset instead of sorting every story
    """
    CREATE INDEX stories_order ON stories (last_ts IS NULL, last_ts DESC, updated_seq DESC, seq);
    """,
    # 7: a per-story change counter, bumped whenever the story's articles change (an article
    # added, a story merged in), and the briefs built ahead, by story, at the counter they were
    # built from and with what they were built by (see newsfold.summarize.stored)
    """
    ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE briefs (
        story_id  TEXT PRIMARY KEY,
        version   INTEGER NOT NULL,
        recipe    TEXT NOT NULL,
        body      TEXT NOT NULL,
        built_at  TEXT NOT NULL
    );
    """,
    # 8: a story's activity time, the key of the story list: its latest publication time when
    # an article of it is dated, else when newsfold last added an article to it (updated_at,
    # wall-clock; an older store starts it at created_at). The order's index replaces step 6's.
    """
    ALTER TABLE stories ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE stories ADD COLUMN activity_ts REAL NOT NULL DEFAULT 0;
    UPDATE stories SET updated_at = created_at,
        activity_ts = COALESCE(last_ts, CAST(strftime('%s', created_at) AS REAL), 0);
    DROP INDEX IF EXISTS stories_order;
    CREATE INDEX stories_activity_order ON stories (activity_ts DESC, updated_seq DESC, seq);
    """,
]

POSTGRES_MIGRATIONS: list[str] = [
    # 1: articles, stories, merges (a merge's record number is its id)
    """
    CREATE TABLE articles (
        seq           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        title         TEXT NOT NULL,
        text          TEXT NOT NULL,
        url           TEXT,
        source        TEXT,
        published     TEXT,
        published_ts  DOUBLE PRECISION,
        language      TEXT,
        author        TEXT,
        raw           TEXT NOT NULL,
        raw_format    TEXT NOT NULL,
        origin        TEXT NOT NULL,
        metadata      TEXT NOT NULL DEFAULT '{}',
        removed       TEXT NOT NULL DEFAULT '[]',
        wire          INTEGER NOT NULL DEFAULT 0,
        content_hash  TEXT NOT NULL,
        duplicate_of  TEXT,
        story_id      TEXT NOT NULL,
        outlet        TEXT NOT NULL,
        features      TEXT NOT NULL DEFAULT '{}',
        signature     BYTEA,
        ingested_at   TEXT NOT NULL
    );
    CREATE INDEX articles_story ON articles (story_id, published_ts);
    CREATE INDEX articles_hash ON articles (content_hash);
    CREATE TABLE stories (
        id               TEXT PRIMARY KEY,
        seq              BIGINT NOT NULL UNIQUE,
        headline         TEXT NOT NULL,
        article_count    INTEGER NOT NULL DEFAULT 0,
        outlet_count     INTEGER NOT NULL DEFAULT 0,
        first_published  TEXT,
        last_published   TEXT,
        last_ts          DOUBLE PRECISION,
        updated_seq      BIGINT NOT NULL DEFAULT 0,
        created_at       TEXT NOT NULL
    );
    CREATE INDEX stories_activity ON stories (updated_seq);
    CREATE TABLE story_merges (
        id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        old_id     TEXT NOT NULL,
        new_id     TEXT NOT NULL,
        merged_at  TEXT NOT NULL
    );
    CREATE INDEX story_merges_old ON story_merges (old_id);
    CREATE INDEX story_merges_new ON story_merges (new_id);
    """,
    # 2: full-text search: a tsvector of title (weight A) and text (weight B), no stemming
    # (the 'simple' configuration, as FTS5's unicode61), kept by PostgreSQL itself
    """
    ALTER TABLE articles ADD COLUMN fts tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, text), 'B')
    ) STORED;
    CREATE INDEX articles_fts ON articles USING GIN (fts);
    """,
    # 3: feeds and fetched URLs / GUIDs
    """
    CREATE TABLE feeds (
        url            TEXT PRIMARY KEY,
        title          TEXT,
        subscribed     INTEGER NOT NULL DEFAULT 1,
        interval_s     DOUBLE PRECISION,
        ttl_s          DOUBLE PRECISION,
        etag           TEXT,
        last_modified  TEXT,
        added_at       TEXT NOT NULL,
        last_polled_at TEXT,
        last_ok_at     TEXT,
        next_poll_ts   DOUBLE PRECISION NOT NULL DEFAULT 0,
        failures       INTEGER NOT NULL DEFAULT 0,
        last_error     TEXT,
        items_stored   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE fetched (
        key         TEXT PRIMARY KEY,
        url         TEXT,
        article_id  TEXT,
        status      TEXT NOT NULL,
        fetched_at  TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS articles_url ON articles (url);
    """,
    # 4: entity mentions by model and sentence
    """
    CREATE TABLE entity_mentions (
        model      TEXT NOT NULL,
        text_key   TEXT NOT NULL,
        mentions   TEXT NOT NULL,
        PRIMARY KEY (model, text_key)
    );
    """,
    # 5: the member count of a story at its last merge comparison
    """
    ALTER TABLE stories ADD COLUMN compared INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: the story list's order, as on SQLite
    """
    CREATE INDEX stories_order ON stories ((last_ts IS NULL), last_ts DESC, updated_seq DESC, seq);
    """,
    # 7: the per-story change counter and the stored briefs, as on SQLite
    """
    ALTER TABLE stories ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
    CREATE TABLE briefs (
        story_id  TEXT PRIMARY KEY,
        version   BIGINT NOT NULL,
        recipe    TEXT NOT NULL,
        body      TEXT NOT NULL,
        built_at  TEXT NOT NULL
    );
    """,
    # 8: the story's activity time and its order's index, as on SQLite
    """
    ALTER TABLE stories ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE stories ADD COLUMN activity_ts DOUBLE PRECISION NOT NULL DEFAULT 0;
    UPDATE stories SET updated_at = created_at,
        activity_ts = COALESCE(last_ts, EXTRACT(EPOCH FROM created_at::timestamptz), 0);
    DROP INDEX IF EXISTS stories_order;
    CREATE INDEX stories_activity_order ON stories (activity_ts DESC, updated_seq DESC, seq);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
