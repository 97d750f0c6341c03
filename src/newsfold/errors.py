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


class FetchError(InputError):
    """A URL could not be fetched (or may not be): ``reason`` says why, ``cause`` in one word.

    ``cause`` is one of ``robots`` (disallowed by robots.txt), ``robots-unavailable``
    (robots.txt answered 5xx), ``refused``, ``dns``, ``timeout`` (a connect or read timeout),
    ``deadline`` (no complete answer within ``total_timeout``), ``budget`` (the caller's
    ``until`` came first), ``cancelled`` (:meth:`newsfold.ingest.fetch.Fetcher.abort`), ``reset``, ``protocol``,
    ``connection``, ``http``, ``too-large``, ``encoding``, ``type``, ``redirect``, ``private``,
    ``url``, or ``error``.
    """

    def __init__(self, url: str, reason: str, hint: str = "", *, status: int | None = None,
                 permanent: bool = False, cause: str = "error") -> None:
        super().__init__(url, reason, hint)
        self.status = status
        self.permanent = permanent
        """True when trying again later will not help (robots.txt, 404, wrong type, too large)."""
        self.cause = cause

    @property
    def unfinished(self) -> bool:
        """True when the fetch was stopped from outside (``cancelled``, ``budget``): it says
        nothing about the URL, which is simply fetched on a later poll."""
        return self.cause in ("cancelled", "budget")


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
