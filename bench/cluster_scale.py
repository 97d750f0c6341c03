"""Scale benchmark for dedupe + clustering, end to end through ingest.

    .venv/bin/python bench/cluster_scale.py --n 10000 [--n 100000 ...] [--keep DIR]
    .venv/bin/python bench/cluster_scale.py --variant neus-time --out FILE.jsonl

The corpus is generated reproducibly (fixed seed) from the three development sets in
``/work/shared/data``, with gold labels:

* the dev stories are re-dated: every story gets a random start inside an *era* of
  :data:`ERA_DAYS` days and its members keep their original offsets (UCI: seconds; MultiLing:
  days, capped; NeuS, undated: random hours of one day);
* each era is one more pass over all dev stories, recombined so that it is new text: in era
  ``k`` a fixed, era-specific share of the words is replaced by pseudo-words (the same word
  gets the same replacement everywhere in that era), so stories stay internally coherent but
  never copy or match the stories of another era. Eras follow each other, so at any time only
  about one era of stories is active (memory should stay bounded by that window).

Each size is ingested in one ``Newsfold`` session into a fresh on-disk store (JSONL read,
cleaned, deduplicated, clustered and stored, as ``newsfold ingest`` does); the report gives
articles/s, peak RSS of the process and B-cubed/pairwise scores against the gold labels.

``--variant`` writes one of two re-dated NeuS sets: ``neus-date`` (each story one random date, no time of day, file order
shuffled) or ``neus-time`` (members at random times of one day, stories interleaved).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DATA = Path("/work/shared/data")
SETS = ("neus-train", "uci-headlines", "multiling2011")
ERA_DAYS = 800
STORY_SPAN_DAYS = 700
MAX_OFFSET_DAYS = 90
SUBST_SHARE = 3
"""In era k (k > 0), one word in SUBST_SHARE (by hash) is replaced by a pseudo-word."""
SOURCES = ("Fox News", "CNN", "New York Times")
OUTLETS = (
    "CNN", "New York Times", "Washington Post", "HuffPost", "NBC News", "Politico", "Vox",
    "The Guardian", "Reuters", "Associated Press", "The Hill", "BBC News", "USA Today", "NPR",
    "Wall Street Journal", "Axios", "Fox News", "Breitbart", "Washington Examiner",
    "New York Post", "Daily Wire", "Washington Times", "National Review", "The Federalist",
)
"""The outlets of the re-dated NeuS variants: each story's three articles get three different
ones (AllSides pairs outlets of the left, centre and right; NeuS does not say which is which)."""
_WORD = re.compile(r"[A-Za-z]{4,}")
BASE = datetime(1801, 1, 1, tzinfo=UTC)
"""The start of era 0: early, so that about 100 eras (1.4M articles) end before today. newsfold
drops a publication date more than a day ahead, and an undated article's story is never evicted,
so a corpus running past today would stop being bounded by one era."""


def _rows(name: str) -> list[dict[str, Any]]:
    with open(DATA / name / "articles.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _stories() -> list[tuple[str, list[dict[str, Any]]]]:
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for name in SETS:
        by: dict[str, list[dict[str, Any]]] = {}
        for r in _rows(name):
            by.setdefault(str(r["story"]), []).append(r)
        out += [(f"{name}:{k}", v) for k, v in by.items()]
    return out


def _offsets(members: list[dict[str, Any]], rnd: random.Random) -> list[float]:
    """Seconds after the story start for each member."""
    times = [_parse(r.get("published")) for r in members]
    known = [t for t in times if t is not None]
    if not known:
        return [rnd.uniform(0, 86400) for _ in members]
    t0 = min(known)
    out, last = [], 0.0
    for t in times:
        off = (t - t0).total_seconds() if t is not None else last
        off = min(off, MAX_OFFSET_DAYS * 86400.0)
        out.append(off)
        last = off
    return out


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _cipher(era: int):  # type: ignore[no-untyped-def]
    cache: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        w = m.group(0)
        key = w.lower()
        rep = cache.get(key)
        if rep is None:
            h = hashlib.blake2b(f"{era}:{key}".encode(), digest_size=6).hexdigest()
            rep = key if int(h[:4], 16) % SUBST_SHARE else "q" + h[4:] + key[:3]
            cache[key] = rep
        if rep == key:
            return w
        return rep.capitalize() if w[0].isupper() else rep

    def apply(text: str) -> str:
        return _WORD.sub(sub, text) if era else text

    return apply


def generate(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` articles with gold ``story`` labels, in file order (sorted by time)."""
    stories = _stories()
    rnd = random.Random(seed)
    out: list[dict[str, Any]] = []
    era = 0
    while len(out) < n:
        cipher = _cipher(era)
        start = BASE + timedelta(days=era * ERA_DAYS)
        order = list(range(len(stories)))
        rnd.shuffle(order)
        era_rows: list[tuple[datetime, int, dict[str, Any]]] = []
        for si in order:
            key, members = stories[si]
            t0 = start + timedelta(seconds=rnd.uniform(0, STORY_SPAN_DAYS * 86400.0))
            for j, (r, off) in enumerate(zip(members, _offsets(members, rnd), strict=True)):
                t = t0 + timedelta(seconds=off)
                era_rows.append((t, len(era_rows), {
                    "id": f"e{era}-{r['id']}",
                    "title": cipher(r.get("title") or ""),
                    "text": cipher(r.get("text") or ""),
                    "source": r.get("source") or SOURCES[j % 3],
                    "published": t.isoformat(timespec="seconds"),
                    "language": "en",
                    "story": f"e{era}:{key}",
                }))
        era_rows.sort(key=lambda x: (x[0], x[1]))
        out += [r for _, _, r in era_rows]
        era += 1
    out = out[:n]
    if out and _parse(out[-1]["published"]) > datetime.now(UTC):  # type: ignore[operator]
        raise SystemExit(f"{n} articles run past today ({out[-1]['published']}): newsfold would "
                         "read the later ones as undated; generate fewer")
    return out


def variant(name: str, seed: int = 7) -> list[dict[str, Any]]:
    """Re-dated NeuS (see the module docstring)."""
    rnd = random.Random(seed)
    by: dict[str, list[dict[str, Any]]] = {}
    for r in _rows("neus-train"):
        by.setdefault(str(r["story"]), []).append(r)
    out = []
    base = datetime(2019, 1, 1, tzinfo=UTC)
    for k in sorted(by):
        day = base + timedelta(days=rnd.randrange(0, 730))
        outlets = rnd.sample(OUTLETS, len(by[k]))
        for i, r in enumerate(by[k]):
            r = dict(r, source=outlets[i])
            if name == "neus-date":
                r["published"] = day.date().isoformat()
            elif name == "neus-time":
                r["published"] = (day + timedelta(seconds=rnd.randrange(0, 86400))).isoformat()
            else:
                raise SystemExit(f"unknown variant {name!r}")
            out.append(r)
    if name == "neus-date":
        rnd.shuffle(out)
    else:
        out.sort(key=lambda r: r["published"])
    return out


def write(rows: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def measure(path: Path, db: Path) -> dict[str, Any]:
    from newsfold.api import Newsfold, read_articles
    from newsfold.eval.metrics import cluster_scores
    from newsfold.settings import Settings

    start = time.perf_counter()
    read = read_articles([path])
    gold = {a.id: str(a.metadata.pop("story")) for a in read.articles}
    with Newsfold(str(db), settings=Settings.from_env(db=str(db))) as nf:
        nf.add_articles(read.articles)
        elapsed = time.perf_counter() - start
        pred = {a.id: a.story_id or "" for a in nf.articles()}
    ids = [i for i in gold if i in pred]
    s = cluster_scores([gold[i] for i in ids], [pred[i] for i in ids])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"articles": len(ids), "seconds": round(elapsed, 1),
            "articles_per_second": round(len(ids) / elapsed, 1), "peak_rss_mb": round(peak_mb),
            "bcubed_f1": round(s["bcubed_f1"], 4), "pairwise_f1": round(s["pairwise_f1"], 4),
            "gold_stories": int(s["gold_clusters"]), "pred_stories": int(s["pred_clusters"])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, action="append", default=[])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", default=None, help="directory to keep the corpus and store in")
    ap.add_argument("--variant", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.variant:
        write(variant(args.variant), Path(args.out or f"{args.variant}.jsonl"))
        return
    for n in args.n or [10000]:
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(args.keep or tmp)
            d.mkdir(parents=True, exist_ok=True)
            path = d / f"scale-{n}.jsonl"
            write(generate(n, args.seed), path)
            db = d / f"scale-{n}.db"
            db.unlink(missing_ok=True)
            print(json.dumps({"n": n, **measure(path, db)}), flush=True)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
