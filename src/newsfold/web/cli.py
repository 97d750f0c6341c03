"""``newsfold serve``: the web pages and REST API (``newsfold.web``) under uvicorn."""

from __future__ import annotations

import click

from newsfold.errors import ConfigError


@click.command()
@click.option("--db", envvar="NEWSFOLD_DB", default="newsfold.db", show_default=True,
              help="SQLite database file, or a postgresql:// address (or set NEWSFOLD_DB).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="NEWSFOLD_API_TOKEN", default=None,
              help="Bearer token that turns on POST /api/articles (or set NEWSFOLD_API_TOKEN); "
                   "surrounding whitespace is stripped, a blank token is refused.")
@click.option("--max-body", type=click.IntRange(min=1), default=None, metavar="BYTES",
              help="Largest request body accepted (default 16 MiB); larger answers 413.")
def serve(db: str, host: str, port: int, token: str | None, max_body: int | None) -> None:
    """Serve the stories as web pages and a REST API (needs the [web] extra).

    A blank --token (or NEWSFOLD_API_TOKEN set but blank) is refused with exit status 3 before
    anything is served: it would turn ingest on for anyone."""
    try:
        import uvicorn

        from . import create_app
        from .app import PAGE_SIZE
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ConfigError(
            f"newsfold serve needs the web extra ({exc.name} is missing): "
            "pip install 'newsfold[web]'"
        ) from exc
    # The first page of the list opens warm: its stories' briefs are built from start-up on.
    if max_body is None:
        app = create_app(db, ingest_token=token, warm=PAGE_SIZE)
    else:
        app = create_app(db, ingest_token=token, warm=PAGE_SIZE, max_body=max_body)
    from ..store.base import redact

    click.echo(f"newsfold: serving {redact(db)} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
