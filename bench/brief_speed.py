"""Time briefs: warm (in one process, models loaded) and cold (a fresh ``newsfold`` process).

    .venv/bin/python bench/brief_speed.py [--data DIR] [--cold-set FILE]

Warm: 20-article stories built from MultiLing 2011 topics (two topics each); the process has
already written a brief of another story, so models are loaded but nothing about this story is
cached. Cold: ``newsfold summarize`` on the first 10-article TAC 2011 event, and ``newsfold
show`` of that event after ingesting it, each in a new process, with the entity model on and off
(``NEWSFOLD_BRIEF_ENTITY_MODEL``). Figures are the median of three runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsfold import read_articles
from newsfold.summarize import build_brief

NF = str(Path(sys.executable).with_name("newsfold"))


def _median_run(cmd: list[str], env: dict[str, str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def cold(path: str) -> dict[str, float]:
    rows = [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x]
    first = rows[0]["story"]
    story = [r for r in rows if r["story"] == first][:10]
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "story.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in story), encoding="utf-8")
        db = str(Path(tmp) / "t.db")
        subprocess.run([NF, "-q", "ingest", str(src), "--db", db], check=True)
        listed = subprocess.run([NF, "stories", "--db", db, "--format", "json"], check=True,
                                capture_output=True, text=True).stdout
        sid = json.loads(listed)[0]["id"]
        for model in ("1", "0"):
            env = dict(os.environ, NEWSFOLD_BRIEF_ENTITY_MODEL=model)
            label = "model" if model == "1" else "rules"
            out[f"summarize, entities by {label}"] = _median_run(
                [NF, "summarize", str(src)], env)
            out[f"show, entities by {label}"] = _median_run([NF, "show", sid, "--db", db], env)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="../shared/data/multiling2011")
    ap.add_argument("--cold-set", default="../shared/data/tac2011/articles.jsonl")
    args = ap.parse_args()
    for what, seconds in cold(args.cold_set).items():
        print(f"cold {what}: {seconds:.2f} s")
    for use_ner in (True, False):
        times = warm(args.data, use_ner)
        label = "model" if use_ner else "rules"
        print(f"warm 20-article brief, entities by {label}: median {statistics.median(times):.2f}"
              f" s, max {max(times):.2f} s over {len(times)} stories")


if __name__ == "__main__":
    main()
