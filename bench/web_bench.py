"""Latency of the story page and the story API on a large store (the aim: p95 under 100 ms).

The store is built reproducibly by ``newsfold ingest``'s own path from a corpus that
bench/cluster_scale.py generates out of ../shared/data (the dev sets' stories re-dated into
eras and reworded, so each generated article is new text with a gold story).

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
