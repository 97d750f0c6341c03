"""The Python API. The CLI, the web pages and the REST API are thin shells over it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .ingest.readers import parse_item, read_items
from .pipeline import IngestReport, Pipeline, publication_order
from .pipeline.headlines import sample_articles
from .records import Article, Brief, StoryInfo
from .settings import Settings
from .store import Store, open_store
from .store.search import SearchResults

if TYPE_CHECKING:
    from .ingest.feeds import FetchContext

log = logging.getLogger(__name__)


class Newsfold:
    """A newsfold database: ingest articles, list stories, read briefs.

    >>> nf = Newsfold(":memory:")
    >>> report = nf.ingest(["examples/articles"])          # doctest: +SKIP
    >>> brief = nf.brief(nf.stories()[0].id)               # doctest: +SKIP
    """

    def __init__(self, db: str | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        if db is not None:
            self.settings = Settings.from_env(db=db) if settings is None else settings
            self.path = db
        else:
            self.path = self.settings.db
        self.store: Store = open_store(self.path, self.settings)
        self._pipeline: Pipeline | None = None

    def __enter__(self) -> Newsfold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def pipeline(self) -> Pipeline:
        """The dedupe and clustering state; a new one after a batch that failed half-way
        (its state had run ahead of the store)."""
        if self._pipeline is None or self._pipeline.stale:
            self._pipeline = Pipeline(self.store, self.settings)
        return self._pipeline

    # -- writing --------------------------------------------------------------------------
    def ingest(
        self, paths: Iterable[str | Path], progress: Callable[[int], object] | None = None,
        *, fetch: FetchContext | None = None,
    ) -> IngestReport:
        """Read, clean, deduplicate, cluster and store every article under ``paths``.

        ``http(s)://`` paths are fetched (feeds and pages) through ``fetch``, else through a
        fetch context of this database's own; URLs and feed GUIDs already stored are not
        fetched again. ``progress(1)`` is called for each item read.
        """
        paths = list(paths)
        with _fetching(paths, fetch, self.store, self.settings) as ctx:
            return self.pipeline.ingest_paths(paths, progress, fetch=ctx)

    def add_articles(self, articles: Iterable[Article]) -> IngestReport:
        """Ingest articles built in Python (ids must be unique)."""
        return self.pipeline.ingest_articles(articles)

    # -- reading --------------------------------------------------------------------------
    def stories(self, limit: int | None = None, offset: int = 0) -> list[StoryInfo]:
        """Stories, most recent activity first."""
        return self.store.stories(limit=limit, offset=offset)

    def story_count(self) -> int:
        return self.store.story_count()

    def search(self, query: str, limit: int = 20, offset: int = 0) -> SearchResults:
        """Full-text search over articles (title and text) and the stories they belong to."""
        return self.store.search(query, limit=limit, offset=offset)

    def story(self, story_id: str) -> StoryInfo:
        """One story's row; the id of a story that was merged away finds the story it joined."""
        return self.store.story_info(self.resolve_story_id(story_id))

    def resolve_story_id(self, story_id: str) -> str:
        """``story_id``, or the id of the story it was merged into (merges keep the older id)."""
        if self.store.has_story(story_id):
            return story_id
        return self.store.merged_into(story_id) or story_id

    def brief(self, story_id: str, max_words: int | None = None) -> Brief:
        """The brief of one story (raises NotFoundError for an unknown id).

        The entity model's mentions are cached in the store by sentence text, so a later brief
        of the same sentences does not load the model again."""
        from .summarize import build_brief

        story_id = self.resolve_story_id(story_id)
        self.store.story_info(story_id)
        articles = self.store.story_articles(story_id)
        budget = max_words or self.settings.summary_max_words
        limit = self.settings.brief_max_articles
        ner = self.settings.brief_entity_model
        if len(articles) <= limit:
            return build_brief(story_id, articles, budget, use_ner=ner, mentions_cache=self.store)
        brief = build_brief(story_id, sample_articles(articles, limit), budget, use_ner=ner,
                            mentions_cache=self.store)
        brief.coverage["sampled"] = {"articles_read": limit, "articles_in_story": len(articles)}
        return brief

    def article(self, article_id: str) -> Article:
        return self.store.article(article_id)

    def articles(self) -> Iterator[Article]:
        """Every stored article, in the order it was added."""
        return self.store.articles()


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def read_articles(paths: Iterable[str | Path], settings: Settings | None = None) -> ReadResult:
    """Read and clean articles from paths without storing them; errors are collected.

    ``settings`` (default: from the environment) say whether links out of a folder are
    followed, and how ``http(s)://`` paths are fetched (nothing is remembered of them)."""
    settings = settings or Settings.from_env()
    paths = list(paths)
    result = ReadResult()
    with _fetching(paths, None, None, settings) as fetch:
        for item in read_items(paths, follow_symlinks=settings.ingest_follow_symlinks,
                               fetch=fetch):
            if isinstance(item, InputError):
                result.errors.append(item)
                continue
            try:
                result.articles.append(parse_item(item))
            except InputError as err:
                result.errors.append(err)
    return result


@contextmanager
def _fetching(paths: list[str | Path], fetch: FetchContext | None, store: Store | None,
              settings: Settings) -> Iterator[FetchContext | None]:
    """``fetch``; else, when some path is a URL, a fetch context on ``store`` made from
    ``settings`` for the block (any address may be fetched: the caller is Python or the
    command line); else None."""
    if fetch is not None or not any(
            str(p).lower().startswith(("http://", "https://")) for p in paths):
        yield fetch
        return
    from .ingest.feeds import fetch_context

    with fetch_context(store, settings, allow_private=True) as own:
        yield own


@dataclass
class GroupSummary:
    group: str
    brief: Brief


def summarize_articles(
    articles: list[Article], group_by: str | None = None, max_words: int = 120,
    use_ner: bool = True,
) -> list[GroupSummary]:
    """Summarise articles as one story, or one per value of ``group_by``, storing nothing
    (``use_ner``: typed entities from spaCy's model when it is installed)."""
    from .summarize import build_brief

    groups: dict[str, list[Article]] = {}
    for a in articles:
        key = "all" if not group_by else _group_value(a, group_by)
        groups.setdefault(key, []).append(a)
    return [
        GroupSummary(key, build_brief(key, mark_duplicates(members), max_words, use_ner=use_ner))
        for key, members in groups.items()
    ]


def mark_duplicates(articles: list[Article]) -> list[Article]:
    """The articles in publication order, each copy's ``duplicate_of`` set (nothing stored)."""
    from .dedupe import Deduper, content_hash, find_copies

    deduper = Deduper()
    ordered = publication_order(articles)
    for a in ordered:
        a.content_hash = content_hash(a.title, a.text)
    copies = find_copies(deduper, [(a, a.content_hash, deduper.signature(a)) for a in ordered])
    for a, canonical in zip(ordered, copies, strict=True):
        a.duplicate_of = canonical
    return ordered


def _group_value(article: Article, name: str) -> str:
    value: Any = getattr(article, name, None) if name in _ARTICLE_FIELDS else None
    if value is None:
        value = article.metadata.get(name)
    return "" if value is None else str(value)


_ARTICLE_FIELDS = {"id", "title", "url", "source", "published", "language", "author", "story_id"}
