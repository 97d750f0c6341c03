"""How far two stores agree: the check that a backfill decided as sequential ingest does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..eval.metrics import bcubed

__all__ = ["Agreement", "agreement"]


@dataclass
class Agreement:
    """Articles, copy decisions and stories of store ``a`` against store ``b``."""

    only_a: list[str]
    only_b: list[str]
    copies_differ: list[str]
    """Ids in both whose ``duplicate_of`` differs."""
    bcubed_f1: float
    """B-cubed F1 of ``a``'s stories scored against ``b``'s, over the articles in both."""
    same_story_ids: float
    """Share of the articles in both whose story id is the same."""

    def to_dict(self) -> dict[str, Any]:
        return {"only_a": len(self.only_a), "only_b": len(self.only_b),
                "copies_differ": len(self.copies_differ), "bcubed_f1": self.bcubed_f1,
                "same_story_ids": self.same_story_ids}


def agreement(a: Any, b: Any) -> Agreement:
    """Compare two open stores (anything with ``state_rows``)."""
    ra = {r.id: (r.story_id, r.duplicate_of) for r in a.state_rows()}
    rb = {r.id: (r.story_id, r.duplicate_of) for r in b.state_rows()}
    both = sorted(ra.keys() & rb.keys())
    if not both:
        return Agreement(sorted(ra), sorted(rb), [], 0.0, 0.0)
    f1 = bcubed([rb[i][0] for i in both], [ra[i][0] for i in both])[2]
    return Agreement(
        only_a=sorted(ra.keys() - rb.keys()), only_b=sorted(rb.keys() - ra.keys()),
        copies_differ=[i for i in both if ra[i][1] != rb[i][1]],
        bcubed_f1=f1,
        same_story_ids=sum(ra[i][0] == rb[i][0] for i in both) / len(both))
