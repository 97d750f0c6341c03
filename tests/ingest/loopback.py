"""A well-behaved HTTP server on 127.0.0.1 for the fetch, feed and watch tests, and the real
pages and feeds (tests/data/html, tests/data/feeds) it serves."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..conftest import DATA

HTML_DIR = DATA / "html"
FEEDS_DIR = DATA / "feeds"

Answer = tuple[int, dict[str, str], bytes]


class Loopback:
    """A threaded HTTP server on 127.0.0.1 with programmable routes and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[dict[str, str]], Answer]] = {}
        self.requests: list[tuple[str, dict[str, str], float]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                headers = {k.lower(): v for k, v in self.headers.items()}
                owner.requests.append((self.path, headers, time.monotonic()))
                route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?")[0])
                if route is None:
                    status, extra, body = 404, {"Content-Type": "text/plain"}, b"not found"
                else:
                    status, extra, body = route(headers)
                try:
                    self.send_response(status)
                    extra = dict(extra)
                    for k, v in list(extra.items()):
                        if k == "X-No-Length":
                            continue
                        self.send_header(k, v)
                    if extra.pop("X-No-Length", None):
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    elif "Content-Length" not in extra:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if body and status not in (204, 304):
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", status: int = 200,
            ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None,
            delay: float = 0.0) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body

        def answer(_: dict[str, str]) -> Answer:
            if delay:
                time.sleep(delay)
            return status, {"Content-Type": ctype, **(headers or {})}, data

        self.routes[path] = answer

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in self.requests if p.split("?")[0] == path)

    def serve_fixtures(self) -> None:
        """The three real article pages, the feeds (with {base} filled in) and robots.txt."""
        for page in HTML_DIR.glob("*.html"):
            self.add(f"/articles/{page.name}", page.read_bytes())
        for name, ctype in (("rss2.xml", "application/rss+xml"), ("atom.xml", "application/atom+xml"),
                            ("rss1.rdf", "application/rdf+xml"),
                            ("feed.json", "application/feed+json"),
                            ("malformed.xml", "application/rss+xml")):
            text = (FEEDS_DIR / name).read_text(encoding="utf-8").replace("{base}", self.base)
            self.add(f"/feeds/{name}", text, ctype=ctype)
        self.add("/robots.txt", (FEEDS_DIR / "robots.txt").read_bytes(), ctype="text/plain")
        self.add("/private/members-only.html", (HTML_DIR / "msn-student-halls.html").read_bytes())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def google_news_link(target: str) -> str:
    """A news.google.com wrapper link around ``target``, built as Google News encodes it."""
    raw = target.encode()
    payload = b"\x08\x13\x22" + bytes([len(raw)]) + raw + b"\xd2\x01\x00"
    token = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"https://news.google.com/rss/articles/{token}?oc=5"
