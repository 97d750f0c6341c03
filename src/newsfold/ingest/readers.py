"""Read input paths into raw items, and raw items into articles.

Stage contract: needs paths; produces :class:`RawItem` (unchanged raw text and origin) and
then :class:`Article` (title, cleaned text, metadata, removed debris). Bad input yields an
:class:`InputError` naming the file (and line) instead of an item; reading goes on.
"""

from __future__ import annotations

import codecs
import gzip
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..clean import clean_text, clean_title
from ..errors import InputError
from ..records import Article, RawItem, Removal
from .dates import DATELINE_DATE, WEEKDAY_DATELINE
from .door import MAX_TEXT_CHARS, MAX_TITLE_CHARS, admit, check_date, cut_text, field_text
from .html import MAX_HTML_BYTES

if TYPE_CHECKING:
    from .feeds import FetchContext

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 16 * 1024 * 1024
"""Longest JSONL line read (one article: its text at the door's limit, escaped, fits well
within). A longer line is an error naming the file and line; it is passed over in pieces of
:data:`_SKIP_PIECE` bytes, so memory stays flat whatever its length (a gzip bomb)."""
MAX_TEXT_FILE_BYTES = 4 * MAX_TEXT_CHARS
"""The most of a text file read: enough for the door's text limit in any script (UTF-8 takes
up to four bytes a character). A longer file is read to here, with a warning."""
_SKIP_PIECE = 1024 * 1024

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


def expand_paths(
    paths: Iterable[str | Path], *, follow_symlinks: bool = False
) -> Iterator[Path | InputError]:
    """Files named, and files below folders (recursively, sorted, readable formats only).

    A symbolic link below a folder that leads outside it (to a file or a folder) is not
    followed unless ``follow_symlinks`` (the ``ingest_follow_symlinks`` setting): it is
    reported as an error naming the link, so ingesting a folder never reads files the
    folder's owner did not put in it. A file named on its own is read wherever it leads."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, follow_symlinks)
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


def _walk(root: Path, follow: bool) -> Iterator[Path | InputError]:
    """The readable files below ``root`` in path order, and the links not followed."""
    base = root.resolve()
    found: list[tuple[Path, InputError | None]] = []
    visited = {base}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow):
        here = Path(dirpath)
        keep: list[str] = []
        for name in sorted(dirnames):
            sub = here / name
            if sub.is_symlink():
                target = sub.resolve()
                if not _inside(target, base) and not follow:
                    found.append((sub, _outside_link(sub, target, root)))
                    continue
                if target in visited or not follow:
                    continue  # a loop, or a link inside the folder (its target is read there)
                visited.add(target)
            keep.append(name)
        dirnames[:] = keep
        for name in filenames:
            child = here / name
            if name.startswith(".") or input_format(child) is None:
                continue
            if child.is_symlink() and not follow:
                target = child.resolve()
                if not _inside(target, base):
                    found.append((child, _outside_link(child, target, root)))
                    continue
            if child.is_file():
                found.append((child, None))
    found.sort(key=lambda entry: entry[0])
    for path, error in found:
        yield path if error is None else error


def _inside(target: Path, base: Path) -> bool:
    return target == base or base in target.parents


def _outside_link(link: Path, target: Path, root: Path) -> InputError:
    return InputError(
        str(link), f"symbolic link to {target}, outside {root}: not followed",
        "name the file itself, or set NEWSFOLD_INGEST_FOLLOW_SYMLINKS=true to follow links",
    )


def read_items(
    paths: Iterable[str | Path], *, follow_symlinks: bool = False,
    fetch: FetchContext | None = None,
) -> Iterator[RawItem | InputError]:
    """Raw items from every input path, in order; errors are yielded, not raised.

    An ``http(s)://`` argument is fetched through ``fetch`` (a feed's entries, or a page): see
    :meth:`newsfold.ingest.feeds.FetchContext.read`; without one a URL is a ValueError. Links
    out of a folder: see :func:`expand_paths`.
    """
    for p in paths:
        if isinstance(p, str) and p.lower().startswith(("http://", "https://")):
            if fetch is None:
                raise ValueError(f"{p}: reading a URL needs a FetchContext (fetch=)")
            yield from fetch.read([p])
            continue
        for path in expand_paths([p], follow_symlinks=follow_symlinks):
            if isinstance(path, InputError):
                yield path
                continue
            yield from _read_file(path)


def decode_text(path: Path, data: bytes, *, final: bool = True) -> str:
    """A text file's bytes as UTF-8 (a BOM dropped); InputError for binary or non-UTF-8 data.

    Not ``final``: ``data`` is the start of a longer file, and a character cut at its end is
    left out."""
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file, not text", "give newsfold text, JSONL or HTML")
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=final)
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
    cap = MAX_HTML_BYTES if fmt == "html" else MAX_TEXT_FILE_BYTES
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(cap + 1)  # .txt or .html: never more than the cap in memory
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc}")
        return
    if fmt == "html":
        if len(data) > cap:
            yield InputError(str(path), f"page larger than {cap // 1_048_576} MB",
                             "newsfold reads article pages, not archives of them")
            return
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
    fields: dict[str, Any] = {}
    if len(data) > cap:
        data = data[:cap]
        log.warning("%s: a text file of %s bytes: only the first %s are read (an article's "
                    "text is cut at %s characters)", path, f"{max(size, cap + 1):,}", f"{cap:,}",
                    f"{MAX_TEXT_CHARS:,}")
        fields["file_bytes"] = max(size, cap + 1)
    try:
        text = decode_text(path, data, final=not fields)
    except InputError as err:
        yield err
        return
    if not text.strip():
        yield InputError(str(path), "empty file")
        return
    yield RawItem(origin=str(path), format="txt", raw=text, default_id=_stem(path),
                  fields=fields)


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
            lineno = 0
            while raw := fh.readline(MAX_LINE_BYTES + 1):
                lineno += 1
                if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                    found = True
                    length = len(raw) + _skip_line(fh)
                    yield InputError(f"{path}:{lineno}", f"line of {length:,} bytes, over the "
                                     f"limit of {MAX_LINE_BYTES:,}: skipped",
                                     "one article a line; split the line or shorten its text")
                    continue
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


def _skip_line(fh: Any) -> int:
    """Read past the rest of an over-long line in bounded pieces; the bytes passed over."""
    skipped = 0
    while piece := fh.readline(_SKIP_PIECE):
        skipped += len(piece)
        if piece.endswith(b"\n"):
            break
    return skipped


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
    except RecursionError:
        raise InputError(item.origin, "JSON nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        raise InputError(item.origin, "unreadable JSON (a number thousands of digits long)") \
            from None
    if not isinstance(obj, dict):
        raise InputError(item.origin, "a JSONL line must be an object with at least 'text'")
    return obj


def parse_item(item: RawItem) -> Article:
    """Turn a raw item into a cleaned article that has passed the door
    (:func:`newsfold.ingest.door.admit`). Raises InputError for unusable items."""
    if item.format == "txt":
        article = _parse_txt(item)
    elif item.format == "html":
        article = _parse_html(item)
    else:
        article = _parse_jsonl(item)
    return admit(article)


def _finish(
    item: RawItem, ident: str, title: str, body: str, *, source: str | None = None,
    published: str | None = None, **kwargs: Any,
) -> Article:
    metadata = kwargs.pop("metadata", {})
    if len(body) > MAX_TEXT_CHARS:
        # Cut before cleaning, so no cleaner ever reads more than the door keeps.
        kept = cut_text(body)
        log.warning("%s: text of %s characters cut to %s at a paragraph or sentence end "
                    "(the limit is %s)", item.origin, f"{len(body):,}", f"{len(kept):,}",
                    f"{MAX_TEXT_CHARS:,}")
        metadata.setdefault("text_cut_from_chars", len(body))
        body = kept
    if item.fields.get("file_bytes"):
        metadata.setdefault("text_cut_from_bytes", item.fields["file_bytes"])
    result = clean_text(body, title=title)
    text = result.text.strip()
    title = (result.title if result.title is not None else title).strip()
    if not text and not title:
        raise InputError(item.origin, "no article text", "the item has neither a title nor a body")
    removed = list(result.removed)
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
    if len(line) <= 40 and DATELINE_DATE.fullmatch(line):
        day = _dateline_day(line)
        return (text, None) if day is None else (rest.strip(), (line, day))
    paras = text.split("\n")
    for i in range(min(len(paras), 3)):
        para = paras[i].strip()
        m = WEEKDAY_DATELINE.match(para)
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
    title = clean_title(_head(lines[0].strip())) if lines else ""
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
    elif isinstance(ident, bool) or not isinstance(ident, str | int):
        raise InputError(item.origin, "'id' must be a string or a number")
    text = f.get("text")
    title = f.get("title")
    for name, value in (("text", text), ("title", title)):
        if value is not None and not isinstance(value, str):
            raise InputError(item.origin, f"'{name}' must be a string, not {_kind(value)}")
    if not (text or "").strip():
        if not (title or "").strip():
            raise InputError(item.origin, "no article text", "the line has no 'text' and no 'title'")
        log.debug("%s: headline only", item.origin)
    metadata = {k: v for k, v in f.items() if k not in KNOWN_FIELDS}
    published = check_date(f.get("published"), item.origin, metadata)
    article = _finish(
        item, str(ident).strip(), clean_title(_head(title or "")), text or "",
        source=field_text(f.get("source"), "source", item.origin),
        url=field_text(f.get("url"), "url", item.origin),
        published=published, language=field_text(f.get("language"), "language", item.origin),
        author=field_text(f.get("author"), "author", item.origin), metadata=metadata,
    )
    return article


def _head(title: str) -> str:
    """A title bounded before the title cleaner reads it (the door then cuts it to its
    limit at a space, with a warning)."""
    return title if len(title) <= 2 * MAX_TITLE_CHARS else title[: 2 * MAX_TITLE_CHARS]


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return "a number" if isinstance(value, int | float) else type(value).__name__
