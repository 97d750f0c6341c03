"""The Atom feed of stories (``GET /feed.xml``, ``GET /feed.xml?q=words``), so a reader follows
newsfold in the feed reader they already use.

One entry per story, most recent activity first (the story list's order): its id a ``tag:``
URI made of the server's host and the story id (the same on every request and every run), its
title the story's headline, ``updated`` its activity time, a link to the story page, and as
HTML content the brief's summary sentences, each with its citations linking to the cited
passages (``/articles/{id}#s-N``) named by outlet, a line "N articles from M outlets" and the
conflicts. A search feed holds the stories matching the words, most recent activity first.

Briefs come from the site (its memory cache, else the store's current brief, else built and
stored, as for the story page). A feed is bounded: :data:`FEED_SIZE` entries, and at most
:data:`FEED_BUILDS` briefs built on one request; an entry whose brief is neither cached nor
stored past that carries its counts and a link only (a later request builds it; ``newsfold
briefs`` and ``newsfold serve``'s warm start build them ahead).

The document is written with the standard library's ElementTree, which escapes every text
and attribute; text from articles first loses the characters XML 1.0 cannot carry and the
bidi controls, and the content's HTML is made of escaped text (markupsafe), so no article can
break the XML or put markup into the content.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from newsfold.records import Brief, StoryInfo, outlet_label
from newsfold.store.base import LIST_ORDER
from newsfold.summarize.render import NO_SUMMARY, counted

from . import views

if TYPE_CHECKING:
    from .app import Site

log = logging.getLogger(__name__)

FEED_SIZE = 30
"""Entries in a feed: the most recently active stories (or matching stories)."""
FEED_BUILDS = 8
"""Briefs a feed request builds at most; the store's current briefs and the site's cached ones
are read without limit."""
SEARCH_STORIES = 200
"""Best-matching stories a search feed picks its :data:`FEED_SIZE` most recently active from."""
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
ATOM = "http://www.w3.org/2005/Atom"
TAG_DATE = "2026"
"""The date of the ``tag:`` URIs (RFC 4151): fixed, so an entry's id never changes."""

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot carry beyond what the pages drop already: lone surrogates, U+FFFE,
U+FFFF."""


def clean(text: str | None) -> str:
    """``text`` made inert as the pages make it (:func:`newsfold.web.views.inert_text`: C0
    controls, DEL, bidi controls) and without what :data:`_NOT_XML` names."""
    return _NOT_XML.sub("", views.inert_text(text or ""))


@dataclass(slots=True)
class Entry:
    """One story of a feed, with its brief's page data when it has one."""

    info: StoryInfo
    updated: datetime
    brief: Brief | None = None
    view: dict[str, Any] | None = None


def story_ids(site: Site, query: str) -> list[str]:
    """The ids of a feed's stories, most recent activity first: the first :data:`FEED_SIZE`
    of the story list, or for a query the :data:`FEED_SIZE` most recently active of its
    :data:`SEARCH_STORIES` best-matching stories."""
    with site.reader() as nf, nf.store.snapshot():
        if not query.strip():
            return [s.id for s in nf.stories(limit=FEED_SIZE)]
        hits = [h.id for h in
                nf.store.search(query, limit=0, story_limit=SEARCH_STORIES).stories]
        if not hits:
            return []
        rows = nf.store.rows(
            f"SELECT id FROM stories WHERE id IN ({','.join('?' * len(hits))})"  # noqa: S608
            f" {LIST_ORDER} LIMIT {FEED_SIZE}", hits)
    return [str(r["id"]) for r in rows]


def entries(site: Site, ids: list[str]) -> list[Entry]:
    """The feed's entries for ``ids`` (in that order), each with its brief when the site has
    it cached, the store has a current one, or it is among the first :data:`FEED_BUILDS` to
    build. A story merged away meanwhile is left out."""
    with site.reader() as nf, nf.store.snapshot():
        infos = {}
        for sid in ids:
            if nf.store.has_story(sid):
                infos[sid] = nf.store.story_info(sid)
        activity = nf.store.story_activity(infos)
        current = set(nf.store.current_briefs(infos, nf.brief_recipe))
    out: list[Entry] = []
    built = 0
    for sid, info in infos.items():
        entry = Entry(info, activity[sid])
        ready = sid in current
        if ready or built < FEED_BUILDS:
            try:
                info, entry.brief, entry.view = site.story_view(sid)
            except Exception as exc:  # a failing brief leaves its entry bare, never the feed
                log.warning("brief of %s left out of the feed: %s", sid, exc)
            else:
                entry.info = info
            built += 0 if ready else 1
        out.append(entry)
    return out


def render(entries: list[Entry], *, base: str, self_url: str, query: str) -> bytes:
    """The Atom document (UTF-8) of ``entries``; ``base``: the site's absolute URL without a
    trailing slash (links in it are absolute), ``self_url``: the feed's own URL."""
    host = urlsplit(base).hostname or "localhost"
    feed = ET.Element("feed", {"xmlns": ATOM})
    title = f"newsfold: stories matching “{clean(query)}”" if query.strip() else \
        "newsfold: stories"
    _text(feed, "title", title)
    _text(feed, "id", self_url)
    updated = max((e.updated for e in entries), default=datetime(1970, 1, 1, tzinfo=UTC))
    _text(feed, "updated", _rfc3339(updated))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml",
                                 "href": self_url})
    page = f"{base}/search?{urlencode({'q': query})}" if query.strip() else f"{base}/"
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": page})
    author = ET.SubElement(feed, "author")
    _text(author, "name", "newsfold")
    _text(feed, "generator", "newsfold")
    for e in entries:
        item = ET.SubElement(feed, "entry")
        _text(item, "id", f"tag:{host},{TAG_DATE}:story/{quote(e.info.id, safe='')}")
        _text(item, "title", clean(e.info.headline) or e.info.id)
        _text(item, "updated", _rfc3339(e.updated))
        ET.SubElement(item, "link", {
            "rel": "alternate", "type": "text/html",
            "href": f"{base}/stories/{views.path_id(e.info.id)}"})
        content = ET.SubElement(item, "content", {"type": "html"})
        content.text = str(content_html(e, base))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def content_html(entry: Entry, base: str) -> Markup:
    """An entry's HTML: the summary sentences with their cited outlets linked to the cited
    passages, the article and outlet counts, and the conflicts. Every text is escaped."""
    info = entry.info
    parts: list[Markup] = []
    view = entry.view
    if view is not None:
        for cited in view["summary"]:
            parts.append(Markup("<p>{}{}</p>").format(clean(cited.text), _cites(cited, base)))
        if not view["summary"]:
            parts.append(Markup("<p>{}</p>").format(NO_SUMMARY))
    counts = f"{counted(info.articles, 'article')} from {counted(info.outlets, 'outlet')}"
    parts.append(Markup("<p>{}</p>").format(counts))
    if view is None:
        parts.append(Markup('<p>The brief is not built yet: <a href="{}">open the story</a>.</p>')
                     .format(f"{base}/stories/{views.path_id(info.id)}"))
    elif view["conflicts"]:
        items = []
        for c in view["conflicts"]:
            what = clean(c["what"]) + (" (updated over time)" if c["kind"] == "update" else "")
            sides = Markup("; ").join(
                Markup("{}{}").format(clean(str(s.extra.get("value", ""))), _cites(s, base))
                for s in c["sides"])
            items.append(Markup("<li>{}: {}</li>").format(what, sides))
        parts.append(Markup("<p>Conflicts:</p><ul>{}</ul>").format(Markup("").join(items)))
    return Markup("\n").join(parts)


def _cites(cited: Any, base: str) -> Markup:
    links = [Markup('<a href="{}">{}</a>').format(base + c.href, clean(outlet_label(c.outlet)))
             for c in cited.cites]
    if not links:
        return Markup("")
    more = Markup(" +{}").format(cited.more) if cited.more else Markup("")
    return Markup(" [") + Markup(", ").join(links) + more + Markup("]")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = text
    return el


def _rfc3339(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_url(base: str, path: str, query: str) -> str:
    """The feed's own absolute URL (its Atom id and rel=self link)."""
    return f"{base}{path}" + (f"?{urlencode({'q': query})}" if query.strip() else "")


def response(site: Site, request: Request, query: str) -> Response:
    """The feed of ``request`` (``query``: its search words, blank for every story)."""
    base = str(request.base_url).rstrip("/")
    ids = story_ids(site, query)
    body = render(entries(site, ids), base=base,
                  self_url=feed_url(base, request.url.path, query), query=query)
    return Response(body, media_type=MEDIA_TYPE)
