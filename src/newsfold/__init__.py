"""newsfold: fold many outlets' news coverage into stories with cited briefs.

The public API is what this module exports (``__all__``); a test pins it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from .errors import (
    ConfigError,
    ExtractionError,
    InputError,
    NewsfoldError,
    NotFoundError,
    StoreError,
)
from .records import (
    Article,
    Brief,
    CleanResult,
    Conflict,
    Entity,
    Fact,
    Quote,
    Removal,
    StoryInfo,
    SummarySentence,
    TimelineEvent,
)
from .settings import Settings

if TYPE_CHECKING:
    from .api import GroupSummary, Newsfold, ReadResult, read_articles, summarize_articles
    from .clean import clean_text
    from .ingest.html import extract_html
    from .pipeline import IngestReport

try:
    __version__ = version("newsfold")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Article",
    "Brief",
    "CleanResult",
    "ConfigError",
    "Conflict",
    "Entity",
    "ExtractionError",
    "Fact",
    "GroupSummary",
    "IngestReport",
    "InputError",
    "Newsfold",
    "NewsfoldError",
    "NotFoundError",
    "Quote",
    "ReadResult",
    "Removal",
    "Settings",
    "StoreError",
    "StoryInfo",
    "SummarySentence",
    "TimelineEvent",
    "__version__",
    "clean_text",
    "extract_html",
    "read_articles",
    "summarize_articles",
]


_LAZY = {
    "GroupSummary": "api", "Newsfold": "api", "ReadResult": "api", "read_articles": "api",
    "summarize_articles": "api", "clean_text": "clean", "IngestReport": "pipeline",
    "extract_html": "ingest.html",
}
"""Names whose modules load on first use: the pipeline (numpy, the clusterer, the cleaner)
and trafilatura are not needed to start the command line or read a record."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsfold' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
