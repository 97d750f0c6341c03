"""Storage. SQLite is the default (a file, or ``:memory:``); other stores keep the same API."""

from .sqlite import BUSY_TIMEOUT, NewRow, SQLiteStore, StoreBusyError, StoredRow

__all__ = ["BUSY_TIMEOUT", "NewRow", "SQLiteStore", "StoreBusyError", "StoredRow", "open_store"]


def open_store(path: str, busy_timeout: float = BUSY_TIMEOUT) -> SQLiteStore:
    """Open (creating and migrating as needed) the store at ``path``; writes wait up to
    ``busy_timeout`` seconds for another process's write lock."""
    return SQLiteStore(path, busy_timeout=busy_timeout)
