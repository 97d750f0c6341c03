"""Fingerprint what newsfold produces on the dev sets: stories, briefs and scores.

A change that should not alter behaviour (a refactor, a move, a renamed parameter) must leave
every line of this output unchanged. Run it before and after and compare:

    python bench/fingerprint.py > before.txt
    ... change ...
    python bench/fingerprint.py > after.txt && diff before.txt after.txt

Each line is ``<what> <sha256 prefix> <size>``: stories are hashed as the sets of article ids
they hold (with their stored ids and headlines), briefs as their JSON, scores as the text the
``newsfold eval`` commands print (without speeds).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"

# (name, input, how many stories get a brief: None for all)
CORPORA: list[tuple[str, Path, int | None]] = [
    ("seeds", SEEDS, None),
    ("examples", ROOT / "examples" / "articles", None),
    ("multiling2011", DATA / "multiling2011" / "articles.jsonl", None),
    ("tac2011", DATA / "tac2011" / "articles.jsonl", 12),
    ("duc2006", DATA / "duc2006" / "articles.jsonl", 6),
    ("uci-headlines", DATA / "uci-headlines" / "articles.jsonl", 0),
]

# `newsfold eval` runs whose printed scores must not move.
EVALS: list[list[str]] = [
    ["cluster", str(DATA / "multiling2011" / "articles.jsonl")],
    ["cluster", str(DATA / "duc2006" / "articles.jsonl")],
    ["quotes", str(DATA / "polnear" / "articles.jsonl"), "--split", "dev"],
    ["conflicts", str(DATA / "tac2011" / "articles.jsonl")],
]


def digest(value: object) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value, sort_keys=True).encode()
    return f"{hashlib.sha256(data).hexdigest()[:16]} {len(data)}"


def corpus_lines(name: str, source: Path, briefs: int | None) -> list[str]:
    from newsfold import Newsfold

    lines = []
    with tempfile.TemporaryDirectory() as tmp, Newsfold(os.path.join(tmp, "fp.db")) as nf:
        nf.ingest([source])
        stories = nf.stories()
        members: dict[str, list[str]] = {}
        for article in nf.articles():
            members.setdefault(article.story_id or "", []).append(article.id)
        rows = [[s.id, s.headline, sorted(members.get(s.id, []))] for s in stories]
        lines.append(f"{name} stories {digest(rows)} n={len(stories)}")
        chosen = sorted(s.id for s in stories)
        for sid in chosen if briefs is None else chosen[:briefs]:
            lines.append(f"{name} brief {sid} {digest(nf.brief(sid).to_dict())}")
    return lines


def eval_line(args: list[str]) -> str:
    exe = Path(sys.executable).with_name("newsfold")
    out = subprocess.run([str(exe), "eval", *args], capture_output=True, check=True).stdout
    # speeds vary from run to run; everything else must not
    out = b"\n".join(line for line in out.splitlines() if b"second" not in line)
    return f"eval {args[0]} {Path(args[1]).parent.name} {digest(out)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stories and briefs only, no evals")
    args = parser.parse_args()
    for name, source, briefs in CORPORA:
        for line in corpus_lines(name, source, briefs):
            print(line, flush=True)
    if not args.quick:
        for spec in EVALS:
            print(eval_line(spec), flush=True)


if __name__ == "__main__":
    main()
