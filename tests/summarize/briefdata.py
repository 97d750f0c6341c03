"""Loaders for the brief fixtures in tests/data/briefs (see PROVENANCE.md there)."""

from __future__ import annotations

import json
from pathlib import Path

from newsfold.records import Article

BRIEFS = Path(__file__).resolve().parent.parent / "data" / "briefs"
A000 = "000_b0e822d6a9f2215a"
A003 = "003_1388c9512189d9b8"


def seed_articles() -> list[Article]:
    out = []
    for ident, source, wire in ((A000, None, True), (A003, "Los Angeles Times", False)):
        raw = (BRIEFS / f"{ident}.txt").read_text(encoding="utf-8")
        title, _, body = raw.partition("\n")
        out.append(Article(id=ident, title=title.strip(), text=body.strip(), source=source,
                           wire=wire, published="2021-12-30"))
    return out


def haiti_articles() -> list[Article]:
    out = []
    with (BRIEFS / "multiling2011_M006.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out.append(Article(id=r["id"], title=r["title"], text=r["text"], url=r["url"],
                               source=r["source"], published=r["published"],
                               language=r["language"]))
    return out
