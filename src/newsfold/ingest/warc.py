"""Read HTML responses from WARC archives (``.warc``, ``.warc.gz``), streaming.

Each ``response`` record with an HTTP 2xx status and an HTML content type becomes a raw HTML
item (its id is derived from the target URL, as for a fetched page, so a page fetched live and
the same page from an archive are one article). Other records are passed over; a damaged archive
yields an :class:`~newsfold.errors.InputError` and reading stops at the damage. Progress (records
and megabytes read) is logged every ``PROGRESS_EVERY`` records.

Reading is bounded: a record's HTML at :data:`MAX_RECORD_BYTES`, a header line at
:data:`MAX_HEADER_LINE_BYTES` and a record's header block at :data:`MAX_HEADER_BYTES`, so an
archive built to exhaust memory (a gzip bomb in a header) ends in an error naming the file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import RawItem
from .fetch import ARTICLE_TYPES, article_id_for, decode_body

log = logging.getLogger(__name__)

__all__ = ["is_warc", "read_warc"]

PROGRESS_EVERY = 500
MAX_RECORD_BYTES = 20 * 1024 * 1024
"""Larger responses are skipped (the HTML extractor refuses them anyway)."""
MAX_HEADER_LINE_BYTES = 512 * 1024
"""Longest WARC or HTTP header line read; a longer one ends reading as damage."""
MAX_HEADER_BYTES = 2 * 1024 * 1024
"""Most bytes of header lines read in a row (one record's WARC and HTTP headers)."""


class _HeaderTooLong(ValueError):
    """A header line or block past its limit."""


def _bounded_reader(fh: Any) -> Any:
    """warcio's decompressing reader with header lines and header blocks bounded (warcio
    reads a line however long it is)."""
    from warcio.bufferedreaders import DecompressingBufferedReader

    class Bounded(DecompressingBufferedReader):
        run = 0

        def readline(self, length: int | None = None) -> bytes:
            cap = MAX_HEADER_LINE_BYTES if not length else min(length, MAX_HEADER_LINE_BYTES)
            line: bytes = super().readline(cap)
            if len(line) >= MAX_HEADER_LINE_BYTES and not line.endswith(b"\n"):
                raise _HeaderTooLong(f"a header line longer than {MAX_HEADER_LINE_BYTES:,} bytes")
            self.run = self.run + len(line) if line.strip() else 0
            if self.run > MAX_HEADER_BYTES:
                raise _HeaderTooLong(f"headers longer than {MAX_HEADER_BYTES:,} bytes")
            return line

        def read(self, length: int | None = None) -> bytes:
            self.run = 0
            data: bytes = super().read(length)
            return data

    return Bounded(fh)


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz"))


def read_warc(path: Path) -> Iterator[RawItem | InputError]:
    """Raw HTML items from the HTML responses in one WARC file, in archive order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = html = 0
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc}")
        return
    with fh:
        head = fh.read(5)
        fh.seek(0)
        if not (head.startswith(b"\x1f\x8b") or head == b"WARC/"):
            yield InputError(str(path), "not a WARC file (it starts neither with 'WARC/' nor gzip)")
            return
        try:
            archive = ArchiveIterator(fh)
            archive.reader = _bounded_reader(archive.fh)  # before the first record is read
            for record in archive:
                records += 1
                if records % PROGRESS_EVERY == 0:
                    log.info("%s: %d records, %d HTML pages, %.1f MB read", path, records, html,
                             fh.tell() / 1e6)
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                origin = f"{path}#{url}" if url else f"{path}#record-{records}"
                http = record.http_headers
                if http is None:
                    continue
                try:
                    status = int(http.get_statuscode() or "0")
                except ValueError:
                    status = 0
                if not 200 <= status < 300:
                    continue
                ctype = (http.get_header("Content-Type") or "").lower()
                kind = ctype.split(";")[0].strip()
                if kind and kind not in ARTICLE_TYPES:
                    continue
                stream = record.content_stream()
                data = stream.read(MAX_RECORD_BYTES + 1)
                if len(data) > MAX_RECORD_BYTES:
                    yield InputError(origin, f"page larger than {MAX_RECORD_BYTES} bytes")
                    continue
                if not data.strip():
                    continue
                charset = None
                if "charset=" in ctype:
                    charset = ctype.split("charset=", 1)[1].split(";")[0].strip().strip('"')
                html += 1
                ident = article_id_for(url) if url.lower().startswith(("http://", "https://")) \
                    else f"{path.name}-{records}"
                yield RawItem(origin=origin, format="html", raw=decode_body(data, charset),
                              default_id=ident, fields={"url": url} if url else {})
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            yield InputError(str(path), f"damaged WARC after {records} records: {exc}")
            return
    log.info("%s: %d records, %d HTML pages", path, records, html)
