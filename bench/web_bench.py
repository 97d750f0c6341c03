"""Latency of the story page and the story API on a large store (issue 6 target: p95 < 100 ms).

The store is built reproducibly from the development data in ../shared/data: the articles of
neus-train, uci-headlines and multiling2011 are read and cleaned once, then added again and again
with new ids (``<id>~<copy>``) through ``Newsfold.add_articles`` until the store holds
``--articles`` of them. A copy has the same content as its original, so deduplication marks it a
copy and it joins the original's story: stories grow with every copy (a UCI story holds hundreds
of headlines at 100k), which makes the briefs bigger than in a store of distinct articles.

Then ``--requests`` stories, drawn with a fixed seed (weighted towards none: uniformly over the
stories), are requested in-process through the ASGI app (httpx over ``fastapi.testclient``):
``GET /stories/{id}`` and ``GET /api/stories/{id}``, each story first cold (brief not cached),
then warm. p50/p95/max are printed per route and state.

    .venv/bin/python bench/web_bench.py --articles 10000 --db /tmp/web10k.db
    .venv/bin/python bench/web_bench.py --articles 100000 --db /tmp/web100k.db

An existing store at ``--db`` with enough articles is reused (delete it to rebuild).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SETS = ("neus-train", "uci-headlines", "multiling2011")


def build(db: str, target: int, batch: int = 5000) -> None:
    from newsfold.api import Newsfold, read_articles

    with Newsfold(db) as nf:
        have = nf.store.article_count()
        if have >= target:
            print(f"store {db}: {have} articles already, reused", file=sys.stderr)
            return
        paths = [DATA / s / "articles.jsonl" for s in SETS if (DATA / s / "articles.jsonl").exists()]
        if not paths:
            raise SystemExit(f"no development data under {DATA}")
        t0 = time.perf_counter()
        base = read_articles(paths).articles
        print(f"read {len(base)} articles from {len(paths)} sets in "
              f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)
        copy, done = 0, have
        pending = []
        t0 = time.perf_counter()
        while done < target:
            for a in base:
                if done >= target:
                    break
                pending.append(replace(a, id=f"{a.id}~{copy}", metadata=dict(a.metadata),
                                       removed=list(a.removed)))
                done += 1
                if len(pending) >= batch:
                    nf.add_articles(pending)
                    pending = []
                    rate = (done - have) / (time.perf_counter() - t0)
                    print(f"  {done} articles, {rate:.0f}/s", file=sys.stderr)
            copy += 1
        if pending:
            nf.add_articles(pending)
        print(f"built {db}: {nf.store.article_count()} articles, {nf.store.story_count()} "
              f"stories in {time.perf_counter() - t0:.0f}s", file=sys.stderr)


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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=10_000)
    p.add_argument("--db", default="/tmp/newsfold-web-bench.db")
    p.add_argument("--requests", type=int, default=200, help="stories sampled (bounded)")
    p.add_argument("--max-story-articles", type=int, default=1000,
                   help="leave out stories bigger than this (their brief takes seconds to minutes;"
                        " they are listed in the output)")
    p.add_argument("--build-only", action="store_true")
    args = p.parse_args()
    build(args.db, args.articles)
    if not args.build_only:
        print(json.dumps(measure(args.db, args.requests, max_story=args.max_story_articles),
                         indent=2))


if __name__ == "__main__":
    main()
