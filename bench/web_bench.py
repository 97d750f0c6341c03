"""Latency of every web route on a large store, under concurrent clients (the aim: p95 under
100 ms on every route at 8 clients on 100,000 articles).

The store is built reproducibly by ``newsfold ingest``'s own path from a corpus that
bench/cluster_scale.py generates out of ../shared/data (the dev sets' stories re-dated into
eras and reworded, so each generated article is new text with a gold story).

With ``--clients N`` (default 8) the bench starts ``newsfold serve`` on a free loopback port (a
real uvicorn process, which builds the first page's briefs ahead as it does for anyone) and
sends ``--requests`` requests per route from N client threads at once, each client on its own
keep-alive connection, every route in turn:

* ``/?page=N`` and ``/api/stories?offset=N``: pages drawn uniformly over the whole list;
* ``/stories/{id}`` and ``/api/stories/{id}``: ``cold`` asks for stories never asked before
  (their brief is read from the store when ``newsfold briefs`` stored it, else built), ``warm``
  for the same stories again (the brief is cached in memory); stories
  whose briefs the server builds ahead (the first page) are never drawn for ``cold``, and the
  bench waits for them to be built (asking for each, untimed) before it times anything;
* ``/search?q=`` and ``/api/search?q=``: two words of a drawn article's title;
* ``/articles/{id}`` and ``/api/articles/{id}``: drawn articles; the page highlights what its
  story's brief uses, so ``/articles/{id}`` is ``warm`` for articles of the stories just asked
  for and ``cold`` for articles of stories never asked for.

Draws use a fixed seed. p50/p95/max (ms, measured by the client) and requests per second are
printed per route as JSON. ``--clients 0`` times the story routes in-process instead, one at a
time (httpx over ``fastapi.testclient``), as before.

    .venv/bin/python bench/web_bench.py --articles 10000 --db /tmp/web10k.db
    .venv/bin/python bench/web_bench.py --articles 100000 --db /tmp/web100k.db --clients 8
    .venv/bin/newsfold briefs --db /tmp/web100k.db   # then again: cold stories read stored briefs

``--stored-only`` draws the story routes only among stories whose brief is stored and current
(a store kept up by ``newsfold briefs --limit N`` rather than one with every brief built).

An existing store at ``--db`` with enough articles is reused (delete it to rebuild).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SETS = ("neus-train", "uci-headlines", "multiling2011")


def build(db: str, target: int) -> None:
    """Ingest ``target`` generated articles (bench/cluster_scale.py: the dev sets' stories,
    re-dated into eras and reworded, so every copy is a new article) through ``newsfold
    ingest``'s own path."""
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from cluster_scale import generate, write

    from newsfold.api import Newsfold

    with Newsfold(db) as nf:
        have = nf.store.article_count()
        if have >= target:
            print(f"store {db}: {have} articles already, reused", file=sys.stderr)
            return
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            write(generate(target), corpus)
            t0 = time.perf_counter()
            report = nf.ingest([corpus])
            seconds = time.perf_counter() - t0
        print(f"built {db}: {report.added} articles added, {nf.store.story_count()} stories in "
              f"{seconds:.0f}s ({report.added / seconds:.0f} articles/s)", file=sys.stderr)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def measure(db: str, requests: int, seed: int = 6, max_story: int = 1000) -> dict[str, object]:
    from fastapi.testclient import TestClient

    from newsfold.web import create_app

    app = create_app(db)
    everything = app.state.newsfold.stories()
    sizes = {s.id: s.articles for s in everything}
    ids = [s.id for s in everything if s.articles <= max_story]
    excluded = sorted((s.articles for s in everything if s.articles > max_story), reverse=True)
    sample = random.Random(seed).sample(ids, min(requests, len(ids)))
    n_articles = app.state.newsfold.store.article_count()
    timings: dict[str, list[float]] = {}
    with TestClient(app) as client:
        for state in ("cold", "warm"):
            for route in ("/stories/{}", "/api/stories/{}"):
                key = f"{route.format('{id}')} {state}"
                timings[key] = []
                for sid in sample:
                    if state == "cold":
                        app.state.briefs.clear()
                    else:
                        client.get(route.format(sid))  # untimed: fills the cache
                    t = time.perf_counter()
                    r = client.get(route.format(sid))
                    timings[key].append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, (sid, r.status_code)
        t = time.perf_counter()
        client.get("/search", params={"q": "president said"})
        search_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        client.get("/")
        index_ms = (time.perf_counter() - t) * 1000
    out: dict[str, object] = {
        "db": db,
        "articles": n_articles,
        "stories": len(everything),
        "excluded_stories_over_max": excluded,
        "sampled": len(sample),
        "sample_story_articles": {"median": statistics.median(sizes[s] for s in sample),
                                  "max": max(sizes[s] for s in sample)},
        "index_ms": round(index_ms, 1),
        "search_ms": round(search_ms, 1),
    }
    for key, vals in timings.items():
        out[key] = {"p50": round(_pct(vals, 0.5), 1), "p95": round(_pct(vals, 0.95), 1),
                    "max": round(max(vals), 1)}
    return out


@contextmanager
def server(db: str) -> Iterator[str]:
    """``newsfold serve`` on a free loopback port, run by this interpreter; its base URL."""
    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "NEWSFOLD_API_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsfold", "serve", "--db", db, "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"newsfold serve exited with status {proc.returncode}")
            try:
                if httpx.get(base + "/api/stories?limit=1", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("newsfold serve did not answer within 120 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _load(base: str, paths: list[str], clients: int) -> dict[str, float]:
    """Request every path, ``clients`` at a time, each client thread on its own connection:
    p50/p95/max in ms and the requests answered per second."""
    import httpx

    local = threading.local()

    def one(path: str) -> float:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=600)
        t = time.perf_counter()
        r = client.get(path)
        ms = (time.perf_counter() - t) * 1000
        if r.status_code != 200:
            raise SystemExit(f"GET {path} answered {r.status_code}: {r.text[:200]}")
        return ms

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        times = list(pool.map(one, paths))
    seconds = time.perf_counter() - t0
    return {"p50": round(_pct(times, 0.5), 1), "p95": round(_pct(times, 0.95), 1),
            "max": round(max(times), 1), "requests": len(times),
            "per_s": round(len(times) / seconds, 1)}


def measure_concurrent(db: str, requests: int, clients: int, seed: int = 6,
                       max_story: int = 1000, stored_only: bool = False) -> dict[str, object]:
    from urllib.parse import quote

    from newsfold.api import Newsfold
    from newsfold.web.app import PAGE_SIZE

    rng = random.Random(seed)
    with Newsfold(db) as nf:
        everything = nf.stories()
        n_articles = nf.store.article_count()
        conn = nf.store.conn
        members: dict[str, list[str]] = {}
        for aid, sid in conn.execute("SELECT id, story_id FROM articles ORDER BY seq"):
            members.setdefault(sid, []).append(aid)
        titles = dict(conn.execute("SELECT id, title FROM articles"))
        unstored = set(nf.store.stale_briefs(nf.brief_recipe)) if stored_only else set()
    warmed = {s.id for s in everything[:PAGE_SIZE]}
    ids = [s.id for s in everything if s.articles <= max_story and s.id not in warmed
           and s.id not in unstored]
    need = 3 * requests
    if len(ids) < need:
        raise SystemExit(f"the store has {len(ids)} stories to draw from, {need} needed: "
                         "lower --requests or build a larger store")
    drawn = rng.sample(ids, need)
    page_stories, api_stories, fresh = (drawn[:requests], drawn[requests:2 * requests],
                                        drawn[2 * requests:])
    pages = max(1, -(-len(everything) // PAGE_SIZE))
    words = []
    for sid in rng.sample(ids, requests):
        title = [w for w in titles[rng.choice(members[sid])].split() if w.isalpha()]
        words.append(" ".join(sorted(title, key=len, reverse=True)[:2]) or "president")
    pid = lambda ident: quote(ident, safe="")  # noqa: E731
    warm_articles = [rng.choice(members[sid]) for sid in api_stories]
    cold_articles = [rng.choice(members[sid]) for sid in fresh]
    phases: list[tuple[str, list[str]]] = [
        ("/?page=N", [f"/?page={rng.randint(1, pages)}" for _ in range(requests)]),
        ("/api/stories?offset=N",
         [f"/api/stories?offset={(rng.randint(1, pages) - 1) * PAGE_SIZE}"
          for _ in range(requests)]),
        ("/stories/{id} cold", [f"/stories/{pid(s)}" for s in page_stories]),
        ("/stories/{id} warm", [f"/stories/{pid(s)}" for s in page_stories]),
        ("/api/stories/{id} cold", [f"/api/stories/{pid(s)}" for s in api_stories]),
        ("/api/stories/{id} warm", [f"/api/stories/{pid(s)}" for s in api_stories]),
        ("/search?q=", [f"/search?q={quote(w)}" for w in words]),
        ("/api/search?q=", [f"/api/search?q={quote(w)}" for w in words]),
        ("/articles/{id} warm", [f"/articles/{pid(a)}" for a in warm_articles]),
        ("/articles/{id} cold", [f"/articles/{pid(a)}" for a in cold_articles]),
        ("/api/articles/{id}", [f"/api/articles/{pid(a)}" for a in cold_articles]),
    ]
    sizes = {s.id: s.articles for s in everything}
    out: dict[str, object] = {
        "db": db, "articles": n_articles, "stories": len(everything), "clients": clients,
        "requests_per_route": requests,
        "cold_story_articles": {"median": statistics.median(sizes[s] for s in page_stories),
                                "max": max(sizes[s] for s in page_stories)},
    }
    with server(db) as base:
        # The server builds the first page's briefs ahead from start-up: asking for them
        # (untimed) waits until they are built, so that work does not fall into the timings.
        import httpx

        t = time.perf_counter()
        with httpx.Client(base_url=base, timeout=600) as client:
            for s in everything[:PAGE_SIZE]:
                client.get(f"/api/stories/{pid(s.id)}")
        out["first_page_ready_s"] = round(time.perf_counter() - t, 1)
        for name, paths in phases:
            out[name] = _load(base, paths, clients)
            print(f"{name}: {out[name]}", file=sys.stderr)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=10_000)
    p.add_argument("--db", default="/tmp/newsfold-web-bench.db")
    p.add_argument("--requests", type=int, default=200, help="stories sampled (bounded)")
    p.add_argument("--max-story-articles", type=int, default=1000,
                   help="leave out stories bigger than this (their brief takes seconds to minutes;"
                        " they are listed in the output)")
    p.add_argument("--clients", type=int, default=8,
                   help="concurrent clients against a served process (0: in-process, one at a"
                        " time, story routes only)")
    p.add_argument("--build-only", action="store_true")
    p.add_argument("--stored-only", action="store_true",
                   help="draw stories only among those whose brief is stored and current "
                        "(the reading path of a store kept up by `newsfold briefs`)")
    args = p.parse_args()
    build(args.db, args.articles)
    if args.build_only:
        return
    if args.clients > 0:
        result = measure_concurrent(args.db, args.requests, args.clients,
                                    max_story=args.max_story_articles,
                                    stored_only=args.stored_only)
    else:
        result = measure(args.db, args.requests, max_story=args.max_story_articles)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
