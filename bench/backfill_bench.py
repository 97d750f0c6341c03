"""Backfill throughput per stage on Spark, side by side with sequential ingest, and agreement.

    .venv/bin/python bench/backfill_bench.py --corpus /tmp/corpus100k [--masters local[1],local[2]]
    .venv/bin/python bench/backfill_bench.py --n 10000 [--keep DIR]

The corpus is a JSONL file or a folder (``--corpus``), or the reproducible one of
``bench/cluster_scale.py`` (``--n``, generated from /work/shared/data; written once under
``--keep``). In the same run: ``newsfold ingest`` into a fresh SQLite file (one process, the
sequential reference), then ``newsfold backfill`` into a fresh SQLite file for each Spark
master (``--ingest-db`` compares with a store ingested before instead of ingesting again;
``--keep-dbs`` keeps the stores). Each run is its own child process. The report gives each
backfill stage's wall time
and articles/s (read, prepare, dedupe, cluster, write), the whole run's, and how the backfill's
store agrees with the sequential one (articles in one only, copy decisions that differ, B-cubed
F1 of the stories, share of identical story ids).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

STAGES = ("read", "prepare", "dedupe", "cluster", "write")


def run_ingest(corpus: str, db: Path) -> dict[str, Any]:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newsfold", "-q", "ingest", corpus, "--db", str(db)],
                   check=False)
    return {"seconds": time.perf_counter() - t}


def run_backfill(corpus: str, db: Path, master: str, window: float | None, lead: float | None
                 ) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", master, "--corpus", corpus, "--db", str(db)]
    if window is not None:
        cmd += ["--window-days", str(window)]
    if lead is not None:
        cmd += ["--lead-days", str(lead)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def child(master: str, corpus: str, db: str, window: float | None, lead: float | None) -> None:
    from newsfold.backfill import backfill, spark_session
    from newsfold.settings import Settings

    t = time.perf_counter()
    spark = spark_session(master)
    started = time.perf_counter() - t
    report = backfill([corpus], Settings.from_env(db=db), spark=spark, db=db,
                      span_days=window, lead_days=lead)
    spark.stop()
    print(json.dumps({"seconds": time.perf_counter() - t, "startup": started,
                      "stages": report.seconds, "articles": report.added,
                      "duplicates": report.duplicates, "stories": report.stories,
                      "windows": report.windows, "skipped": len(report.skipped)}))


def agree(a: Path, b: Path) -> dict[str, Any]:
    from newsfold.backfill.compare import agreement
    from newsfold.store import open_store

    sa, sb = open_store(str(a)), open_store(str(b))
    try:
        return agreement(sa, sb).to_dict()
    finally:
        sa.close()
        sb.close()


def corpus_path(args: argparse.Namespace, tmp: str) -> str:
    if args.corpus:
        return str(args.corpus)
    from cluster_scale import generate, write

    d = Path(args.keep or tmp)
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"speed-{args.n}-seed{args.seed}.jsonl"
    if not path.exists():
        rows = generate(args.n, args.seed)
        for r in rows:
            r.pop("story", None)
        write(rows, path)
    return str(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=None, help="a JSONL file or folder to backfill")
    ap.add_argument("--n", type=int, default=10000, help="generate a corpus of this size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", default=None, help="directory to keep the generated corpus in")
    ap.add_argument("--masters", default="local[1],local[2]")
    ap.add_argument("--window-days", type=float, default=None,
                    help="cluster by windows of this many days (default: one pass)")
    ap.add_argument("--lead-days", type=float, default=None)
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--ingest-db", default=None,
                    help="compare with this store of the same corpus instead of ingesting it")
    ap.add_argument("--keep-dbs", default=None,
                    help="write the stores into this directory and keep them")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--db", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.corpus, args.db, args.window_days, args.lead_days)
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_path(args, tmp)
        dbs = Path(args.keep_dbs or tmp)
        dbs.mkdir(parents=True, exist_ok=True)
        seq_db = dbs / "ingest.db"
        results: dict[str, Any] = {"corpus": corpus}
        print(f"corpus {corpus}", flush=True)
        if args.ingest_db:
            seq_db = Path(args.ingest_db)
            seq = {"seconds": float("nan")}
        else:
            seq = run_ingest(corpus, seq_db)
        from newsfold.store import open_store

        store = open_store(str(seq_db))
        n = store.article_count()
        store.close()
        seq["articles"] = n
        results["ingest"] = seq
        print(f"{'run':<12} {'articles':>8} {'total s':>8} {'art/s':>7}  "
              + "  ".join(f"{s + ' s':>9} {'/s':>6}" for s in STAGES), flush=True)
        print(f"{'ingest':<12} {n:>8} {seq['seconds']:>8.1f} {n / seq['seconds']:>7.0f}",
              flush=True)
        for master in args.masters.split(","):
            db = dbs / f"backfill-{master.replace('[', '').replace(']', '')}.db"
            r = run_backfill(corpus, db, master, args.window_days, args.lead_days)
            r["agreement"] = agree(db, seq_db)
            results[master] = r
            cells = "  ".join(f"{r['stages'][s]:>9.1f} {r['articles'] / r['stages'][s]:>6.0f}"
                              for s in STAGES)
            print(f"{master:<12} {r['articles']:>8} {r['seconds']:>8.1f} "
                  f"{r['articles'] / r['seconds']:>7.0f}  {cells}", flush=True)
            print(f"{'':<12} agreement with ingest: {json.dumps(r['agreement'])}; "
                  f"{r['windows']} windows, {r['stories']} stories, "
                  f"{r['startup']:.1f}s Spark start-up", flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
