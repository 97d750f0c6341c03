"""Time briefs: warm (in one process, models loaded) and cold (a fresh ``newsfold`` process).

    .venv/bin/python bench/brief_speed.py [--data DIR] [--cold-set FILE]

Warm: 20-article stories built from MultiLing 2011 topics (two topics each); the process has
already written a brief of another story, so models are loaded but nothing about this story is
cached. Cold: ``newsfold summarize`` on the first 10-article TAC 2011 event, and ``newsfold
show`` of that event after ingesting it, each in a new process, with the entity model on and off
(``NEWSFOLD_BRIEF_ENTITY_MODEL``). The first ``show`` after ingest finds no cached entity
mentions in the store (they are cleared before each such run); a later ``show`` reads them.
Figures are the median of three runs, as wall-clock seconds and as the process's CPU seconds
(user + system), which other load on the machine disturbs less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsfold import read_articles
from newsfold.summarize import build_brief

NF = str(Path(sys.executable).with_name("newsfold"))


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _clear_mentions(db: str) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("DELETE FROM entity_mentions")
        conn.commit()
    except sqlite3.OperationalError:  # a store from before the cache: nothing to clear
        pass
    finally:
        conn.close()


def _median_run(cmd: list[str], env: dict[str, str], runs: int = 3,
                before: str | None = None) -> tuple[float, float]:
    """Median wall and CPU seconds of ``cmd``; ``before``: a store whose cached entity mentions
    are cleared before each run."""
    walls, cpus = [], []
    for _ in range(runs):
        if before is not None:
            _clear_mentions(before)
        cpu = _cpu_children()
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu_children() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def warm(directory: str, use_ner: bool) -> list[float]:
    read = read_articles([f"{directory}/articles.jsonl"])
    topics: dict[str, list] = {}
    for a in read.articles:
        topics.setdefault(str(a.metadata["story"]), []).append(a)
    names = sorted(topics)
    out = []
    build_brief("warm-up", topics[names[-1]], 120, use_ner=use_ner)
    for i, name in enumerate(names[:-1]):
        articles = (topics[name] + topics[names[(i + 1) % len(names)]])[:20]
        start = time.perf_counter()
        build_brief(name, articles, 120, use_ner=use_ner)
        out.append(time.perf_counter() - start)
    return out


def cold(path: str) -> dict[str, tuple[float, float]]:
    rows = [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x]
    first = rows[0]["story"]
    story = [r for r in rows if r["story"] == first][:10]
    out: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "story.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in story), encoding="utf-8")
        db = str(Path(tmp) / "t.db")
        subprocess.run([NF, "-q", "ingest", str(src), "--db", db], check=True)
        listed = subprocess.run([NF, "stories", "--db", db, "--format", "json"], check=True,
                                capture_output=True, text=True).stdout
        sid = json.loads(listed)[0]["id"]
        show = [NF, "show", sid, "--db", db]
        for model in ("1", "0"):
            env = dict(os.environ, NEWSFOLD_BRIEF_ENTITY_MODEL=model)
            label = "model" if model == "1" else "rules"
            out[f"summarize, entities by {label}"] = _median_run(
                [NF, "summarize", str(src)], env)
            if model == "1":
                out["show, entities by model, first after ingest"] = _median_run(
                    show, env, before=db)
                out["show, entities by model, mentions cached"] = _median_run(show, env)
            else:
                out[f"show, entities by {label}"] = _median_run(show, env)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="../shared/data/multiling2011")
    ap.add_argument("--cold-set", default="../shared/data/tac2011/articles.jsonl")
    args = ap.parse_args()
    for what, (wall, cpu) in cold(args.cold_set).items():
        print(f"cold {what}: {wall:.2f} s ({cpu:.2f} s CPU)")
    for use_ner in (True, False):
        times = warm(args.data, use_ner)
        label = "model" if use_ner else "rules"
        print(f"warm 20-article brief, entities by {label}: median {statistics.median(times):.2f}"
              f" s, max {max(times):.2f} s over {len(times)} stories")


if __name__ == "__main__":
    main()
