"""Every schema change, in order. ``PRAGMA user_version`` records how many have run."""

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
]

SCHEMA_VERSION = len(MIGRATIONS)
