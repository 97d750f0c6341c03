"""Probe for linked stories: pairs of stories that one article could have joined both of.

    .venv/bin/python bench/cluster_link_probe.py FILE.jsonl [FILE.jsonl ...]

Each file is deduplicated and clustered by ``bench/cluster_dev.py``'s ``run`` (no merge passes).
Every story an article nearly joined (the ``"co"`` the clusterer keeps in its features: join
probability at least ``LINK_P``) is a *link* between it and the story the article joined. At
the end every linked pair is labelled by its stories' majority gold stories (same or
different) and reported with its link count and its share (links / articles of both stories). This is the evidence behind
``LINK_MIN`` / ``LINK_SHARE`` in :mod:`newsfold.cluster`.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_dev import load_ordered, run  # noqa: E402

from newsfold.cluster import Clusterer  # noqa: E402
from newsfold.records import Article  # noqa: E402
from newsfold.settings import Settings  # noqa: E402


def probe(path: str) -> list[tuple[bool, int, int]]:
    """(same gold story, links, articles of both stories) of every linked pair."""
    arts, gold = load_ordered(path)
    links: Counter[tuple[str, str]] = Counter()

    def linked(cl: Clusterer, a: Article, feats: dict[str, Any]) -> None:
        sid = str(cl.story_of(a.id))
        for other in feats.get("co", ()):  # the stories the article nearly joined
            links[(min(sid, other), max(sid, other))] += 1

    pred, _, _ = run(arts, Settings.from_env(), assigned=linked)
    members: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for p, g in zip(pred, gold, strict=True):
        members[p][g] += 1
    out = []
    for (s, t), n in links.items():
        same = members[s].most_common(1)[0][0] == members[t].most_common(1)[0][0]
        out.append((same, n, sum(members[s].values()) + sum(members[t].values())))
    return out


def main() -> None:
    for path in sys.argv[1:]:
        rows = probe(path)
        print(f"{path}: {len(rows)} linked pairs")
        for label, same in (("same gold", True), ("different gold", False)):
            part = [r for r in rows if r[0] is same]
            big = [n / size for _, n, size in part if n >= 3]
            top = f"{max(big):.2f}" if big else "-"
            print(f"  {label:15s} {len(part):5d} pairs, {len(big):4d} with >= 3 links "
                  f"(largest share {top}, >= 0.6: {sum(1 for x in big if x >= 0.6)})")
            for _, n, size in sorted(part, key=lambda r: -r[1])[:3]:
                print(f"    {n} links, {size} articles in the two stories")


if __name__ == "__main__":
    main()
