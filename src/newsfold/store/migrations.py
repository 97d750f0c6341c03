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
]

SCHEMA_VERSION = len(MIGRATIONS)
