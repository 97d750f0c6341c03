"""newsfold watch: polls on each feed's interval, backs off failing feeds, stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.api import Newsfold
from newsfold.cli import main
from newsfold.settings import Settings
from newsfold.store.feeds import add_feed, feed
from newsfold.watch import Watcher

from .helpers import NEWSFOLD, stop, wait_until, watch_process
from .ingest.loopback import HTML_DIR, Loopback

FAST = Settings(fetch_rate_per_host=1000.0, fetch_timeout=2.0, fetch_retries=0)


@pytest.fixture
def server() -> Iterator[Loopback]:
    """A threaded HTTP server on 127.0.0.1, stopped after the test."""
    srv = Loopback()
    yield srv
    srv.close()




def _next_in(line: str) -> int:
    found = re.search(r"next in (\d+)s$", line)
    assert found, line
    return int(found.group(1))


def test_watch_once_polls_every_feed_and_second_run_fetches_nothing_again(
    server: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.serve_fixtures()
    monkeypatch.setenv("NEWSFOLD_FETCH_RATE_PER_HOST", "1000")
    db = str(tmp_path / "nf.db")
    runner = CliRunner()
    runner.invoke(main, ["feeds", "add", server.url("/feeds/rss2.xml"),
                         server.url("/feeds/atom.xml"), "--db", db], catch_exceptions=False)
    first = runner.invoke(main, ["watch", "--once", "--db", db], catch_exceptions=False)
    assert first.exit_code == 0, first.stderr
    lines = [ln for ln in first.stderr.splitlines() if ln.startswith("poll ")]
    assert len(lines) == 2
    atom = next(ln for ln in lines if "atom.xml" in ln)
    rss = next(ln for ln in lines if "rss2.xml" in ln)
    # the next poll is counted from when the feed was read, before its pages were ingested
    assert "3 added" in atom and 870 <= _next_in(atom) <= 900  # no TTL: the default interval
    assert "3 known" in rss and "1 disallowed by robots.txt" in rss
    assert 1770 <= _next_in(rss) <= 1800  # the RSS <ttl> of 30 minutes
    pages = sum(server.hits(f"/articles/{p.name}") for p in HTML_DIR.glob("*.html"))
    assert pages == 3
    second = runner.invoke(main, ["watch", "--once", "--db", db], catch_exceptions=False)
    assert "0 added" in second.stderr
    assert sum(server.hits(f"/articles/{p.name}") for p in HTML_DIR.glob("*.html")) == 3
    with Newsfold(db) as nf:
        assert len(list(nf.articles())) == 3


def test_failing_feed_backs_off_and_recovers(server: Loopback) -> None:
    server.serve_fixtures()
    server.add("/feeds/down.xml", "boom", status=503, ctype="text/plain")
    lines: list[str] = []
    with Newsfold(":memory:", settings=FAST) as nf:
        add_feed(nf.store, server.url("/feeds/down.xml"))
        watcher = Watcher(nf, interval=100, emit=lines.append)
        summary = watcher.run(once=True, install_signals=False)
        row = feed(nf.store, server.url("/feeds/down.xml"))
        assert summary.failed_polls == 1 and row is not None and row.failures == 1
        assert row.next_poll_ts - time.time() == pytest.approx(200, abs=5)  # 100 s doubled
        assert "failed (HTTP 503" in lines[0] and "retry in" in lines[0]
        Watcher(nf, interval=100, emit=lines.append).run(once=True, install_signals=False)
        row = feed(nf.store, server.url("/feeds/down.xml"))
        assert row is not None and row.failures == 2
        assert row.next_poll_ts - time.time() == pytest.approx(400, abs=5)
        server.routes["/feeds/down.xml"] = server.routes["/feeds/atom.xml"]
        Watcher(nf, interval=100, emit=lines.append).run(once=True, install_signals=False)
        row = feed(nf.store, server.url("/feeds/down.xml"))
        assert row is not None and row.failures == 0 and row.last_error is None


def test_loop_polls_due_feeds_until_max_polls(server: Loopback) -> None:
    server.serve_fixtures()
    lines: list[str] = []
    with Newsfold(":memory:", settings=FAST) as nf:
        add_feed(nf.store, server.url("/feeds/feed.json"), interval_s=0.2)
        started = time.monotonic()
        summary = Watcher(nf, emit=lines.append).run(max_polls=3, install_signals=False)
        assert summary.polls == 3 and summary.stopped_by == "max-polls"
        assert 0.3 <= time.monotonic() - started < 10
        assert server.hits("/feeds/feed.json") == 3


def test_stop_from_another_thread_and_duration(server: Loopback) -> None:
    server.serve_fixtures()
    with Newsfold(":memory:", settings=FAST) as nf:
        add_feed(nf.store, server.url("/feeds/feed.json"), interval_s=3600)
        watcher = Watcher(nf, emit=lambda _: None)
        threading.Timer(0.5, watcher.stop).start()
        started = time.monotonic()
        assert watcher.run(install_signals=False).stopped_by == "stop"
        assert time.monotonic() - started < 5
        summary = Watcher(nf, emit=lambda _: None).run(duration=0.3, install_signals=False)
        assert summary.stopped_by == "duration"


@pytest.mark.slow
def test_sigterm_stops_the_watch_process_cleanly(server: Loopback, tmp_path: Path) -> None:
    server.serve_fixtures()
    db = str(tmp_path / "nf.db")
    env = {**os.environ, "NEWSFOLD_FETCH_RATE_PER_HOST": "1000"}
    subprocess.run([*NEWSFOLD, "feeds", "add", server.url("/feeds/feed.json"), "--db", db],
                   check=True, env=env, capture_output=True)
    with watch_process(db, env, duration=60) as proc:
        wait_until(lambda: server.hits("/feeds/feed.json") > 0)
        time.sleep(0.5)
        err, _ = stop(proc, signal.SIGTERM)
    assert proc.returncode == 0, err
    assert "stopped (SIGTERM)" in err and "poll " in err
