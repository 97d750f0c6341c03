"""Storage. SQLite is the default (a file, or ``:memory:``); other stores keep the same API."""

from .sqlite import NewRow, SQLiteStore, StoredRow

__all__ = ["NewRow", "SQLiteStore", "StoredRow", "open_store"]


def open_store(path: str) -> SQLiteStore:
    """Open (creating and migrating as needed) the store at ``path``."""
    return SQLiteStore(path)
