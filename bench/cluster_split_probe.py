"""Would a split pass find the stories that drifted? A probe, not a feature.

    .venv/bin/python bench/cluster_split_probe.py FILE.jsonl [FILE.jsonl ...]

Each file is clustered by ``bench/cluster_dev.py``'s ``run`` (publication order, copies to
their original's story). Then every story of at least MIN_MEMBERS articles is cut in two by spherical
2-means over its members' TF-IDF vectors (seeded with the oldest member and the member least
like it, so the cut is deterministic). A cut with both halves of at least MIN_HALF articles is
a split candidate; it is *right* when the halves' majority gold stories differ. Printed per
file: the candidates, how many are right, and each one's (centroid cosine of the halves, mean
member-to-own-half cosine, right?, sizes, gold stories in the story), lowest cosine first.

A split pass is worth building if some cosine separates the right candidates from the wrong.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_dev import load_ordered, run  # noqa: E402

from newsfold.cluster import Clusterer, _dot  # noqa: E402
from newsfold.records import Article  # noqa: E402
from newsfold.settings import Settings  # noqa: E402

MIN_MEMBERS = 8
MIN_HALF = 4
ITERATIONS = 10


def _cos_to(vec: dict[str, float], cent: dict[str, float]) -> float:
    norm = math.sqrt(_dot(cent, cent))
    return _dot(vec, cent) / norm if norm > 0 else 0.0


def two_means(vecs: list[dict[str, float]]) -> tuple[list[int], list[dict[str, float]]]:
    """Halves (0/1 per member) and their summed vectors."""
    far = min(range(len(vecs)), key=lambda i: (_dot(vecs[0], vecs[i]), i))
    cents = [dict(vecs[0]), dict(vecs[far])]
    assign: list[int] = []
    for _ in range(ITERATIONS):
        new = [0 if _cos_to(v, cents[0]) >= _cos_to(v, cents[1]) else 1 for v in vecs]
        if new == assign:
            break
        assign = new
        cents = [{}, {}]
        for v, k in zip(vecs, assign, strict=True):
            for t, w in v.items():
                cents[k][t] = cents[k].get(t, 0.0) + w
    return assign, cents


def probe(path: str) -> list[tuple[float, float, bool, int, int, int]]:
    arts, gold = load_ordered(path)
    gold_by_id = dict(zip((a.id for a in arts), gold, strict=True))
    vec_of: dict[int, dict[str, float]] = {}
    gold_of: dict[int, str] = {}
    state: list[Clusterer] = []

    def assigned(cl: Clusterer, a: Article, feats: dict[str, Any]) -> None:
        # once observed, the article's vector is the one it was attached with
        aidx = cl._articles[a.id]
        vec_of[aidx], gold_of[aidx] = cl._vectors(feats)[0], gold_by_id[a.id]
        if not state:
            state.append(cl)

    run(arts, Settings(), assigned)
    if not state:
        return []
    cl = state[0]
    rows = []
    for s in cl._stories:
        if len(s.members) < MIN_MEMBERS:
            continue
        vecs = [vec_of[m] for m in s.members]
        assign, cents = two_means(vecs)
        sizes = Counter(assign)
        if min(sizes[0], sizes[1]) < MIN_HALF:
            continue
        cos = _dot(cents[0], cents[1]) / math.sqrt(_dot(cents[0], cents[0]) * _dot(cents[1], cents[1]))
        within = sum(_cos_to(v, cents[k]) for v, k in zip(vecs, assign, strict=True)) / len(vecs)
        halves = [Counter(gold_of[m] for m, k in zip(s.members, assign, strict=True) if k == h)
                  for h in (0, 1)]
        right = halves[0].most_common(1)[0][0] != halves[1].most_common(1)[0][0]
        rows.append((round(cos, 3), round(within, 3), right, sizes[0], sizes[1],
                     len({gold_of[m] for m in s.members})))
    return sorted(rows)


def main() -> None:
    for path in sys.argv[1:]:
        rows = probe(path)
        print(f"{path}: {len(rows)} split candidates, {sum(r[2] for r in rows)} right")
        for r in rows[:12]:
            print("   ", r)


if __name__ == "__main__":
    main()
