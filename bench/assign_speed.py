"""CPU time of one clustering decision (``Clusterer.assign``), features made beforehand.

    .venv/bin/python bench/assign_speed.py /tmp/corp/speed-100000-seed1.jsonl --n 30000

The first ``--n`` lines of a JSONL file (e.g. a corpus kept by ``bench/ingest_speed.py --keep``)
are put in publication order, featurized, then assigned one by one with the collector off; the
figure is process CPU time per assignment, steadier on a shared machine than ingest's wall time.
No copy detection, merge pass or eviction: an A/B figure for the clusterer's hot path only.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from itertools import islice

from newsfold.cluster import Clusterer
from newsfold.pipeline import publication_order
from newsfold.records import Article
from newsfold.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--n", type=int, default=30000)
    args = ap.parse_args()
    with open(args.file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, args.n)]
    arts = publication_order([
        Article(id=r["id"], title=r.get("title") or "", text=r.get("text") or "",
                published=r.get("published")) for r in rows])
    cl = Clusterer(Settings())
    feats = [cl.featurize(a) for a in arts]
    gc.disable()
    t = time.process_time()
    for a, f in zip(arts, feats, strict=True):
        cl.assign(a.id, f, a.published)
    cpu = time.process_time() - t
    gc.enable()
    print(json.dumps({"n": len(arts), "us_per_assign": round(cpu / len(arts) * 1e6, 1),
                      "stories": len(cl)}))


if __name__ == "__main__":
    main()
