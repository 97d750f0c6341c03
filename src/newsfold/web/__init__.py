"""newsfold.web: ``newsfold serve``, HTML pages and a REST API over the same :class:`Newsfold`.

Needs the ``[web]`` extra (FastAPI, Jinja2, uvicorn). See ``docs/web.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from newsfold.settings import Settings

__all__ = ["create_app"]


def create_app(db: str, settings: Settings | None = None, ingest_token: str | None = None,
               **options: Any) -> FastAPI:
    """The ASGI app over the database ``db`` (see :func:`newsfold.web.app.create_app`;
    ``options``: ``max_body``, ``warm``)."""
    from .app import create_app as _create

    return _create(db, settings=settings, ingest_token=ingest_token, **options)
