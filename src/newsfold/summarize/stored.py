"""Briefs kept in the store, so a story page, the brief API and ``newsfold show`` read a brief
instead of building it.

A stored brief is keyed by its story and the story's version (a change counter the store
bumps whenever the story's articles change: an article added, a story merged in), and records
its *recipe*: what else the brief depends on (the newsfold code, the summary's word budget,
the articles read at most, the entity model). One is current while both still match; a stale
or missing one is built again and stored over it. Its body is JSON: the brief as
:meth:`~newsfold.records.Brief.to_dict` gives it (the API's answer), the summary sentences'
positions, and the passage each citation of the story page links to
(:func:`~newsfold.summarize.passages.cited_passages`), so reading it back needs no article
text and gives the same pages and output as building the brief afresh.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..nlp import entity_package, model_key
from ..records import Brief
from ..settings import Settings

if TYPE_CHECKING:
    from .passages import Passages

FORMAT = 1
"""The layout of a stored body; a new layout makes every stored brief stale."""


@dataclass(slots=True)
class StoredBrief:
    """A story's brief with what the story page needs besides it, as the store keeps it."""

    brief: Brief
    """The brief; read back from the store, its articles carry their reference fields only."""
    data: dict[str, Any]
    """``brief.to_dict()``: the JSON of the brief API and ``newsfold show --format json``."""
    passages: Passages
    """The passage each citation the story page links to, by (article id, text)."""
    version: int
    """The story's version the brief was built from."""

    @classmethod
    def of(cls, brief: Brief, version: int) -> StoredBrief:
        """A brief just built (its articles with their text) from the story's ``version``."""
        from .passages import cited_passages  # the comparison code, only to build

        return cls(brief, brief.to_dict(), cited_passages(brief), version)

    def to_json(self) -> str:
        """The stored body."""
        passages: dict[str, dict[str, int | None]] = {}
        for (aid, text), pos in self.passages.items():
            passages.setdefault(text, {})[aid] = pos
        return json.dumps({
            "format": FORMAT, "brief": self.data,
            "positions": [s.position for s in self.brief.summary], "passages": passages,
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, body: str, version: int) -> StoredBrief:
        """A stored body read back (built from the story's ``version``)."""
        doc = json.loads(body)
        data = doc["brief"]
        passages = {(aid, text): pos for text, by_id in doc["passages"].items()
                    for aid, pos in by_id.items()}
        return cls(Brief.from_dict(data, doc["positions"]), data, passages, version)


def recipe(settings: Settings) -> str:
    """What a brief depends on besides its story's articles: the newsfold code (its version
    and a digest of its source), :data:`FORMAT`, the ``summary_max_words`` and
    ``brief_max_articles`` settings, and the entity model (with its version) or the rules
    used without one. A brief stored by another recipe is stale."""
    return _recipe(settings.summary_max_words, settings.brief_max_articles,
                   settings.brief_entity_model)


@lru_cache(maxsize=8)
def _recipe(words: int, articles: int, model: bool) -> str:
    package = entity_package() if model else None
    entities = model_key(package) if package is not None else "rules"
    return (f"{_code()}; format {FORMAT}; summary {words} words; {articles} articles at most;"
            f" entities {entities}")


@lru_cache(maxsize=1)
def _code() -> str:
    """``newsfold <version> <digest>``: the digest covers every module of the package, so any
    change of the code makes the stored briefs stale."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("newsfold")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        release = "0"
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return f"newsfold {release} {digest.hexdigest()}"
