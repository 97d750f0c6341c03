"""``newsfold migrate``: copy a whole store into a new one (SQLite to PostgreSQL, or back).

Every table is copied as it is stored (:data:`~newsfold.store.base.TABLES`: articles with
their pipeline state and sequence numbers, stories, merges, feeds, fetched URLs, the mention
cache), read in one snapshot of the source and written in one transaction of the target, so
the copy is whole or absent, and a writer opening the copy catches up from the same numbers.
"""

from __future__ import annotations

import logging

from ..errors import StoreError
from .base import TABLES, Store, redact

log = logging.getLogger(__name__)

__all__ = ["copy_store"]


def copy_store(source: Store, target: Store) -> dict[str, int]:
    """Copy every table of ``source`` into ``target``, which must be empty; rows per table."""
    counts: dict[str, int] = {}
    with source.snapshot(), target.transaction():
        for table in TABLES:
            if target.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]:  # noqa: S608
                raise StoreError(
                    f"database {redact(target.path)!r} is not empty (table {table} has rows): "
                    "copy into a new database")
        for table in TABLES:
            counts[table] = target.load(table, source.dump(table))
            log.info("copied %d rows of %s", counts[table], table)
    return counts
