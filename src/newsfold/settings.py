"""Settings, with their defaults, read from ``NEWSFOLD_*`` environment variables.

Every field is documented in ``docs/settings.md``; a test checks that it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "newsfold.db"
    """Database path (``NEWSFOLD_DB``); ``:memory:`` keeps everything in memory."""
    cluster_threshold: float = 0.12
    """Score an article needs to join the story it fits best: the mean TF-IDF cosine with the
    story's members, less a cost for the time gap (see docs/clustering.md); lower joins more,
    higher splits more."""
    cluster_window_days: float = 730.0
    """A story goes dormant (never joined again) for an article dated this many days away from
    all of its members. Within the window the time gap lowers the join score."""
    cluster_evict_margin_days: float = 30.0
    """Stories whose newest dated article is more than ``cluster_window_days`` plus this many
    days older than the latest publication times seen are evicted from memory for good, so
    memory stays bounded by the active window. An article dated more than this margin before
    the latest ones may miss such a story; ``inf`` keeps every story."""
    cluster_embeddings: bool = False
    """Sentence vectors (all-MiniLM-L6-v2, the ``[embeddings]`` extra) of each article's title
    and lead as a further signal in the join score. Slower."""
    dedupe_threshold: float = 0.8
    """Estimated Jaccard similarity of word 5-gram shingles above which two articles are near-copies."""
    dedupe_num_perm: int = 64
    """MinHash permutations used for near-copy detection."""
    summary_max_words: int = 120
    """Default word budget of a brief's summary."""
    brief_entity_model: bool = True
    """Find a brief's entities with spaCy's small English model (the ``[nlp]`` extra), typed
    person, organisation or place, when it is installed; off, or without it, capitalised
    names are found by rule and left untyped. Loading the model adds about a second to the
    first brief a process writes; entities found are kept in the store by sentence."""
    brief_max_articles: int = 200
    """A brief reads at most this many of a story's articles, spread evenly over its timeline
    (copies dropped first), so a story of thousands of articles still answers quickly."""
    batch_size: int = 2000
    """Articles committed to the database per transaction during ingest."""
    fetch_user_agent: str = "newsfold/0.1 (+https://github.com/newsfold/newsfold; polite news reader)"
    """User-Agent sent with every request, and the name matched against robots.txt rules."""
    fetch_rate_per_host: float = 1.0
    """Requests per second to one host (``scheme://host:port``); a robots.txt Crawl-delay can
    lower it."""
    fetch_host_concurrency: int = 2
    """Requests in flight at once to one host."""
    fetch_concurrency: int = 16
    """Requests in flight at once overall."""
    fetch_timeout: float = 10.0
    """Connect and read timeout of one request, seconds."""
    fetch_total_timeout: float = 30.0
    """Time limit of one whole response (headers and body), seconds."""
    fetch_max_bytes: int = 5242880
    """Largest response body read; larger pages are refused."""
    fetch_max_redirects: int = 5
    """Redirects followed per request."""
    fetch_retries: int = 2
    """Retries (with exponential backoff) after a 429/5xx answer, a timeout or a failed connection."""
    fetch_allow_private: bool = False
    """Whether ingestion started through the web API may fetch loopback, private and link-local
    addresses. The command line may always fetch any address."""
    feed_interval: float = 900.0
    """Seconds between polls of a feed that sets no interval or TTL of its own."""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = "NEWSFOLD_" + f.name.upper()
            if key in env:
                values[f.name] = _convert(key, env[key], type(getattr(cls(), f.name)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def _convert(key: str, raw: str, kind: type) -> Any:
    if kind is bool:
        value = raw.strip().lower()
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{key}={raw!r} is not true or false; unset it or fix it")
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{key}={raw!r} is not a valid {kind.__name__}; unset it or fix it") from exc
