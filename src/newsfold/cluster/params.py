"""The clusterer's fixed parameters, as one frozen record (configuration as data).

User-facing knobs (threshold, window, eviction margin, sentence vectors) live in
:class:`newsfold.settings.Settings`; these are the method's internal constants, each with the
reason for its value. Their measured effect is in BENCHMARKS.md, "Story clustering".
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
    lead_words: int = 60
    """Words of body that make the lead: about a news lead or a search-result description."""
    entity_words: int = 80
    """Words of body (after the title) searched for names: the who and where of the event."""
    max_entities: int = 24
    max_numbers: int = 12
    query_terms: int = 20
    """Heaviest terms of the full vector used to reach candidate stories through the index."""
    postings_scan: int = 200
    """Newest postings read per term: keeps the cost per article flat as the index grows."""
    candidates: int = 5
    """Reached live stories scored by the model, best member dot first."""
    rank_first: int = 32
    """Reached stories sorted at first; the rest only when fewer than ``candidates`` are live."""
    clock_rank: int = 100
    """The eviction clock is the publication time this many places from the latest seen, so a
    few absurd future dates cannot age every story at once."""
    merge_cos: float = 0.15
    """Mean cosine between the members of two live stories (average linkage) at which they are
    folded into one: the same event begun twice, its first reports too unlike to join."""
    merge_cos_undated: float = 0.3
    """The same when either story has no date: time cannot then keep apart the different
    stories that one subject runs at once."""
    merge_min_shared: int = 2
    """Heaviest centroid terms a merge partner must share (through the index)."""
    merge_partners: int = 10
    """Merge partners compared per story: those sharing the most heaviest terms."""
    gap_scale_hours: float = 24.0 * 365.0
    """Time gaps are ``log1p(hours) / log1p(gap_scale_hours)``: a year maps to 1."""


PARAMS = ClusterParams()
"""The parameters every clusterer uses unless it is given others (tests and sweeps)."""
