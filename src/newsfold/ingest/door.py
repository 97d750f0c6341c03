"""The door: one check every article passes before anything is stored.

Every input path (text files, JSONL, HTML, WARC, feeds, pages, the web API) ends in
:func:`newsfold.ingest.readers.parse_item`, which hands its article to :func:`admit`; an
article built in Python goes through :func:`admit` in the pipeline. After the door every later
stage may assume a sane record:

* every text field is a ``str`` without NUL bytes or lone surrogates (which SQLite and UTF-8
  cannot hold), short fields hold no control characters;
* the text is at most :data:`MAX_TEXT_CHARS` characters (well under spaCy's 5,000,000): a
  longer text is cut at the last paragraph end (else sentence end, else space) before the
  limit, with a warning naming the item and ``metadata["text_cut_from_chars"]``; the title is
  at most :data:`MAX_TITLE_CHARS`, cut at a space;
* ``published`` is ISO 8601 between :data:`~newsfold.ingest.dates.MIN_YEAR` and a day ahead of
  now, or None: any other date is dropped with a warning naming the item, the article kept,
  and the value given kept in ``metadata["published_dropped"]``;
* the id is not blank and at most :data:`MAX_ID_CHARS`; an item without title and text is
  refused;
* a backslash before punctuation in the source, author or URL (``Law360 \\(subscription\\)``,
  ``detail.aspx\\?g=``: a scraper's escaping) is dropped.

What cannot be repaired raises :class:`~newsfold.errors.InputError` naming the item; what
can is repaired and logged as a warning naming it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..errors import InputError
from ..records import Article, Removal
from ..text import CLOSING_MARK, END_MARK
from .dates import MAX_DATE_CHARS, MIN_YEAR, bound_from_text, normalize_date

log = logging.getLogger(__name__)

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_ID_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "MAX_URL_CHARS",
    "admit",
    "check_date",
    "cut_text",
    "field_text",
    "scrub",
]

MAX_TEXT_CHARS = 1_000_000
"""Longest article text kept. The longest news features run to a few hundred thousand
characters; beyond this an item is a book, a log or many articles glued together, and
spaCy (5,000,000 characters) and the brief would choke on it."""
MAX_TITLE_CHARS = 1_000
"""Longest title kept (headlines run to a few hundred characters)."""
MAX_ID_CHARS = 512
"""Longest article id accepted (ids appear in URLs and file names)."""
MAX_URL_CHARS = 8_192
"""Longest URL kept; a longer one is dropped (a cut URL would point elsewhere)."""
MAX_FIELD_CHARS = 1_000
"""Longest source, author or language kept; a longer one is dropped."""

_UNSAFE = re.compile("[\x00\ud800-\udfff]")
_CONTROLS_IN_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROLS_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SENTENCE_END = re.compile(rf"{END_MARK}{CLOSING_MARK}*\s")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A backslash before ASCII punctuation: escaping left by a scraper, never part of a name or
an http URL."""


def _replace(m: re.Match[str]) -> str:
    ch = m.group(0)
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    if ch in "\t\n\r\x0b\x0c\x85":
        return " "
    return ""


_TEXT_CONTROL_BYTES = bytes([c for c in range(32) if c not in (9, 10, 12, 13)] + [127])


def _clean_text_fast(value: str) -> bool:
    """True when ``value`` surely holds nothing :func:`scrub` removes from text (a check in C:
    UTF-8 encoding fails on a lone surrogate; the controls are single bytes in UTF-8)."""
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return len(data.translate(None, _TEXT_CONTROL_BYTES)) == len(data)


def scrub(value: str, *, line: bool = False) -> str:
    """``value`` without NUL bytes (and lone surrogates, as U+FFFD); with ``line``, without any
    control character (tabs and line breaks become spaces); for text, without the C0 controls
    other than tab, line feed, carriage return and form feed."""
    if line:
        if _CONTROLS_IN_LINE.search(value) is None:
            return value
        return _CONTROLS_IN_LINE.sub(_replace, value)
    if _clean_text_fast(value):
        return value
    return _CONTROLS_IN_TEXT.sub(_replace, value)


def cut_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` if it fits in ``limit`` characters, else its start up to the last paragraph
    end before the limit (else the last sentence end, else the last space, each in the
    limit's second half), so what is kept reads as whole paragraphs."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    floor = limit // 2
    cut = head.rfind("\n\n")
    if cut < floor:
        cut = head.rfind("\n")
    if cut < floor:
        ends = [m.end() for m in _SENTENCE_END.finditer(head, floor)]
        cut = ends[-1] if ends else -1
    if cut < floor:
        cut = max(head.rfind(" "), head.rfind("\t"))
    if cut < floor:
        cut = limit
    return head[:cut].rstrip()


_FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "url": ("href", "url", "@id", "link"),
    "source": ("name", "title", "@name"),
    "author": ("name", "@name", "title"),
    "language": ("code", "name", "@value"),
}


def _unescaped(text: str | None) -> str | None:
    return text if text is None or "\\" not in text else _ESCAPED.sub(r"\1", text)


def field_text(value: Any, name: str, item: str) -> str | None:
    """A metadata field (``url``, ``source``, ``author``, ``language``) as text, or None.

    A string is itself and a number its digits; a JSON object gives its name (``name`` for
    source and author, ``href`` or ``url`` for a link, as schema.org and feed exports write
    them); a list gives its names joined by commas for the author, else its first. Anything
    else (true/false, an object without such a key) is dropped with a warning naming the
    item and the field, never stored as a Python repr."""
    found = _field_value(value, name, 0)
    if found is None and value is not None and value != "" and value != []:
        log.warning("%s: '%s' dropped: %s is not %s", item, name, _json_kind(value),
                    _article(name))
    if found is None:
        return None
    text = scrub(found, line=True).strip()
    return text or None


def _field_value(value: Any, name: str, depth: int) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or depth > 2:
        return None
    if isinstance(value, int | float):
        return None if value != value or value in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, Mapping):
        for key in _FIELD_KEYS.get(name, ("name",)):
            got = _field_value(value.get(key), name, depth + 1)
            if got is not None and got.strip():
                return got
        return None
    if isinstance(value, list | tuple):
        names = [v for v in (_field_value(x, name, depth + 1) for x in value[:50])
                 if v is not None and v.strip()]
        if not names:
            return None
        return ", ".join(n.strip() for n in names) if name == "author" else names[0]
    return None


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, Mapping):
        return "an object without a name"
    if isinstance(value, list | tuple):
        return "a list without a name"
    return f"a {type(value).__name__}"


def _article(name: str) -> str:
    return {"url": "a link", "source": "an outlet's name", "author": "a name",
            "language": "a language code"}.get(name, "text")


def admit(article: Article, *, now: datetime | None = None) -> Article:
    """Check and repair ``article`` in place (see the module docstring) and return it.

    Raises :class:`InputError` naming the item for what cannot be repaired: a blank or
    over-long id, a title or text that is not a string, no title and no text."""
    item = article.origin or (article.id if isinstance(article.id, str) else "") or "article"
    item = scrub(item, line=True)
    if isinstance(article.id, int) and not isinstance(article.id, bool):
        article.id = str(article.id)
    if not isinstance(article.id, str):
        raise InputError(item, "the id must be a string")
    ident = scrub(article.id, line=True).strip()
    if not ident:
        raise InputError(item, "blank id", "give the article an id")
    if len(ident) > MAX_ID_CHARS:
        raise InputError(item, f"id longer than {MAX_ID_CHARS:,} characters",
                         "give the article a shorter id")
    article.id = ident
    for name in ("title", "text"):
        value = getattr(article, name)
        if value is None:
            setattr(article, name, "")
        elif not isinstance(value, str):
            raise InputError(item, f"the {name} must be a string, not {_json_kind(value)}")
    title = scrub(article.title, line=True).strip()
    if len(title) > MAX_TITLE_CHARS:
        log.warning("%s: title of %d characters cut to %d", item, len(title), MAX_TITLE_CHARS)
        title = cut_text(title, MAX_TITLE_CHARS - 1).rstrip() + "…"
    article.title = title
    text = scrub(article.text).strip()
    if not isinstance(article.metadata, dict):
        log.warning("%s: metadata dropped: it is not a mapping", item)
        article.metadata = {}
    if len(text) > MAX_TEXT_CHARS:
        kept = cut_text(text)
        log.warning("%s: text of %s characters cut to %s at a paragraph or sentence end "
                    "(the limit is %s)", item, f"{len(text):,}", f"{len(kept):,}",
                    f"{MAX_TEXT_CHARS:,}")
        article.metadata.setdefault("text_cut_from_chars", len(text))
        text = kept
    article.text = text
    if not text and not title:
        raise InputError(item, "no article text", "the item has neither a title nor a body")
    article.url = _short(_unescaped(field_text(article.url, "url", item)), "url",
                         MAX_URL_CHARS, item)
    article.source = _short(_unescaped(field_text(article.source, "source", item)), "source",
                            MAX_FIELD_CHARS, item)
    article.author = _short(_unescaped(field_text(article.author, "author", item)), "author",
                            MAX_FIELD_CHARS, item)
    article.language = _short(field_text(article.language, "language", item), "language",
                              MAX_FIELD_CHARS, item)
    _admit_date(article, item, now)
    article.raw = scrub_raw(article.raw if isinstance(article.raw, str) else "")
    article.origin = scrub(article.origin, line=True) if isinstance(article.origin, str) else ""
    if not all(isinstance(r, Removal) and isinstance(r.kind, str) and isinstance(r.text, str)
               and scrub_raw(r.text) is r.text for r in article.removed):
        article.removed = [Removal(scrub(str(r.kind), line=True), scrub(str(r.text)))
                           for r in article.removed if isinstance(r, Removal)]
    article.metadata = _scrub_metadata(article.metadata)
    return article


def scrub_raw(raw: str) -> str:
    """The raw input as stored: unchanged but for NUL bytes and lone surrogates."""
    if "\x00" not in raw:
        try:
            raw.encode("utf-8")
            return raw
        except UnicodeEncodeError:
            pass
    return _UNSAFE.sub(_replace, raw)


def _short(value: str | None, name: str, limit: int, item: str) -> str | None:
    if value is not None and len(value) > limit:
        log.warning("%s: %s of %d characters dropped (the limit is %d)", item, name,
                    len(value), limit)
        return None
    return value


def _admit_date(article: Article, item: str, now: datetime | None) -> None:
    if article.published is not None:
        article.published = check_date(article.published, item, article.metadata, now=now,
                                       text=article.text)


def check_date(given: Any, item: str, metadata: dict[str, Any], *,
               now: datetime | None = None, text: str | None = None) -> str | None:
    """``given`` as an ISO 8601 publication date, or None.

    A value that is no date newsfold reads, or lies before :data:`MIN_YEAR` or more than a
    day ahead, is dropped with a warning naming the item; what was given is kept in
    ``metadata["published_dropped"]`` and, with ``text``, the latest date the text mentions
    bounds the article from below (``metadata["published_not_before"]``)."""
    if given is None or given == "":
        return None
    date = normalize_date(given, now=now) if isinstance(given, str) else None
    if date is not None:
        return date
    shown = given if isinstance(given, str) else repr(given)
    shown = scrub(shown, line=True)[:MAX_DATE_CHARS]
    log.warning("%s: publication date %r dropped: not a date from %d to a day ahead in a "
                "form newsfold reads; the article is kept undated", item, shown, MIN_YEAR)
    metadata["published_dropped"] = shown
    if text and "published_not_before" not in metadata:
        bound = bound_from_text(text, now=now)
        if bound is not None:
            metadata["published_not_before"] = bound
    return None


def _scrub_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """:func:`_scrub_json` of the metadata, skipped when its JSON shows nothing to scrub
    (the JSON encoder is far quicker than a walk in Python)."""
    try:
        dumped = json.dumps(metadata, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        dumped = None
    if dumped is not None and "\\u0000" not in dumped and scrub_raw(dumped) is dumped:
        return metadata
    scrubbed: dict[str, Any] = _scrub_json(metadata, 0)
    return scrubbed


def _scrub_json(value: Any, depth: int) -> Any:
    """Metadata values with every string scrubbed, NaN and infinities as None (JSON has
    neither), nesting past 64 levels dropped."""
    if isinstance(value, str):
        return scrub_raw(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if depth > 64:
        return None
    if isinstance(value, dict):
        return {scrub_raw(str(k)): _scrub_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_json(v, depth + 1) for v in value]
    return value
