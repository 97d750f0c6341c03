"""End-to-end ingest throughput: JSONL file → ``Newsfold.ingest`` → SQLite file.

    .venv/bin/python bench/ingest_speed.py --n 10000 [--n 100000 ...] [--seed 1]
    .venv/bin/python bench/ingest_speed.py --n 10000 --fingerprint out.json   # for A/B checks
    .venv/bin/python bench/ingest_speed.py --n 10000 --profile out.prof       # cProfile

The corpus is the reproducible one of ``bench/cluster_scale.py`` (fixed seed, re-dated and
re-worded development stories with gold labels). Each size is written to a temporary JSONL
file and ingested in one ``Newsfold`` session into a fresh temporary SQLite file through the
public API, exactly as ``newsfold ingest FILE`` does (read, clean, dedupe, cluster, store,
headline refresh). Generation is not timed. Each size runs in its own child process;
``cpu_seconds`` is the ingesting process's CPU time, ``worker_cpu_seconds`` that of the preparing
worker it forks.

Memory: ``peak_rss_mb`` is the ingesting process's own peak (``VmHWM`` of ``/proc/self/status``,
which starts again at ``exec``; ``ru_maxrss`` does not, so it would include the parent's size
when the parent generated the corpus). ``worker_peak_rss_mb`` is the worker's ``VmHWM`` and
``peak_pss_mb`` the largest sum of the two processes' proportional set sizes (pages they share
since the fork counted once), both sampled by the parent every ``SAMPLE_SECONDS``.

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
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_scale import generate, write  # noqa: E402

SAMPLE_SECONDS = 0.5
"""How often the parent samples the memory of the ingesting process and its worker."""


def _status_mb(pid: int | str, key: str) -> float | None:
    """A ``kB`` field of ``/proc/PID/status`` (``VmHWM``, ``VmRSS``) in MB; None if gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        return None
    return None


def _pss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        return None
    return None


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return out


class Sampler:
    """Samples, from outside, the worker's peak RSS and the largest combined PSS of an
    ingesting process and its children (no thread runs in the ingesting process, which forks
    its worker only while single-threaded)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.worker_peak = 0.0
        self.pss_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            pss = _pss_mb(self.pid) or 0.0
            for child in _children(self.pid):
                self.worker_peak = max(self.worker_peak, _status_mb(child, "VmHWM") or 0.0)
                pss += _pss_mb(child) or 0.0
            self.pss_peak = max(self.pss_peak, pss)

    def stop(self) -> dict[str, int]:
        self._stop.set()
        self._thread.join()
        return {"worker_peak_rss_mb": round(self.worker_peak), "peak_pss_mb": round(self.pss_peak)}


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
        rss_before = _status_mb("self", "VmRSS") or 0.0
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
        peak = _status_mb("self", "VmHWM") or 0.0
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_cpu = children.ru_utime + children.ru_stime - worker_cpu0
        out: dict[str, Any] = {
            "n": n, "added": report.added, "duplicates": report.duplicates,
            "skipped": len(report.skipped), "seconds": round(elapsed, 2),
            "articles_per_second": round(n / elapsed, 1), "cpu_seconds": round(cpu, 2),
            "worker_cpu_seconds": round(worker_cpu, 2),
            "peak_rss_mb": round(peak),
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
    if args.file:  # the child: ingest only, so VmHWM is the ingest's own peak
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
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            sampler = Sampler(proc.pid)
            stdout, _ = proc.communicate()
            sampled = sampler.stop()
            if proc.returncode:
                raise SystemExit(f"ingesting {path} failed (exit status {proc.returncode})")
            out = json.loads(stdout.strip().splitlines()[-1])
            out.update(sampled)
            if args.fingerprint:
                Path(args.fingerprint).write_text(json.dumps(out, indent=1) + "\n")
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
