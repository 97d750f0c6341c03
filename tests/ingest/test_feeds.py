"""Feeds end to end against a loopback server: RSS 1.0/2.0, Atom and JSON Feed, robots.txt,
no second fetch, conditional GET, malformed XML, OPML and the feeds commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsfold.api import Newsfold, read_articles
from newsfold.cli import main
from newsfold.errors import InputError
from newsfold.eval.extract import snippet_counts
from newsfold.ingest.feeds import (
    fetch_context,
    looks_like_feed,
    next_poll_delay,
    parse_feed,
    parse_opml,
)
from newsfold.ingest.readers import read_items
from newsfold.settings import Settings
from newsfold.store.feeds import feed, feeds

from .loopback import FEEDS_DIR, HTML_DIR, Loopback, google_news_link

GOLD = json.loads((HTML_DIR / "gold.json").read_text(encoding="utf-8"))
FAST = Settings(fetch_rate_per_host=1000.0, fetch_timeout=2.0, fetch_retries=1)




def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def fixture(name: str, base: str) -> bytes:
    return (FEEDS_DIR / name).read_text(encoding="utf-8").replace("{base}", base).encode()


# -- parsing --------------------------------------------------------------------------------
def test_parse_rss2_atom_rss1_and_json_feed() -> None:
    base = "http://127.0.0.1:9"
    rss = parse_feed(fixture("rss2.xml", base), base + "/feeds/rss2.xml")
    assert rss.kind == "rss20" and len(rss.entries) == 4 and rss.ttl_s == 1800
    assert rss.entries[0].guid == "threatpost-146774"
    assert rss.entries[0].published == "2019-07-29T14:30:00+00:00"
    atom = parse_feed(fixture("atom.xml", base))
    assert atom.kind == "atom10" and [e.link for e in atom.entries][1].endswith("msn-student-halls.html")
    rdf = parse_feed(fixture("rss1.rdf", base))
    assert rdf.kind == "rss10" and len(rdf.entries) == 1 and rdf.ttl_s == 1800  # hourly / 2
    js = parse_feed(fixture("feed.json", base))
    assert js.kind == "json" and [e.guid for e in js.entries] == ["threatpost-146774", "toi-washington"]
    for name in ("rss2.xml", "atom.xml", "rss1.rdf", "feed.json"):
        assert looks_like_feed("text/plain", fixture(name, base)), name
    assert not looks_like_feed("text/html", (HTML_DIR / "msn-student-halls.html").read_bytes())


def test_malformed_feed_is_an_input_error() -> None:
    with pytest.raises(InputError, match="malformed feed"):
        parse_feed(fixture("malformed.xml", "http://127.0.0.1:9"), "http://127.0.0.1:9/f")
    with pytest.raises(InputError, match="malformed JSON feed"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "x")


def test_parse_opml_finds_nested_feeds_only() -> None:
    found = parse_opml(fixture("subscriptions.opml", "http://127.0.0.1:9"))
    assert [u.rsplit("/", 1)[1] for u, _ in found] == ["rss2.xml", "atom.xml", "feed.json"]
    assert found[0][1] == "Loopback News (RSS 2.0)"


def test_poll_interval_from_setting_ttl_default_and_backoff() -> None:
    assert next_poll_delay(None, None, 900) == 900
    assert next_poll_delay(None, 1800, 900) == 1800
    assert next_poll_delay(None, 5, 900) == 60  # a TTL below a minute is raised to one
    assert next_poll_delay(120, 1800, 900) == 120
    assert next_poll_delay(None, None, 900, failures=2) == 3600
    assert next_poll_delay(None, None, 900, failures=30) == 6 * 3600


# -- ingest ---------------------------------------------------------------------------------
def _check_gold(nf: Newsfold) -> dict[str, str]:
    texts = {a.origin.split("?")[0]: a.text for a in nf.articles()}
    for name, gold in GOLD.items():
        text = next(t for u, t in texts.items() if u.endswith(name))
        tp, fn, fp, _ = snippet_counts(text, gold["with"], gold["without"])
        assert (tp, fn, fp) == (len(gold["with"]), 0, 0), name
    return texts


def test_rss_feed_ingests_pages_skips_disallowed_and_never_refetches(server: Loopback) -> None:
    server.serve_fixtures()
    feed_url = server.url("/feeds/rss2.xml")
    with Newsfold(":memory:", settings=FAST) as nf:
        with fetch_context(nf.store, nf.settings) as ctx:
            report = nf.ingest([feed_url], fetch=ctx)
        assert report.added == 3, report.summary_line()
        assert report.skipped == [
            (server.url("/private/members-only.html"), "disallowed by robots.txt")]
        assert ctx.polls[0].kind == "feed" and ctx.polls[0].disallowed == 1
        texts = _check_gold(nf)
        # the tracking parameters are gone from the stored URL's id, the feed date was used
        assert all("utm_" not in a.id for a in nf.articles())
        assert len(texts) == 3
        state = feed(nf.store, feed_url)
        assert state is not None and state.etag is None and state.ttl_s == 1800
        assert not state.subscribed  # ingesting a feed URL does not subscribe to it
        page_hits = sum(server.hits(f"/articles/{n}") for n in GOLD)
        assert page_hits == 3 and server.hits("/private/members-only.html") == 0

        with fetch_context(nf.store, nf.settings) as ctx:
            again = nf.ingest([feed_url], fetch=ctx)
        assert again.added == 0 and ctx.polls[0].known == 3
        assert sum(server.hits(f"/articles/{n}") for n in GOLD) == 3  # nothing fetched again
        assert len(list(nf.articles())) == 3

        # The same articles through the Atom and JSON feeds (other GUIDs): URLs already known.
        with fetch_context(nf.store, nf.settings) as ctx:
            more = nf.ingest([server.url("/feeds/atom.xml"), server.url("/feeds/feed.json"),
                              server.url("/feeds/rss1.rdf")], fetch=ctx)
        assert more.added == 0 and [p.known for p in ctx.polls] == [3, 2, 1]
        assert sum(server.hits(f"/articles/{n}") for n in GOLD) == 3


def test_atom_and_json_feeds_and_a_plain_page(server: Loopback) -> None:
    server.serve_fixtures()
    with Newsfold(":memory:", settings=FAST) as nf:
        with fetch_context(nf.store, nf.settings) as ctx:
            report = nf.ingest([server.url("/feeds/feed.json")], fetch=ctx)
            assert report.added == 2
            report = nf.ingest([server.url("/feeds/atom.xml")], fetch=ctx)
            assert report.added == 1  # the third page; the other two are known by URL
            report = nf.ingest([server.url("/articles/msn-student-halls.html")], fetch=ctx)
            assert report.added == 0 and not report.skipped
        _check_gold(nf)


def test_conditional_get_answers_304_and_nothing_is_read(server: Loopback) -> None:
    server.serve_fixtures()
    body = fixture("atom.xml", server.base)

    def atom(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if headers.get("if-none-match") == '"atom-1"':
            return 304, {"ETag": '"atom-1"'}, b""
        return 200, {"Content-Type": "application/atom+xml", "ETag": '"atom-1"',
                     "Last-Modified": "Sun, 20 Sep 2020 08:00:00 GMT"}, body

    server.routes["/feeds/atom.xml"] = atom
    url = server.url("/feeds/atom.xml")
    with Newsfold(":memory:", settings=FAST) as nf:
        with fetch_context(nf.store, nf.settings) as ctx:
            assert nf.ingest([url], fetch=ctx).added == 3
        assert feed(nf.store, url).etag == '"atom-1"'  # type: ignore[union-attr]
        with fetch_context(nf.store, nf.settings) as ctx:
            report = nf.ingest([url], fetch=ctx)
        assert report.added == 0 and ctx.polls[0].status == 304
        sent = [h for p, h, _ in server.requests if p == "/feeds/atom.xml"]
        assert sent[-1]["if-none-match"] == '"atom-1"'
        assert sent[-1]["if-modified-since"] == "Sun, 20 Sep 2020 08:00:00 GMT"


def test_malformed_feed_and_failing_pages_are_reported(server: Loopback) -> None:
    server.serve_fixtures()
    server.add("/articles/gone.html", "gone", status=500, ctype="text/plain")
    rss = fixture("rss2.xml", server.base).replace(
        b"/articles/msn-student-halls.html", b"/articles/gone.html")
    server.add("/feeds/partly-broken.xml", rss, ctype="application/rss+xml")
    with Newsfold(":memory:", settings=FAST) as nf, fetch_context(nf.store, nf.settings) as ctx:
        report = nf.ingest([server.url("/feeds/malformed.xml")], fetch=ctx)
        assert report.added == 0 and len(report.skipped) == 1
        assert "malformed feed" in report.skipped[0][1]
        report = nf.ingest([server.url("/feeds/partly-broken.xml")], fetch=ctx)
        assert report.added == 2
        reasons = dict(report.skipped)
        assert reasons[server.url("/articles/gone.html")] == "HTTP 500 (after 2 tries)"


def test_google_news_links_are_fetched_from_the_publisher(server: Loopback) -> None:
    server.serve_fixtures()
    target = server.url("/articles/timesofisrael-washington.html")
    rss = (f'<rss version="2.0"><channel><title>Google News</title><item><title>t</title>'
           f'<link>{google_news_link(target)}</link><guid>gn-1</guid></item></channel></rss>')
    server.add("/gn.xml", rss, ctype="application/rss+xml")
    with Newsfold(":memory:", settings=FAST) as nf, fetch_context(nf.store, nf.settings) as ctx:
        report = nf.ingest([server.url("/gn.xml")], fetch=ctx)
        assert report.added == 1
        (article,) = nf.articles()
        assert "timesofisrael" in (article.url or "") or article.url == target


def test_urls_read_without_a_store_are_fetched_every_time(server: Loopback) -> None:
    server.serve_fixtures()
    url = server.url("/feeds/feed.json")
    first = read_articles([url], FAST)
    assert len(first.articles) == 2 and not first.errors
    again = read_articles([url], FAST)
    assert [a.id for a in again.articles] == [a.id for a in first.articles]
    assert sum(server.hits(f"/articles/{n}") for n in GOLD) == 4
    with pytest.raises(ValueError, match="FetchContext"):
        list(read_items([url]))


def test_cli_ingest_url_and_feeds_commands(server: Loopback, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    server.serve_fixtures()
    monkeypatch.setenv("NEWSFOLD_FETCH_RATE_PER_HOST", "1000")
    db = str(tmp_path / "nf.db")
    result = run("ingest", server.url("/feeds/rss2.xml"), "--db", db)
    assert result.exit_code == 1  # the robots.txt-disallowed item is skipped and named
    assert "3 added" in result.stderr and "disallowed by robots.txt" in result.stderr
    before = len(server.requests)
    again = run("ingest", server.url("/feeds/rss2.xml"), "--db", db)
    assert "0 added" in again.stderr
    # a second `newsfold ingest URL` asks for the feed again, but no article page
    asked = [path for path, _, _ in server.requests[before:]]
    assert asked and all(p.startswith(("/feeds/", "/robots.txt")) for p in asked), asked

    opml = tmp_path / "subs.opml"
    opml.write_bytes(fixture("subscriptions.opml", server.base))
    result = run("feeds", "import", str(opml), "--db", db)
    assert result.exit_code == 0 and "imported: 3 feeds" in result.stderr
    result = run("feeds", "add", server.url("/feeds/atom.xml"), server.url("/feeds/rss1.rdf"),
                 "--interval", "120", "--db", db)
    assert "already subscribed" in result.stderr and "added:" in result.stderr
    assert run("feeds", "add", "not-a-url", "--db", db).exit_code == 2
    listed = json.loads(run("feeds", "list", "--db", db, "--format", "json").stdout)
    assert len(listed) == 4
    assert {f["interval_s"] for f in listed if f["url"].endswith(("atom.xml", "rss1.rdf"))} == {120}
    table = run("feeds", "list", "--db", db).stdout
    assert "rss2.xml" in table and "Loopback News (JSON Feed)" in table
    with Newsfold(db) as nf:
        assert len(feeds(nf.store)) == 4
