"""Extract an article (body and metadata) from one HTML page.

trafilatura finds the main text and most metadata; this module adds the publication time from
the page's own markup (``article:published_time``, JSON-LD ``datePublished``, ``<time
datetime>``), which keeps the time of day and offset that trafilatura's date drops, takes a
second opinion from the whole page's article lines (:func:`newsfold.clean.clean_page_text` on
the flattened page) for the lead trafilatura often leaves out, then runs the body through
:func:`newsfold.clean.clean_text` to drop captions, credits, promo lines and site notices.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..clean import classify_paragraph, clean_page_text, clean_text, clean_title
from ..errors import ExtractionError
from ..records import Removal
from ..text import CLOSERS, CLOSING_MARK, PROSE_ENDS
from .dates import FUTURE_SLACK, MIN_YEAR, normalize_date

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_HTML_PARAMS", "FUTURE_SLACK", "MAX_HTML_BYTES", "MIN_YEAR", "ExtractedPage",
    "HtmlParams", "clean_author", "extract_html", "flatten_html",
]

MAX_HTML_BYTES = 20 * 1024 * 1024
"""Pages larger than this are refused rather than parsed."""

SECOND_OPINION_MAX_BYTES = 2 * 1024 * 1024
"""Above this size the second opinion (the whole page's article lines) is skipped (a time
bound on huge DOMs)."""

COMPARE_BELOW_CHARS = 1000
"""trafilatura's own comparison with readability and jusText runs only when its fast pass
finds less text than this."""


@dataclass(frozen=True, slots=True)
class HtmlParams:
    """The limits by which :func:`extract_html` gets, completes and trims trafilatura's text."""

    anchor_min_words: int = 4
    """A link's text of at least this many words may be a headline (shorter ones are menu
    items, which the line rules drop anyway)."""
    anchor_max_chars: int = 300
    """A link's text longer than this is a teaser paragraph, not a headline to drop."""
    lead_anchor_min_chars: int = 15
    """The page line that ties the page's lines to trafilatura's text has at least this many
    characters: a shorter one is found in the text by chance."""
    lead_lines: int = 2
    """How many of the page's article lines just before trafilatura's text may be its lead."""
    lead_min_words: int = 15
    """A lead line is prose of at least this many words (no heading, date or byline)."""
    page_text_min_words: int = 40
    """The page's article lines replace an empty trafilatura text only with this much prose:
    less is a menu or a teaser list."""
    link_max_words: int = 25
    """A paragraph that is exactly a link's text is dropped up to this many words: longer
    ones are article text that the page also links."""
    tail_max_words: int = 8
    """A closing paragraph of at most this many words ending with a colon is a label whose
    list was cut away ("Contact:"), so it goes too."""
    tail_min_words: int = 40
    """The tail label goes only when this many words remain: a short text keeps all it has."""
    article_min_words: int = 40
    """A text without a sentence end is an article from this many words (else a bare menu)."""
    fast: bool = False
    """True never runs trafilatura's comparison with readability and jusText, even on a short
    text: faster, with lower recall on thin pages."""


DEFAULT_HTML_PARAMS = HtmlParams()


@dataclass(slots=True)
class ExtractedPage:
    """The article found in one HTML page."""

    title: str | None
    text: str
    published: str | None = None
    """ISO 8601: a full datetime with its offset when the page gives one, else a date."""
    source: str | None = None
    """The site's name (``og:site_name`` and the like), never a bare host name."""
    author: str | None = None
    language: str | None = None
    url: str | None = None
    """The canonical URL (``<link rel=canonical>`` / ``og:url``), else the URL given."""
    description: str | None = None
    removed: list[Removal] = field(default_factory=list)
    """Debris that cleaning removed from the body."""
    wire: bool = False
    """The body carries a wire note ("includes wire service reports")."""
    syndicated_from: str | None = None
    """The outlet a syndication line names ("This story originally appeared in X")."""


def extract_html(
    html: str,
    *,
    url: str | None = None,
    origin: str = "",
    params: HtmlParams = DEFAULT_HTML_PARAMS,
) -> ExtractedPage:
    """Extract the article in ``html``; ``params`` says whether trafilatura's comparison may
    run and holds the limits of the steps after it.

    Raises :class:`~newsfold.errors.ExtractionError` when the page is too large, cannot be
    parsed, or holds no article text.
    """
    from trafilatura.utils import load_html

    where = origin or url or "<html>"
    if html is None or not html.strip():
        raise ExtractionError(where, "empty page", "the file holds no HTML")
    size = len(html) if len(html) * 4 <= MAX_HTML_BYTES else len(html.encode("utf-8", "replace"))
    if size > MAX_HTML_BYTES:
        raise ExtractionError(
            where,
            f"page too large ({size / 1_048_576:.1f} MB; the limit is "
            f"{MAX_HTML_BYTES // 1_048_576} MB)",
            "save only the article's page, or extract its text some other way",
        )
    try:
        tree = load_html(html)
    except Exception as err:  # lxml raises several types on hostile input
        raise ExtractionError(where, f"the HTML could not be parsed ({err})", "") from err
    if tree is None:
        raise ExtractionError(where, "the HTML could not be parsed", "is this an HTML page?")

    own = _own_metadata(tree, url)
    anchors = _anchor_texts(tree, params)
    meta = _trafilatura_metadata(tree, url)
    # trafilatura's fast pass first; its comparison with readability and jusText (a large
    # part of its time) only runs when that text is short, the case where the comparison often
    # changes the result.
    doc = _trafilatura_body(tree, url, where, fast=True)
    body = doc.text if doc is not None and isinstance(doc.text, str) else ""
    if not params.fast and len(body) < COMPARE_BELOW_CHARS:
        doc = _trafilatura_body(tree, url, where, fast=False)
        body = doc.text if doc is not None and isinstance(doc.text, str) else ""

    # A second opinion, the whole page's article lines (clean_page_text on the flattened
    # page), gives the lead trafilatura often leaves out (it sits in a teaser or header
    # block), or the text when trafilatura kept none; skipped on huge pages to bound the time.
    dropped: list[Removal] = []
    if size <= SECOND_OPINION_MAX_BYTES:
        page_lines = clean_page_text(flatten_html(tree), report=False).text.split("\n\n")
        body = (_add_lead(body, page_lines, anchors, params) if body.strip()
                else _page_text(page_lines, anchors, params))
    body = _drop_link_lines(body, anchors, dropped, params)
    if doc is None or not body.strip():
        raise ExtractionError(
            where, "no article text found in the page",
            "the page has no main text body (an index, a form or a script-built page?)",
        )

    page_url = own.get("url") or (meta.url if _is_http(meta.url) else None) or url
    source = own.get("site_name") or _site_name(meta.sitename, meta.url or url, meta.title)
    title, named = _pick_title(meta.title, own.get("titles", []), source, page_url)
    source = source or named

    result = clean_text(body, title=None)
    result.text = _trim_tail(result.text, result.removed, params)
    if not _looks_like_article(result.text, params):
        raise ExtractionError(
            where, "no article text left after removing captions, credits and promo lines",
            "the page's main text is only boilerplate",
        )
    # htmldate (the costly fallback) only for pages that are articles
    published = _published(own.get("dates", []), None) or _htmldate(tree, meta.url)

    language = _language(meta.language) or own.get("language") or None
    return ExtractedPage(
        title=title,
        text=result.text,
        published=published,
        source=source,
        author=clean_author(meta.author, source),
        language=language,
        url=page_url,
        description=(meta.description or None),
        removed=dropped + result.removed,
        wire=result.wire,
        syndicated_from=result.source,
    )


def _trafilatura_body(tree: Any, url: str | None, where: str, *, fast: bool) -> Any:
    """trafilatura's main text of the page (its ``Document``; None when it found none)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=False,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=False,
            deduplicate=False,
            fast=fast,
        )
    except Exception as err:
        raise ExtractionError(where, f"text extraction failed ({type(err).__name__}: {err})",
                              "") from err
    if isinstance(doc, dict):  # only with as_dict=True; kept for type checkers
        raise ExtractionError(where, "unexpected extractor output", "")
    return doc


def _trafilatura_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's title, author, URL, site name and description of the page.

    The steps of ``trafilatura.metadata.extract_metadata`` that newsfold uses, in its order
    and with its fixes; categories, tags and licence are not read
    (nothing uses them), and the date is left to :func:`_htmldate`, which runs only when the page's own
    markup gives none.
    """
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as err:  # bugs in trafilatura's JSON-LD reading
        log.debug("JSON-LD metadata failed: %s", err)
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.author:
        meta.author = extract_author(tree)
    if not meta.url:
        meta.url = extract_url(tree, url)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url:
        found = META_URL.match(meta.url)
        if found:
            meta.sitename = found[1]
    meta.clean_and_trim()
    return meta


def _htmldate(tree: Any, url: str | None) -> str | None:
    """htmldate's publication date of the page (the fallback when its markup names none)."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception as err:  # htmldate on hostile markup
        log.debug("htmldate failed: %s", err)
        return None
    return normalize_date(found) if isinstance(found, str) and found else None


# ---------------------------------------------------------------------------------------------
# Metadata read straight from the page
# ---------------------------------------------------------------------------------------------

_DATE_META = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "published_time", "pubdate", "publishdate", "publish-date", "publish_date",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "sailthru.date",
    "parsely-pub-date", "date",
)
_DATE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle",
    "techarticle", "liveblogposting", "webpage", "socialmediaposting", "posting", "report",
}


def _own_metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Site name, canonical URL, language and candidate publication dates from the markup."""
    out: dict[str, Any] = {}
    metas: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value

    site = metas.get("og:site_name") or metas.get("application-name")
    if site and not _looks_like_host(site):
        out["site_name"] = " ".join(site.split())

    canonical = None
    for el in tree.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        if "canonical" in rel and el.get("href"):
            canonical = el.get("href").strip()
            break
    canonical = canonical or metas.get("og:url")
    if canonical:
        full = urljoin(url, canonical) if url else canonical
        if _is_http(full):
            out["url"] = full

    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    lang = _language(root.get("lang") or root.get("xml:lang") or metas.get("og:locale")
                     or metas.get("content-language") or metas.get("dc.language"))
    if lang:
        out["language"] = lang

    titles = [metas.get("og:title"), metas.get("twitter:title")]
    h1 = next(iter(tree.iter("h1")), None)
    if h1 is not None:
        with contextlib.suppress(ValueError):
            titles.append(_visible_text(h1))
    head_title = tree.find(".//head/title")
    if head_title is not None:
        titles.append(head_title.text)
    out["titles"] = [" ".join(t.split()) for t in titles if t and t.strip()]

    dates: list[str] = []
    for key in _DATE_META:
        if key in metas:
            dates.append(metas[key])
    jsonld_dates, publishers = _jsonld(tree)
    dates.extend(jsonld_dates)
    if "site_name" not in out:
        for name in publishers:
            if not _looks_like_host(name):
                out["site_name"] = " ".join(name.split())
                break
    for el in tree.iter("time"):
        dt = (el.get("datetime") or "").strip()
        if not dt:
            continue
        marks = " ".join(
            (el.get(a) or "") for a in ("itemprop", "class", "id", "pubdate", "data-testid")
        ).lower()
        if el.get("pubdate") is not None or "publish" in marks or "datepublished" in marks:
            dates.append(dt)
    out["dates"] = dates
    return out


def _visible_text(el: Any) -> str:
    """An element's text without the contents of its script/style/noscript children."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str) or child.tag in ("script", "style", "noscript"):
            parts.append(child.tail or "")
            continue
        parts.append(_visible_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _jsonld(tree: Any) -> tuple[list[str], list[str]]:
    """Publication dates and publisher names from the page's JSON-LD article objects."""
    found: list[str] = []
    publishers: list[str] = []
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (el.text or "").strip()
        if not raw or len(raw) > 1_000_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        _walk_jsonld(data, found, publishers, 0)
    return found, publishers


def _walk_jsonld(node: Any, found: list[str], publishers: list[str], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _walk_jsonld(item, found, publishers, depth + 1)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    kinds = {str(k).lower() for k in (kind if isinstance(kind, list) else [kind]) if k}
    value = node.get("datePublished") or node.get("dateCreated")
    if not kinds or kinds & _DATE_TYPES:
        if isinstance(value, str):
            found.append(value)
        publisher = node.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            publishers.append(publisher["name"].strip())
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
        if key in node:
            _walk_jsonld(node[key], found, publishers, depth + 1)


def _published(candidates: list[str], fallback: str | None) -> str | None:
    """The first candidate that parses and is plausible; else trafilatura's date.

    When the first plausible candidate is a bare date and a later one gives the same day with
    its time (``article:published_time`` vs JSON-LD), the one with the time wins.
    """
    values = [v for v in (normalize_date(raw) for raw in candidates) if v]
    if not values:
        return normalize_date(fallback) if fallback else None
    first = values[0]
    if len(first) == 10:
        for value in values[1:]:
            if len(value) > 10 and value.startswith(first):
                return value
    return first




def _site_name(name: str | None, page_url: str | None, title: str | None = None) -> str | None:
    """trafilatura's site name, unless it is only the host name it fell back to, or the
    headline (or as long as one) it fell back to on pages without a site name."""
    if not name:
        return None
    name = " ".join(name.split())
    if _looks_like_host(name) or len(name) > 60 or len(name.split()) > 6:
        return None
    if title and _squash(title).startswith(_squash(name)) and len(name.split()) > 2:
        return None
    if page_url:
        host = (urlsplit(page_url).hostname or "").lower().removeprefix("www.")
        labels = host.split(".")
        squashed = name.lower().replace(" ", "")
        if host and (squashed == host or (len(labels) > 1 and squashed == labels[-2])
                     or (len(labels) > 2 and squashed == labels[-3])):
            return None  # trafilatura fell back to the host name
    return name


def _looks_like_host(name: str) -> bool:
    return " " not in name and bool(re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", name))


_SUFFIX_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def _strip_site_suffix(title: str, source: str) -> str:
    """Drop a trailing " | Site Name" that repeats the site's name."""
    for sep in _SUFFIX_SEPARATORS:
        tail = sep + source
        if title.lower().endswith(tail.lower()) and len(title) > len(tail) + 3:
            return title[: -len(tail)].rstrip()
    return title


def _squash(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.lower())


def _suffix_site(title: str, page_url: str | None) -> tuple[str, str] | None:
    """(headline, site) when the title ends with " | Site" naming the page's own host."""
    host = (urlsplit(page_url).hostname or "").lower().removeprefix("www.") if page_url else ""
    labels = [lab for lab in host.split(".") if len(lab) >= 3]
    if not labels:
        return None
    for sep in _SUFFIX_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if not found or len(head) < 10 or not 2 <= len(tail) <= 60:
            continue
        key = _squash(tail)
        key_nothe = key.removeprefix("the")
        if key and any(key in (lab, _squash(lab)) or key_nothe == _squash(lab)
                       or _squash(lab) in (key, key_nothe) for lab in labels):
            return head.rstrip(), tail.strip()
    return None


def _weak_title(title: str, source: str | None) -> bool:
    """A title that is no headline: one token ("escenic"), a host name, the site's name."""
    if len(title.split()) < 2 or _looks_like_host(title):
        return True
    return bool(source) and _squash(title) == _squash(source or "")


def _pick_title(raw: str | None, candidates: list[str], source: str | None,
                page_url: str | None) -> tuple[str | None, str | None]:
    """The headline, and the site name its " | Site" suffix gave (or None).

    trafilatura's title is used unless it is weak (:func:`_weak_title`); then the page's
    ``og:title``, ``twitter:title``, first ``<h1>`` or ``<title>`` that is not weak and not
    merely the weak title with a suffix. A " | Site" suffix repeating the site's name (or
    naming the page's host) is dropped.
    """
    named: str | None = None

    def tidy(title: str | None) -> str | None:
        nonlocal named
        if not title:
            return None
        title = clean_title(title)
        if source:
            title = _strip_site_suffix(title, source)
        split = _suffix_site(title, page_url)
        if split is not None:
            title = split[0]
            named = named or split[1]
        return title or None

    first = tidy(raw)
    if named is None and not source:  # the <title>'s " | Site" may name the outlet
        for cand in candidates:
            split = _suffix_site(" ".join(cand.split()), page_url)
            if split is not None:
                named = split[1]
                break
    if first and not _weak_title(first, source or named):
        return first, named
    for cand in candidates:
        title = tidy(cand)
        if not title or _weak_title(title, source):
            continue
        if first and first.lower() in title.lower():
            # the weak title with a prefix or suffix: the rest, when it is a headline
            at = title.lower().index(first.lower())
            rest = (title[:at] + " " + title[at + len(first):]).strip(" |-–—:·•»›/")
            rest = " ".join(rest.split())
            if len(rest.split()) >= 3 and not _looks_like_host(rest.split()[0]):
                return rest, named
            break
        return title, named
    return first or tidy(next(iter(candidates), None)), named


def _language(raw: str | None) -> str | None:
    """A two- or three-letter language code ("en" from "en-GB", "en_US"), else None."""
    if not raw:
        return None
    code = raw.strip().replace("_", "-").split("-")[0].split(",")[0].strip().lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


_BYLINE_PREFIX = re.compile(
    r"^(?:(?:view all posts|posts|articles|more articles|written|posted|reported|edited|text"
    r"|story|words|photos?) by|by|von|por|par|di|door|av|autor(?:in)?|author|written by)"
    r"\b\s*[:\-–]?\s*", re.I)
_BYLINE_JUNK = re.compile(
    r"\b(?:staff|writer|editor(?:ial)?|reporter|correspondent|contributor|columnist|team"
    r"|redaktion|redacción|rédaction|redazione|newsroom|desk|agenturen|agencies|updated"
    r"|published|posted|modified|gmbh|inc|ltd|llc|news service|wire|copyright|tiempo de"
    r" lectura|min read|read more)\b"
    r"|\d|@|https?:|www\.|\b(?:com|de|org|net|at|ch|co|uk)$", re.I)
_BYLINE_SPLIT = re.compile(r"\s*(?:;|\||\s/\s|,\s*and\s|\sand\s|\s&\s|\sund\s|\sy\s|\set\s)\s*")


def clean_author(raw: str | None, source: str | None = None) -> str | None:
    """A byline without junk: "By Staff | Updated" → None, "By AP | Published 3:04 PM" →
    "AP", "Jane Roe; John Doe" → "Jane Roe, John Doe".

    Each part (split at ``;``, ``|``, "and", "&") loses a "By"/"Von"/"Por" prefix and is
    dropped when it holds a digit, an e-mail or web address, a role or newsroom word
    ("Staff Writer", "Redaktion", "Updated") or a company form ("GmbH"); the site's own name
    goes when a person is named beside it. Repeated names are kept once; at most six.
    """
    if not raw:
        return None
    names: list[str] = []
    seen: set[str] = set()
    src = _squash(source) if source else ""
    for part in _BYLINE_SPLIT.split(raw):
        name = _BYLINE_PREFIX.sub("", " ".join(part.split())).strip(" ,.:;-–—'\"")
        if not name or len(name) < 2 or len(name) > 60 or _BYLINE_JUNK.search(name):
            continue
        key = _squash(name)
        if key in seen:
            continue
        seen.add(key)
        names.append(name)
    if src and len(names) > 1:  # "Rob Picheta; CNN": the outlet is no author beside a name
        names = [n for n in names if _squash(n) != src] or names
    return ", ".join(names[:6]) or None


_SENTENCE_END = re.compile(rf"[{PROSE_ENDS}]{CLOSING_MARK}?(?:\s|$)")


def _looks_like_article(text: str, params: HtmlParams = DEFAULT_HTML_PARAMS) -> bool:
    """Some prose: a few words with a sentence end, or a longer text (not a bare menu)."""
    words = len(text.split())
    if words == 0:
        return False
    return words >= params.article_min_words or bool(_SENTENCE_END.search(text))


def _is_http(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://"))


# ---------------------------------------------------------------------------------------------
# Second opinion and link lines
# ---------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def _anchor_texts(tree: Any, params: HtmlParams = DEFAULT_HTML_PARAMS) -> set[str]:
    """The texts of the page's links that are long enough to be a headline."""
    min_spaces, max_chars = params.anchor_min_words - 1, params.anchor_max_chars
    out: set[str] = set()
    for el in tree.iter("a"):
        try:
            text = _norm(el.text_content())
        except ValueError:
            continue
        if text.count(" ") >= min_spaces and len(text) <= max_chars:
            out.add(text)
    return out


def _add_lead(
    body: str, page_lines: list[str], anchors: set[str], params: HtmlParams = DEFAULT_HTML_PARAMS,
) -> str:
    """``body`` with the article lines of the page that come just before its first line.

    ``page_lines`` are the article lines :func:`~newsfold.clean.clean_page_text` keeps from
    the whole page, in page order. The first of them found in ``body`` anchors the two
    texts; up to :attr:`HtmlParams.lead_lines` lines before it that are long prose, not in
    ``body`` and not a link's text are put before the body line that holds the anchor.
    """
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    joined = _norm(" ".join(lines))
    keys = [_norm(ln) for ln in page_lines]
    min_chars = params.lead_anchor_min_chars
    first = next((i for i, key in enumerate(keys) if len(key) >= min_chars and key in joined), -1)
    if first <= 0:
        return body
    # (no line before ``first`` is in the body: ``first`` is the first long one that is, and a
    # line of lead_min_words words is long)
    lead = [page_lines[i].strip() for i in range(max(0, first - params.lead_lines), first)
            if len(keys[i].split()) >= params.lead_min_words and keys[i] not in anchors]
    if not lead:
        return body
    at = next((j for j, ln in enumerate(lines) if keys[first] in _norm(ln)), 0)
    return "\n".join(lines[:at] + lead + lines[at:])


_PROSE_END = re.compile(rf"[{PROSE_ENDS}:;][{re.escape(CLOSERS)}]?$")
"""A line that ends like prose: a sentence end, or a colon or semicolon, which end page lines
that introduce a list or a quote (still the article's prose)."""


def _page_text(
    page_lines: list[str], anchors: set[str], params: HtmlParams = DEFAULT_HTML_PARAMS,
) -> str:
    """The page's article lines as the text when trafilatura kept none: some prose (enough
    words, a sentence end) that is not only link texts, else ""."""
    prose = [ln for ln in page_lines if ln and _norm(ln) not in anchors]
    words = sum(len(ln.split()) for ln in prose)
    if words >= params.page_text_min_words and any(_PROSE_END.search(ln) for ln in prose):
        return "\n".join(prose)
    return ""


def _trim_tail(
    text: str, removed: list[Removal], params: HtmlParams = DEFAULT_HTML_PARAMS,
) -> str:
    """Drop a dangling label at the end of the text ("Weitere Informationen:", "Contact:").

    A short paragraph ending with a colon introduces something; at the very end of the text
    what it introduced was cut away as boilerplate, so the label goes too. A short tail line
    without the colon stays: it may be a real closing line.
    """
    max_words = params.tail_max_words
    paras = text.split("\n\n")
    cut = len(paras)
    while cut > 1:
        para = paras[cut - 1]
        words = len(para.split())
        if words > max_words or not para.endswith(":"):
            break
        cut -= 1
    if cut == len(paras) or sum(len(p.split()) for p in paras[:cut]) < params.tail_min_words:
        return text
    for para in paras[cut:]:
        removed.append(Removal("tail", para))
    return "\n\n".join(paras[:cut])


_LINK_SENTENCE_ENDS = (".", "!", "?")
"""A link's text ending with one of these is a sentence the article also links, kept; without
the ellipsis, which ends teasers cut short."""


def _drop_link_lines(
    body: str, anchors: set[str], removed: list[Removal],
    params: HtmlParams = DEFAULT_HTML_PARAMS,
) -> str:
    """Drop paragraphs that are exactly a link's text: "related" headlines, teasers."""
    if not anchors:
        return body
    max_words = params.link_max_words
    out: list[str] = []
    for line in body.splitlines():
        key = _norm(line)
        if (key in anchors and len(key.split()) <= max_words
                and not key.endswith(_LINK_SENTENCE_ENDS)
                and classify_paragraph(key)[0] is None):  # debris keeps its own kind
            removed.append(Removal("link", key))
            continue
        out.append(line)
    return "\n".join(out)


_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "option",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title",
    "tr", "ul", "button", "label", "select", "textarea", "center",
})
_DROP = ("script", "style", "noscript", "template", "svg", "head")
_PRE = ("pre", "textarea", "listing", "plaintext", "xmp")


def flatten_html(html: str | Any) -> str:
    """The visible text of ``html`` (a string or an lxml tree) with all its boilerplate.

    One line per block element; menus, footers, captions, cookie notices and share bars stay,
    only script/style and the ``<head>`` go. Whitespace within a line collapses to one space:
    line breaks in the source are only whitespace (a paragraph wrapped in the HTML file is one
    line); block elements and ``<br>`` break lines, ``<pre>`` keeps its own lines. A tree is
    left unchanged.
    """
    from lxml import etree
    from lxml import html as lhtml

    if isinstance(html, str):
        if not html.strip():
            return ""
        try:
            root = lhtml.document_fromstring(html)
        except (etree.ParserError, ValueError):
            try:
                root = lhtml.document_fromstring(html.encode("utf-8", "replace"))
            except (etree.ParserError, ValueError):
                return ""
    else:
        root = html
    text = _flat_text_xslt(root)
    if text is None:
        text = _flat_text_python(root)
    # runs of breaks and the whitespace around them become one line break, in C
    text = _BREAKS.sub("\n", text.replace("\n", " "))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_BREAK = "\ufdd0"
"""A noncharacter (never in real text) that marks a line break in the serialised text."""
_BREAKS = re.compile(rf"\s*{_BREAK}[\s{_BREAK}]*")

_THREAD = threading.local()


def _flattener() -> Any:
    """An XSLT (libxslt, all in C) that writes a tree's text with a _BREAK around each block
    and for each line break inside <pre>, and without script, style and the <head>; one per
    thread, as lxml asks."""
    xslt = getattr(_THREAD, "flattener", None)
    if xslt is None:
        from lxml import etree

        blocks = "|".join(sorted(_BLOCK - set(_PRE)))
        pres = "|".join(_PRE)
        drops = "|".join(_DROP)
        dropped = " or ".join(f"self::{name}" for name in _DROP)
        sheet = f"""<xsl:stylesheet version="1.0"
 xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{drops}"/>
<xsl:template match="{blocks}">{_BREAK}<xsl:apply-templates/>{_BREAK}</xsl:template>
<xsl:template match="{pres}">{_BREAK}<xsl:apply-templates mode="pre"/>{_BREAK}</xsl:template>
<xsl:template match="{blocks}|{pres}" mode="pre">{_BREAK}<xsl:apply-templates mode="pre"/>{_BREAK}</xsl:template>
<xsl:template match="*" mode="pre"><xsl:if test="not({dropped})"><xsl:apply-templates
 mode="pre"/></xsl:if></xsl:template>
<xsl:template match="text()" mode="pre"><xsl:value-of
 select="translate(., '&#10;', '{_BREAK}')"/></xsl:template>
</xsl:stylesheet>"""
        xslt = etree.XSLT(etree.fromstring(sheet.encode("utf-8")))
        _THREAD.flattener = xslt
    return xslt


def _flat_text_xslt(root: Any) -> str | None:
    """The tree's text with _BREAK marks (see :func:`_flattener`); None when libxslt fails
    (a DOM deeper than its recursion limit)."""
    xslt = _flattener()
    try:
        result = xslt(root)
    except Exception as err:  # lxml.etree.XSLTApplyError and kin
        log.debug("flatten: XSLT failed (%s); walking the tree instead", err)
        return None
    if xslt.error_log:
        return None
    return str(result)


def _flat_text_python(root: Any) -> str:
    """:func:`_flat_text_xslt` walking a copy of the tree in Python (the slower fallback)."""
    from copy import deepcopy

    from lxml import etree

    root = deepcopy(root)
    etree.strip_elements(root, *_DROP, etree.Comment, etree.ProcessingInstruction,
                         with_tail=False)
    parts: list[str] = []
    pre = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK:
                parts.append(_BREAK)
            pre += tag in _PRE
            if el.text:
                parts.append(el.text.replace("\n", _BREAK) if pre else el.text)
        else:
            if tag in _BLOCK:
                parts.append(_BREAK)
            pre -= tag in _PRE
            if el.tail:
                parts.append(el.tail.replace("\n", _BREAK) if pre else el.tail)
    return "".join(parts)
