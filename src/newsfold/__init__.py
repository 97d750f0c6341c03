"""newsfold: fold many outlets' news coverage into stories with cited briefs.

The public API is what this module exports (``__all__``); a test pins it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .api import GroupSummary, Newsfold, ReadResult, read_articles, summarize_articles
from .clean import clean_text
from .errors import (
    ConfigError,
    ExtractionError,
    InputError,
    NewsfoldError,
    NotFoundError,
    StoreError,
)
from .pipeline import IngestReport
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


def __getattr__(name: str) -> Any:
    # extract_html pulls in trafilatura; import it only when asked for.
    if name == "extract_html":
        from .ingest.html import extract_html

        return extract_html
    raise AttributeError(f"module 'newsfold' has no attribute {name!r}")
