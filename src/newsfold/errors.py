"""One exception tree. Every message says what went wrong, where, and what to do next."""

from __future__ import annotations


class NewsfoldError(Exception):
    """Base class of every error newsfold raises on purpose."""


class InputError(NewsfoldError):
    """An input item cannot be read or parsed. ``item`` names the file (and line)."""

    def __init__(self, item: str, reason: str, hint: str = "") -> None:
        self.item = item
        self.reason = reason
        self.hint = hint
        message = f"{item}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class ExtractionError(InputError):
    """A page yielded no article text."""


class StoreError(NewsfoldError):
    """The database cannot be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process held the database's write lock for longer than the busy timeout
    (setting ``busy_timeout``)."""

    def __init__(self, path: str, waited: float) -> None:
        self.path = path
        self.waited = waited
        super().__init__(
            f"database {path!r} is busy: another process has held its write lock for more than "
            f"{waited:g} s (another ingest, or a server ingesting). Run again when it has "
            "finished, or wait longer with NEWSFOLD_BUSY_TIMEOUT=SECONDS"
        )


class NotFoundError(NewsfoldError):
    """A story or article id that is not in the store."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(
            f"no {kind} with id {ident!r} in this database "
            f"(list them with 'newsfold {'stories' if kind == 'story' else 'export'}')"
        )


class ConfigError(NewsfoldError):
    """A setting has a value newsfold cannot use."""
