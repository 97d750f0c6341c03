"""Read HTML responses from WARC archives (``.warc``, ``.warc.gz``), streaming.

Each ``response`` record with an HTTP 2xx status and an HTML content type becomes a raw HTML
item (its id is derived from the target URL, as for a fetched page, so a page fetched live and
the same page from an archive are one article). Other records are passed over; a damaged archive
yields an :class:`~newsfold.errors.InputError` and reading stops at the damage. Progress (records
and megabytes read) is logged every ``PROGRESS_EVERY`` records.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..records import RawItem
from .fetch import ARTICLE_TYPES, article_id_for, decode_body

log = logging.getLogger(__name__)

__all__ = ["is_warc", "read_warc"]

PROGRESS_EVERY = 500
MAX_RECORD_BYTES = 20 * 1024 * 1024
"""Larger responses are skipped (the HTML extractor refuses them anyway)."""


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
            for record in ArchiveIterator(fh):
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
