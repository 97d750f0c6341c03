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
