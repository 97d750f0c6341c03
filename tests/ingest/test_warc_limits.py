"""WARC reading is bounded: a header line or header block built to exhaust memory ends in an
error naming the archive, after the real pages before it have been read."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfold.errors import InputError
from newsfold.ingest.readers import read_items
from newsfold.ingest.warc import MAX_HEADER_BYTES, MAX_HEADER_LINE_BYTES
from newsfold.records import RawItem

from ..conftest import DATA

HTML = DATA / "html"
GOLD = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))


def _real_page(fh: BytesIO) -> str:
    name, gold = next(iter(GOLD.items()))
    writer = WARCWriter(fh, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        gold["url"], "response", payload=BytesIO((HTML / name).read_bytes()), http_headers=http))
    return str(gold["url"])


@pytest.mark.parametrize("shape", ["line", "block"])
def test_a_header_bomb_ends_reading_with_the_archive_named(tmp_path: Path, shape: str) -> None:
    buf = BytesIO()
    url = _real_page(buf)
    bomb = BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=9) as g:
        g.write(b"WARC/1.0\r\nWARC-Type: response\r\n")
        size = 200 * MAX_HEADER_LINE_BYTES if shape == "line" else 2 * MAX_HEADER_BYTES
        if shape == "line":
            g.write(b"X-Long: " + b"a" * size + b"\r\n")
        else:
            g.write(b"X-Many: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n" * (size // 40))
        g.write(b"Content-Length: 0\r\n\r\n\r\n\r\n")
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(buf.getvalue() + bomb.getvalue())
    assert path.stat().st_size < 2_000_000
    tracemalloc.start()
    try:
        items = list(read_items([path]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    page, error = items
    assert isinstance(page, RawItem) and page.fields["url"] == url
    assert isinstance(error, InputError) and error.item == str(path)
    assert error.reason.startswith("damaged WARC after 1 records: ") and "longer than" in error.reason
    # Bounded by one decompressed read block of warcio's (deflate expands at most 1:1032),
    # whatever the size of the line: not the 100 MB line.
    assert peak < 64 * 1024 * 1024
