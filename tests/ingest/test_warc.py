"""WARC archives: HTML responses are read (streaming), everything else is passed over."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfold.api import Newsfold, read_articles
from newsfold.cli import main
from newsfold.errors import InputError
from newsfold.eval.extract import snippet_counts
from newsfold.ingest.readers import read_items
from newsfold.ingest.warc import read_warc

from ..conftest import DATA

HTML = DATA / "html"
GOLD = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))


def write_warc(path: Path, gz: bool = True) -> None:
    """The three real pages as responses, plus a request, a 404, an image and a redirect."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)

        def response(url: str, status: str, ctype: str, body: bytes) -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=http))

        for name, gold in GOLD.items():
            url = gold["url"]
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
            response(url, "200 OK", "text/html; charset=utf-8", (HTML / name).read_bytes())
        response("https://example.org/missing", "404 Not Found", "text/html", b"<html>404</html>")
        response("https://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
        response("https://example.org/moved", "301 Moved Permanently", "text/html", b"")


@pytest.mark.parametrize("gz", [True, False])
def test_read_warc_yields_the_html_responses(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("pages.warc.gz" if gz else "pages.warc")
    write_warc(path, gz)
    items = list(read_warc(path))
    assert [i.fields["url"] for i in items] == [g["url"] for g in GOLD.values()]  # type: ignore[union-attr]
    read = read_articles([str(path)])
    assert not read.errors and len(read.articles) == 3
    for article, gold in zip(read.articles, GOLD.values(), strict=True):
        tp, fn, fp, _ = snippet_counts(article.text, gold["with"], gold["without"])
        assert (tp, fn, fp) == (len(gold["with"]), 0, 0)


def test_cli_ingest_warc_then_again_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    db = str(tmp_path / "nf.db")
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(tmp_path), "--db", db], catch_exceptions=False)
    assert first.exit_code == 0 and "3 added" in first.stderr, first.stderr
    again = runner.invoke(main, ["ingest", str(path), "--db", db], catch_exceptions=False)
    assert "0 added (0 duplicates), 3 already stored" in again.stderr
    with Newsfold(db) as nf:
        assert {a.origin.split("#")[1] for a in nf.articles()} == {g["url"] for g in GOLD.values()}


def test_truncated_warc_keeps_whole_records_and_non_warc_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    write_warc(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    items = list(read_items([str(path)]))
    assert 1 <= len(items) < 3 and all(not isinstance(i, InputError) for i in items)
    bogus = tmp_path / "not-a.warc"
    bogus.write_bytes(b"this is not a WARC file\n" * 10)
    errors = [i for i in read_items([str(bogus)]) if isinstance(i, InputError)]
    assert errors and "not a WARC file" in errors[0].reason
