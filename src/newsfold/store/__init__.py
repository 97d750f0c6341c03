"""Storage behind one contract (:class:`Store`): SQLite by default (a file, or ``:memory:``),
PostgreSQL for a ``postgresql://`` address (the ``[postgres]`` extra, imported only then)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import NewRow, Store, StoredRow
from .sqlite import BUSY_TIMEOUT, SQLiteStore, StoreBusyError

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = [
    "BUSY_TIMEOUT", "NewRow", "SQLiteStore", "Store", "StoreBusyError", "StoredRow",
    "is_postgres", "open_store",
]


def is_postgres(address: str) -> bool:
    """Whether ``address`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return address.startswith(("postgresql://", "postgres://"))


def open_store(address: str, settings: Settings | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``address``: a SQLite file,
    ``:memory:``, or a ``postgresql://user@host/dbname`` address. Writes wait up to the
    ``busy_timeout`` setting's seconds for another writer's lock."""
    busy_timeout = BUSY_TIMEOUT if settings is None else settings.busy_timeout
    if is_postgres(address):
        from .postgres import PostgresStore

        return PostgresStore(address, busy_timeout=busy_timeout)
    return SQLiteStore(address, busy_timeout=busy_timeout)
