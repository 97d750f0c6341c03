"""The records passed between pipeline stages.

Every stage is a plain function or class over these dataclasses:

    ingest     paths            -> RawItem, then Article (title, text, metadata, raw)
    clean      Article.text     -> CleanResult (text, removed debris, source hint, wire flag)
    dedupe     Article          -> Article.duplicate_of (exact and near copies)
    cluster    Article          -> Article.story_id (online, stable ids)
    compare    list[Article]    -> Comparison (facts, conflicts, quotes, entities, timeline, ...)
    summarize  list[Article]    -> list[SummarySentence] and the Brief

Records are serialisable with :func:`dataclasses.asdict`; ``Brief.to_dict`` gives the
documented JSON shape (see ``docs/json.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit


@dataclass(slots=True)
class Removal:
    """One piece of debris that cleaning removed, with the rule that removed it."""

    kind: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """The JSON shape every command and endpoint prints a removal in."""
        return {"kind": self.kind, "text": self.text}


@dataclass(slots=True)
class CleanResult:
    """What :func:`newsfold.clean.clean_text` produces."""

    text: str
    title: str | None = None
    removed: list[Removal] = field(default_factory=list)
    source: str | None = None
    """The outlet named by a syndication line ("This story originally appeared in X")."""
    wire: bool = False
    """True when a wire note ("includes wire service reports") was found."""


@dataclass(slots=True)
class RawItem:
    """One input item before parsing: the unchanged raw text and where it came from."""

    origin: str
    """Where the item came from: a path, or ``path:line`` for a JSONL line."""
    format: str
    """``txt``, ``jsonl`` or ``html``."""
    raw: str
    default_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    """What is known of the item besides its text (a fetched page's URL, its feed entry's
    dates). A JSONL line's own fields are parsed from ``raw`` by ``parse_item``, in the ingest
    worker."""


REF_FIELDS = ("id", "title", "source", "outlet", "url", "published", "duplicate_of", "wire")
"""An article's fields in a brief's article list: who reported it, where and when."""
ARTICLE_FIELDS = (*REF_FIELDS, "text", "language", "author", "story_id", "metadata", "removed")
"""An article's fields in the JSON API: the reference fields, then the text and what cleaning
removed from it."""


UNNAMED_OUTLET = "unknown"
"""The start of :attr:`Article.outlet` for an article that names no outlet; the article id
follows in brackets, so two such articles never count as one outlet."""


UNNAMED_LABEL = "unnamed outlet"
"""How a reader sees the outlet of an article that names none."""


def outlet_label(outlet: str) -> str:
    """An outlet as a reader sees it: a named outlet as it is, an article without one as
    "unnamed outlet" (its key, ``unknown (ID)``, keeps each such article apart in counts)."""
    if outlet.startswith(UNNAMED_OUTLET + " (") and outlet.endswith(")"):
        return UNNAMED_LABEL
    return outlet


@dataclass(slots=True)
class Article:
    """An article after ingest and cleaning; later stages fill the last fields."""

    id: str
    title: str
    text: str
    url: str | None = None
    source: str | None = None
    published: str | None = None
    """ISO 8601 as given (a date, or a date and time with its offset)."""
    language: str | None = None
    author: str | None = None
    raw: str = ""
    raw_format: str = "txt"
    origin: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)
    wire: bool = False
    content_hash: str = ""
    duplicate_of: str | None = None
    story_id: str | None = None

    @property
    def outlet(self) -> str:
        """The outlet that published this article: its source, else the URL's host."""
        return self.known_outlet or f"{UNNAMED_OUTLET} ({self.id})"

    @property
    def known_outlet(self) -> str | None:
        """:attr:`outlet` when the article names one (source or URL), else None."""
        if self.source:
            return self.source
        if self.url:
            host = urlsplit(self.url).hostname or ""
            if host.startswith("www."):
                host = host[4:]
            if host:
                return host
        return None

    @property
    def published_at(self) -> datetime | None:
        """The publication time as an aware UTC datetime (dates count as midnight UTC)."""
        return parse_iso(self.published)

    def to_dict(self, fields: Sequence[str] = ARTICLE_FIELDS) -> dict[str, Any]:
        """The article as JSON, the given fields in the given order: each command and endpoint
        picks its fields from this one shape (removals as :meth:`Removal.to_dict`)."""
        return {
            f: [r.to_dict() for r in self.removed] if f == "removed" else getattr(self, f)
            for f in fields
        }

    def ref(self) -> dict[str, Any]:
        """The article as a brief cites it: :data:`REF_FIELDS`, without its text."""
        return self.to_dict(REF_FIELDS)


@lru_cache(maxsize=8192)
def parse_iso(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or datetime to an aware UTC datetime, or None.

    Memoised (datetimes are immutable): ingest reads each article's date in several stages
    (ordering, copy detection, clustering, storage) within one batch. A value that is not a
    date, or that UTC cannot hold ("0001-01-01T00:00:00+05:00"), is None, never an error."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


@dataclass(slots=True)
class StoryInfo:
    """One row of the story list."""

    id: str
    headline: str
    articles: int
    outlets: int
    first_published: str | None
    last_published: str | None
    created_seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class SummarySentence:
    """A summary sentence, verbatim from ``article_id``, citing every article reporting it."""

    text: str
    citations: list[str]
    article_id: str
    position: int = 0


@dataclass(slots=True)
class Fact:
    """A unit of content with the articles and independent outlets that report it."""

    text: str
    articles: list[str]
    outlets: list[str]
    status: str
    """``agreed`` (two or more independent outlets), ``single-source`` or ``disputed``."""
    agreed_on: list[str] = field(default_factory=list)
    """When some of the articles do not say the whole sentence but share specific values with
    it (a number with its unit, a date, a time, a name), those values as the sentence words
    them: what all of the articles agree on ("100,000 troops")."""


@dataclass(slots=True)
class ConflictSide:
    value: str
    text: str
    articles: list[str]


@dataclass(slots=True)
class Conflict:
    """Outlets giving different values for the same thing."""

    what: str
    sides: list[ConflictSide]
    compared: str
    """What the check compared, so a reader can judge it."""
    kind: str = "disagreement"
    """``disagreement`` (outlets differ) or ``update`` (a later report revised the value)."""


@dataclass(slots=True)
class Quote:
    text: str
    speaker: str | None
    articles: list[str]
    evidence: str | None = None
    """The sentence that attributes the quote to its speaker, as the first article to name the
    speaker has it (None when no speaker is named)."""


@dataclass(slots=True)
class Entity:
    name: str
    kind: str
    articles: list[str]
    outlets: int


@dataclass(slots=True)
class TimelineEvent:
    """A date a story's sentences mention: ``date`` is ISO, or ``--MM-DD`` when no year could
    be found. A relative date ("Thursday", "Dec. 7") carries the day it was counted from
    (``resolved_from``, ISO) and what that day is (``resolved_by``): the ``article``'s
    publication date, the ``story``'s first report, or a date the ``text`` shows it was
    written after."""

    date: str
    text: str
    articles: list[str]
    resolved_from: str | None = None
    resolved_by: str | None = None


@dataclass(slots=True)
class Omission:
    """An article left out of one part of a brief, and why.

    A brief is built stage by stage (``analysis``, ``summary``, ``facts``, ``conflicts``,
    ``quotes``, ``entities``, ``timeline``, ``coverage``, ``headline``; ``text`` when only the
    start of an over-long text is read, ``date`` when a placeholder publication time is read
    as none). An article that makes a stage fail is left out of that stage alone, so one bad
    article never takes its story's brief down."""

    article: str
    stage: str
    reason: str


@dataclass(slots=True)
class Comparison:
    """What the articles of one story agree on, disagree on, quote and name
    (:func:`newsfold.compare.compare`): the parts of a :class:`Brief` that the compare stage
    finds, under the same names."""

    facts: list[Fact] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    omitted: list[Omission] = field(default_factory=list)
    """Articles left out of a part, and why (empty as a rule)."""


@dataclass(slots=True)
class Brief:
    """One story's brief: everything ``newsfold show`` prints. Past its headline and summary,
    it holds the parts of the story's :class:`Comparison`."""

    id: str
    headline: str
    articles: list[Article]
    summary: list[SummarySentence]
    facts: list[Fact]
    conflicts: list[Conflict] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    omitted: list[Omission] = field(default_factory=list)
    """Articles left out of a part of the brief (see :class:`Omission`); empty as a rule."""

    @property
    def sources(self) -> list[str]:
        seen: dict[str, None] = {}
        for a in self.articles:
            seen.setdefault(a.outlet, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "articles": [a.ref() for a in self.articles],
            "sources": self.sources,
            "summary": [
                {"text": s.text, "citations": s.citations, "article": s.article_id}
                for s in self.summary
            ],
            "facts": [asdict(f) for f in self.facts],
            "conflicts": [asdict(c) for c in self.conflicts],
            "quotes": [asdict(q) for q in self.quotes],
            "entities": [asdict(e) for e in self.entities],
            "timeline": [asdict(t) for t in self.timeline],
            "coverage": self.coverage,
            # Present only when an article was left out: a brief that left none out has no key.
            **({"omitted": [asdict(o) for o in self.omitted]} if self.omitted else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], positions: Sequence[int] = ()) -> Brief:
        """The brief :meth:`to_dict` gave (read back from JSON): its ``to_dict`` is ``data``
        again. The articles carry their reference fields only (no text), and the summary
        sentences the ``positions`` given (0 for those past them)."""
        summary = [SummarySentence(s["text"], list(s["citations"]), s["article"],
                                   positions[i] if i < len(positions) else 0)
                   for i, s in enumerate(data["summary"])]
        return cls(
            id=data["id"],
            headline=data["headline"],
            articles=[Article(id=a["id"], title=a["title"], text="", url=a["url"],
                              source=a["source"], published=a["published"],
                              duplicate_of=a["duplicate_of"], wire=a["wire"])
                      for a in data["articles"]],
            summary=summary,
            facts=[Fact(**f) for f in data["facts"]],
            conflicts=[Conflict(what=c["what"], sides=[ConflictSide(**x) for x in c["sides"]],
                                compared=c["compared"], kind=c["kind"])
                       for c in data["conflicts"]],
            quotes=[Quote(**q) for q in data["quotes"]],
            entities=[Entity(**e) for e in data["entities"]],
            timeline=[TimelineEvent(**t) for t in data["timeline"]],
            coverage=data["coverage"],
            omitted=[Omission(**o) for o in data.get("omitted", [])],
        )
