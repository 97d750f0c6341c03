"""Input files for a backfill: listed through Spark's file systems, read by ingest's readers.

Any path Spark reads (a local path, ``file:``, ``hdfs:``, ``s3a:``...) is listed recursively
through the Hadoop file system API; the files ingest reads (``.jsonl``, ``.jsonl.gz``,
``.warc``, ``.warc.gz``, ``.txt``, ``.html``) and ``.parquet`` files are kept, in sorted order,
and numbered. A task reads one whole file: its
bytes are handed to the same reader ``newsfold ingest`` uses for a file of that name (JSONL
lines and WARC records become raw items, with the same ids, checks and errors), and a Parquet
file's rows become JSONL-style items of the same fields.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ingest.readers import input_format, read_items
from ..records import RawItem

__all__ = ["backfill_format", "list_inputs", "read_file"]


def backfill_format(name: str) -> str | None:
    """``parquet``, or the ingest format of a file a backfill reads, else None."""
    if name.lower().endswith(".parquet"):
        return "parquet"
    return input_format(Path(name))


def list_inputs(spark: Any, paths: list[str]) -> list[str]:
    """Every readable file below ``paths`` as a URI, sorted; a path that does not exist or
    holds no readable file is an :class:`InputError`."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    found: list[str] = []
    for p in paths:
        hpath = jvm.org.apache.hadoop.fs.Path(p)
        fs = hpath.getFileSystem(conf)
        if not fs.exists(hpath):
            raise InputError(p, "no such file or folder")
        files = fs.listFiles(hpath, True)
        here = []
        while files.hasNext():
            uri = str(files.next().getPath().toString())
            if backfill_format(uri) is not None and not _hidden(uri):
                here.append(uri)
        if not here:
            raise InputError(p, "no readable files",
                             "backfill reads .jsonl, .jsonl.gz, .warc, .warc.gz, .parquet, .txt and .html")
        found.extend(sorted(here))
    return found


def _hidden(uri: str) -> bool:
    return any(part.startswith((".", "_")) for part in uri.split("/")[3:])


def _shown(uri: str) -> str:
    """A local file's path as ingest would name it; any other URI as it is."""
    return uri[5:] if uri.startswith("file:") else uri


def read_file(uri: str, data: bytes) -> Iterator[RawItem | InputError]:
    """The raw items of one file, in file order (errors yielded, not raised)."""
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    shown = _shown(uri)
    if backfill_format(name) == "parquet":
        yield from _parquet_items(shown, name, data)
        return
    with tempfile.TemporaryDirectory(prefix="newsfold-backfill-") as tmp:
        local = os.path.join(tmp, name)
        with open(local, "wb") as fh:
            fh.write(data)
        for item in read_items([local]):
            if isinstance(item, InputError):
                yield InputError(item.item.replace(local, shown), item.reason, item.hint)
            else:
                item.origin = item.origin.replace(local, shown)
                yield item


def _parquet_items(shown: str, name: str, data: bytes) -> Iterator[RawItem | InputError]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several kinds for a damaged file
        yield InputError(shown, f"unreadable Parquet: {exc}")
        return
    stem = name[: -len(".parquet")]
    for n, row in enumerate(table.to_pylist(), start=1):
        fields = {k: _plain(v) for k, v in row.items() if v is not None}
        yield RawItem(origin=f"{shown}:{n}", format="jsonl",
                      raw=json.dumps(fields, ensure_ascii=False), default_id=f"{stem}-{n}",
                      fields=fields)


def _plain(value: Any) -> Any:
    """A Parquet value as JSON would carry it (timestamps as ISO 8601 text)."""
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return value
