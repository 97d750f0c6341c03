"""Settings, with their defaults, read from ``NEWSFOLD_*`` environment variables.

Every field is documented in ``docs/settings.md``; a test checks that it is. Every value is
checked in one place, :func:`check_setting`, against the range in :data:`RANGES` (NaN is
never a number here; infinity only where a range allows it), whether it comes from the
environment or from Python, so a bad value stops newsfold at start-up with a
:class:`~newsfold.errors.ConfigError` naming the setting, never deep inside a stage.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace
from typing import Any, NamedTuple

from .errors import ConfigError


class Range(NamedTuple):
    """The values a numeric setting accepts: ``low`` to ``high``, each end included unless
    its ``open_*`` flag says otherwise; ``inf`` is accepted only when ``allow_inf``."""

    low: float
    high: float
    open_low: bool = False
    open_high: bool = False
    allow_inf: bool = False

    def describe(self) -> str:
        low = f"{'more than' if self.open_low else 'at least'} {_num(self.low)}"
        high = f"{'less than' if self.open_high else 'at most'} {_num(self.high)}"
        text = f"{low} and {high}"
        return text + (", or inf" if self.allow_inf else "")

    def admits(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if math.isinf(value):
            return self.allow_inf and value > 0
        above = value > self.low if self.open_low else value >= self.low
        below = value < self.high if self.open_high else value <= self.high
        return above and below


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


RANGES: dict[str, Range] = {
    "cluster_threshold": Range(0.0, 1.0),
    "cluster_window_days": Range(0.0, 36500.0, open_low=True),
    "cluster_evict_margin_days": Range(0.0, 36500.0, allow_inf=True),
    # The MinHash LSH index cannot be built for every pair: these bounds work together.
    "dedupe_threshold": Range(0.05, 0.95),
    "dedupe_num_perm": Range(16, 1024),
    "summary_max_words": Range(1, 100_000),
    "brief_max_articles": Range(1, 1_000_000),
    "batch_size": Range(1, 1_000_000),
    "busy_timeout": Range(0.0, 86400.0),
    "fetch_rate_per_host": Range(0.0, 1000.0, open_low=True),
    "fetch_host_concurrency": Range(1, 1000),
    "fetch_concurrency": Range(1, 10_000),
    "fetch_timeout": Range(0.0, 86400.0, open_low=True),
    "fetch_total_timeout": Range(0.0, 86400.0, open_low=True),
    "fetch_max_bytes": Range(1, 1 << 30),
    "fetch_max_redirects": Range(0, 100),
    "fetch_retries": Range(0, 100),
    "feed_interval": Range(1.0, 31_536_000.0),
}
"""The accepted range of every numeric setting (docs/settings.md gives the same ranges)."""


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
    """Estimated Jaccard similarity of word 5-gram shingles at which two articles are near-copies."""
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
    busy_timeout: float = 30.0
    """Seconds a write waits for another process's write lock (another ingest, or a server
    ingesting) before newsfold stops with an error naming the database."""
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
    ingest_follow_symlinks: bool = False
    """Whether ingesting a folder follows symbolic links that lead outside it; off, each such
    link is reported and passed over. A file named on its own is always read."""
    ingest_worker: bool = True
    """Whether a large ingest prepares its articles (parsing, cleaning, hashing, clustering
    features) in one worker process ahead of the process that stores them; off, all of it runs
    in that process. The stories are the same either way. The worker is forked on Linux only,
    and only while the ingesting process runs a single thread."""

    def __post_init__(self) -> None:
        for f in fields(self):
            problem = check_setting(f.name, getattr(self, f.name))
            if problem:
                raise ConfigError(
                    f"setting {f.name}={getattr(self, f.name)!r} (NEWSFOLD_{f.name.upper()}) "
                    f"{problem}; fix it or leave it at its default"
                )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        defaults = cls()
        for f in fields(cls):
            key = "NEWSFOLD_" + f.name.upper()
            if key in env:
                value = _convert(key, env[key], type(getattr(defaults, f.name)))
                problem = check_setting(f.name, value)
                if problem:
                    raise ConfigError(f"{key}={env[key]!r} {problem}; unset it or fix it")
                values[f.name] = value
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


def check_setting(name: str, value: Any) -> str | None:
    """What is wrong with ``value`` for the setting ``name``, or None when it is usable.

    The one place setting values are judged: the type of the default, the range in
    :data:`RANGES` for numbers, and for text a value that is not blank (and, for the
    User-Agent, fits on one header line)."""
    default = _DEFAULTS[name]
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "is not true or false"
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return "is not a whole number"
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "is not a number"
    elif isinstance(default, str):
        if not isinstance(value, str):
            return "is not text"
        if not value.strip() or "\x00" in value:
            return "is blank or holds a NUL character"
        if name == "fetch_user_agent" and ("\r" in value or "\n" in value):
            return "holds a line break (it is sent as one HTTP header line)"
        return None
    if isinstance(value, float) and math.isnan(value):
        return "is NaN, not a number"
    rng = RANGES.get(name)
    if rng is not None and not rng.admits(float(value)):
        kind = "a whole number" if isinstance(default, int) else "a number"
        return f"is out of range: use {kind} {rng.describe()}"
    return None


_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Settings)}
