"""The ASGI app of ``newsfold serve``: HTML pages and a REST API over one :class:`Newsfold`.

Every page and every API answer reads through the same :class:`newsfold.api.Newsfold` the CLI
uses (stories, story, brief, article, add_articles) and the store's full-text search; there is
no second code path for the data. A brief is read from the store when it holds a current one
(:meth:`Newsfold.stored_brief`), else built and stored; either way it is cached in memory,
keyed by the story's id and version, so any change of the story's articles (through this app
or another process) makes the next request read or build it again.

Secure by default: a blank ingest token is refused at start-up, every answer (errors and
crashes included) carries the security headers, request bodies are capped, every integer
parameter is bounded, and bodies are parsed and ingested off the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import anyio
import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfold.api import Newsfold
from newsfold.errors import ConfigError, InputError, NewsfoldError, NotFoundError
from newsfold.ingest.readers import parse_item
from newsfold.records import Article, Brief, RawItem, StoryInfo, outlet_label
from newsfold.settings import Settings
from newsfold.summarize.render import NO_SUMMARY
from newsfold.summarize.stored import StoredBrief

from . import feed, views

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
"""Stories per page of the list (HTML); the API's default ``limit``."""
MAX_LIMIT = 500
"""Largest ``limit`` of an API page; a larger one answers 422 (never silently capped)."""
MAX_OFFSET = 1_000_000_000
"""Largest ``offset`` of an API page (far past any store, far below SQLite's 2**63)."""
MAX_PAGE = 10_000_000
"""Largest ``page`` of an HTML list (``MAX_PAGE * PAGE_SIZE`` stays under ``MAX_OFFSET``)."""
MAX_QUERY = 1000
"""Longest search query, in characters."""
MAX_BODY = 16 * 1024 * 1024
"""Largest request body, in bytes (16 MiB): larger answers 413 before it is read, or as soon as
a body sent without Content-Length passes it."""
MAX_DEPTH = 32
"""Deepest nesting of arrays and objects a POST body may have (an article needs 3)."""
BRIEF_CACHE = 256
"""Briefs kept in memory (least recently used dropped first)."""
MAX_INGEST = 1000
"""Articles one POST /api/articles may carry."""
INGEST_SLOTS = 2
"""POST bodies read, parsed and ingested at once; more wait their turn (off the event loop)
before their body is read, so at most this many capped bodies are held in memory."""
READERS = 8
"""Idle read connections kept for the next requests (more are opened while more requests are
in flight, and closed when they end)."""
BRIEF_WORKERS = max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                    else os.cpu_count() or 1)
"""Briefs built at once (one per core, at least two): building one is CPU work, so more at once
would only slow each of them and the quick requests beside them."""
TOKEN_ENV = "NEWSFOLD_API_TOKEN"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def check_token(token: str | None) -> str | None:
    """The ingest token to use: ``None`` (ingest off), else ``token`` stripped of surrounding
    whitespace (a token read from a file often ends in a newline; a header value never carries
    it). Raises :class:`ConfigError` for an empty or blank token, which would let anyone in,
    and for control or non-ASCII characters, which no client can send in a header."""
    if token is None:
        return None
    stripped = token.strip()
    if not stripped:
        raise ConfigError(
            "the ingest token is empty or blank, which would let anyone ingest: set "
            f"--token or {TOKEN_ENV} to a long random string, or leave both unset to keep "
            "ingest over HTTP off"
        )
    if any(not (" " <= c <= "~") for c in stripped):
        raise ConfigError(
            "the ingest token has control or non-ASCII characters, which an Authorization "
            "header cannot carry: use printable ASCII (e.g. the output of "
            "'python -c \"import secrets; print(secrets.token_urlsafe(32))\"')"
        )
    return stripped


def token_matches(given: str, token: str) -> bool:
    """Whether the bearer token ``given`` is ``token``, in constant time (both are hashed first,
    so neither the content nor the length of the token leaks through timing)."""
    a = hashlib.sha256(given.encode("utf-8", "surrogateescape")).digest()
    b = hashlib.sha256(token.encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


class BodyTooLarge(Exception):
    """A request body is longer than the app's cap (answered 413)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the request body is larger than {limit:,} bytes")


class BadContentLength(Exception):
    """A Content-Length header that is not a number (answered 400)."""


class BodyLimit:
    """Caps request bodies at ``limit`` bytes: a Content-Length over it raises
    :class:`BodyTooLarge` on the first read, before any of the body is taken in; a body sent
    without one (chunked) raises it as soon as the bytes read pass the cap. Routes that never
    read their body are not affected."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                declared = value
        seen = 0
        limit = self.limit

        async def limited_receive() -> Message:
            nonlocal seen
            if declared is not None:
                try:
                    length = int(declared)
                except ValueError:
                    raise BadContentLength() from None
                if length > limit:
                    raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)


class SecurityHeaders:
    """Adds the Content-Security-Policy (no inline script, nothing from other origins) and
    friends to every response. It wraps the whole app, outside Starlette's server-error
    middleware, so 500 answers and every exception handler's answer carry them too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _App(FastAPI):
    """FastAPI whose middleware stack is wrapped in :class:`SecurityHeaders` from the outside:
    ``add_middleware`` would put it inside the server-error middleware, which answers 500s."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


class BriefCache:
    def __init__(self, size: int = BRIEF_CACHE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: tuple[Any, ...], value: dict[str, Any]) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=views.inert_text,
    )
    env.filters["safe_url"] = views.safe_url
    env.filters["pid"] = views.path_id
    env.filters["outlet"] = outlet_label
    env.filters.update(views.date_filters())
    env.globals["article_href"] = views.article_href
    env.globals["NO_SUMMARY"] = NO_SUMMARY
    return env


class Site:
    """The state one app holds: the read connections, the ingest side and its lock, the brief
    cache and the builder of briefs ahead of requests.

    Every request reads on a connection of its own (:meth:`reader`): SQLite's WAL lets readers
    go on beside each other and beside the one writer, so no read waits for another read or for
    an ingest. Ingest writes through a :class:`Newsfold` of its own, one POST at a time. A cold
    brief is built on its request's thread, at most :data:`BRIEF_WORKERS` at once and one per
    story at a time, so it holds up only the requests for that same story."""

    def __init__(self, nf: Newsfold, token: str | None, warm: int = 0) -> None:
        self.nf = nf
        self.token = token
        self.lock = threading.RLock()
        """Around ``nf`` when it is the only connection (``:memory:``)."""
        self.briefs = BriefCache()
        self.env = _templates()
        self._shared = nf.path == ":memory:"
        """One in-memory database cannot be opened twice: everything goes through ``nf``."""
        self.ingest_lock = self.lock if self._shared else threading.Lock()
        self.ingest_slots = anyio.Semaphore(INGEST_SLOTS)
        self._writer: Newsfold | None = None
        self._idle: list[Newsfold] = []
        self._idle_lock = threading.Lock()
        self._closed = False
        self._cache_lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self._building_lock = threading.Lock()
        self._brief_slots = threading.BoundedSemaphore(BRIEF_WORKERS)
        self.warm = warm
        self._warm_queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._warmer: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def writer(self) -> Newsfold:
        """The Newsfold that ingests (call under ``ingest_lock``)."""
        if self._shared:
            return self.nf
        if self._writer is None:
            self._writer = Newsfold(self.nf.path, self.nf.settings)
        return self._writer

    @contextmanager
    def reader(self) -> Iterator[Newsfold]:
        """A Newsfold to read with, on a connection no other request uses meanwhile (an idle
        one, else a new one); it goes back to the idle ones afterwards."""
        if self._shared:
            with self.lock:
                yield self.nf
            return
        with self._idle_lock:
            nf = self._idle.pop() if self._idle else None
        if nf is None:
            nf = Newsfold(self.nf.path, self.nf.settings)
        try:
            yield nf
        finally:
            with self._idle_lock:
                keep = not self._closed and len(self._idle) < READERS
                if keep:
                    self._idle.append(nf)
            if not keep:
                nf.close()

    def start(self) -> None:
        """Start building the briefs of the first ``warm`` stories of the list in the
        background (and, after each ingest, of the list's first stories again)."""
        if self.warm < 1 or self._warmer is not None:
            return
        self._warmer = threading.Thread(target=self._warm_loop, name="newsfold-warm",
                                        daemon=True)
        self._warmer.start()
        self.warm_recent()

    def warm_recent(self) -> None:
        """Queue the first ``warm`` stories of the list (the most recently active ones) for
        their briefs to be built ahead of requests; those built already are cache hits."""
        if self._warmer is None:
            return
        with self.reader() as nf:
            for info in nf.stories(limit=self.warm):
                self._warm_queue.put(info.id)

    def _warm_loop(self) -> None:
        while (story_id := self._warm_queue.get()) is not None:
            if self._stopping.is_set():
                break
            try:
                self._entry(story_id)
            except NotFoundError:
                pass  # merged away since it was queued
            except Exception:  # a failing brief fails its request later; warming goes on
                log.exception("brief of %s not built ahead", story_id)

    def close(self) -> None:
        if self._warmer is not None:
            self._stopping.set()  # a brief being built is finished, the queued ones dropped
            self._warm_queue.put(None)
            self._warmer.join()
        with self._idle_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for nf in idle:
            nf.close()
        if self._writer is not None:
            self._writer.close()
        self.nf.close()

    def _build(self, story_id: str) -> StoredBrief:
        """The story's brief built now, and stored (the store's one is missing or stale)."""
        with self.reader() as nf:
            (built,) = nf.build_briefs([story_id])
        return built

    def _entry(self, story_id: str) -> tuple[StoryInfo, dict[str, Any]]:
        with self.reader() as nf:
            info = nf.story(story_id)
            version = nf.store.story_version(info.id)
        key = (info.id, version)
        with self._cache_lock:
            hit = self.briefs.get(key)
        if hit is not None:
            return info, hit
        with self._building_lock:
            building = self._building.setdefault(info.id, threading.Lock())
        with building:  # one build per story at a time; other stories go on meanwhile
            with self._cache_lock:
                hit = self.briefs.get(key)
            if hit is None:
                with self.reader() as nf:
                    stored = nf.stored_brief(info.id, build=False)
                if stored is None:
                    # a request's build takes a slot; the one build ahead at a time does not,
                    # so it never keeps a request waiting for a slot
                    with self._brief_slots if threading.current_thread() is not self._warmer \
                            else nullcontext():
                        stored = self._build(info.id)
                hit = {"brief": stored.brief, "json": stored.data,
                       "passages": stored.passages, "view": None}
                with self._cache_lock:
                    self.briefs.put((info.id, stored.version), hit)
        with self._building_lock:
            if self._building.get(info.id) is building and not building.locked():
                del self._building[info.id]
        return info, hit

    def brief(self, story_id: str) -> tuple[StoryInfo, Brief, dict[str, Any]]:
        """The story, its brief and its JSON (Brief.to_dict), cached."""
        info, hit = self._entry(story_id)
        return info, hit["brief"], hit["json"]

    def story_view(self, story_id: str) -> tuple[StoryInfo, Brief, dict[str, Any]]:
        """The story, its brief and the story page's data (views.story_view), cached."""
        info, hit = self._entry(story_id)
        if hit["view"] is None:
            hit["view"] = views.story_view(hit["brief"], hit["passages"])
        return info, hit["brief"], hit["view"]

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)


def _error_json(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status,
                        headers=headers)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def create_app(
    db: str, settings: Settings | None = None, ingest_token: str | None = None,
    *, max_body: int = MAX_BODY, warm: int = 0,
) -> FastAPI:
    """The web app over the newsfold database ``db``.

    ``ingest_token`` (else ``$NEWSFOLD_API_TOKEN``) turns on ``POST /api/articles`` for clients
    sending ``Authorization: Bearer <token>``; without one ingest over HTTP is off (403). A
    blank token raises :class:`ConfigError` (it would let anyone in); surrounding whitespace is
    stripped. ``max_body`` caps request bodies (bytes; larger answers 413). ``warm``: build
    the briefs of the list's first ``warm`` stories in the background, from start-up and again
    after each ingest through the app, so the most recently active stories open warm.
    """
    token = check_token(ingest_token if ingest_token is not None else os.environ.get(TOKEN_ENV))
    if max_body < 1:
        raise ConfigError(f"the request body cap must be at least 1 byte, not {max_body}")
    if warm < 0:
        raise ConfigError(f"the stories to build briefs ahead for cannot be negative, not {warm}")
    nf = Newsfold(db, settings)
    site = Site(nf, token, warm)
    app = _App(
        title="newsfold",
        summary="Stories folded from many outlets' news, with cited briefs.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.site = site
    app.state.newsfold = nf
    app.state.briefs = site.briefs
    app.add_middleware(BodyLimit, limit=max_body)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _error_handlers(app, site)
    _pages(app, site)
    _api(app, site)
    app.router.add_event_handler("startup", site.start)
    app.router.add_event_handler("shutdown", site.close)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsfold")
    except PackageNotFoundError:  # pragma: no cover
        return "0"


# -- errors ---------------------------------------------------------------------------------
def _error_handlers(app: FastAPI, site: Site) -> None:
    def respond(request: Request, status: int, message: str,
                headers: dict[str, str] | None = None) -> Response:
        if _wants_json(request):
            return _error_json(status, message, headers)
        titles = {400: "Bad request", 404: "Not found", 403: "Forbidden", 401: "Unauthorized",
                  413: "Request too large", 422: "Bad request", 405: "Method not allowed",
                  500: "Server error"}
        resp = site.page("error.html", status=status, status_code=status,
                         title=titles.get(status, "Error"), message=message)
        if headers:
            resp.headers.update(headers)
        return resp

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return respond(request, 404, f"no {exc.kind} with id {exc.ident!r}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return respond(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
        return respond(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(NewsfoldError)
    async def newsfold_error(request: Request, exc: NewsfoldError) -> Response:
        return respond(request, 400, str(exc))

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return respond(request, 413, f"{exc} (send fewer or shorter articles per request)",
                       {"Connection": "close"})

    @app.exception_handler(BadContentLength)
    async def bad_length(request: Request, exc: BadContentLength) -> Response:
        return respond(request, 400, "the Content-Length header is not a number",
                       {"Connection": "close"})

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        # Starlette re-raises the exception after this answer, so the server logs its trace.
        return respond(request, 500, "internal error (see the server log)")


# -- pages ----------------------------------------------------------------------------------
PageNumber = Query(1, ge=1, le=MAX_PAGE, description=f"Page number, 1 to {MAX_PAGE:,}.")
SearchQuery = Query("", max_length=MAX_QUERY,
                    description=f"Plain words (at most {MAX_QUERY} characters).")
Offset = Query(0, ge=0, le=MAX_OFFSET, description=f"Items to skip, 0 to {MAX_OFFSET:,}.")


def _pages(app: FastAPI, site: Site) -> None:
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, page: int = PageNumber) -> HTMLResponse:
        number = page
        with site.reader() as nf, nf.store.snapshot():
            total = nf.story_count()
            rows = nf.stories(limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        return site.page("index.html", stories=rows, page=number, pages=pages, total=total,
                         title="Stories")

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        info, brief, view = site.story_view(story_id)
        return site.page("story.html", info=info, brief=brief, v=view,
                         title=brief.headline or info.headline or info.id)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        with site.reader() as nf:
            article = nf.article(article_id)
        uses: dict[int, list[str]] = {}
        info = None
        if article.story_id:
            try:
                info, brief, _ = site.brief(article.story_id)
                uses = views.used_sentences(brief, article)
            except NotFoundError:
                info = None
            except Exception:  # the brief only highlights: the article is shown without it
                log.exception("brief of %s failed; article %s shown without highlights",
                              article.story_id, article.id)
                info, uses = None, {}
        paragraphs = views.article_view(article, uses)
        return site.page("article.html", a=article, info=info, paragraphs=paragraphs,
                         url=views.safe_url(article.url), used=len(uses),
                         title=article.title or article.id)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = SearchQuery, page: int = PageNumber) -> HTMLResponse:
        number = page
        with site.reader() as nf, nf.store.snapshot():
            results = nf.search(q, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        pages = max(1, math.ceil(results.total_articles / PAGE_SIZE))
        return site.page("search.html", q=q, r=results, page=number, pages=pages,
                         title=f"Search: {q}" if q else "Search")

    @app.get("/feed.xml", include_in_schema=False)
    def atom_feed(request: Request, q: str = SearchQuery) -> Response:
        return feed.response(site, request, q)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        spec = app.openapi()
        ops = []
        for path, methods in spec.get("paths", {}).items():
            for method, op in methods.items():
                ops.append({
                    "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": op.get("parameters", []),
                    "body": "requestBody" in op,
                    "responses": sorted(op.get("responses", {}).items()),
                })
        return site.page("docs.html", spec=spec, ops=ops, title="API",
                         spec_json=json.dumps(spec, indent=2, ensure_ascii=False))


# -- REST API -------------------------------------------------------------------------------
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown id: `{\"error\": {\"status\": 404, \"message\": ...}}`"},
}


def _api(app: FastAPI, site: Site) -> None:
    @app.get("/api/stories", tags=["stories"], summary="List stories, most recent activity first")
    def api_stories(limit: int = Query(PAGE_SIZE, ge=1, le=MAX_LIMIT,
                                       description=f"Stories per page, 1 to {MAX_LIMIT}."),
                    offset: int = Offset) -> dict[str, Any]:
        """Paged like `newsfold stories --limit N --offset N`; each row is as in
        `newsfold stories --format json`. `next_offset` is null on the last page."""
        with site.reader() as nf, nf.store.snapshot():
            total = nf.story_count()
            rows = nf.stories(limit=limit, offset=offset)
        nxt = offset + limit if offset + limit < total else None
        return {"stories": [r.to_dict() for r in rows], "total": total, "limit": limit,
                "offset": offset, "next_offset": nxt}

    @app.get("/api/stories/{story_id}", tags=["stories"], responses=_ERRORS,
             summary="One story's brief (the JSON of `newsfold show --format json`)")
    def api_story(story_id: str) -> JSONResponse:
        _, _, data = site.brief(story_id)
        return JSONResponse(data)

    @app.get("/api/articles/{article_id:path}", tags=["articles"], responses=_ERRORS,
             summary="One stored article: cleaned text, metadata, what cleaning removed")
    def api_article(article_id: str) -> dict[str, Any]:
        with site.reader() as nf:
            article = nf.article(article_id)
        return article.to_dict()

    @app.get("/api/search", tags=["search"],
             summary="Full-text search over articles (title and text) and their stories")
    def api_search(q: str = SearchQuery,
                   limit: int = Query(20, ge=1, le=MAX_LIMIT,
                                      description=f"Articles per page, 1 to {MAX_LIMIT}."),
                   offset: int = Offset) -> dict[str, Any]:
        """`results` lists the matching stories (`kind: story`, on the first page) then the
        matching articles (`kind: article`) best first; `stories` and `articles` split them."""
        with site.reader() as nf, nf.store.snapshot():
            results = nf.search(q, limit=limit, offset=offset)
        return results.to_dict()

    @app.post(
        "/api/articles", tags=["articles"], status_code=201,
        summary="Ingest articles (off unless a token is configured)",
        responses={
            200: {"description": "Nothing new was added"},
            401: {"description": "Missing or wrong bearer token"},
            403: {"description": "Ingest over the API is off (no token configured)"},
            413: {"description": f"Body over {MAX_BODY:,} bytes, or over {MAX_INGEST} articles"},
            422: {"description": "The body is not JSON, nests deeper than "
                                 f"{MAX_DEPTH} levels, or holds no article"},
        },
    )
    async def api_ingest(request: Request) -> JSONResponse:
        """Body: one article object or a list of them (or `{"articles": [...]}`) with the
        fields of a JSONL input line: `id`, `title`, `text`, `url`, `source`, `published`,
        `language`, `author`. Needs `Authorization: Bearer <NEWSFOLD_API_TOKEN>`."""
        if site.token is None:
            return _error_json(403, f"ingest over the API is off; start the server with "
                                    f"{TOKEN_ENV} set to turn it on")
        auth = request.headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not token_matches(given.strip(), site.token):
            return _error_json(401, "missing or wrong bearer token",
                               {"WWW-Authenticate": "Bearer"})
        async with site.ingest_slots:
            body = await request.body()  # capped by BodyLimit
            # Parsing, cleaning and ingesting take seconds for a large body: off the loop.
            status, result = await run_in_threadpool(_ingest_body, site, body)
        if status >= 400:
            return _error_json(status, result["message"])
        return JSONResponse(result, status_code=status)


def _body_problem(value: Any, limit: int) -> str | None:
    """Why a parsed body cannot be taken in, or None: arrays and objects nested deeper than
    ``limit`` (checked iteratively, so no depth exhausts the stack), or a string with an
    unpaired surrogate escape such as ``"\\ud800"`` (no database can store it)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "a string of the body has an unpaired surrogate escape (\\ud800-\\udfff)"
            continue
        if isinstance(item, dict):
            children: list[Any] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return f"the body nests deeper than {limit} levels"
        stack.extend((child, depth + 1) for child in children)
    return None


def _ingest_body(site: Site, body: bytes) -> tuple[int, dict[str, Any]]:
    """Parse a POST body and ingest its articles (runs in a worker thread): (status, answer),
    the answer being ``{"message": ...}`` for an error status."""
    try:
        data = json.loads(body)
    except RecursionError:
        return 422, {"message": f"the body nests deeper than {MAX_DEPTH} levels"}
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, too many digits
        return 422, {"message": f"the body is not JSON: {exc}"}
    problem = _body_problem(data, MAX_DEPTH)
    if problem:
        return 422, {"message": problem}
    items = data.get("articles") if isinstance(data, dict) and "articles" in data else data
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not items:
        return 422, {"message": "send an article object or a non-empty list of them"}
    if len(items) > MAX_INGEST:
        return 413, {"message": f"at most {MAX_INGEST} articles per request"}
    result = _ingest_items(site, items)
    return (201 if result["added"] else 200), result


def _ingest_items(site: Site, items: list[Any]) -> dict[str, Any]:
    articles: list[Article] = []
    skipped: list[dict[str, str]] = []
    for n, obj in enumerate(items):
        origin = f"request item {n}"
        if not isinstance(obj, dict):
            skipped.append({"item": origin, "reason": "not an object"})
            continue
        raw = json.dumps(obj, ensure_ascii=False)
        try:
            articles.append(parse_item(RawItem(origin=origin, format="jsonl", raw=raw,
                                               default_id=f"api-{_digest(raw)}", fields=obj)))
        except InputError as err:
            skipped.append({"item": err.item, "reason": err.reason})
        except Exception as exc:  # one bad item never fails the others
            log.warning("%s skipped: %s: %s", origin, type(exc).__name__, exc)
            skipped.append({"item": origin, "reason": f"unreadable article ({type(exc).__name__})"})

    with site.ingest_lock:
        report = site.writer.add_articles(articles)
    if report.added:
        site.warm_recent()
    return {
        "added": report.added, "duplicates": report.duplicates,
        "already_stored": report.already_stored, "added_ids": report.added_ids,
        "new_stories": report.new_stories, "touched_stories": report.touched_stories,
        "skipped": skipped + [{"item": i, "reason": r} for i, r in report.skipped],
    }


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
