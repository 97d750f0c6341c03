"""Two writers at once against one: do two concurrent ingests make the same stories and copy
groups as one process?

    .venv/bin/python bench/concurrent_ingest.py                       # neus-train, 7,356 articles
    .venv/bin/python bench/concurrent_ingest.py --data ../shared/data/uci-headlines/articles.jsonl
    .venv/bin/python bench/concurrent_ingest.py --n 2000 --batch 100 --json out.json

The collection (JSONL, gold ``story`` labels removed before ingest) is cut into chunks of
``--batch`` articles; the even chunks make half A, the odd ones half B. Three databases:

* ``two``: ``newsfold ingest A`` and ``newsfold ingest B`` run at once, two processes, one
  file (each commits a batch of ``--batch`` articles at a time, so they interleave);
* ``replay``: one process ingests the same batches in the order ``two`` committed them (read
  back from its sequence numbers): the same arrival order of decisions, one writer;
* ``one``: one process ingests the whole collection in its own order.

``two`` against ``replay`` must be identical (story ids, membership, copy groups);
``two`` against ``one`` differs only as much as the order in which batches arrived changes
online clustering (B-cubed F1 between the two partitions, story and copy-group counts). With
``--without-catch-up`` the writers do not take in each other's articles, to show what catching
up changes.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "neus-train" / "articles.jsonl"


def load(path: Path, n: int | None) -> list[dict[str, Any]]:
    """The collection's records, in file order, without their gold labels."""
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                rec.pop("story", None)
                out.append(rec)
            if n is not None and len(out) >= n:
                break
    return out


def write_jsonl(path: Path, recs: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def halves(recs: list[dict[str, Any]], batch: int) -> tuple[list[list[dict[str, Any]]], ...]:
    """The chunks of half A (even chunks) and of half B (odd chunks)."""
    chunks = [recs[i:i + batch] for i in range(0, len(recs), batch)]
    return chunks[0::2], chunks[1::2]


def partition(db: Path) -> dict[str, Any]:
    """Story of every article, copy groups (canonical id -> members), and the seq order."""
    conn = sqlite3.connect(db)
    story = {}
    groups: dict[str, set[str]] = defaultdict(set)
    order = []
    for aid, sid, dup in conn.execute(
            "SELECT id, story_id, duplicate_of FROM articles ORDER BY seq"):
        story[aid] = sid
        order.append(aid)
        if dup is not None:
            groups[dup].update((dup, aid))
    stories = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    merges = conn.execute("SELECT COUNT(*) FROM story_merges").fetchone()[0]
    conn.close()
    return {"story": story, "groups": {k: frozenset(v) for k, v in groups.items()},
            "order": order, "stories": stories, "merges": merges}


def bcubed(a: dict[str, str], b: dict[str, str]) -> float:
    """B-cubed F1 of partition ``b`` against ``a`` over the articles both hold."""
    ids = sorted(set(a) & set(b))
    ca: dict[str, set[str]] = defaultdict(set)
    cb: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        ca[a[i]].add(i)
        cb[b[i]].add(i)
    p = r = 0.0
    for i in ids:
        both = len(ca[a[i]] & cb[b[i]])
        p += both / len(cb[b[i]])
        r += both / len(ca[a[i]])
    p, r = p / len(ids), r / len(ids)
    return 2 * p * r / (p + r) if p + r else 0.0


def ingest_cli(files: list[Path], db: Path, batch: int, catch_up: bool) -> float:
    """Run one ``newsfold ingest`` per file, all at once; return the wall time."""
    env = dict(os.environ, NEWSFOLD_BATCH_SIZE=str(batch), NEWSFOLD_BRIEF_ENTITY_MODEL="0")
    code = "from newsfold.cli import main; main()"
    if not catch_up:
        code = ("import newsfold.pipeline as p; p.Pipeline.catch_up = lambda self: 0; "
                "from newsfold.cli import main; main()")
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code, "-q", "ingest", "--db", str(db),
                               str(f)], env=env) for f in files]
    codes = [p.wait() for p in procs]
    if any(codes):
        raise SystemExit(f"an ingest failed: exit codes {codes}")
    return time.perf_counter() - start


def replay(batches: list[list[dict[str, Any]]], db: Path, batch: int, tmp: Path) -> None:
    """One process ingests ``batches`` in this order, one batch per transaction."""
    from newsfold import Newsfold, Settings
    from newsfold.api import read_articles

    settings = Settings(db=str(db), batch_size=batch, brief_entity_model=False)
    with Newsfold(str(db), settings=settings) as nf:
        for k, chunk in enumerate(batches):
            path = tmp / f"replay-{k}.jsonl"
            write_jsonl(path, chunk)
            nf.add_articles(read_articles([path]).articles)


def compare(x: dict[str, Any], y: dict[str, Any]) -> dict[str, Any]:
    return {
        "stories": [x["stories"], y["stories"]],
        "copy_groups": [len(x["groups"]), len(y["groups"])],
        "copy_groups_same": set(x["groups"].values()) == set(y["groups"].values()),
        "story_ids_same": x["story"] == y["story"],
        "bcubed_f1": round(bcubed(x["story"], y["story"]), 5),
        "merges": [x["merges"], y["merges"]],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--n", type=int, default=None, help="only the first N articles")
    ap.add_argument("--batch", type=int, default=250, help="articles per chunk and per batch")
    ap.add_argument("--without-catch-up", action="store_true",
                    help="writers ignore each other's articles (the old behaviour)")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = ap.parse_args()
    recs = load(args.data, args.n)
    a, b = halves(recs, args.batch)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        fa, fb, fall = tmp / "a.jsonl", tmp / "b.jsonl", tmp / "all.jsonl"
        write_jsonl(fa, [r for c in a for r in c])
        write_jsonl(fb, [r for c in b for r in c])
        write_jsonl(fall, recs)
        two_db, one_db, replay_db = tmp / "two.db", tmp / "one.db", tmp / "replay.db"
        two_s = ingest_cli([fa, fb], two_db, args.batch, not args.without_catch_up)
        one_s = ingest_cli([fall], one_db, args.batch, True)
        two = partition(two_db)
        one = partition(one_db)
        # the batches in the order `two` committed them (by their first stored article)
        pos = {aid: i for i, aid in enumerate(two["order"])}
        chunks = sorted(a + b, key=lambda c: min(pos.get(r["id"], len(pos)) for r in c))
        replay(chunks, replay_db, args.batch, tmp)
        rep = partition(replay_db)
    interleaving = sum(1 for x, y in zip(chunks, chunks[1:], strict=False)
                       if (x in a) != (y in a))
    out = {
        "data": str(args.data), "articles": len(recs), "batch": args.batch,
        "catch_up": not args.without_catch_up,
        "stored": [len(two["story"]), len(one["story"]), len(rep["story"])],
        "writer_switches": interleaving,
        "two_vs_replay": compare(two, rep),
        "two_vs_one": compare(two, one),
        "seconds": {"two_writers": round(two_s, 2), "one_writer": round(one_s, 2)},
    }
    print(json.dumps(out, indent=1))  # noqa: T201 (a benchmark's report)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
