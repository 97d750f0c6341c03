"""The clusterer's fixed parameters, as one frozen record (configuration as data).

User-facing knobs (threshold, window, eviction margin, sentence vectors) live in
:class:`newsfold.settings.Settings`; these are the method's internal constants, each with the
reason for its value. BENCHMARKS.md, "Story clustering", shows what they do.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ClusterParams", "PARAMS"]


@dataclass(frozen=True, slots=True)
class ClusterParams:
    title_weight: float = 2.0
    """A title term counts this many times a body term in the full vector: titles name the event."""
    body_words: int = 600
    """Body words read for the full vector: enough for a report's substance, bounded cost."""
    body_terms: int = 100
    """Most frequent body terms kept per article: bounds memory and the scoring cost."""
    query_terms: int = 20
    """Heaviest terms of the full vector used to reach candidate stories through the index."""
    postings_scan: int = 100
    """Newest postings read per term: keeps the cost per article flat as the index grows."""
    candidates: int = 5
    """Reached live stories scored by the model, best member dot first."""
    rank_first: int = 32
    """Reached stories sorted at first; the rest only when fewer than ``candidates`` are live."""
    clock_rank: int = 100
    """The eviction clock is the publication time this many places from the latest seen, so a
    few absurd future dates cannot age every story at once."""
    gap_cost: float = 0.05
    """Score lost per unit of time gap (log hours, a year = 1): a report a month away needs
    about 0.04 more mean cosine than one the same hour."""
    undated_extra: float = 0.03
    """Extra score an undated comparison needs: time cannot then keep apart the different
    stories that one subject runs at once."""
    dense_weight: float = 0.3
    """With sentence vectors (``cluster_embeddings``): score gained per unit of mean sentence
    cosine above ``dense_floor``."""
    dense_floor: float = 0.5
    """Mean sentence cosine that unrelated news reports commonly reach."""
    merge_growth: float = 1.25
    """A story is compared for merges again once its members have grown by this factor."""
    merge_partners: int = 3
    """Merge partners compared per story: the stories its heaviest terms reach most closely."""
    gap_scale_hours: float = 24.0 * 365.0
    """Time gaps are ``log1p(hours) / log1p(gap_scale_hours)``: a year maps to 1."""


PARAMS = ClusterParams()
"""The parameters every clusterer uses unless it is given others (tests and sweeps)."""
