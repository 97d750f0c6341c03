"""``newsfold feeds add|import|list`` and ``newsfold watch``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _db_option(func: F) -> F:
    return click.option(
        "--db", envvar="NEWSFOLD_DB", default="newsfold.db", show_default=True,
        help="SQLite database file, or a postgresql:// address (or set NEWSFOLD_DB).",
    )(func)


@click.group()
def feeds() -> None:
    """Manage the feeds that 'newsfold watch' polls."""


@feeds.command(name="add")
@click.argument("urls", nargs=-1, required=True)
@_db_option
@click.option("--interval", type=float, default=None,
              help="Poll this feed every N seconds (default: its TTL, else feed_interval).")
@click.option("--title", default=None, help="A name for the feed (default: the feed's own title).")
def feeds_add(urls: tuple[str, ...], db: str, interval: float | None, title: str | None) -> None:
    """Subscribe to RSS, Atom or JSON feeds by URL (nothing is fetched until polled)."""
    from ..ingest.feeds import is_url
    from ..ingest.fetch import normalize_url
    from ..store.feeds import add_feed

    bad = [u for u in urls if not is_url(u)]
    if bad:
        raise click.BadParameter(f"not an http(s) URL: {bad[0]}", param_hint="URLS")
    if interval is not None and interval <= 0:
        raise click.BadParameter("must be a positive number of seconds", param_hint="--interval")
    from ..api import Newsfold
    with Newsfold(db) as nf:
        for url in urls:
            norm = normalize_url(url)
            new = add_feed(nf.store, norm, title=title, interval_s=interval)
            click.echo(f"{'added' if new else 'already subscribed'}: {norm}", err=True)


@feeds.command(name="import")
@click.argument("opml", type=click.Path(exists=True, dir_okay=False))
@_db_option
@click.option("--interval", type=float, default=None,
              help="Poll every imported feed every N seconds (default: its TTL, else feed_interval).")
def feeds_import(opml: str, db: str, interval: float | None) -> None:
    """Subscribe to every feed (outline with an xmlUrl) of an OPML file."""
    from ..ingest.feeds import parse_opml
    from ..ingest.fetch import normalize_url
    from ..store.feeds import add_feed

    with open(opml, "rb") as fh:
        entries = parse_opml(fh.read(), origin=opml)
    added = 0
    from ..api import Newsfold
    with Newsfold(db) as nf:
        for url, title in entries:
            added += bool(add_feed(nf.store, normalize_url(url), title=title, interval_s=interval))
    click.echo(f"imported: {len(entries)} feeds in {opml}, {added} new", err=True)


@feeds.command(name="list")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def feeds_list(db: str, fmt: str) -> None:
    """List subscribed feeds with their poll state."""
    from ..api import Newsfold
    from ..store.feeds import feeds as list_feeds
    with Newsfold(db) as nf:
        rows = list_feeds(nf.store)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False))
        return
    click.echo(f"{'LAST POLL':<20} {'FAILS':>5} {'STORED':>6}  {'NEXT POLL':<20} URL / TITLE")
    for r in rows:
        nxt = (datetime.fromtimestamp(r.next_poll_ts, UTC).isoformat(timespec="seconds")
               if r.next_poll_ts else "now")
        click.echo(f"{(r.last_polled_at or 'never'):<20} {r.failures:>5} {r.items_stored:>6}  "
                   f"{nxt[:20]:<20} {r.url}" + (f"  {r.title}" if r.title else ""))


@click.command()
@_db_option
@click.option("--interval", type=float, default=None,
              help="Default seconds between polls of a feed with no TTL (default: feed_interval).")
@click.option("--once", is_flag=True, help="Poll every feed once, then exit.")
@click.option("--max-polls", type=int, default=None, help="Stop after N polls.")
@click.option("--duration", type=float, default=None,
              help="Stop after N seconds (fetches in progress are cut off then).")
@click.option("--feed-timeout", type=float, default=None,
              help="Time limit of one feed's poll, seconds (default: 300); entries not fetched "
                   "by then wait for the next poll.")
@click.option("--max-items", type=int, default=None,
              help="Most new entries fetched from one feed per poll, newest first (default: 100; "
                   "0: no cap).")
def watch(db: str, interval: float | None, once: bool, max_polls: int | None,
          duration: float | None, feed_timeout: float | None, max_items: int | None) -> None:
    """Poll every subscribed feed on its own interval until stopped (Ctrl-C, SIGTERM).

    One line per poll on stderr. Ctrl-C, SIGTERM and --duration stop within seconds whatever a
    server does: fetches in progress are cut off, what was fetched is stored. Exit status 1
    when the last poll of some feed failed.
    """
    from ..watch import Watcher

    for name, value in (("--duration", duration), ("--feed-timeout", feed_timeout)):
        if value is not None and not value > 0:
            raise click.BadParameter("must be a positive number of seconds", param_hint=name)
    if max_items is not None and max_items < 0:
        raise click.BadParameter("must be 0 (no cap) or more", param_hint="--max-items")
    from ..api import Newsfold
    with Newsfold(db) as nf:
        watcher = Watcher(nf, interval=interval, emit=lambda line: click.echo(line, err=True),
                          feed_timeout=feed_timeout, max_items=max_items)
        summary = watcher.run(once=once, max_polls=max_polls, duration=duration)
    if summary.failed_polls:
        sys.exit(1)
