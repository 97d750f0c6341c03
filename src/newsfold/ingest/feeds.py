"""Feeds: RSS 1.0/2.0, Atom and JSON Feed, OPML lists, and reading URLs into raw items.

:meth:`FetchContext.read` is what ``newsfold ingest URL`` runs (the context is passed down
through :func:`~newsfold.ingest.readers.read_items`): a feed URL yields one raw HTML item per new
entry (each linked article is fetched and later extracted like any HTML page), a page URL yields
that page. With a store in the context (:func:`fetch_context`), a URL or GUID already stored is
never fetched again, feeds are fetched with conditional GET (ETag / Last-Modified), and every
poll is recorded (for ``newsfold feeds list`` and ``newsfold watch``).

Every URL read is bounded: a feed yields at most ``feed_max_items`` new entries a poll (newest
first; the rest wait for later polls), and the feed and its entries' pages are fetched within
``feed_timeout`` seconds (entries not fetched by then wait for the next poll), so one huge or
slow feed cannot hold up the others. While entries wait, the feed's ETag / Last-Modified are
not updated, so the next poll reads the feed again instead of getting a 304.
"""

from __future__ import annotations

import calendar
import contextlib
import json
import logging
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import InputError
from ..records import RawItem
from .fetch import (
    ARTICLE_TYPES,
    FEED_TYPES,
    FetchConfig,
    Fetcher,
    FetchError,
    FetchResult,
    article_id_for,
    normalize_url,
    resolve_wrapper,
)

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_INTERVAL", "FeedEntry", "FetchContext", "ParsedFeed", "PollResult", "fetch_context",
    "is_url", "looks_like_feed", "newest_first", "next_poll_delay", "parse_feed", "parse_opml",
]

DEFAULT_INTERVAL = 900.0
"""Seconds between polls of a feed that names no TTL of its own."""
MIN_INTERVAL = 60.0
MAX_INTERVAL = 86400.0
MAX_BACKOFF = 6 * 3600.0


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


# -- parsing --------------------------------------------------------------------------------
@dataclass(slots=True)
class FeedEntry:
    link: str
    guid: str | None = None
    title: str | None = None
    published: str | None = None
    """ISO 8601 (UTC) when the feed dates the entry."""


@dataclass(slots=True)
class ParsedFeed:
    kind: str
    """``rss20``, ``rss10``, ``atom10``..., or ``json`` for JSON Feed."""
    title: str | None
    entries: list[FeedEntry]
    ttl_s: float | None = None
    """The polling interval the feed asks for (RSS ``<ttl>``, ``sy:updatePeriod``), seconds."""


_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:RDF|RDF)\b", re.S | re.I,
)
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/feed+json", "application/x-rss+xml"}


def looks_like_feed(content_type: str, data: bytes) -> bool:
    """Whether a response is a feed (by its type, else by its first bytes)."""
    if content_type in _FEED_TYPES:
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _FEED_START.match(head):
        return True
    return bool(head.lstrip().startswith(b"{") and b"jsonfeed.org/version" in data[:65536])


def parse_feed(data: bytes, url: str = "") -> ParsedFeed:
    """Parse an RSS 1.0/2.0, Atom or JSON Feed document. Raises InputError when it is not one."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return _parse_json_feed(stripped, url)
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries: list[FeedEntry] = []
    for e in parsed.entries:
        link = e.get("link") or ""
        if not link:
            for candidate in e.get("links", []):
                if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                    link = candidate["href"]
                    break
        guid = e.get("id") or None
        if not link and guid and is_url(guid):
            link = guid
        if not link:
            continue
        if url:
            from urllib.parse import urljoin

            link = urljoin(url, link)
        entries.append(FeedEntry(link=link.strip(), guid=guid, title=e.get("title"),
                                 published=_struct_iso(e.get("published_parsed")
                                                       or e.get("updated_parsed"))))
    version = parsed.get("version") or ""
    if not entries and (parsed.bozo or not version):
        reason = parsed.get("bozo_exception")
        raise InputError(url or "<feed>", f"malformed feed ({reason or 'not RSS, Atom or JSON Feed'})",
                         "check the URL: it should point at an RSS, Atom or JSON feed")
    if parsed.bozo:
        log.warning("%s: feed is not well-formed (%s); read %d entries anyway", url,
                    parsed.get("bozo_exception"), len(entries))
    return ParsedFeed(kind=version or "unknown", title=parsed.feed.get("title"), entries=entries,
                      ttl_s=_feed_ttl(parsed.feed))


def _struct_iso(value: Any) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError):
        return None


_SY_PERIOD = {"hourly": 3600.0, "daily": 86400.0, "weekly": 604800.0, "monthly": 2592000.0,
              "yearly": 31536000.0}


def _feed_ttl(meta: Any) -> float | None:
    ttl = meta.get("ttl")
    try:
        if ttl is not None and float(ttl) > 0:
            return float(ttl) * 60.0
    except (TypeError, ValueError):
        pass
    period = _SY_PERIOD.get(str(meta.get("sy_updateperiod", "")).strip().lower())
    if period:
        try:
            freq = max(1.0, float(meta.get("sy_updatefrequency", 1)))
        except (TypeError, ValueError):
            freq = 1.0
        return period / freq
    return None


def _parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(url or "<feed>", f"malformed JSON feed ({exc})") from None
    if not isinstance(obj, dict) or "jsonfeed.org/version" not in str(obj.get("version", "")):
        raise InputError(url or "<feed>", "JSON that is not a JSON Feed (no jsonfeed.org version)")
    entries = []
    for item in obj.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        guid = item.get("id")
        if not link and is_url(guid):
            link = guid
        if not isinstance(link, str) or not link:
            continue
        published = item.get("date_published") or item.get("date_modified")
        entries.append(FeedEntry(link=link, guid=str(guid) if guid is not None else None,
                                 title=item.get("title"),
                                 published=published if isinstance(published, str) else None))
    return ParsedFeed(kind="json", title=obj.get("title"), entries=entries)


def parse_opml(data: bytes, origin: str = "<opml>") -> list[tuple[str, str | None]]:
    """(feed URL, title) of every outline with an ``xmlUrl``, nested folders included."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(origin, f"malformed OPML ({exc})", "export the list again") from None
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for node in root.iter("outline"):
        url = (node.get("xmlUrl") or node.get("xmlurl") or "").strip()
        if not is_url(url) or url in seen:
            continue
        seen.add(url)
        out.append((url, node.get("title") or node.get("text")))
    return out


# -- polling policy -------------------------------------------------------------------------
def next_poll_delay(interval_s: float | None, ttl_s: float | None, default: float,
                    failures: int = 0) -> float:
    """Seconds until the next poll: the feed's own interval (set by hand, else its TTL, else
    ``default``), doubled per consecutive failure up to six hours."""
    base = interval_s or (min(max(ttl_s, MIN_INTERVAL), MAX_INTERVAL) if ttl_s else default)
    if failures <= 0:
        return base
    return float(min(base * (2 ** failures), max(base, MAX_BACKOFF)))


# -- reading URLs ---------------------------------------------------------------------------
@dataclass
class PollResult:
    """What reading one URL did (the last one is in ``FetchContext.polls``)."""

    url: str
    kind: str = "page"
    """``feed``, ``page``, or ``error``."""
    status: int | None = None
    entries: int = 0
    new: int = 0
    known: int = 0
    failed: int = 0
    disallowed: int = 0
    error: str | None = None
    ttl_s: float | None = None
    seconds: float = 0.0
    deferred: int = 0
    """New entries left for a later poll (over the item cap, out of time, or stopped)."""
    unfinished: bool = False
    """True when the poll was cut short because the run is stopping (a signal, ``--duration``):
    not the feed's failure, and the feed is due again at once."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class FetchContext:
    """Store, fetcher and polling defaults for URL reading (made by :func:`fetch_context`,
    and passed to whatever reads URLs: ``Newsfold.ingest(paths, fetch=...)``)."""

    fetcher: Fetcher
    store: Store | None = None
    """A :class:`~newsfold.store.Store`, or None (then nothing is remembered)."""
    default_interval: float = DEFAULT_INTERVAL
    polls: list[PollResult] = field(default_factory=list)
    until: float | None = None
    """A ``time.monotonic()`` limit for every fetch (``newsfold watch --duration`` sets it)."""

    def read(self, urls: Iterable[str]) -> Iterator[RawItem | InputError]:
        """Raw HTML items from feed and page URLs (a feed's new entries, or the page)."""
        for url in urls:
            if self.fetcher.aborted:
                return
            yield from self.read_url(url)

    def read_url(self, url: str) -> Iterator[RawItem | InputError]:
        poll = PollResult(url=url)
        self.polls.append(poll)
        started = time.monotonic()
        limit = self.fetcher.config.feed_timeout
        until = started + limit if limit and limit > 0 else None
        if self.until is not None:
            until = self.until if until is None else min(until, self.until)
        try:
            yield from self._read_url(url, poll, until)
        finally:
            poll.seconds = time.monotonic() - started

    # -- internals ------------------------------------------------------------------------
    def _stopped(self, err: FetchError) -> bool:
        """Whether ``err`` means the whole run is stopping (abort, or past ``until``) rather
        than this feed running out of its own time."""
        if err.cause == "cancelled" or self.fetcher.aborted:
            return True
        return (err.cause == "budget" and self.until is not None
                and time.monotonic() >= self.until)

    def _known(self, keys: list[str], article_id: str | None) -> str | None:
        if self.store is None:
            return None
        from ..store.feeds import known_article

        return known_article(self.store, keys, article_id)

    def _mark(self, keys: list[str], url: str | None, article_id: str | None, status: str) -> None:
        if self.store is not None:
            from ..store.feeds import mark_fetched

            mark_fetched(self.store, keys, url=url, article_id=article_id, status=status)

    def _read_url(self, url: str, poll: PollResult, until: float | None
                  ) -> Iterator[RawItem | InputError]:
        target = resolve_wrapper(url.strip())
        norm = normalize_url(target)
        feed_row = None
        if self.store is not None:
            from ..store.feeds import feed as get_feed

            feed_row = get_feed(self.store, norm) or get_feed(self.store, target)
        if feed_row is None and self._known([norm], article_id_for(target)):
            poll.known = 1
            log.info("%s: already stored; not fetched again", url)
            return
        try:
            result = self.fetcher.fetch(
                target, accept=FEED_TYPES + ARTICLE_TYPES,
                etag=feed_row.etag if feed_row else None,
                last_modified=feed_row.last_modified if feed_row else None, until=until,
            )
        except FetchError as err:
            poll.kind, poll.error, poll.status = ("feed" if feed_row else "error"), err.reason, err.status
            poll.unfinished = self._stopped(err)
            if err.unfinished and not poll.unfinished:  # the feed's own time limit: its fault
                poll.error = (f"no complete answer within the feed time limit "
                              f"({self.fetcher.config.feed_timeout:g}s, feed_timeout)")
                err = FetchError(url, poll.error, "the server is too slow; tried again later",
                                 cause="deadline")
            if feed_row is not None and not poll.unfinished:
                self._record_feed(feed_row.url, poll, None)
            yield err
            return
        poll.status = result.status
        if result.not_modified:
            poll.kind = "feed"
            log.info("%s: not modified (304)", url)
            self._record_feed(feed_row.url if feed_row else norm, poll, result)
            return
        if feed_row is not None or looks_like_feed(result.content_type, result.content):
            poll.kind = "feed"
            yield from self._read_feed(feed_row.url if feed_row else norm, result, poll, until)
            return
        final = normalize_url(result.final_url)
        ident = article_id_for(target)
        if final != norm and self._known([final], None):
            poll.known = 1
            self._mark([norm], result.final_url, None, "redirect-to-known")
            return
        poll.new = 1
        self._mark([norm, final], result.final_url, ident, "stored")
        yield _page_item(url, ident, result, {})

    def _read_feed(self, feed_url: str, result: FetchResult, poll: PollResult,
                   until: float | None) -> Iterator[RawItem | InputError]:
        try:
            parsed = parse_feed(result.content, result.final_url)
        except InputError as err:
            poll.error = err.reason
            self._record_feed(feed_url, poll, None)
            yield InputError(poll.url, err.reason, err.hint)
            return
        poll.entries = len(parsed.entries)
        poll.ttl_s = parsed.ttl_s
        todo: list[tuple[str, str, list[str], FeedEntry]] = []
        seen_here: set[str] = set()
        for entry in parsed.entries:
            link = resolve_wrapper(entry.link)
            norm = normalize_url(link)
            keys = [norm] + ([f"guid:{entry.guid}"] if entry.guid else [])
            ident = article_id_for(link)
            if norm in seen_here or self._known(keys, ident):
                poll.known += 1
                continue
            seen_here.add(norm)
            todo.append((link, ident, keys, entry))
        cap = self.fetcher.config.feed_max_items
        todo = newest_first(todo, key=lambda t: t[3].published)
        if cap and cap > 0 and len(todo) > cap:
            poll.deferred += len(todo) - cap
            log.info("%s: %d new entries; fetching the newest %d now, the rest on later polls "
                     "(feed_max_items)", feed_url, len(todo), cap)
            todo = todo[:cap]
        by_link = {t[0]: t for t in todo}
        retry_soon = False
        for link, fetched in self.fetcher.fetch_many([t[0] for t in todo], accept=ARTICLE_TYPES,
                                                     until=until):
            _, ident, keys, entry = by_link[link]
            if isinstance(fetched, FetchError):
                if fetched.unfinished:  # out of time for this feed, or stopping: next poll
                    poll.deferred += 1
                    poll.unfinished = poll.unfinished or self._stopped(fetched)
                    continue
                if fetched.cause == "robots":
                    poll.disallowed += 1
                else:
                    poll.failed += 1
                    if fetched.permanent:
                        self._mark(keys, link, None, "failed")
                    else:
                        retry_soon = True
                yield fetched
                continue
            final = normalize_url(fetched.final_url)
            if final not in keys and self._known([final], None):
                poll.known += 1
                self._mark(keys, fetched.final_url, None, "redirect-to-known")
                continue
            poll.new += 1
            self._mark(keys + [final], fetched.final_url, ident, "stored")
            fields = {"feed": feed_url, "guid": entry.guid, "feed_title": entry.title,
                      "feed_published": entry.published}
            yield _page_item(link, ident, fetched, fields)
        if poll.deferred or retry_soon:
            # Entries still to fetch: keep the old validators, so that the next poll reads the
            # feed again rather than getting a 304 and never seeing them.
            result = replace(result, etag=None, last_modified=None)
        self._record_feed(feed_url, poll, result, title=parsed.title, soon=poll.unfinished)

    def _record_feed(self, feed_url: str, poll: PollResult, result: FetchResult | None,
                     title: str | None = None, *, soon: bool = False) -> None:
        """Remember one poll; ``soon`` (a poll cut short by stopping) makes the feed due at
        once, so the next run finishes it first."""
        if self.store is None:
            return
        from ..store.feeds import feed as get_feed
        from ..store.feeds import record_poll

        row = get_feed(self.store, feed_url)
        failures = (row.failures if row else 0) + (0 if poll.ok else 1)
        delay = next_poll_delay(row.interval_s if row else None,
                                poll.ttl_s or (row.ttl_s if row else None),
                                self.default_interval, failures)
        record_poll(
            self.store, feed_url, ok=poll.ok,
            next_poll_ts=time.time() + (0.0 if soon else delay), error=poll.error,
            etag=result.etag if result else None,
            last_modified=result.last_modified if result else None, ttl_s=poll.ttl_s,
            title=title, stored=poll.new,
        )


T = TypeVar("T")


def newest_first(items: list[T], key: Callable[[T], str | None]) -> list[T]:
    """``items`` ordered by their date (``key``: ISO 8601 or None), newest first; undated items
    keep their feed order after the dated ones (feeds list newest first by convention)."""
    def stamp(item: T) -> float | None:
        value = key(item)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        try:
            return parsed.timestamp()
        except (OverflowError, OSError, ValueError):
            return None

    stamps = [stamp(item) for item in items]
    order = sorted(range(len(items)), key=lambda i: (stamps[i] is None, -(stamps[i] or 0.0), i))
    return [items[i] for i in order]


def _page_item(origin: str, ident: str, result: FetchResult, extra: dict[str, Any]) -> RawItem:
    fields: dict[str, Any] = {"url": result.final_url}
    fields.update({k: v for k, v in extra.items() if v is not None})
    return RawItem(origin=origin, format="html", raw=result.text(), default_id=ident,
                   fields=fields)


@contextlib.contextmanager
def fetch_context(
    store: Store | None = None, settings: Any = None, *, fetcher: Fetcher | None = None,
    allow_private: bool = True, default_interval: float | None = None,
    overrides: dict[str, Any] | None = None,
) -> Iterator[FetchContext]:
    """A :class:`FetchContext` on ``store`` (None: nothing is remembered) with a fetcher made
    from ``settings``, closed at the end of the block unless ``fetcher`` was given.

    ``allow_private`` defaults to True (the command line and Python may fetch any address);
    the web API must pass ``allow_private=settings.fetch_allow_private``. ``overrides`` are
    :class:`FetchConfig` fields set on top of the settings (``newsfold watch --max-items``).
    """
    own = fetcher is None
    if fetcher is None:
        config = FetchConfig.from_settings(settings, **(overrides or {}))
        fetcher = Fetcher(config, allow_private=allow_private)
    interval = default_interval or getattr(settings, "feed_interval", None) or DEFAULT_INTERVAL
    try:
        yield FetchContext(fetcher=fetcher, store=store, default_interval=float(interval))
    finally:
        if own:
            fetcher.close()
