"""``newsfold watch``: poll every subscribed feed on its own interval until stopped.

Each feed is polled when its ``next_poll_ts`` comes: its interval is the one set with ``feeds add
--interval``, else the feed's own TTL (RSS ``<ttl>``, ``sy:updatePeriod``), else the default;
a failing feed waits twice as long after each consecutive failure (up to six hours). One log line
per poll. ``max_polls`` and ``duration`` bound a run; ``once`` polls every feed once, due or
not, and returns.

Stopping is bounded whatever a server does. SIGINT, SIGTERM, :meth:`Watcher.stop` and the end
of ``duration`` abort the fetcher (:meth:`~newsfold.ingest.fetch.Fetcher.abort`): requests in
flight have their connections shut down, entries not yet fetched are left for the next run,
and what was fetched is stored through the API in its usual transactions (nothing
half-written); the feed cut short is due at once next time. Each feed's poll has its own time
limit (``feed_timeout``) and item cap (``feed_max_items``), so one slow or huge feed never
keeps the others from being polled.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any

from .ingest.feeds import DEFAULT_INTERVAL, FetchContext, PollResult, fetch_context

if TYPE_CHECKING:
    from .api import Newsfold
    from .store import Store

log = logging.getLogger(__name__)

__all__ = ["WatchSummary", "Watcher"]


@dataclass
class WatchSummary:
    polls: int = 0
    failed_polls: int = 0
    added: int = 0
    skipped: int = 0
    stopped_by: str = ""
    lines: list[str] = field(default_factory=list)


class Watcher:
    """Polls the subscribed feeds of one :class:`~newsfold.api.Newsfold` database."""

    def __init__(self, nf: Newsfold, *, interval: float | None = None,
                 emit: Callable[[str], object] | None = None, allow_private: bool = True,
                 feed_timeout: float | None = None, max_items: int | None = None) -> None:
        self.nf = nf
        default = nf.settings.feed_interval or DEFAULT_INTERVAL
        self.interval = float(interval or default)
        self.emit = emit or log.warning
        self.allow_private = allow_private
        self.overrides: dict[str, Any] = {}
        """FetchConfig fields given here rather than by settings (``--feed-timeout``...)."""
        if feed_timeout is not None:
            self.overrides["feed_timeout"] = float(feed_timeout)
        if max_items is not None:
            self.overrides["feed_max_items"] = int(max_items)
        self.stop_event = threading.Event()
        self._stopped_by = ""
        self._ctx: FetchContext | None = None

    def stop(self, reason: str = "stop") -> None:
        """Stop the loop, and every fetch in progress at once (safe from a signal handler or
        another thread: it only sets events)."""
        self._stopped_by = self._stopped_by or reason
        self.stop_event.set()
        ctx = self._ctx
        if ctx is not None:
            ctx.fetcher.abort()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop(signal.Signals(signum).name)

    def run(self, *, once: bool = False, max_polls: int | None = None,
            duration: float | None = None, install_signals: bool = True) -> WatchSummary:
        from .store.feeds import due_feeds, feeds

        summary = WatchSummary()
        previous: dict[signal.Signals, Any] = {}
        if install_signals and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, self._on_signal)
        deadline = time.monotonic() + duration if duration else None
        store = self.nf.store
        try:
            with fetch_context(store, self.nf.settings, allow_private=self.allow_private,
                               default_interval=self.interval, overrides=self.overrides) as ctx:
                self._ctx = ctx
                if self.stop_event.is_set():  # stopped before the fetcher existed
                    ctx.fetcher.abort()
                if deadline is not None:
                    ctx.until = deadline  # no fetch runs past --duration
                if not feeds(store):
                    self.emit("watch: no feeds; add some with 'newsfold feeds add URL'")
                    summary.stopped_by = "no feeds"
                    return summary
                first = True
                while not self.stop_event.is_set():
                    todo = feeds(store) if once and first else due_feeds(store, time.time())
                    first = False
                    for row in todo:
                        if self.stop_event.is_set():
                            break
                        if max_polls is not None and summary.polls >= max_polls:
                            self.stop("max-polls")
                            break
                        if deadline is not None and time.monotonic() >= deadline:
                            self.stop("duration")
                            break
                        self._poll(row.url, ctx, summary)
                    if once:
                        self.stop("once")
                        break
                    if max_polls is not None and summary.polls >= max_polls:
                        self.stop("max-polls")
                        break
                    wait = self._seconds_to_next(store)
                    if deadline is not None:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            self.stop("duration")
                            break
                        wait = min(wait, left)
                    self.stop_event.wait(max(0.05, wait))
        finally:
            self._ctx = None
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        summary.stopped_by = self._stopped_by or "stop"
        self.emit(f"watch: stopped ({summary.stopped_by}) after {summary.polls} polls, "
                  f"{summary.added} articles added, {summary.failed_polls} failed polls")
        return summary

    def _seconds_to_next(self, store: Store) -> float:
        from .store.feeds import next_poll_ts

        when = next_poll_ts(store)
        if when is None:
            return self.interval
        return max(0.0, when - time.time())

    def _poll(self, url: str, ctx: FetchContext, summary: WatchSummary) -> None:
        from .store.feeds import feed as get_feed

        before = len(ctx.polls)
        started = time.monotonic()
        try:
            report = self.nf.ingest([url], fetch=ctx)
        except Exception as exc:  # one feed's failure must not end the watch
            log.exception("poll %s failed", url)
            poll = PollResult(url=url, kind="feed", error=f"{type(exc).__name__}: {exc}")
            ctx._record_feed(url, poll, None)
            summary.polls += 1
            summary.failed_polls += 1
            self.emit(f"poll {url}: error {poll.error}")
            return
        polls = ctx.polls[before:]
        poll = polls[0] if polls else PollResult(url=url, error="nothing read")
        row = get_feed(self.nf.store, url)
        next_in = max(0.0, row.next_poll_ts - time.time()) if row else self.interval
        summary.polls += 1
        summary.added += report.added
        summary.skipped += len(report.skipped)
        deferred = (f", {poll.deferred} left for the next poll" if poll.deferred else "")
        if poll.unfinished:  # the run is stopping: not the feed's failure
            why = self._stopped_by or "duration"
            line = (f"poll {url}: cut short ({why}) after {time.monotonic() - started:.1f}s; "
                    f"{report.added} added{deferred}")
        elif not poll.ok:
            summary.failed_polls += 1
            failures = row.failures if row else 1
            line = (f"poll {url}: failed ({poll.error}); failure {failures}, "
                    f"retry in {next_in:.0f}s")
        else:
            status = "304 not modified" if poll.status == 304 else f"{poll.status}"
            line = (f"poll {url}: {status}, {poll.entries} entries, {poll.known} known, "
                    f"{report.added} added ({report.duplicates} duplicates), "
                    f"{len(report.skipped)} skipped ({poll.disallowed} disallowed by robots.txt)"
                    f"{deferred}, {time.monotonic() - started:.1f}s; next in {next_in:.0f}s")
        summary.lines.append(line)
        self.emit(line)
