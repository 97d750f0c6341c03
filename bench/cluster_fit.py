"""Fit and validate the story clusterer's join model on the development sets.

    .venv/bin/python bench/cluster_fit.py validate      # leave-one-family-out table
    .venv/bin/python bench/cluster_fit.py fit --write   # fit on every family, write model.json

Collections are built from ``../shared/data`` only, in the kinds users bring (see
``collections``); every collection is shuffled (several seeds) and then put in publication
order, so undated and same-time articles arrive in random order. Training rows come from
replaying the gold stories: each article is compared with the candidate stories the clusterer
would reach if every earlier article were in its gold story. Rows are weighted so that every
kind of collection weighs the same. Validation fits on all families but one and runs the real
online clusterer on the one left out, beside the TF-IDF agglomerative baseline on the same
articles; the threshold and the regularisation are chosen by the worst family.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from newsfold.api import read_articles
from newsfold.cluster import DENSE_FEATURES, FEATURES, PARAMS, Clusterer, JoinModel
from newsfold.cluster.model import SIGNS, Linear
from newsfold.dedupe import Deduper, content_hash
from newsfold.eval.metrics import cluster_scores
from newsfold.pipeline import publication_order
from newsfold.records import Article
from newsfold.settings import Settings

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FAMILIES = ("neus-train", "uci-headlines", "multiling2011", "duc2006", "duc2007", "tac2011",
            "wikiref220")
MODEL_DIR = Path(__file__).resolve().parents[1] / "src" / "newsfold" / "cluster"
PARAMS_IN_USE = PARAMS
"""The clusterer's parameters in this run (``--merge-cos`` changes one)."""
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

    * NeuS: triples with no dates (``undated-triples``); the same re-dated as a live feed
      (``dated-stories``: 40 stories a day in random order, each article within 12 hours of its
      story's time);
    * UCI: ``headlines`` with times; MultiLing: ``wikinews``; WikiRef: ``long-undated``;
    * DUC and TAC wire stories as they are (``newswire``), without titles
      (``newswire-untitled``), and cut to title and first 30 words (``search``).
    """
    arts, gold = _load(family)
    rng = random.Random(seed)
    if family == "neus-train":
        stories = sorted(set(gold.values()))
        rng.shuffle(stories)
        days = max(1, len(stories) // 40)
        base = 1_500_000_000.0
        when = {s: base + rng.random() * days * 86400.0 for s in stories}
        dated = []
        for a in arts:
            ts = when[gold[a.id]] + rng.uniform(-12, 12) * 3600.0
            dated.append(replace(a, published=time.strftime("%Y-%m-%dT%H:%M:%S+00:00",
                                                            time.gmtime(ts)),
                                 metadata=dict(a.metadata)))
        return [Collection(family, "undated-triples", arts, gold),
                Collection(family, "dated-stories", dated, gold)]
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


DENSE_CACHE = Path("/tmp/newsfold-dense-cache")
"""Sentence vectors by text digest (``cluster_embeddings``): encoding the dev sets takes minutes."""


def add_vectors(cols: list[Collection]) -> None:
    """With ``cluster_embeddings``: encode every article's title and lead once (cached on disk)
    and keep the packed vector in ``article.metadata["v"]`` for :func:`features`."""
    import hashlib

    from newsfold.cluster.dense import dense_text, embed, pack

    DENSE_CACHE.mkdir(parents=True, exist_ok=True)
    todo: dict[str, str] = {}
    for col in cols:
        for a in col.articles:
            text = dense_text(a.title, a.text)
            key = hashlib.sha1(text.encode()).hexdigest()
            a.metadata["vkey"] = key
            if not (DENSE_CACHE / key).exists():
                todo[key] = text
    keys = sorted(todo)
    for i in range(0, len(keys), 512):
        chunk = keys[i:i + 512]
        for key, vec in zip(chunk, embed([todo[k] for k in chunk]), strict=True):
            (DENSE_CACHE / key).write_text(pack(vec))
        print(f"encoded {min(i + 512, len(keys))}/{len(keys)}", file=sys.stderr)
    for col in cols:
        for a in col.articles:
            a.metadata["v"] = (DENSE_CACHE / a.metadata["vkey"]).read_text()


def features(cl: Clusterer, a: Article) -> dict:
    feats = cl.featurize(a)
    if cl.dense:
        feats["v"] = a.metadata["v"]
    return feats


# -- training rows ------------------------------------------------------------------------------
@dataclass
class Rows:
    kind: str
    x: list[list[float]]
    y: list[int]
    group: list[int]
    """Index of the article each row belongs to (the candidates of one decision)."""


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


def replay(col: Collection, seed: int, settings: Settings) -> Rows:
    """Candidate rows of every original article with the gold state replayed."""
    cl = Clusterer(settings, params=PARAMS_IN_USE)
    out = Rows(col.kind, [], [], [])
    story: dict[str, str] = {}
    for k, a, feats, copy in stream(cl, col, seed, settings, story):
        if copy:
            continue
        g = "gold-" + col.gold[a.id]
        for sidx, row in cl.candidates(feats, a.published):
            out.x.append(row)
            out.y.append(1 if cl.stories[sidx].id == g else 0)
            out.group.append(k)
        cl.restore(a.id, feats, a.published, g)
        story[a.id] = g
    return out


def online_rows(col: Collection, seed: int, settings: Settings, model: JoinModel) -> Rows:
    """Candidate rows from the states ``model`` itself reaches online: a candidate is right
    when most of its articles share the article's gold story. These show the fit the mixed
    stories its own mistakes make, which the gold replay never has."""
    cl = Clusterer(settings, params=PARAMS_IN_USE, model=model)
    out = Rows(col.kind, [], [], [])
    pred: dict[str, str] = {}
    majority: dict[str, Counter[str]] = defaultdict(Counter)
    for k, a, feats, copy in stream(cl, col, seed, settings, pred):
        if copy:
            continue
        g = col.gold[a.id]
        for sidx, row in cl.candidates(feats, a.published):
            top = majority[cl.stories[sidx].id].most_common(1)
            out.x.append(row)
            out.y.append(1 if top and top[0][0] == g else 0)
            out.group.append(k)
        pred[a.id] = cl.assign(a.id, feats, a.published)
        majority[pred[a.id]][g] += 1
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: tuple[str, ...],
                 c: float, kinds: list[str]) -> Linear:
    """L2-regularised logistic regression with the signs of :data:`SIGNS` as bounds and an
    intercept of its own for each kind of collection (fixed effects), so that the slopes are
    learnt within collections: how often the best candidate is right differs from one kind of
    collection to the next, and pooled together that base rate would hide how far a similarity
    separates right from wrong. The intercept kept is the mean of the kinds'."""
    w = w / w.sum() * len(w)
    n, d = x.shape
    kind_names = sorted(set(kinds))
    k_of = np.array([kind_names.index(k) for k in kinds])
    nk = len(kind_names)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ theta[:d] + theta[d:][k_of]
        s = np.where(y == 1, -z, z)
        lo = np.logaddexp(0.0, s)
        p = 1.0 / (1.0 + np.exp(-s))
        g = np.where(y == 1, -p, p) * w
        f = float(w @ lo) / n + 0.5 / (c * n) * float(theta[:d] @ theta[:d])
        gk = np.bincount(k_of, weights=g, minlength=nk) / n
        grad = np.concatenate([x.T @ g / n + theta[:d] / (c * n), gk])
        return f, grad

    bounds = []
    for name in names:
        sign = SIGNS.get(name, 0)
        bounds.append((0.0, None) if sign > 0 else (None, 0.0) if sign < 0 else (None, None))
    bounds += [(None, None)] * nk
    res = minimize(loss, np.zeros(d + nk), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 3000})
    return Linear(tuple(float(v) for v in res.x[:d]), float(np.mean(res.x[d:])))


def _kind_weights(rows: list[Rows], counts: list[int]) -> list[float]:
    per_kind: dict[str, int] = defaultdict(int)
    for r, n in zip(rows, counts, strict=True):
        per_kind[r.kind] += n
    return [1.0 / per_kind[r.kind] if per_kind[r.kind] else 0.0 for r in rows]


def fit_rounds(data: list[tuple[Collection, int, Rows]], names: tuple[str, ...], c: float,
               command: str, rounds: int, settings: Settings) -> JoinModel:
    """:func:`fit` on the gold-replay rows, then ``rounds - 1`` times again with the rows of
    the states the last model reaches online added."""
    rows = [r for _, _, r in data]
    model = fit(rows, names, c, command)
    for _ in range(rounds - 1):
        rows = rows + [online_rows(col, seed, settings, model) for col, seed, _ in data]
        model = fit(rows, names, c, command)
    return model


JOIN_KEEP: tuple[str, ...] = ()
"""Features the join model may use (empty: all); the rank model always uses all."""


def fit(rows: list[Rows], names: tuple[str, ...], c: float, command: str) -> JoinModel:
    """Stage one on every candidate row; stage two on each decision's best-ranked row."""
    ws = _kind_weights(rows, [len(r.y) for r in rows])
    x = np.array([v for r in rows for v in r.x])
    y = np.array([v for r in rows for v in r.y])
    w = np.array([wk for r, wk in zip(rows, ws, strict=True) for _ in r.y])
    rank = fit_logistic(x, y, w, names, c, [r.kind for r in rows for _ in r.y])
    jx: list[list[float]] = []
    jy: list[int] = []
    jrows: list[Rows] = []
    for r in rows:
        best: dict[int, tuple[float, int]] = {}
        for i, g in enumerate(r.group):
            z = rank.z(r.x[i])
            if g not in best or z > best[g][0]:
                best[g] = (z, i)
        sub = Rows(r.kind, [r.x[i] for _, i in best.values()], [r.y[i] for _, i in best.values()],
                   [])
        jrows.append(sub)
    ws = _kind_weights(jrows, [len(r.y) for r in jrows])
    for r in jrows:
        jx += r.x
        jy += r.y
    jw = np.array([wk for r, wk in zip(jrows, ws, strict=True) for _ in r.y])
    jxa = np.array(jx)
    if JOIN_KEEP:
        jxa[:, [i for i, n in enumerate(names) if n not in JOIN_KEEP]] = 0.0
    join = fit_logistic(jxa, np.array(jy), jw, names, c, [r.kind for r in jrows for _ in r.y])
    return JoinModel(names, rank, join, command)


# -- scoring --------------------------------------------------------------------------------------
def cluster(col: Collection, seed: int, settings: Settings, model: JoinModel) -> dict[str, str]:
    """The online clusterer as the pipeline runs it (copies, merges between batches)."""
    cl = Clusterer(settings, params=PARAMS_IN_USE, model=model)
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["validate", "heldin", "fit"])
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--C", default="1.0", help="comma-separated regularisation strengths")
    ap.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7")
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--rounds", type=int, default=1,
                    help="fits; each after the first adds rows from the last model's own states")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--drop", default="", help="comma-separated features left out of the fit")
    ap.add_argument("--join", default="",
                    help="comma-separated features the join model may use (default: all)")
    ap.add_argument("--merge-cos", type=float, default=None,
                    help="ClusterParams.merge_cos for this run")
    ap.add_argument("--cache", default="", help="pickle file caching the replayed rows")
    args = ap.parse_args()
    settings = Settings.from_env()
    global PARAMS_IN_USE, JOIN_KEEP
    if args.merge_cos is not None:
        PARAMS_IN_USE = replace(PARAMS_IN_USE, merge_cos=args.merge_cos)
    JOIN_KEEP = tuple(x for x in args.join.split(",") if x)
    dense = settings.cluster_embeddings
    names = DENSE_FEATURES if dense else FEATURES
    seeds = [int(s) for s in args.seeds.split(",")]
    fams = args.families.split(",")
    cols = {(f, s): collections(f, s) for f in fams for s in seeds}
    if dense:
        add_vectors([c for v in cols.values() for c in v])
    t0 = time.time()
    cache = Path(args.cache) if args.cache else None
    if cache is not None and cache.exists():
        rows = pickle.loads(cache.read_bytes())
    else:
        rows = {(f, s): [replay(c, s, settings) for c in cols[f, s]] for f in fams for s in seeds}
        if cache is not None:
            cache.write_bytes(pickle.dumps(rows))
    print(f"replayed in {time.time() - t0:.0f}s", file=sys.stderr)
    drop = {names.index(d) for d in args.drop.split(",") if d}
    for v in rows.values():
        for r in v:
            for x in r.x:
                for i in drop:
                    x[i] = 0.0
    argv = [a for a in sys.argv[1:] if not a.startswith("--cache")]
    if args.cache and args.cache in argv:
        argv.remove(args.cache)
    command = ("NEWSFOLD_CLUSTER_EMBEDDINGS=1 " if dense else "") + "bench/cluster_fit.py " \
        + " ".join(argv)
    if args.what == "fit":
        c = float(args.C.split(",")[0])
        data = [(col, s, r) for (f, s), v in rows.items()
                for col, r in zip(cols[f, s], v, strict=True)]
        model = fit_rounds(data, names, c, command, args.rounds, settings)
        for part in ("rank", "join"):
            lin = getattr(model, part)
            print(part, " ".join(f"{n}={v:+.2f}" for n, v in zip(names, lin.coef, strict=True)),
                  f"b={lin.intercept:+.2f}")
        if args.write:
            path = MODEL_DIR / ("model-dense.json" if dense else "model.json")
            path.write_text(json.dumps(model.to_dict(), indent=1) + "\n")
            print(f"wrote {path}", file=sys.stderr)
        return
    thresholds = [float(t) for t in args.thresholds.split(",")]
    results: dict[tuple[float, float], dict[str, list[float]]] = {}
    base: dict[str, list[float]] = defaultdict(list)
    kinds: dict[tuple[float, float, str], list[float]] = defaultdict(list)
    for c in (float(x) for x in args.C.split(",")):
        for held in fams:
            train = [(col, s, r) for (f, s), v in rows.items()
                     if f != held or args.what == "heldin"
                     for col, r in zip(cols[f, s], v, strict=True)]
            if args.what == "validate" or held == fams[0]:
                model = fit_rounds(train, names, c, command, args.rounds, settings)
            for thr in thresholds:
                st = replace(settings, cluster_threshold=thr)
                for s in seeds:
                    for col in cols[held, s]:
                        f1 = score(col, cluster(col, s, st, model))
                        results.setdefault((c, thr), defaultdict(list))[held].append(f1)
                        kinds[c, thr, col.kind].append(f1)
            print(f"C={c} held out {held}: " + " ".join(
                f"{t}:{np.mean(results[c, t][held]):.3f}" for t in thresholds), file=sys.stderr)
    if not args.no_baseline:
        for f in fams:
            for s in seeds[:1]:
                for col in cols[f, s]:
                    b = baseline_f1(col)
                    base[f].append(b)
                    base["kind:" + col.kind].append(b)
    print("| C | threshold | " + " | ".join(fams) + " | worst | mean |")
    for (c, thr), per in sorted(results.items()):
        vals = [float(np.mean(per[f])) for f in fams]
        print(f"| {c} | {thr} | " + " | ".join(f"{v:.3f}" for v in vals)
              + f" | {min(vals):.3f} | {np.mean(vals):.3f} |")
    if base:
        vals = [float(np.mean(base[f])) for f in fams]
        print("| baseline | | " + " | ".join(f"{v:.3f}" for v in vals)
              + f" | {min(vals):.3f} | {np.mean(vals):.3f} |")
    print()
    kind_names = sorted({k for (_, _, k) in kinds})
    print("| C | threshold | " + " | ".join(kind_names) + " |")
    for c, thr in sorted(results):
        print(f"| {c} | {thr} | " + " | ".join(
            f"{np.mean(kinds[c, thr, k]):.3f}" for k in kind_names) + " |")
    if base:
        print("| baseline | | " + " | ".join(
            f"{np.mean(base['kind:' + k]):.3f}" for k in kind_names) + " |")


if __name__ == "__main__":
    main()
