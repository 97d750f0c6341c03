"""SQLite against PostgreSQL on one collection: ingest time, the stories made, and search.

A throwaway PostgreSQL 15 server is started as the tests start it (tests/conftest.py), the
collection is ingested into a fresh SQLite file and a fresh PostgreSQL database, alternating
which goes first over ``--rounds`` rounds, and the stories of the two are compared. Then
``--queries`` one- and two-word queries drawn (fixed seed) from the titles are run on both
stores: how many give the same number of matches, the same top hit, and the mean overlap of
the top ten.

    .venv/bin/python bench/postgres_compare.py ../shared/data/uci-headlines/articles.jsonl
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def newsfold(*args: str) -> bytes:
    env = dict(os.environ, NEWSFOLD_BRIEF_ENTITY_MODEL="0")
    return subprocess.run([sys.executable, "-m", "newsfold", "-q", *args], env=env,
                          check=True, capture_output=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    import psycopg
    import tests.conftest as fixtures

    from newsfold.store import open_store

    server = fixtures.pg_server.__wrapped__()  # the session fixture's generator
    base = next(server)
    try:
        stories: dict[str, bytes] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for rnd in range(args.rounds):
                for kind in ("sqlite", "postgres") if rnd % 2 == 0 else ("postgres", "sqlite"):
                    if kind == "sqlite":
                        db = os.path.join(tmp, f"r{rnd}.db")
                    else:
                        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                            conn.execute(f"CREATE DATABASE r{rnd}")
                        db = f"{base}/r{rnd}"
                    start = time.perf_counter()
                    newsfold("ingest", args.path, "--db", db)
                    took = time.perf_counter() - start
                    stories[kind] = newsfold("stories", "--db", db, "--format", "json")
                    print(f"round {rnd} {kind:8s} ingest {took:6.1f} s", flush=True)
            print("stories identical:", stories["sqlite"] == stories["postgres"])
            lite, pg = open_store(os.path.join(tmp, "r0.db")), open_store(f"{base}/r0")
            rng = random.Random(7)
            titles = [str(r["title"]) for r in lite.rows("SELECT title FROM articles")]
            queries = []
            for title in rng.sample(titles, min(args.queries, len(titles))):
                words = [w for w in re.findall(r"\w+", title) if len(w) > 3]
                if words:
                    queries.append(" ".join(rng.sample(words, min(len(words), rng.choice([1, 2])))))
            same_total = same_top = 0
            overlaps = []
            for q in queries:
                a, b = lite.search(q, limit=10), pg.search(q, limit=10)
                same_total += a.total_articles == b.total_articles
                ia, ib = [h.id for h in a.articles], [h.id for h in b.articles]
                same_top += bool(ia and ib and ia[0] == ib[0])
                if ia or ib:
                    overlaps.append(len(set(ia) & set(ib)) / len(set(ia) | set(ib)))
            n = len(queries)
            print(f"search, {n} queries: same number of matches {same_total}/{n}, same top hit "
                  f"{same_top}/{n}, mean top-10 overlap {sum(overlaps) / len(overlaps):.3f}")
            lite.close()
            pg.close()
    finally:
        next(server, None)


if __name__ == "__main__":
    main()
