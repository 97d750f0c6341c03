"""The join rule: how an article is compared with a candidate story, and when it joins.

A candidate is described by three numbers (:data:`FEATURES`), each meaning the same for a
one-line headline and a 2,000-word report:

* ``mean_cos``  mean TF-IDF cosine with the story's members (average linkage: a large story of
  mixed reports attracts nothing, where its nearest member or its centroid would),
* ``gap``       log hours to the story's nearest publication time, on a scale where a year is 1
  (a date without a time of day stands for its whole day); 0 when either side has no date,
* ``undated``   1 when either side has no date.

With sentence vectors (the ``[embeddings]`` extra) a fourth, ``dense_cos``, is the mean
sentence-vector cosine with the members.

The two stages are one score: candidates are ranked by it, and the best joins when it reaches
the threshold. The score is ``mean_cos`` less ``gap_cost`` times the gap (with vectors, plus
``dense_weight`` times how far ``dense_cos`` exceeds ``dense_floor``), so a higher similarity
never lowers it and a longer gap never raises it. An undated comparison needs ``undated_extra``
more: time cannot then keep apart the different stories one subject runs at once. The
constants are in :class:`~newsfold.cluster.params.ClusterParams`, chosen by the worst
left-out family (``bench/cluster_fit.py validate``).
"""

from __future__ import annotations

import math

from .params import ClusterParams

__all__ = ["FEATURES", "DENSE_FEATURES", "row", "score", "bar"]

FEATURES = ("mean_cos", "gap", "undated")
DENSE_FEATURES = FEATURES + ("dense_cos",)


def row(mean_cos: float, gap_seconds: float | None, params: ClusterParams) -> list[float]:
    """The feature row of a comparison: its mean cosine and the time between the two sides
    (None when either is undated)."""
    if gap_seconds is None:
        return [mean_cos, 0.0, 1.0]
    return [mean_cos, math.log1p(gap_seconds / 3600.0) / math.log1p(params.gap_scale_hours), 0.0]


def score(row: list[float], params: ClusterParams) -> float:
    """The candidate's join score (higher is a better match)."""
    s = row[0] - params.gap_cost * row[1]
    if len(row) > 3:
        s += params.dense_weight * (row[3] - params.dense_floor)
    return s


def bar(row: list[float], threshold: float, params: ClusterParams) -> float:
    """The score the candidate needs to be joined."""
    return threshold + (params.undated_extra if row[2] else 0.0)
