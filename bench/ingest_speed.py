"""End-to-end ingest throughput: JSONL file → ``Newsfold.ingest`` → SQLite file.

    .venv/bin/python bench/ingest_speed.py --n 10000 [--n 100000 ...] [--seed 1]
    .venv/bin/python bench/ingest_speed.py --n 10000 --fingerprint out.json   # for A/B checks
    .venv/bin/python bench/ingest_speed.py --n 10000 --profile out.prof       # cProfile

The corpus is the reproducible one of ``bench/cluster_scale.py`` (fixed seed, re-dated and
re-worded development stories with gold labels). Each size is written to a temporary JSONL
file and ingested in one ``Newsfold`` session into a fresh temporary SQLite file through the
public API, exactly as ``newsfold ingest FILE`` does (read, clean, dedupe, cluster, store,
headline refresh). Generation is not timed. Each size runs in its own child process so that
the peak RSS (``resource.getrusage``, ``ru_maxrss``) is that size's own; ``cpu_seconds`` is the
ingesting process's CPU time, ``worker_cpu_seconds`` that of the preparing worker it forks.

``--fingerprint FILE`` writes a digest of everything ingest decided (story id, duplicate_of,
content hash, features and signature of every article, and the story table) so that two
versions of the code can be compared for identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_scale import generate, write  # noqa: E402


def fingerprint(db: Path) -> dict[str, Any]:
    import sqlite3

    conn = sqlite3.connect(db)
    h = hashlib.blake2b(digest_size=16)
    stories: dict[str, int] = {}
    for row in conn.execute(
        "SELECT id, story_id, duplicate_of, content_hash, features, signature, published_ts,"
        " outlet FROM articles ORDER BY seq"
    ):
        aid, sid, dup, ch, feats, sig, ts, outlet = row
        stories[sid] = stories.get(sid, 0) + 1
        feats_canon = json.dumps(json.loads(feats), sort_keys=True)
        h.update(repr((aid, sid, dup, ch, feats_canon, sig, ts, outlet)).encode())
        h.update(b"\x00")
    hs = hashlib.blake2b(digest_size=16)
    for row in conn.execute(
        "SELECT id, seq, headline, article_count, outlet_count, first_published, last_published,"
        " last_ts, updated_seq FROM stories ORDER BY seq"
    ):
        hs.update(repr(tuple(row)).encode())
    for row in conn.execute("SELECT old_id, new_id FROM story_merges ORDER BY rowid"):
        hs.update(repr(tuple(row)).encode())
    fts = conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises
    for q in ("qa* OR the", "Trump", "police NOT fire"):
        h.update(repr(conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
                                   " ORDER BY rowid", (q,)).fetchall()).encode())
    conn.close()
    return {"articles_digest": h.hexdigest(), "stories_digest": hs.hexdigest(),
            "stories": len(stories), "fts_rows": fts}


def ingest_file(path: Path, n: int, profile: str | None, fp: str | None) -> dict[str, Any]:
    """Ingest one JSONL file into a fresh temporary SQLite file (run in a fresh process)."""
    from newsfold.api import Newsfold
    from newsfold.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / f"speed-{n}.db"
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        prof = None
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        start = time.perf_counter()
        cpu0 = time.process_time()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_cpu0 = before.ru_utime + before.ru_stime
        with Newsfold(str(db), settings=Settings.from_env(db=str(db))) as nf:
            report = nf.ingest([path])
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        if prof is not None:
            prof.disable()
            prof.dump_stats(profile)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_peak = children.ru_maxrss / 1024.0
        worker_cpu = children.ru_utime + children.ru_stime - worker_cpu0
        out: dict[str, Any] = {
            "n": n, "added": report.added, "duplicates": report.duplicates,
            "skipped": len(report.skipped), "seconds": round(elapsed, 2),
            "articles_per_second": round(n / elapsed, 1), "cpu_seconds": round(cpu, 2),
            "worker_cpu_seconds": round(worker_cpu, 2),
            "peak_rss_mb": round(peak),
            "worker_peak_rss_mb": round(worker_peak),
            "rss_before_ingest_mb": round(rss_before), "cpus": os.cpu_count(),
        }
        if fp:
            out.update(fingerprint(db))
            Path(fp).write_text(json.dumps(out, indent=1) + "\n")
        return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, action="append", default=[])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", default=None, help="write cProfile stats here (one size)")
    ap.add_argument("--fingerprint", default=None, help="write an output digest here (one size)")
    ap.add_argument("--keep", default=None, help="directory to keep (and reuse) the corpus in")
    ap.add_argument("--file", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.file:  # the child: ingest only, so ru_maxrss is the ingest's own peak
        n = args.n[0]
        out = ingest_file(Path(args.file), n, args.profile, args.fingerprint)
        print(json.dumps(out), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(args.keep or tmp)
        d.mkdir(parents=True, exist_ok=True)
        for n in args.n or [10000]:
            path = d / f"speed-{n}-seed{args.seed}.jsonl"
            if not path.exists():
                rows = generate(n, args.seed)
                for r in rows:
                    r.pop("story", None)
                write(rows, path)
                del rows
            cmd = [sys.executable, __file__, "--file", str(path), "--n", str(n)]
            if args.profile:
                cmd += ["--profile", args.profile]
            if args.fingerprint:
                cmd += ["--fingerprint", args.fingerprint]
            subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
