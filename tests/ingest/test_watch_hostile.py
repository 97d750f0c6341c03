"""Feeds and ``newsfold watch`` against hostile servers: every poll is bounded, stopping works.

A per-feed item cap (newest first), a per-feed time limit so one slow feed never starves the
others, ``--duration`` and SIGTERM ending a watch whose server drips headers forever, with the
store left consistent. Times are sanity bounds on termination, never speed measurements.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.api import Newsfold
from newsfold.cli import main
from newsfold.ingest.feeds import fetch_context, newest_first
from newsfold.settings import Settings
from newsfold.store.feeds import add_feed, feed
from newsfold.watch import Watcher

from ..helpers import NEWSFOLD, stop, wait_until, watch_process
from .hostile import Hostile, answer, drip_headers
from .loopback import HTML_DIR, Answer, Loopback

SLACK = 20.0
"""Seconds allowed past a limit before a test calls the run hung (a sanity bound only)."""

PATIENT = Settings(fetch_rate_per_host=1000.0, fetch_timeout=30.0, fetch_total_timeout=120.0,
                   fetch_retries=0)
"""Per-read and per-request limits far beyond the tests' bounds: only the poll limits, the
duration or a stop can end a drip in time."""

WORDS = ["harbour", "council", "budget", "river", "bridge", "festival", "school", "hospital",
         "railway", "election", "museum", "storm", "vaccine", "library", "stadium", "airport",
         "factory", "market", "tunnel", "orchestra"]


def page(n: int) -> bytes:
    """An article page with text of its own, long enough to extract."""
    w = [WORDS[(n * 7 + i) % len(WORDS)] for i in range(len(WORDS))]
    paras = "".join(
        f"<p>The {w[i]} plan number {n} was discussed on day {i} of the {w[i + 1]} review, and "
        f"officials said the {w[i + 2]} work would continue with {n * 13 + i} staff members "
        f"assigned to it over the coming months.</p>"
        for i in range(8)
    )
    return (f"<html><head><title>Report {n}: the {w[0]} plan</title></head><body><article>"
            f"<h1>Report {n}: the {w[0]} plan</h1>{paras}</article></body></html>").encode()


def rss(base: str, items: list[tuple[int, datetime]]) -> str:
    entries = "".join(
        f"<item><title>Report {n}</title><link>{base}/articles/r{n}.html</link>"
        f"<guid isPermaLink='false'>r{n}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
        for n, when in items
    )
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Many</title>"
            f"<link>{base}/</link>{entries}</channel></rss>")


# -- per-feed item cap ----------------------------------------------------------------------
def test_newest_first_orders_by_date_and_keeps_undated_in_feed_order() -> None:
    items = [("a", None), ("b", "2020-01-01T00:00:00+00:00"), ("c", None),
             ("d", "2021-06-01T00:00:00Z"), ("e", "not a date"), ("f", "2020-06-01T05:00:00+05:00")]
    assert [i[0] for i in newest_first(items, key=lambda i: i[1])] == ["d", "f", "b", "a", "c", "e"]


def test_feed_cap_fetches_the_newest_and_keeps_the_rest_for_later_polls(server: Loopback) -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    dated = [(n, start + timedelta(hours=n)) for n in range(12)]
    shuffled = dated[5:] + dated[:5]  # the feed's order is not the date order
    server.add("/robots.txt", "", ctype="text/plain")
    for n in range(12):
        server.add(f"/articles/r{n}.html", page(n))
    body = rss(server.base, shuffled).encode()

    def feed_answer(headers: dict[str, str]) -> Answer:
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, body

    server.routes["/many.xml"] = feed_answer
    url = server.url("/many.xml")
    settings = Settings(fetch_rate_per_host=1000.0, fetch_retries=0)
    with Newsfold(":memory:", settings=settings) as nf:
        add_feed(nf.store, url)
        with fetch_context(nf.store, nf.settings, overrides={"feed_max_items": 5}) as ctx:
            first = nf.ingest([url], fetch=ctx)
            assert first.added == 5 and ctx.polls[-1].deferred == 7
            stored = {a.url for a in nf.articles()}
            assert stored == {server.url(f"/articles/r{n}.html") for n in range(7, 12)}
            row = feed(nf.store, url)
            assert row is not None and row.etag is None  # entries wait: no 304 next time
            assert nf.ingest([url], fetch=ctx).added == 5
            last = nf.ingest([url], fetch=ctx)
            assert last.added == 2 and ctx.polls[-1].deferred == 0
            row = feed(nf.store, url)
            assert row is not None and row.etag == '"v1"'  # all read: validators kept now
            assert nf.ingest([url], fetch=ctx).added == 0 and ctx.polls[-1].status == 304
        assert len(list(nf.articles())) == 12
    assert all(server.hits(f"/articles/r{n}.html") == 1 for n in range(12))


def test_watch_max_items_option(server: Loopback, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    server.serve_fixtures()
    monkeypatch.setenv("NEWSFOLD_FETCH_RATE_PER_HOST", "1000")
    db = str(tmp_path / "nf.db")
    runner = CliRunner()
    runner.invoke(main, ["feeds", "add", server.url("/feeds/atom.xml"), "--db", db],
                  catch_exceptions=False)
    result = runner.invoke(main, ["watch", "--once", "--max-items", "1", "--db", db],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr and "2 left for the next poll" in result.stderr
    bad = runner.invoke(main, ["watch", "--max-items", "-1", "--db", db])
    assert bad.exit_code != 0 and "--max-items" in bad.stderr


# -- one slow feed never starves the others --------------------------------------------------
def test_a_dripping_feed_is_cut_at_its_time_limit_and_the_next_feed_is_polled(
    hostile: Hostile, server: Loopback,
) -> None:
    server.serve_fixtures()
    hostile.routes["/drip.xml"] = drip_headers(every=0.2)
    lines: list[str] = []
    with Newsfold(":memory:", settings=PATIENT) as nf:
        add_feed(nf.store, hostile.url("/drip.xml"))
        add_feed(nf.store, server.url("/feeds/atom.xml"))
        started = time.monotonic()
        summary = Watcher(nf, emit=lines.append, feed_timeout=1.5).run(
            once=True, install_signals=False)
        elapsed = time.monotonic() - started
        assert summary.polls == 2 and summary.added == 3
        drip_line = next(ln for ln in lines if "drip.xml" in ln)
        assert "failed (no complete answer within the feed time limit (1.5s" in drip_line
        row = feed(nf.store, hostile.url("/drip.xml"))
        assert row is not None and row.failures == 1  # slow is the feed's fault: it backs off
    assert elapsed < 1.5 + SLACK


def test_slow_entries_are_left_for_the_next_poll_at_the_feed_time_limit(
    hostile: Hostile, server: Loopback,
) -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    hostile.routes["/feed.xml"] = answer(
        200, rss(hostile.base, [(n, start + timedelta(hours=n)) for n in range(6)]),
        "application/rss+xml", headers={"ETag": '"e1"'})
    for n in range(6):
        hostile.routes[f"/articles/r{n}.html"] = drip_headers(every=0.2)
    lines: list[str] = []
    with Newsfold(":memory:", settings=PATIENT) as nf:
        add_feed(nf.store, hostile.url("/feed.xml"))
        started = time.monotonic()
        summary = Watcher(nf, emit=lines.append, feed_timeout=1.5).run(
            once=True, install_signals=False)
        elapsed = time.monotonic() - started
        assert summary.polls == 1 and summary.added == 0 and summary.failed_polls == 0
        assert "6 left for the next poll" in lines[0]
        row = feed(nf.store, hostile.url("/feed.xml"))
        assert row is not None and row.etag is None  # so the next poll reads the feed again
        assert nf.store.conn.execute("SELECT COUNT(*) FROM fetched").fetchone()[0] == 0
    assert elapsed < 1.5 + SLACK


# -- stopping -------------------------------------------------------------------------------
def test_watch_duration_ends_a_dripping_poll(hostile: Hostile, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    hostile.routes["/drip.xml"] = drip_headers(every=0.2)
    for name, value in (("RATE_PER_HOST", "1000"), ("TIMEOUT", "30"), ("TOTAL_TIMEOUT", "120")):
        monkeypatch.setenv(f"NEWSFOLD_FETCH_{name}", value)
    db = str(tmp_path / "nf.db")
    runner = CliRunner()
    runner.invoke(main, ["feeds", "add", hostile.url("/drip.xml"), "--db", db],
                  catch_exceptions=False)
    started = time.monotonic()
    result = runner.invoke(main, ["watch", "--duration", "2", "--db", db], catch_exceptions=False)
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    assert "cut short (duration)" in result.stderr and "stopped (duration)" in result.stderr
    with Newsfold(db) as nf:
        row = feed(nf.store, hostile.url("/drip.xml"))
        assert row is not None and row.failures == 0 and row.next_poll_ts <= time.time()
    assert elapsed < 2 + SLACK


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_a_watch_stuck_on_a_dripping_server(
    hostile: Hostile, tmp_path: Path, sig: signal.Signals,
) -> None:
    pages = sorted(HTML_DIR.glob("*.html"))
    for p in pages:
        hostile.routes[f"/articles/{p.name}"] = answer(200, p.read_bytes())
    items = "".join(f"<item><title>{p.stem}</title><link>{hostile.base}/articles/{p.name}</link>"
                    f"</item>" for p in pages)
    hostile.routes["/a-good.xml"] = answer(
        200, f"<rss version='2.0'><channel><title>good</title>{items}</channel></rss>",
        "application/rss+xml")
    hostile.routes["/z-drip.xml"] = drip_headers(every=0.2)
    db = str(tmp_path / "nf.db")
    env = {**os.environ, "NEWSFOLD_FETCH_RATE_PER_HOST": "1000", "NEWSFOLD_FETCH_TIMEOUT": "60",
           "NEWSFOLD_FETCH_TOTAL_TIMEOUT": "600"}
    subprocess.run([*NEWSFOLD, "feeds", "add", hostile.url("/a-good.xml"),
                    hostile.url("/z-drip.xml"), "--db", db], check=True, env=env, capture_output=True)
    with watch_process(db, env, duration=600) as proc:
        wait_until(lambda: hostile.seen("/z-drip.xml") > 0)
        assert hostile.seen("/z-drip.xml") == 1, "the watch never reached the dripping feed"
        time.sleep(0.5)  # well inside the drip: headers still arriving
        err, stopped_in = stop(proc, sig)
    assert proc.returncode == 0, err
    assert f"cut short ({sig.name})" in err and f"stopped ({sig.name})" in err
    assert stopped_in < SLACK
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The good feed's articles are stored whole; the cut-short feed is due at once and not
        # counted as failing.
        n, empty = conn.execute(
            "SELECT COUNT(*), SUM(text IS NULL OR text = '') FROM articles").fetchone()
        assert n == len(pages) and not empty
        failures, due = conn.execute("SELECT failures, next_poll_ts FROM feeds WHERE url = ?",
                                     (hostile.url("/z-drip.xml"),)).fetchone()
        assert failures == 0 and due <= time.time()
    finally:
        conn.close()
    with Newsfold(db) as nf:
        assert len(list(nf.articles())) == len(pages)
