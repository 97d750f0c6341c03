"""The ASGI app of ``newsfold serve``: HTML pages and a REST API over one :class:`Newsfold`.

Every page and every API answer reads through the same :class:`newsfold.api.Newsfold` the CLI
uses (stories, story, brief, article, add_articles) and the store's full-text search; there is
no second code path for the data. Briefs are cached in memory, keyed by the story's id and its
article count, outlet count, last publication and headline, so any write (through this app or
another process) makes the next request build the brief again.
"""

from __future__ import annotations

import hmac
import json
import math
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfold.api import Newsfold
from newsfold.errors import InputError, NewsfoldError, NotFoundError
from newsfold.ingest.readers import parse_item
from newsfold.records import Article, Brief, RawItem, StoryInfo
from newsfold.settings import Settings

from . import views

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
"""Stories per page of the list (HTML); the API's default ``limit``."""
MAX_LIMIT = 500
BRIEF_CACHE = 256
"""Briefs kept in memory (least recently used dropped first)."""
MAX_INGEST = 1000
"""Articles one POST /api/articles may carry."""
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


class SecurityHeaders:
    """Adds the Content-Security-Policy (no inline script, nothing from other origins) and
    friends to every response."""

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
    )
    env.filters["safe_url"] = views.safe_url
    env.filters["pid"] = views.path_id
    env.globals["article_href"] = views.article_href
    return env


class Site:
    """The state one app holds: the API object, a lock around it, the brief cache."""

    def __init__(self, nf: Newsfold, token: str | None) -> None:
        self.nf = nf
        self.token = token
        self.lock = threading.RLock()
        self.briefs = BriefCache()
        self.env = _templates()

    def _entry(self, story_id: str) -> tuple[StoryInfo, dict[str, Any]]:
        with self.lock:
            info = self.nf.story(story_id)
            key = (info.id, info.articles, info.outlets, info.last_published, info.headline)
            hit = self.briefs.get(key)
            if hit is None:
                brief = self.nf.brief(story_id)
                hit = {"brief": brief, "json": brief.to_dict(), "view": None}
                self.briefs.put(key, hit)
            return info, hit

    def brief(self, story_id: str) -> tuple[StoryInfo, Brief, dict[str, Any]]:
        """The story, its brief and its JSON (Brief.to_dict), cached."""
        info, hit = self._entry(story_id)
        return info, hit["brief"], hit["json"]

    def story_view(self, story_id: str) -> tuple[StoryInfo, Brief, dict[str, Any]]:
        """The story, its brief and the story page's data (views.story_view), cached."""
        info, hit = self._entry(story_id)
        if hit["view"] is None:
            hit["view"] = views.story_view(hit["brief"])
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
    db: str, settings: Settings | None = None, ingest_token: str | None = None
) -> FastAPI:
    """The web app over the newsfold database ``db``.

    ``ingest_token`` (else ``$NEWSFOLD_API_TOKEN``) turns on ``POST /api/articles`` for clients
    sending ``Authorization: Bearer <token>``; without one ingest over HTTP is off (403).
    """
    nf = Newsfold(db, settings)
    token = ingest_token if ingest_token is not None else os.environ.get(TOKEN_ENV) or None
    site = Site(nf, token)
    app = FastAPI(
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
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _error_handlers(app, site)
    _pages(app, site)
    _api(app, site)
    app.router.add_event_handler("shutdown", nf.close)
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
        titles = {404: "Not found", 403: "Forbidden", 401: "Unauthorized", 422: "Bad request",
                  405: "Method not allowed", 500: "Server error"}
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

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        return respond(request, 500, "internal error (see the server log)")


# -- pages ----------------------------------------------------------------------------------
def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _pages(app: FastAPI, site: Site) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, page: str | None = None) -> HTMLResponse:
        number = _page_number(page)
        with site.lock:
            total = site.nf.story_count()
            rows = site.nf.stories(limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
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
        with site.lock:
            article = site.nf.article(article_id)
        uses: dict[int, list[str]] = {}
        info = None
        if article.story_id:
            try:
                info, brief, _ = site.brief(article.story_id)
                uses = views.used_sentences(brief, article)
            except NotFoundError:
                info = None
        paragraphs = views.article_view(article, uses)
        return site.page("article.html", a=article, info=info, paragraphs=paragraphs,
                         url=views.safe_url(article.url), used=len(uses),
                         title=article.title or article.id)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "", page: str | None = None) -> HTMLResponse:
        number = _page_number(page)
        with site.lock:
            results = site.nf.search(q, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        pages = max(1, math.ceil(results.total_articles / PAGE_SIZE))
        return site.page("search.html", q=q, r=results, page=number, pages=pages,
                         title=f"Search: {q}" if q else "Search")

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


def _article_json(a: Article) -> dict[str, Any]:
    return {
        **a.ref(), "text": a.text, "language": a.language, "author": a.author,
        "story_id": a.story_id, "metadata": a.metadata,
        "removed": [{"kind": r.kind, "text": r.text} for r in a.removed],
    }


def _api(app: FastAPI, site: Site) -> None:
    @app.get("/api/stories", tags=["stories"], summary="List stories, most recent activity first")
    def api_stories(limit: int = PAGE_SIZE, offset: int = 0) -> dict[str, Any]:
        """Paged like `newsfold stories --limit N --offset N`; each row is as in
        `newsfold stories --format json`."""
        limit = max(0, min(limit, MAX_LIMIT))
        offset = max(0, offset)
        with site.lock:
            total = site.nf.story_count()
            rows = site.nf.stories(limit=limit, offset=offset)
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
        with site.lock:
            article = site.nf.article(article_id)
        return _article_json(article)

    @app.get("/api/search", tags=["search"],
             summary="Full-text search over articles (title and text) and their stories")
    def api_search(q: str = "", limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """`results` lists the matching stories (`kind: story`, on the first page) then the
        matching articles (`kind: article`) best first; `stories` and `articles` split them."""
        limit = max(0, min(limit, MAX_LIMIT))
        with site.lock:
            results = site.nf.search(q, limit=limit, offset=max(0, offset))
        return results.to_dict()

    @app.post(
        "/api/articles", tags=["articles"], status_code=201,
        summary="Ingest articles (off unless a token is configured)",
        responses={
            200: {"description": "Nothing new was added"},
            401: {"description": "Missing or wrong bearer token"},
            403: {"description": "Ingest over the API is off (no token configured)"},
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
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                                 site.token.encode()):
            return _error_json(401, "missing or wrong bearer token",
                               {"WWW-Authenticate": "Bearer"})
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return _error_json(422, f"the body is not JSON: {exc}")
        items = body.get("articles") if isinstance(body, dict) and "articles" in body else body
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list) or not items:
            return _error_json(422, "send an article object or a non-empty list of them")
        if len(items) > MAX_INGEST:
            return _error_json(413, f"at most {MAX_INGEST} articles per request")
        return await _run_ingest(site, items)


async def _run_ingest(site: Site, items: list[Any]) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

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

    def ingest() -> dict[str, Any]:
        with site.lock:
            report = site.nf.add_articles(articles)
        return {
            "added": report.added, "duplicates": report.duplicates,
            "already_stored": report.already_stored, "added_ids": report.added_ids,
            "new_stories": report.new_stories, "touched_stories": report.touched_stories,
            "skipped": skipped + [{"item": i, "reason": r} for i, r in report.skipped],
        }

    result = await run_in_threadpool(ingest)
    return JSONResponse(result, status_code=201 if result["added"] else 200)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
