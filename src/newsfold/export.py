"""``newsfold export``: a store's articles or stories as JSON lines, CSV or Parquet.

A story row (:class:`StoryRow`) holds the story's counts, outlets, dates, activity time and its
brief's summary with citations. The summary comes from the store's current brief (built from the
story's present articles by this newsfold and these settings); a story without one has an empty
summary and ``brief = "missing"``, unless briefs are built on the way (``build_briefs``), which
takes seconds a story on a large store: ``newsfold briefs`` builds them ahead, in parallel.

Formats: JSON lines (lists as JSON arrays), CSV through the standard library's :mod:`csv`
(a list column as its JSON text, an absent value as an empty field), Parquet through pyarrow
(the ``[parquet]`` extra, imported only for Parquet; lists as Parquet lists, the summary as a
list of ``{text, citations}`` structs).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC
from typing import IO, TYPE_CHECKING, Any, Literal

from .errors import ConfigError
from .records import outlet_label

if TYPE_CHECKING:
    from .api import Newsfold

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")
CHUNK = 500
"""Stories read (and written to Parquet) at a time."""

ARTICLE_COLUMNS: dict[str, str] = {
    "id": "str", "title": "str", "text": "str", "url": "str", "source": "str",
    "published": "str", "language": "str", "author": "str", "story_id": "str",
    "duplicate_of": "str", "wire": "bool",
}
"""The columns of an article row (``newsfold export``'s JSON lines: an article as a reader
feeds it back in) and their types."""
STORY_COLUMNS: dict[str, str] = {
    "id": "str", "headline": "str", "article_count": "int", "outlet_count": "int",
    "outlets": "list", "first_published": "str", "last_published": "str", "activity": "str",
    "brief": "str", "summary": "summary",
}
"""The columns of a story row and their types."""


@dataclass(slots=True)
class SummaryLine:
    """A summary sentence of a story's brief and the ids of the articles it cites."""

    text: str
    citations: list[str]


@dataclass(slots=True)
class StoryRow:
    """One story as ``newsfold export --what stories`` writes it."""

    id: str
    headline: str
    article_count: int
    outlet_count: int
    outlets: list[str]
    """The story's outlets as a reader sees them (:func:`newsfold.records.outlet_label`), in
    the order they first reported it; one per counted outlet, so each article without an
    outlet is one "unnamed outlet"."""
    first_published: str | None
    last_published: str | None
    activity: str
    """The story's activity time (its order in the list), ISO 8601 UTC."""
    brief: str
    """``stored`` (the store's current brief), ``built`` (built by this export) or
    ``missing`` (no current brief: ``summary`` is empty)."""
    summary: list[SummaryLine]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def story_rows(nf: Newsfold, *, build_briefs: bool = False) -> Iterator[StoryRow]:
    """Every story of ``nf``'s store, most recent activity first, with its brief's summary
    when the store holds a current brief (or, with ``build_briefs``, after building and
    storing the missing ones)."""
    store = nf.store
    recipe = nf.brief_recipe
    stories = nf.stories()
    for start in range(0, len(stories), CHUNK):
        chunk = stories[start:start + CHUNK]
        ids = [s.id for s in chunk]
        marks = ",".join("?" * len(ids))
        with store.snapshot():
            activity = store.story_activity(ids)
            outlets: dict[str, list[str]] = {}
            for r in store.rows(
                    "SELECT story_id, outlet, MIN(seq) AS first FROM articles"
                    f" WHERE story_id IN ({marks}) GROUP BY story_id, outlet"  # noqa: S608
                    " ORDER BY story_id, first", ids):
                outlets.setdefault(str(r["story_id"]), []).append(outlet_label(str(r["outlet"])))
            briefs = store.current_briefs(ids, recipe)
        built: dict[str, list[SummaryLine]] = {}
        if build_briefs:
            for made in nf.build_briefs([i for i in ids if i not in briefs], wait=None):
                built[made.brief.id] = _lines(made.data)
        for s in chunk:
            if s.id in briefs:
                state, summary = "stored", _lines(json.loads(briefs[s.id])["brief"])
            elif s.id in built:
                state, summary = "built", built[s.id]
            else:
                state, summary = "missing", []
            at = activity.get(s.id)
            yield StoryRow(
                id=s.id, headline=s.headline, article_count=s.articles, outlet_count=s.outlets,
                outlets=outlets.get(s.id, []), first_published=s.first_published,
                last_published=s.last_published,
                activity=at.astimezone(UTC).isoformat() if at is not None else "",
                brief=state, summary=summary)


def _lines(data: dict[str, Any]) -> list[SummaryLine]:
    return [SummaryLine(str(s["text"]), [str(c) for c in s["citations"]])
            for s in data["summary"]]


# -- writing --------------------------------------------------------------------------------
def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object a line; how many rows."""
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], columns: dict[str, str], out: IO[str]) -> int:
    """A header line, then a line a row: a list or summary as its JSON text, None as an empty
    field, a boolean as ``true``/``false`` (as in JSON)."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: _csv_value(row.get(k), kind) for k, kind in columns.items()})
        n += 1
    return n


def _csv_value(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind in ("list", "summary"):
        return json.dumps(value, ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    return value


def write_parquet(rows: Iterable[dict[str, Any]], columns: dict[str, str], path: str) -> int:
    """A Parquet file at ``path``, written :data:`CHUNK` rows at a time. Raises
    :class:`ConfigError` naming the ``[parquet]`` extra when pyarrow is not installed."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError(f"--format parquet needs pyarrow ({exc}): pip install "
                          "'newsfold[parquet]', or choose --format jsonl or csv") from None
    types = {
        "str": pa.string(), "int": pa.int64(), "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
        "summary": pa.list_(pa.struct([("text", pa.string()),
                                       ("citations", pa.list_(pa.string()))])),
    }
    schema = pa.schema([(name, types[kind]) for name, kind in columns.items()])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def write_export(nf: Newsfold, what: Literal["articles", "stories"], fmt: Format,
                 output: str | None, *, build_briefs: bool = False) -> int:
    """Write ``nf``'s articles (in the order they were added) or stories (most recent
    activity first) as ``fmt`` to the file ``output`` (None: stdout; Parquet needs a file);
    how many rows. ``build_briefs``: see :func:`story_rows`."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if what == "stories":
        columns = STORY_COLUMNS
        rows: Iterable[dict[str, Any]] = (
            r.to_dict() for r in story_rows(nf, build_briefs=build_briefs))
    elif what == "articles":
        columns = ARTICLE_COLUMNS
        rows = (a.to_dict(tuple(ARTICLE_COLUMNS)) for a in nf.articles())
    else:
        raise ConfigError(f"unknown export {what!r}: choose articles or stories")
    if fmt == "parquet" and output is None:
        raise ConfigError("a Parquet export is a binary file: give it a file to write")
    if output is None:
        return _write_text(rows, columns, fmt, sys.stdout)
    try:
        if fmt == "parquet":
            return write_parquet(rows, columns, output)
        with open(output, "w", encoding="utf-8", newline="") as out:
            return _write_text(rows, columns, fmt, out)
    except OSError as exc:
        raise ConfigError(f"cannot write {output!r}: {exc.strerror or exc} (check the "
                          "folder exists and may be written)") from None


def _write_text(rows: Iterable[dict[str, Any]], columns: dict[str, str], fmt: Format,
                out: IO[str]) -> int:
    return write_jsonl(rows, out) if fmt == "jsonl" else write_csv(rows, columns, out)
