"""Read input paths into raw items, and raw items into articles.

Stage contract: needs paths; produces :class:`RawItem` (unchanged raw text and origin) and
then :class:`Article` (title, cleaned text, metadata, removed debris). Bad input yields an
:class:`InputError` naming the file (and line) instead of an item; reading goes on.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..clean import clean_text, clean_title
from ..errors import InputError
from ..records import Article, RawItem, Removal, parse_iso
from .dates import MONTH_PATTERN

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
KNOWN_FIELDS = ("id", "title", "text", "url", "source", "published", "language", "author")


def input_format(path: Path) -> str | None:
    """The input format of a file by its name, or None if newsfold does not read it."""
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return "jsonl"
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    return TEXT_SUFFIXES.get(path.suffix.lower())


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Files named, and files below folders (recursively, sorted, readable formats only)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and input_format(child) and not child.name.startswith("."):
                    yield child
        elif path.is_file():
            if input_format(path) is None:
                yield InputError(
                    str(path), "unsupported file type",
                    "newsfold reads .txt, .jsonl, .jsonl.gz, .html, .htm, .warc and .warc.gz"
                    " files and http(s):// URLs",
                )
            else:
                yield path
        else:
            yield InputError(str(path), "no such file or folder")


def read_items(paths: Iterable[str | Path]) -> Iterator[RawItem | InputError]:
    """Raw items from every input path, in order; errors are yielded, not raised.

    An ``http(s)://`` argument is fetched (a feed's entries, or a page): see
    :func:`newsfold.ingest.feeds.read_urls`.
    """
    for p in paths:
        if isinstance(p, str) and p.lower().startswith(("http://", "https://")):
            from .feeds import read_urls

            yield from read_urls([p])
            continue
        for path in expand_paths([p]):
            if isinstance(path, InputError):
                yield path
                continue
            yield from _read_file(path)


def decode_text(path: Path, data: bytes) -> str:
    """A text file's bytes as UTF-8 (a BOM dropped); InputError for binary or non-UTF-8 data."""
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file, not text", "give newsfold text, JSONL or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path), f"invalid UTF-8 at byte {exc.start}", "re-encode the file as UTF-8"
        ) from None


def _read_file(path: Path) -> Iterator[RawItem | InputError]:
    fmt = input_format(path)
    if fmt == "warc":
        from .warc import read_warc

        yield from read_warc(path)
        return
    if fmt == "jsonl":
        yield from _stream_jsonl(path)
        return
    try:
        data = path.read_bytes()  # .txt or .html (.jsonl(.gz) and .warc(.gz) stream above)
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc}")
        return
    if fmt == "html":
        # HTML declares its own encoding; let the extractor decode it.
        if not data.strip():
            yield InputError(str(path), "empty file")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        if "\x00" in text[:8192]:
            yield InputError(str(path), "binary file, not HTML")
            return
        yield RawItem(origin=str(path), format="html", raw=text, default_id=_stem(path))
        return
    try:
        text = decode_text(path, data)
    except InputError as err:
        yield err
        return
    if not text.strip():
        yield InputError(str(path), "empty file")
        return
    yield RawItem(origin=str(path), format="txt", raw=text, default_id=_stem(path))  # .txt


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".jsonl.gz", ".html", ".htm", ".txt", ".text", ".jsonl"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _stream_jsonl(path: Path) -> Iterator[RawItem | InputError]:
    """A JSONL file line by line (memory stays flat however large the file): a binary or
    empty file is one error; a line that is not UTF-8 is an error of its own, named by its
    line number, and the other lines still go in."""
    try:
        opener: Any = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as fh:
            head = fh.peek(8192)[:8192]
            if b"\x00" in head:
                yield InputError(str(path), "binary file, not text",
                                 "give newsfold text, JSONL or HTML")
                return
            found = False
            for lineno, raw in enumerate(fh, start=1):
                if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    line = raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    found = True
                    yield InputError(f"{path}:{lineno}", f"invalid UTF-8 at byte {exc.start} of the "
                                     "line", "re-encode the file as UTF-8")
                    continue
                if line.strip():
                    found = True
                    yield _jsonl_item(path, lineno, line)
    except (OSError, EOFError) as exc:
        yield InputError(str(path), f"cannot read: {exc}")
        return
    if not found:
        yield InputError(str(path), "empty file")


def _jsonl_item(path: Path, lineno: int, line: str) -> RawItem:
    """A JSONL line as a raw item; its JSON is parsed by :func:`parse_item` (in the ingest
    worker, not in the process that reads the file)."""
    return RawItem(origin=f"{path}:{lineno}", format="jsonl", raw=line,
                   default_id=f"{_stem(path)}-{lineno}")


def _jsonl_fields(item: RawItem) -> dict[str, Any]:
    if item.fields:
        return item.fields
    try:
        obj = json.loads(item.raw)
    except json.JSONDecodeError as exc:
        raise InputError(item.origin, f"malformed JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(item.origin, "a JSONL line must be an object with at least 'text'")
    return obj


def parse_item(item: RawItem) -> Article:
    """Turn a raw item into a cleaned article. Raises InputError for unusable items."""
    if item.format == "txt":
        return _parse_txt(item)
    if item.format == "html":
        return _parse_html(item)
    return _parse_jsonl(item)


def _finish(
    item: RawItem, ident: str, title: str, body: str, *, source: str | None = None,
    published: str | None = None, **kwargs: Any,
) -> Article:
    result = clean_text(body, title=title)
    text = result.text.strip()
    title = (result.title if result.title is not None else title).strip()
    if not text and not title:
        raise InputError(item.origin, "no article text", "the item has neither a title nor a body")
    removed = list(result.removed)
    metadata = kwargs.pop("metadata", {})
    text, dateline = split_dateline(text)
    if dateline is not None:
        removed.append(Removal("dateline", dateline[0]))
        if published is None:
            published = dateline[1]
            metadata["published_from"] = "dateline"
    if published is None:
        # Undated: the latest full date the raw body mentions (a caption's "Monday, Dec. 27,
        # 2021", read before cleaning drops the caption) bounds it from below.
        from .dates import bound_from_text

        bound = bound_from_text(body)
        if bound is not None:
            metadata["published_not_before"] = bound
    return Article(
        id=ident, title=title, text=text, source=source or result.source, raw=item.raw,
        raw_format=item.format, origin=item.origin, removed=removed, wire=result.wire,
        published=published, metadata=metadata, **kwargs,
    )


_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+"
_DAY = rf"(?:{MONTH_PATTERN}\.?\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH_PATTERN}\.?),?\s+\d{{4}}"
_DATELINE_RE = re.compile(rf"(?:{_WEEKDAY})?{_DAY}")


_INLINE_DATELINE_RE = re.compile(rf"{_WEEKDAY}{_DAY}(?=\s|[^\W\d_]|$)")
"""A weekday dateline opening a paragraph's text ("Saturday, March 26, 2005 Up to four times
as many ...", Wikinews; also glued on: "Tuesday, January 18, 2005Through a telethon ...")."""

KICKER_MAX_WORDS = 15
"""A first paragraph this short and not ending like a sentence (an image caption, a kicker) may
come before the dateline."""


def split_dateline(text: str) -> tuple[str, tuple[str, str] | None]:
    """Take the dateline ("Monday, June 1, 2009") off the text: a first paragraph that is only a
    date, or a weekday date opening the first paragraph (or the second, after a short caption
    or kicker line).

    Returns the rest of the text and (the dateline, its ISO date), or the text unchanged.
    """
    head, sep, rest = text.partition("\n")
    line = head.strip()
    if len(line) <= 40 and _DATELINE_RE.fullmatch(line):
        day = _dateline_day(line)
        return (text, None) if day is None else (rest.strip(), (line, day))
    paras = text.split("\n")
    for i in range(min(len(paras), 3)):
        para = paras[i].strip()
        m = _INLINE_DATELINE_RE.match(para)
        if m:
            day = _dateline_day(m.group(0))
            if day is None:
                return text, None
            paras[i] = para[m.end():].lstrip()
            rest_text = re.sub(r"\n{3,}", "\n\n", "\n".join(paras)).strip()
            return rest_text, (m.group(0), day)
        if para and (i > 0 or len(para.split()) > KICKER_MAX_WORDS
                     or para[-1] in ".!?\"”"):
            break  # only a short caption or kicker may come before the dateline
    return text, None


def _dateline_day(line: str) -> str | None:
    """The ISO day of a dateline, if it is a plausible publication day."""
    from dateutil import parser as dateparser

    try:
        day = dateparser.parse(line.replace(".", " "), fuzzy=False).date()
    except (ValueError, OverflowError):
        return None
    from .dates import plausible

    return day.isoformat() if plausible(day) else None  # not before 1900, not in the future


def _parse_txt(item: RawItem) -> Article:
    lines = item.raw.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    title = clean_title(lines[0].strip()) if lines else ""
    body = "\n".join(lines[1:])
    if not body.strip():
        raise InputError(item.origin, "no article text", "a .txt file is a title line, then the body")
    return _finish(item, item.default_id, title, body)


def _parse_html(item: RawItem) -> Article:
    from .html import extract_html

    page = extract_html(item.raw, url=item.fields.get("url"), origin=item.origin)
    title = (page.title or "").strip()
    if not page.text.strip():
        raise InputError(item.origin, "no article text", "the page has no article body")
    # extract_html has already cleaned the body; keep what it removed.
    return Article(
        id=item.default_id, title=title, text=page.text.strip(),
        source=page.source or page.syndicated_from, url=page.url,
        published=page.published or item.fields.get("feed_published"),
        language=page.language, author=page.author, raw=item.raw, raw_format="html",
        origin=item.origin, removed=list(page.removed), wire=page.wire,
        metadata={"description": page.description} if page.description else {},
    )


def _parse_jsonl(item: RawItem) -> Article:
    f = _jsonl_fields(item)
    ident = f.get("id")
    if ident is None or (isinstance(ident, str) and not ident.strip()):
        ident = item.default_id
    elif not isinstance(ident, str | int):
        raise InputError(item.origin, "'id' must be a string or a number")
    text = f.get("text")
    title = f.get("title")
    for name, value in (("text", text), ("title", title)):
        if value is not None and not isinstance(value, str):
            raise InputError(item.origin, f"'{name}' must be a string, not {type(value).__name__}")
    published = f.get("published")
    if published is not None and (not isinstance(published, str) or parse_iso(published) is None):
        raise InputError(
            item.origin, f"'published' is not an ISO 8601 date: {published!r}",
            "use e.g. 2021-12-30 or 2021-12-30T15:35:00-05:00, or leave it out",
        )
    if not (text or "").strip():
        if not (title or "").strip():
            raise InputError(item.origin, "no article text", "the line has no 'text' and no 'title'")
        log.debug("%s: headline only", item.origin)
    metadata = {k: v for k, v in f.items() if k not in KNOWN_FIELDS}
    article = _finish(
        item, str(ident).strip(), clean_title(title or ""), text or "",
        source=_str_or_none(f.get("source")), url=_str_or_none(f.get("url")),
        published=_str_or_none(published), language=_str_or_none(f.get("language")),
        author=_str_or_none(f.get("author")), metadata=metadata,
    )
    return article


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None

