"""Fetching benchmarks, all against HTTP servers this script starts on loopback addresses.

1. Throughput: 8 hosts (one server on each of 127.0.0.2 ... 127.0.0.9), N pages spread over
   them, fetched with a per-host rate limit; prints pages/s and the smallest gap the servers
   saw between two requests to the same host (it must not be below 1/rate).
2. A feed of 11 real pages (the first 11 pages with an http(s) URL in
   /work/shared/data/extraction-trafilatura/pages.jsonl.gz, in file order) plus one item that
   robots.txt disallows, ingested through ``Newsfold.ingest(..., fetch=fetch_context(...))``: how many are
   stored, snippet precision/recall/F (trafilatura's evaluation, summed counts) of the stored
   text against the pages' gold ``with``/``without`` snippets, the shingle F1 of the stored text
   against extract_html run directly on the same HTML (what fetching loses), and a second run's
   page fetches and additions (both must be 0).

    .venv/bin/python bench/fetch_bench.py [--pages 400] [--rate 10]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PAGES = Path("/work/shared/data/extraction-trafilatura/pages.jsonl.gz")


class Server:
    def __init__(self, host: str, routes: dict[str, tuple[str, bytes]]) -> None:
        self.log: list[tuple[str, float]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                owner.log.append((self.path, time.monotonic()))
                ctype, body = routes.get(self.path.split("?")[0], ("text/plain", b""))
                status = 200 if self.path.split("?")[0] in routes else 404
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def real_pages(n: int) -> list[dict[str, Any]]:
    out = []
    with gzip.open(PAGES, "rt", encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            if str(page.get("url", "")).startswith(("http://", "https://")) and page.get("with"):
                out.append(page)
                if len(out) == n:
                    break
    return out


def throughput(n_pages: int, rate: float) -> dict[str, Any]:
    from newsfold.ingest.fetch import FetchConfig, Fetcher, FetchError

    body = real_pages(1)[0]["html"].encode("utf-8")
    routes = {"/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n")}
    per_host = n_pages // 8
    routes.update({f"/p/{i}.html": ("text/html; charset=utf-8", body) for i in range(per_host)})
    servers = [Server(f"127.0.0.{i}", routes) for i in range(2, 10)]
    urls = [s.base + f"/p/{i}.html" for i in range(per_host) for s in servers]
    config = FetchConfig(rate_per_host=rate, host_concurrency=2, concurrency=16, timeout=5.0,
                         allow_private=True)
    try:
        with Fetcher(config) as f:
            started = time.monotonic()
            ok = failed = 0
            nbytes = 0
            for _, result in f.fetch_many(urls):
                if isinstance(result, FetchError):
                    failed += 1
                else:
                    ok += 1
                    nbytes += len(result.content)
            elapsed = time.monotonic() - started
        min_gap = min(
            min(b - a for a, b in zip(ts, ts[1:], strict=False))
            for ts in ([t for _, t in s.log] for s in servers)
        )
    finally:
        for s in servers:
            s.close()
    return {"hosts": 8, "pages": ok, "failed": failed, "seconds": round(elapsed, 2),
            "pages_per_s": round(ok / elapsed, 1), "rate_per_host": rate,
            "ceiling_pages_per_s": 8 * rate, "page_kb": round(len(body) / 1024, 1),
            "min_gap_same_host_ms": round(min_gap * 1000, 1),
            "required_gap_ms": round(1000 / rate, 1)}


def eleven_pages() -> dict[str, Any]:
    from newsfold.api import Newsfold
    from newsfold.errors import ExtractionError
    from newsfold.eval.extract import _shingle_summary, shingle_scores, snippet_counts
    from newsfold.ingest.feeds import fetch_context
    from newsfold.ingest.html import extract_html
    from newsfold.settings import Settings

    pages = real_pages(11)
    routes: dict[str, tuple[str, bytes]] = {
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/private/secret.html": ("text/html", pages[0]["html"].encode("utf-8")),
    }
    for i, page in enumerate(pages):
        routes[f"/articles/{i}.html"] = ("text/html; charset=utf-8", page["html"].encode("utf-8"))
    server = Server("127.0.0.1", routes)
    items = "".join(
        f"<item><title>page {i}</title><link>{server.base}/articles/{i}.html</link>"
        f"<guid>p{i}</guid></item>" for i in range(len(pages))
    ) + f"<item><title>x</title><link>{server.base}/private/secret.html</link></item>"
    routes["/feed.xml"] = ("application/rss+xml",
                           f'<rss version="2.0"><channel><title>11</title>{items}</channel></rss>'
                           .encode())
    settings = Settings(fetch_rate_per_host=20.0)
    try:
        with tempfile.TemporaryDirectory() as tmp, Newsfold(f"{tmp}/b.db", settings=settings) as nf:
            started = time.monotonic()
            with fetch_context(nf.store, nf.settings) as ctx:
                first = nf.ingest([server.base + "/feed.xml"], fetch=ctx)
            seconds = time.monotonic() - started
            page_hits = sum(1 for p, _ in server.log if p.startswith("/articles/"))
            stored = {a.origin: a for a in nf.articles()}
            tp = fn = fp = tn = 0
            shingle_rows = []
            per_page = []
            for i, page in enumerate(pages):
                article = stored.get(f"{server.base}/articles/{i}.html")
                text = article.text if article else None
                a, b, c, d = snippet_counts(text, page["with"], page.get("without", []))
                tp, fn, fp, tn = tp + a, fn + b, fp + c, tn + d
                try:
                    direct = extract_html(page["html"], url=page["url"]).text
                except ExtractionError:
                    direct = ""
                shingle_rows.append(shingle_scores(direct, text or ""))
                per_page.append({"id": page["id"], "stored": article is not None,
                                 "with_found": a, "with": len(page["with"]), "without_found": c})
            with fetch_context(nf.store, nf.settings) as ctx:
                second = nf.ingest([server.base + "/feed.xml"], fetch=ctx)
            hits_after = sum(1 for p, _ in server.log if p.startswith("/articles/"))
            total = len(list(nf.articles()))
    finally:
        server.close()
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "pages": len(pages), "stored": len(stored), "skipped": first.skipped,
        "seconds": round(seconds, 2),
        "snippets": {"tp": tp, "fn": fn, "fp": fp, "tn": tn, "precision": round(p, 4),
                     "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0, 4)},
        "shingle_f1_vs_direct_extraction": round(_shingle_summary(shingle_rows)["f1"], 4),
        "second_run": {"added": second.added, "page_fetches": hits_after - page_hits,
                       "articles_in_store": total},
        "per_page": per_page,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--rate", type=float, default=10.0, help="requests/s per host")
    args = ap.parse_args()
    t = throughput(args.pages, args.rate)
    print("throughput:", json.dumps(t))
    e = eleven_pages()
    print("eleven pages:", json.dumps(e, ensure_ascii=False))
    ok = (t["pages_per_s"] >= 50 and t["min_gap_same_host_ms"] >= 0.9 * t["required_gap_ms"]
          and e["stored"] == 11 and e["second_run"]["page_fetches"] == 0
          and e["second_run"]["added"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
