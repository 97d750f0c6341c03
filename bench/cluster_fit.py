"""Choose and validate the story clusterer's join rule on the development sets.

    .venv/bin/python bench/cluster_fit.py validate   # leave-one-family-out table
    .venv/bin/python bench/cluster_fit.py heldin     # today's defaults on every family

Collections are built from ``../shared/data`` only, in the kinds users bring (see
``collections``); every collection is shuffled (several seeds) and then put in publication
order, so undated and same-time articles arrive in random order. Each rule of a small grid
(threshold, gap cost, undated extra) runs the real online clusterer on every collection, beside
the TF-IDF agglomerative baseline on the same articles. Leave-one-family-out: for each family,
the rule with the best worst score over the other families is chosen and scored on the one left
out. The shipped defaults are the rule with the best worst score over all families.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from newsfold.api import read_articles
from newsfold.cluster import PARAMS, Clusterer, ClusterParams
from newsfold.dedupe import Deduper, content_hash
from newsfold.eval.metrics import cluster_scores
from newsfold.pipeline import publication_order
from newsfold.records import Article
from newsfold.settings import Settings

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FAMILIES = ("neus-train", "uci-headlines", "multiling2011", "duc2006", "duc2007", "tac2011",
            "wikiref220")
NEUS_STORIES = 300
"""NeuS is split into collections of this many stories: the size of an AllSides collection a
user brings (all 2,452 at once run far more stories on one subject side by side)."""
SETTINGS = Settings.from_env()
"""The settings every rule of the grid starts from (``NEWSFOLD_CLUSTER_EMBEDDINGS=1 ... heldin``
measures the shipped rule with sentence vectors)."""
MERGE_EVERY = 500
"""Articles between merge passes in the fast loop (ingest runs one per batch)."""


@dataclass
class Collection:
    family: str
    kind: str
    articles: list[Article]
    gold: dict[str, str]


def _load(family: str) -> tuple[list[Article], dict[str, str]]:
    read = read_articles([DATA / family / "articles.jsonl"])
    gold = {a.id: str(a.metadata.pop("story")) for a in read.articles}
    return read.articles, gold


def collections(family: str, seed: int) -> list[Collection]:
    """The family's collections, in the kinds of the held-out sets:

    * NeuS, in collections of ``NEUS_STORIES`` stories: triples with no dates
      (``undated-triples``); the same re-dated as a live feed (``dated-stories``: 40 stories a
      day in random order, each article within 12 hours of its story's time);
    * UCI: ``headlines`` with times; MultiLing: ``wikinews``; WikiRef: ``long-undated``;
    * DUC and TAC wire stories as they are (``newswire``), without titles
      (``newswire-untitled``), and cut to title and first 30 words (``search``).
    """
    arts, gold = _load(family)
    rng = random.Random(seed)
    if family == "neus-train":
        stories = sorted(set(gold.values()))
        rng.shuffle(stories)
        out = []
        for i in range(0, len(stories) - NEUS_STORIES + 1, NEUS_STORIES):
            part = set(stories[i:i + NEUS_STORIES])
            sub = [a for a in arts if gold[a.id] in part]
            days = max(1, NEUS_STORIES // 40)
            base = 1_500_000_000.0
            when = {s: base + rng.random() * days * 86400.0 for s in sorted(part)}
            dated = []
            for a in sub:
                ts = when[gold[a.id]] + rng.uniform(-12, 12) * 3600.0
                dated.append(replace(a, published=time.strftime("%Y-%m-%dT%H:%M:%S+00:00",
                                                                time.gmtime(ts)),
                                     metadata=dict(a.metadata)))
            g = {a.id: gold[a.id] for a in sub}
            out += [Collection(family, "undated-triples", sub, g),
                    Collection(family, "dated-stories", dated, g)]
        return out
    if family == "uci-headlines":
        return [Collection(family, "headlines", arts, gold)]
    if family == "multiling2011":
        return [Collection(family, "wikinews", arts, gold)]
    if family == "wikiref220":
        return [Collection(family, "long-undated", arts, gold)]
    untitled = [replace(a, title=None, metadata=dict(a.metadata)) for a in arts]
    search = [replace(a, text=" ".join((a.text or "").split()[:30]), metadata=dict(a.metadata))
              for a in arts]
    return [Collection(family, "newswire", arts, gold),
            Collection(family, "newswire-untitled", untitled, gold),
            Collection(family, "search", search, gold)]


def ordered(arts: list[Article], seed: int) -> list[Article]:
    arts = list(arts)
    random.Random(seed).shuffle(arts)
    return publication_order(arts)


def features(cl: Clusterer, a: Article) -> dict[str, Any]:
    feats = cl.featurize(a)
    if cl.dense:
        feats["v"] = vector(a)
    return feats


DENSE_CACHE = Path("/tmp/newsfold-dense-cache")
"""Sentence vectors by text digest (``--dense``): encoding the dev sets takes minutes."""


def vector(a: Article) -> str:
    """The article's packed sentence vector, from the cache or encoded now."""
    import hashlib

    from newsfold.cluster.dense import dense_text, embed, pack

    text = dense_text(a.title, a.text)
    path = DENSE_CACHE / hashlib.sha1(text.encode()).hexdigest()
    if not path.exists():
        DENSE_CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(pack(embed([text])[0]))
    return path.read_text()


def stream(cl: Clusterer, col: Collection, seed: int, settings: Settings,
           story: dict[str, str]) -> Iterator[tuple[int, Article, dict, bool]]:
    """The collection in shuffled publication order as ingest sees it: (position, article,
    features, is a copy). A near-copy is put in its original's story (``story`` maps each
    article seen to its story id; the caller fills it in for originals)."""
    dd = Deduper(settings.dedupe_threshold, settings.dedupe_num_perm)
    for k, a in enumerate(ordered(col.articles, seed)):
        h = content_hash(a.title, a.text)
        sig = dd.signature(a)
        canon = dd.find(a, h, sig)
        dd.add(a.id, h, sig, canon)
        feats = features(cl, a)
        if canon is not None:
            story[a.id] = story[canon]
            cl.add_to_story(a.id, feats, a.published, story[canon])
        yield k, a, feats, canon is not None


# -- scoring --------------------------------------------------------------------------------------
def cluster(col: Collection, seed: int, settings: Settings,
            params: ClusterParams = PARAMS) -> dict[str, str]:
    """The online clusterer as the pipeline runs it (copies, merges between batches)."""
    cl = Clusterer(settings, params=params)
    pred: dict[str, str] = {}
    for k, a, feats, copy in stream(cl, col, seed, settings, pred):
        if not copy:
            pred[a.id] = cl.assign(a.id, feats, a.published)
        if (k + 1) % MERGE_EVERY == 0:
            cl.merge_pass()
            cl.evict()
    cl.merge_pass()
    return {i: cl.current_id(s) for i, s in pred.items()}


def score(col: Collection, pred: dict[str, str]) -> float:
    ids = sorted(col.gold)
    return cluster_scores([col.gold[i] for i in ids], [pred[i] for i in ids])["bcubed_f1"]


def baseline_f1(col: Collection) -> float:
    from newsfold.eval.baseline import baseline_clusters

    pred = baseline_clusters(col.articles)
    return score(col, pred)


Rule = tuple[float, float, float, float, float]
"""(``cluster_threshold``, ``gap_cost``, ``undated_extra``, ``dense_weight``, ``dense_floor``);
a ``dense_weight`` above 0 turns sentence vectors on."""


def run(task: tuple[str, int, Rule | None]) -> list[tuple[str, str, Rule | None, float]]:
    """Score one family's collections with one rule (None: the baseline)."""
    family, seed, rule = task
    out = []
    for col in collections(family, seed):
        if rule is None:
            f1 = baseline_f1(col)
        else:
            thr, gap_cost, extra, weight, floor = rule
            settings = replace(SETTINGS, cluster_threshold=thr, cluster_embeddings=weight > 0)
            params = replace(PARAMS, gap_cost=gap_cost, undated_extra=extra,
                             dense_weight=weight, dense_floor=floor)
            f1 = score(col, cluster(col, seed, settings, params))
        out.append((family, col.kind, rule, f1))
    return out



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["validate", "heldin"])
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--thresholds", default="0.1,0.12,0.15")
    ap.add_argument("--gap-costs", default="0,0.1")
    ap.add_argument("--undated-extras", default="0,0.05,0.08")
    ap.add_argument("--dense-weights", default="0",
                    help="above 0: sentence vectors on (the [embeddings] extra)")
    ap.add_argument("--dense-floors", default="0.5")
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--grid", action="store_true", help="also print every rule's scores")
    args = ap.parse_args()
    floats = lambda text: [float(x) for x in text.split(",")]  # noqa: E731
    if args.what == "heldin":
        weight = PARAMS.dense_weight if SETTINGS.cluster_embeddings else 0.0
        grid: list[Rule] = [(SETTINGS.cluster_threshold, PARAMS.gap_cost, PARAMS.undated_extra,
                             weight, PARAMS.dense_floor)]
    else:
        grid = list(itertools.product(floats(args.thresholds), floats(args.gap_costs),
                                      floats(args.undated_extras), floats(args.dense_weights),
                                      floats(args.dense_floors)))
    seeds = [int(s) for s in args.seeds.split(",")]
    fams = args.families.split(",")
    tasks: list[tuple[str, int, Rule | None]] = [
        (f, s, r) for f in fams for s in seeds for r in [None, *grid]]
    t0 = time.time()
    f1s: dict[tuple[str, Rule | None], list[float]] = defaultdict(list)
    kinds: dict[tuple[str, Rule | None], list[float]] = defaultdict(list)
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for part in pool.imap_unordered(run, tasks):
            for family, kind, rule, f1 in part:
                f1s[family, rule].append(f1)
                kinds[kind, rule].append(f1)
    print(f"scored in {time.time() - t0:.0f}s", file=sys.stderr)
    mean = {k: float(np.mean(v)) for k, v in f1s.items()}
    if args.grid:
        print("| threshold | gap_cost | undated_extra | " + " | ".join(fams) + " | worst |")
        print("|---" * (len(fams) + 4) + "|")
        for rule in [*grid, None]:
            vals = [mean[f, rule] for f in fams]
            head = " | ".join(str(x) for x in rule[:3]) if rule else "baseline | |"
            print(f"| {head} | " + " | ".join(f"{v:.3f}" for v in vals)
                  + f" | {min(vals):.3f} |")
        print()

    def fmt(rule: Rule) -> str:
        text = "threshold {}, gap_cost {}, undated_extra {}".format(*rule[:3])
        return text + (", dense_weight {}, dense_floor {}".format(*rule[3:]) if rule[3] else "")

    print("| family | newsfold | baseline | rule |")
    print("|---|---|---|---|")
    for held in fams:
        others = [f for f in fams if f != held] or fams
        chosen = max(grid, key=lambda r: (min(mean[f, r] for f in others), r))
        print(f"| {held} | {mean[held, chosen]:.3f} | {mean[held, None]:.3f} | {fmt(chosen)} |")
    best = max(grid, key=lambda r: (min(mean[f, r] for f in fams), r))
    print(f"\nchosen on every family by the worst one: {fmt(best)}\n")
    kind_names = sorted({k for k, _ in kinds})
    print("| kind | newsfold | baseline |")
    print("|---|---|---|")
    for k in kind_names:
        print(f"| {k} | {np.mean(kinds[k, best]):.3f} | {np.mean(kinds[k, None]):.3f} |")


if __name__ == "__main__":
    main()
