"""A deterministic archive of any size from the real articles of tests/data and examples/.

Each *era* is one pass over every source story: the story is re-dated inside the era (members
keep their order, hours apart) and nine in ten of its longer words is replaced by
pseudo-words (the same word the same way everywhere in the era), so the text of one era neither
copies nor matches another's. Each era also carries exact copies and near copies (a byline
added) of some articles, and some undated articles, so every decision of a backfill is exercised.
Rows come in publication order, as an archive sorted by date would.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..conftest import DATA, EXAMPLES

SOURCES = [DATA / "cluster" / "articles.jsonl", DATA / "cluster" / "multiling.jsonl",
           DATA / "dedupe" / "multiling2011_first20.jsonl", EXAMPLES / "allsides.jsonl",
           EXAMPLES / "wikinews.jsonl", EXAMPLES / "headlines.jsonl"]
BASE = datetime(2010, 1, 1, tzinfo=UTC)
ERA_DAYS = 12
_WORD = re.compile(r"[A-Za-z]{4,}")


def _digest(*parts: object) -> int:
    text = "\x1f".join(map(str, parts)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def _stories() -> list[list[dict[str, Any]]]:
    """The source articles grouped by story (one story per article without a label)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] in seen or not (row.get("text") or "").strip():
                continue
            seen.add(row["id"])
            key = f"{path.name}:{row.get('story') or row['id']}"
            groups.setdefault(key, []).append(row)
    return list(groups.values())


def _recode(text: str, era: int) -> str:
    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        h = _digest(era, word.lower())
        if h % 100 >= 90:
            return word
        letters = "".join(chr(97 + (h >> (5 * i)) % 26) for i in range(6))
        return (word[0] + letters) if word[0].isupper() else (word[0].lower() + letters)

    return _WORD.sub(swap, text)


def generate(n: int) -> list[dict[str, Any]]:
    """``n`` articles in publication order; the ``story`` field holds the source story."""
    stories = _stories()
    rows: list[tuple[datetime, int, dict[str, Any]]] = []
    era = 0
    while len(rows) < n:
        start = BASE + timedelta(days=era * ERA_DAYS)
        for si, members in enumerate(stories):
            t = start + timedelta(minutes=_digest("start", era, si) % (ERA_DAYS * 1440))
            for mi, src in enumerate(members):
                t = t + timedelta(minutes=30 + _digest("gap", era, si, mi) % 600)
                art = {"id": f"e{era}-{src['id']}", "title": _recode(src.get("title") or "", era),
                       "text": _recode(src["text"], era), "source": src.get("source"),
                       "published": t.isoformat(), "language": "en",
                       "story": f"{era}-{si}"}
                rows.append((t, len(rows), art))
                kind = _digest("kind", era, si, mi) % 40
                if kind == 0:  # an exact copy, an hour later, from another outlet
                    rows.append((t + timedelta(hours=1), len(rows),
                                 {**art, "id": art["id"] + "-copy", "source": "Wire",
                                  "published": (t + timedelta(hours=1)).isoformat()}))
                elif kind == 1 and len(art["text"].split()) > 60:  # a near copy: a byline added
                    rows.append((t + timedelta(hours=2), len(rows),
                                 {**art, "id": art["id"] + "-near", "source": "Syndicate",
                                  "text": art["text"] + "\n\nReporting by the news desk.",
                                  "published": (t + timedelta(hours=2)).isoformat()}))
                elif kind == 2:  # undated: it keeps the time of the article before it
                    art["published"] = None
        era += 1
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows[:n]]


def write(rows: list[dict[str, Any]], path: Path) -> None:
    """Rows as JSONL (gzipped for a ``.gz`` name), without the gold label."""
    import gzip

    data = "".join(json.dumps({k: v for k, v in r.items() if k != "story"}, ensure_ascii=False)
                   + "\n" for r in rows).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.name.endswith(".gz") else data)
