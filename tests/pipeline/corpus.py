"""The ingest tests' input: the clustering fixture's real articles four times over, with a line
that is not JSON, an item without text, and an item given twice."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def write_corpus(path: Path) -> Path:
    rows = [json.loads(x) for x in (DATA / "cluster" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    with open(path, "w", encoding="utf-8") as f:
        for rep in range(4):
            for r in rows:
                r = dict(r, id=f"{r['id']}-{rep}")
                r.pop("story", None)
                f.write(json.dumps(r) + "\n")
        f.write("not json\n")
        f.write(json.dumps({"id": "empty"}) + "\n")
        f.write(json.dumps(dict(rows[0], id=f"{rows[0]['id']}-0")) + "\n")  # already in input
    return path
