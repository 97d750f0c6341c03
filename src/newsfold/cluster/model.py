"""The join model: the features that compare an article with a candidate story, and the two
fitted logistic models that use them.

Every feature is a similarity in [0, 1], a time gap on one log scale, or an explicit indicator
of something missing, and means the same for a one-line headline and a 2,000-word report:

* ``mean_cos``    mean full TF-IDF cosine with the story's members (average linkage: a large
  story of mixed reports attracts nothing, where its nearest member or its centroid would),
* ``margin``      ``mean_cos`` less the best ``mean_cos`` of the other candidates: the same
  similarity means more in a collection where unrelated reports look alike less (long reports
  share more words by chance than headlines do, a run of stories on one subject more still),
* ``lead_cos``    mean cosine of the lead (the title when there is no body) with the members'
  leads,
* ``title_cos``   mean cosine of the title with the members' titles; when either side has no
  title, the lead's (so a missing title is read neither as a different one nor as a kind of
  collection),
* ``names``       idf-weighted share of the article's names, each counted by the share of the
  story's members that carry it,
* ``numbers``     share of the article's numbers that the story has,
* ``gap_near``    log hours to the story's nearest publication time (a date without a time of
  day stands for its whole day), ``undated`` when either side has no date (the gap is then 0).

The story's size is deliberately not a feature: online, a preference for large stories feeds
on itself until one story swallows a collection.

Stage one ranks the candidates with the ``rank`` model (fitted on every candidate: is this the
article's story?); stage two decides join-or-new on the best one with the ``join`` model
(fitted on the best candidates only: is joining it right?), so its probability is calibrated for
the decision the threshold makes. Similarities only ever raise a probability and gaps only lower
it (the fit is constrained so). Coefficients live in ``model.json`` (``model-dense.json`` with
sentence vectors), written by the command recorded in the file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["FEATURES", "DENSE_FEATURES", "SIGNS", "JoinModel", "load_model"]

FEATURES = ("mean_cos", "margin", "lead_cos", "title_cos", "names", "numbers",
            "gap_near", "undated")
DENSE_FEATURES = FEATURES + ("dense_max", "dense_cent")
SIGNS = {"mean_cos": 1, "margin": 1, "lead_cos": 1, "title_cos": 1, "names": 1,
         "numbers": 1, "gap_near": -1, "dense_max": 1, "dense_cent": 1}
"""Known directions: +1 never lowers the join probability, -1 never raises it."""


@dataclass(frozen=True, slots=True)
class Linear:
    coef: tuple[float, ...]
    intercept: float

    def z(self, row: list[float]) -> float:
        return self.intercept + math.fsum(c * x for c, x in zip(self.coef, row, strict=True))

    def probability(self, row: list[float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.z(row)))))


@dataclass(frozen=True, slots=True)
class JoinModel:
    features: tuple[str, ...]
    rank: Linear
    join: Linear
    fitted_by: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JoinModel:
        feats = tuple(data["features"])
        parts = {}
        for part in ("rank", "join"):
            coef = tuple(float(x) for x in data[part]["coef"])
            if len(coef) != len(feats):
                raise ValueError(f"{part}: {len(coef)} coefficients for {len(feats)} features")
            parts[part] = Linear(coef, float(data[part]["intercept"]))
        return cls(feats, parts["rank"], parts["join"], str(data.get("fitted_by", "")))

    def to_dict(self) -> dict[str, Any]:
        return {
            "fitted_by": self.fitted_by,
            "features": list(self.features),
            "rank": {"coef": [round(c, 4) for c in self.rank.coef],
                     "intercept": round(self.rank.intercept, 4)},
            "join": {"coef": [round(c, 4) for c in self.join.coef],
                     "intercept": round(self.join.intercept, 4)},
        }


def load_model(dense: bool = False) -> JoinModel:
    """The shipped model (the one with sentence-vector features with ``dense``)."""
    name = "model-dense.json" if dense else "model.json"
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    model = JoinModel.from_dict(json.loads(text))
    expected = DENSE_FEATURES if dense else FEATURES
    if model.features != expected:
        raise ValueError(f"{name} has features {model.features}, expected {expected}")
    return model
