"""The reference clustering ``newsfold eval cluster`` compares newsfold with.

TF-IDF (sublinear term frequency, English stop words, every term kept) over each article's
title and the first :data:`TEXT_WORDS` words of its text, and agglomerative clustering with
average linkage on cosine distance, cut at one fixed distance, :data:`BASELINE_DISTANCE`, the
same for every file. An article whose vector is empty (no term left) is a cluster of its own.
The articles are sorted by id before anything else, so the answer does not depend on their order.

The distance is fixed once from the development sets (the ``articles.jsonl`` of neus-train,
uci-headlines, multiling2011, duc2006, duc2007, tac2011 and wikiref220 under
``../shared/data``): ``python -m newsfold.eval.baseline FILE.jsonl ...`` prints the B-cubed F1
of every file for each distance in :data:`CANDIDATE_DISTANCES` and picks the one whose worst file
scores best (:func:`choose_threshold`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..api import ReadResult, read_articles
from ..errors import InputError
from ..records import Article
from .metrics import cluster_scores

__all__ = [
    "BASELINE_DISTANCE",
    "CANDIDATE_DISTANCES",
    "ThresholdChoice",
    "baseline_clusters",
    "choose_threshold",
    "read_gold",
]

log = logging.getLogger(__name__)

# chosen by `python -m newsfold.eval.baseline FILE.jsonl ...` on the dev sets named above
BASELINE_DISTANCE = 0.9

TEXT_WORDS = 300
"""Words of an article's text that go into its vector, after the title."""

CANDIDATE_DISTANCES: tuple[float, ...] = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
"""The cosine distance thresholds :func:`choose_threshold` tries."""

_BLOCK = 1024
"""Rows of the distance matrix computed per sparse product."""


def _document(a: Article) -> str:
    return (a.title or "") + "\n" + " ".join((a.text or "").split()[:TEXT_WORDS])


@dataclass
class _Distances:
    """Articles sorted by id, their cosine distance matrix and which of them have a vector."""

    ids: list[str]
    dist: Any  # float32 (m, m) ndarray over the non-empty articles
    nonempty: list[int]  # indices into ids of the rows of dist


def _distances(articles: Iterable[Article]) -> _Distances:
    from sklearn.feature_extraction.text import TfidfVectorizer

    by_id: dict[str, Article] = {}
    for a in sorted(articles, key=lambda a: (a.id, a.title, a.text)):
        by_id.setdefault(a.id, a)
    ids = sorted(by_id)
    docs = [_document(by_id[i]) for i in ids]
    nonempty: list[int] = []
    x: Any = None
    try:
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(docs)
    except ValueError:  # no term at all in any document
        log.debug("baseline: no document has a term")
    if x is not None:
        nonempty = [int(i) for i in np.flatnonzero(x.getnnz(axis=1))]
        x = x[nonempty].astype(np.float32)
    m = len(nonempty)
    dist = np.zeros((m, m), dtype=np.float32)
    if m:
        xt = x.T.tocsr()
        for start in range(0, m, _BLOCK):
            sim = (x[start:start + _BLOCK] @ xt).toarray()
            dist[start:start + _BLOCK] = 1.0 - sim  # rows are L2-normalised
        np.clip(dist, 0.0, 2.0, out=dist)
        np.fill_diagonal(dist, 0.0)
        dist = np.minimum(dist, dist.T)  # exactly symmetric despite rounding
    return _Distances(ids=ids, dist=dist, nonempty=nonempty)


def _labels(d: _Distances, distance: float) -> dict[str, str]:
    """Cluster label per id; labels are numbered in id order of each cluster's first member."""
    from sklearn.cluster import AgglomerativeClustering

    raw: dict[str, tuple[str, int]] = {}
    if len(d.nonempty) >= 2:
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average",
            distance_threshold=distance,
        )
        for row, lab in zip(d.nonempty, model.fit_predict(d.dist), strict=True):
            raw[d.ids[row]] = ("c", int(lab))
    elif d.nonempty:
        raw[d.ids[d.nonempty[0]]] = ("c", 0)
    names: dict[tuple[str, int], str] = {}
    out: dict[str, str] = {}
    for n, i in enumerate(d.ids):
        key = raw.get(i, ("empty", n))
        out[i] = names.setdefault(key, f"baseline-{len(names)}")
    return out


def baseline_clusters(articles: Iterable[Article],
                      distance: float = BASELINE_DISTANCE) -> dict[str, str]:
    """The baseline's cluster label for each article id (articles sharing an id count once).

    Cosine distance between TF-IDF vectors (metric "cosine"), passed to
    ``AgglomerativeClustering`` as a precomputed float32 matrix; the clustering joins clusters
    whose average distance is below ``distance``."""
    return _labels(_distances(articles), distance)


def read_gold(path: str | Path) -> tuple[ReadResult, dict[str, str]]:
    """The articles of a JSONL file and each one's gold ``story`` (popped from its metadata).

    Raises :class:`~newsfold.errors.InputError` for an article without one."""
    read = read_articles([path])
    gold: dict[str, str] = {}
    for a in read.articles:
        label = a.metadata.pop("story", None)
        if label is None:
            raise InputError(f"{a.origin}", "no gold 'story' field", "eval cluster needs one per line")
        gold[a.id] = str(label)
    return read, gold


@dataclass
class ThresholdChoice:
    """B-cubed F1 per file (keyed by name) and distance, and the distance whose worst file
    scores best (the smallest such distance on a tie)."""

    distances: tuple[float, ...]
    f1: dict[str, dict[float, float]] = field(default_factory=dict)
    chosen: float = 0.0

    def worst(self, distance: float) -> float:
        """The lowest F1 of any file at ``distance``."""
        return min(scores[distance] for scores in self.f1.values())

    def best(self, name: str) -> float:
        """The distance at which file ``name`` scores best (the smallest on a tie)."""
        scores = self.f1[name]
        return max(self.distances, key=lambda t: (scores[t], -t))


def _name(path: Path) -> str:
    return path.parent.name if path.name == "articles.jsonl" else path.stem


def choose_threshold(paths: Sequence[str | Path],
                     distances: Sequence[float] = CANDIDATE_DISTANCES) -> ThresholdChoice:
    """Score the baseline on each gold file at each distance and pick the distance that
    maximises the worst file's B-cubed F1."""
    if not paths:
        raise ValueError("no files to choose a threshold on")
    choice = ThresholdChoice(distances=tuple(distances))
    for p in paths:
        read, gold = read_gold(p)
        d = _distances(read.articles)
        ids = d.ids
        scores: dict[float, float] = {}
        for t in choice.distances:
            pred = _labels(d, t)
            scores[t] = cluster_scores([gold[i] for i in ids], [pred[i] for i in ids])["bcubed_f1"]
            log.info("%s distance %.2f: B-cubed F1 %.4f", _name(Path(p)), t, scores[t])
        choice.f1[_name(Path(p))] = scores
    choice.chosen = max(choice.distances, key=lambda t: (choice.worst(t), -t))
    return choice


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m newsfold.eval.baseline FILE.jsonl ...``: the table behind BASELINE_DISTANCE."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(
        prog="python -m newsfold.eval.baseline",
        description="B-cubed F1 of the TF-IDF + agglomerative baseline per gold file and cosine "
                    "distance threshold, and the threshold maximising the worst file's F1.")
    ap.add_argument("files", nargs="+", help="JSONL files whose lines carry a gold `story`.")
    args = ap.parse_args(argv)
    choice = choose_threshold(args.files)
    names = list(choice.f1)
    width = max(8, *(len(n) for n in names))
    out = sys.stdout
    out.write(f"{'distance':<10}" + "".join(f"{n:>{width + 2}}" for n in names)
              + f"{'worst':>{width + 2}}\n")
    for t in choice.distances:
        mark = " *" if t == choice.chosen else ""
        out.write(f"{t:<10.2f}" + "".join(f"{choice.f1[n][t]:>{width + 2}.4f}" for n in names)
                  + f"{choice.worst(t):>{width + 2}.4f}{mark}\n")
    best = {n: choice.best(n) for n in names}
    out.write(f"{'best':<10}" + "".join(f"{best[n]:>{width + 2}.2f}" for n in names) + "\n")
    out.write(f"{'best F1':<10}" + "".join(f"{choice.f1[n][best[n]]:>{width + 2}.4f}"
                                           for n in names) + "\n")
    out.write(f"chosen distance {choice.chosen:.2f} (worst file's B-cubed F1 "
              f"{choice.worst(choice.chosen):.4f})\n")


if __name__ == "__main__":  # pragma: no cover
    main()
