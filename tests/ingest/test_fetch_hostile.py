"""The fetcher against a hostile server on 127.0.0.1: every fetch ends, with newsfold's error.

Times are only checked as a sanity bound on termination (the deadline plus generous slack),
never as a speed measurement: what each test pins is the error the fetch ends with.
"""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from newsfold.ingest import fetch as fetch_module
from newsfold.ingest.fetch import FetchConfig, Fetcher, FetchError
from newsfold.settings import Settings

from .hostile import (
    Hostile,
    Refusing,
    answer,
    drip_body,
    drip_headers,
    endless_redirects,
    gzip_bomb,
    silent,
)

SLACK = 15.0
"""Seconds allowed past a deadline before a test calls the fetch hung (a sanity bound only)."""


def hostile_config(**kw: Any) -> FetchConfig:
    """Per-read timeout longer than the server's drip interval, so only the deadline can end a
    drip; loopback allowed (the fetcher refuses private addresses by default)."""
    base: dict[str, Any] = {"rate_per_host": 1000.0, "timeout": 2.0, "total_timeout": 1.5,
                            "retries": 2, "backoff": 0.05, "allow_private": True}
    base.update(kw)
    return FetchConfig(**base)


@pytest.fixture
def refusing() -> Iterator[Refusing]:
    port = Refusing()
    yield port
    port.close()


def timed_failure(fetcher: Fetcher, url: str, **kw: Any) -> tuple[FetchError, float]:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kw)
    return info.value, time.monotonic() - started


# -- one deadline for connect, headers and body ---------------------------------------------
def test_dripping_headers_end_at_the_deadline(hostile: Hostile) -> None:
    hostile.routes["/drip"] = drip_headers(every=0.2)
    with Fetcher(hostile_config()) as f:
        err, elapsed = timed_failure(f, hostile.url("/drip"))
    assert err.cause == "deadline" and not err.permanent
    assert hostile.url("/drip") in str(err) and "within 1.5s" in str(err)
    assert hostile.seen("/drip") == 1  # a deadline is not retried at once
    assert elapsed < 1.5 + SLACK


def test_slow_body_ends_at_the_deadline(hostile: Hostile) -> None:
    hostile.routes["/slow-body"] = drip_body(every=0.2)
    with Fetcher(hostile_config()) as f:
        err, elapsed = timed_failure(f, hostile.url("/slow-body"))
    assert err.cause == "deadline" and hostile.url("/slow-body") in str(err)
    assert elapsed < 1.5 + SLACK


def test_silent_server_times_out_per_read_and_is_retried(hostile: Hostile) -> None:
    hostile.routes["/silent"] = silent
    with Fetcher(hostile_config(timeout=0.3, total_timeout=10.0, retries=1)) as f:
        err, elapsed = timed_failure(f, hostile.url("/silent"))
    assert err.cause == "timeout" and "timed out" in err.reason and "(after 2 tries)" in err.reason
    assert hostile.seen("/silent") == 2
    assert elapsed < 2 * 0.3 + SLACK


def test_the_watchdog_alone_cuts_a_drip(hostile: Hostile, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the in-read clamp switched off, the watchdog (outside the read) still ends it."""
    monkeypatch.setattr(fetch_module, "_clamp", lambda timeout, kind: timeout)
    hostile.routes["/drip"] = drip_headers(every=0.2)
    with Fetcher(hostile_config()) as f:
        assert f.guarded
        err, elapsed = timed_failure(f, hostile.url("/drip"))
    assert err.cause == "deadline"
    assert elapsed < 1.5 + SLACK


def test_abort_ends_a_fetch_in_progress(hostile: Hostile) -> None:
    hostile.routes["/drip"] = drip_headers(every=0.2)
    with Fetcher(hostile_config(total_timeout=600.0)) as f:
        def abort_when_connected() -> None:
            while hostile.seen("/drip") == 0:
                time.sleep(0.02)
            f.abort()

        threading.Thread(target=abort_when_connected, daemon=True).start()
        err, elapsed = timed_failure(f, hostile.url("/drip"))
        assert err.cause == "cancelled" and err.unfinished
        later, _ = timed_failure(f, hostile.url("/robots.txt"))
        assert later.cause == "cancelled"  # nothing starts after an abort
    assert elapsed < SLACK


def test_until_bounds_a_fetch_below_its_own_deadline(hostile: Hostile) -> None:
    hostile.routes["/drip"] = drip_headers(every=0.2)
    with Fetcher(hostile_config(total_timeout=600.0)) as f:
        err, elapsed = timed_failure(f, hostile.url("/drip"), until=time.monotonic() + 1.0)
    assert err.cause == "budget" and err.unfinished
    assert elapsed < 1.0 + SLACK


def test_hanging_dns_ends_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    release = threading.Event()

    def hang(host: Any, *args: Any, **kw: Any) -> Any:
        if host == "hang.example":
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "hung")
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", hang)
    try:
        with Fetcher(hostile_config(obey_robots=False, retries=0)) as f:
            err, elapsed = timed_failure(f, "http://hang.example/page")
    finally:
        release.set()
    assert err.cause in ("deadline", "timeout") and "hang.example" in str(err)
    assert elapsed < 1.5 + SLACK


def test_abort_ends_a_hanging_dns_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    release = threading.Event()
    asked = threading.Event()

    def hang(host: Any, *args: Any, **kw: Any) -> Any:
        if host == "hang.example":
            asked.set()
            release.wait(60)
            raise socket.gaierror(socket.EAI_AGAIN, "hung")
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", hang)
    try:
        with Fetcher(hostile_config(obey_robots=False, retries=0, timeout=600.0,
                                    total_timeout=600.0)) as f:
            def abort_when_resolving() -> None:
                asked.wait(30)
                f.abort()

            threading.Thread(target=abort_when_resolving, daemon=True).start()
            err, elapsed = timed_failure(f, "http://hang.example/page")
    finally:
        release.set()
    assert err.cause == "cancelled"
    assert elapsed < SLACK


# -- bombs and loops --------------------------------------------------------------------------
def test_gzip_bomb_is_cut_at_the_limit_in_bounded_memory(hostile: Hostile) -> None:
    hostile.routes["/bomb"] = gzip_bomb(200 * 1024 * 1024)
    with Fetcher(hostile_config(max_bytes=1_000_000, total_timeout=30.0)) as f:
        tracemalloc.start()
        try:
            err, _ = timed_failure(f, hostile.url("/bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert err.cause == "too-large" and err.permanent
    assert "too large (over 1000000 bytes)" in str(err) and hostile.url("/bomb") in str(err)
    assert peak < 20 * 1024 * 1024  # never the 200 MB it expands to (nor one 64 MB chunk of it)


def test_endless_redirects_stop_at_the_limit(hostile: Hostile) -> None:
    hostile.routes["/endless"] = endless_redirects
    with Fetcher(hostile_config(max_redirects=5)) as f:
        err, _ = timed_failure(f, hostile.url("/endless"))
    assert err.cause == "redirect" and "more than 5 redirects" in err.reason
    assert hostile.seen("/endless") == 6


def test_unsupported_content_encoding_is_refused(hostile: Hostile) -> None:
    hostile.routes["/br"] = answer(200, b"\x0b\x02\x80hi\x03", headers={"Content-Encoding": "br"})
    with Fetcher(hostile_config()) as f:
        err, _ = timed_failure(f, hostile.url("/br"))
    assert err.cause == "encoding" and "'br'" in err.reason


# -- the real cause, never "disallowed by robots.txt" ---------------------------------------
def test_refused_connection_is_reported_as_refused(refusing: Refusing) -> None:
    url = refusing.url("/page.html")
    with Fetcher(hostile_config(retries=0)) as f:
        err, _ = timed_failure(f, url)
        again, _ = timed_failure(f, url)  # robots.txt failure cached: same cause, no new wait
    for e in (err, again):
        assert e.cause == "refused" and not e.permanent
        assert "connection refused" in e.reason and "robots.txt" in e.reason
        assert "disallowed" not in str(e) and url in str(e)


def test_refused_connection_without_robots_is_refused_too(refusing: Refusing) -> None:
    url = refusing.url("/page.html")
    with Fetcher(hostile_config(retries=1, obey_robots=False)) as f:
        err, _ = timed_failure(f, url)
    assert err.cause == "refused" and err.reason == "connection refused (after 2 tries)"
    assert "nothing listens there" in err.hint


def test_dns_failure_is_reported_as_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def nxdomain(host: Any, *args: Any, **kw: Any) -> Any:
        if host == "no-such-host.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", nxdomain)
    with Fetcher(hostile_config(retries=0)) as f:
        err, _ = timed_failure(f, "http://no-such-host.example/a.html")
    assert err.cause == "dns" and "DNS lookup of no-such-host.example failed" in err.reason
    assert "disallowed" not in str(err) and "http://no-such-host.example/a.html" in str(err)


def test_robots_txt_5xx_is_named_with_the_rule(hostile: Hostile) -> None:
    hostile.routes["/robots.txt"] = answer(503, "busy", "text/plain")
    hostile.routes["/a.html"] = answer(200, "<html><body><p>x</p></body></html>")
    with Fetcher(hostile_config(retries=0)) as f:
        err, _ = timed_failure(f, hostile.url("/a.html"))
    assert err.cause == "robots-unavailable" and "HTTP 503" in err.reason
    assert "RFC 9309" in err.hint and hostile.url("/a.html") in str(err)
    assert hostile.seen("/a.html") == 0


def test_robots_txt_that_drips_ends_at_the_deadline(hostile: Hostile) -> None:
    hostile.routes["/robots.txt"] = drip_headers(every=0.2)
    with Fetcher(hostile_config()) as f:
        err, elapsed = timed_failure(f, hostile.url("/a.html"))
    assert err.cause == "deadline" and "robots.txt" in err.reason
    assert elapsed < 1.5 + SLACK


# -- caches and defaults --------------------------------------------------------------------
def test_host_cache_is_bounded_lru() -> None:
    servers = [Hostile() for _ in range(3)]
    try:
        for srv in servers:
            srv.routes["/robots.txt"] = answer(200, "", "text/plain")
            srv.routes["/p"] = answer(200, "<html><body><p>x</p></body></html>")
        with Fetcher(hostile_config(cache_hosts=2)) as f:
            for srv in servers:
                f.fetch(srv.url("/p"))
            assert f.hosts_cached == 2
            f.fetch(servers[2].url("/p"))  # still cached: robots.txt not fetched again
            f.fetch(servers[0].url("/p"))  # forgotten: robots.txt fetched again
        assert [srv.seen("/robots.txt") for srv in servers] == [2, 1, 1]
    finally:
        for srv in servers:
            srv.close()


def test_fetch_config_defaults_agree_with_settings() -> None:
    bare = FetchConfig()
    assert bare == FetchConfig.from_settings(Settings())
    assert bare.allow_private is False and Settings().fetch_allow_private is False
    settings = Settings()
    for name, setting in (("user_agent", "fetch_user_agent"), ("timeout", "fetch_timeout"),
                          ("total_timeout", "fetch_total_timeout"),
                          ("max_bytes", "fetch_max_bytes"), ("retries", "fetch_retries"),
                          ("rate_per_host", "fetch_rate_per_host"),
                          ("max_redirects", "fetch_max_redirects")):
        assert getattr(bare, name) == getattr(settings, setting), name


def test_private_addresses_are_refused_by_default(hostile: Hostile) -> None:
    with Fetcher() as f:
        err, _ = timed_failure(f, hostile.url("/a.html"))
    assert err.cause == "private" and err.permanent
    assert hostile.seen("/robots.txt") == 0


# -- newsfold ingest URL ----------------------------------------------------------------------
def test_cli_ingest_of_a_dripping_url_ends_with_the_deadline_error(
    hostile: Hostile, tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from newsfold.cli import main

    hostile.routes["/drip.html"] = drip_headers(every=0.2)
    for name, value in (("RATE_PER_HOST", "1000"), ("TIMEOUT", "30"), ("TOTAL_TIMEOUT", "1.5")):
        monkeypatch.setenv(f"NEWSFOLD_FETCH_{name}", value)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["ingest", hostile.url("/drip.html"),
                                       "--db", str(tmp_path / "nf.db")])
    elapsed = time.monotonic() - started
    assert result.exit_code != 0
    assert f"{hostile.url('/drip.html')}: no complete answer within 1.5s" in result.stderr
    assert elapsed < 1.5 + SLACK


def test_cli_ingest_of_a_refused_url_names_the_cause(
    refusing: Refusing, tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from newsfold.cli import main

    monkeypatch.setenv("NEWSFOLD_FETCH_RETRIES", "0")
    result = CliRunner().invoke(main, ["ingest", refusing.url("/news.html"),
                                       "--db", str(tmp_path / "nf.db")])
    assert result.exit_code != 0
    assert f"{refusing.url('/news.html')}: connection refused" in result.stderr
    assert "disallowed by robots.txt" not in result.stderr


def test_waiting_for_the_hosts_turn_is_not_held_against_the_deadline(hostile: Hostile) -> None:
    """A polite wait (rate limit, Crawl-delay) is not the server's slowness: the deadline of a
    request starts when it is sent."""
    for i in range(4):
        hostile.routes[f"/p{i}"] = answer(200, "<html><body><p>x</p></body></html>")
    config = hostile_config(rate_per_host=2.0, host_concurrency=1, total_timeout=0.3)
    with Fetcher(config) as f:
        results = list(f.fetch_many([hostile.url(f"/p{i}") for i in range(4)]))
    assert [type(r).__name__ for _, r in results] == ["FetchResult"] * 4


def test_a_redirect_hop_waiting_for_its_turn_is_not_held_against_the_deadline(
    hostile: Hostile,
) -> None:
    hostile.routes["/old"] = answer(301, headers={"Location": "/new"})
    hostile.routes["/new"] = answer(200, "<html><body><p>moved</p></body></html>")
    with Fetcher(hostile_config(rate_per_host=2.0, total_timeout=0.3)) as f:
        result = f.fetch(hostile.url("/old"))  # robots.txt, /old, /new: 0.5 s apart
    assert result.final_url == hostile.url("/new")
