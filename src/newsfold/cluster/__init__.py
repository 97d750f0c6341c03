"""Online story clustering: which articles report the same event.

Parts, one idea each: :mod:`.params` (the method's constants), :mod:`.features` (what is kept
of an article), :mod:`.index` (candidate stories by shared terms), :mod:`.story` (a story's
scoring state), :mod:`.model` (the features of an article-story pair and the join rule), :mod:`.clusterer` (the online loop), :mod:`.merge`,
:mod:`.evict` and :mod:`.dense` (the optional sentence vectors). docs/clustering.md describes
the method.
"""

from __future__ import annotations

from .clusterer import Clusterer, story_id_for
from .features import featurize
from .model import DENSE_FEATURES, FEATURES
from .params import PARAMS, ClusterParams

__all__ = ["Clusterer", "ClusterParams", "DENSE_FEATURES", "FEATURES", "PARAMS", "featurize",
           "story_id_for"]
