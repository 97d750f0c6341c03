"""The Python API. The CLI, the web pages and the REST API are thin shells over it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, StoreError
from .ingest.readers import parse_item, read_items
from .pipeline import IngestReport, Pipeline, publication_order
from .pipeline.headlines import sample_articles
from .records import Article, Brief, StoryInfo
from .settings import Settings
from .store import Store, open_store
from .store.search import SearchResults

if TYPE_CHECKING:
    from .export import StoryRow
    from .ingest.feeds import FetchContext
    from .summarize.stored import StoredBrief

log = logging.getLogger(__name__)

CACHE_WAIT = 0.5
"""Seconds a brief built on request waits for the store's write lock to be stored: storing it
only saves the next request's time."""


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
        """The brief of one story, built now (raises NotFoundError for an unknown id).

        The entity model's mentions are cached in the store by sentence text, so a later brief
        of the same sentences does not load the model again."""
        story_id = self.resolve_story_id(story_id)
        self.store.story_info(story_id)
        return self._build(story_id, self.store.story_articles(story_id), max_words)

    def _build(self, story_id: str, articles: list[Article], max_words: int | None) -> Brief:
        from .summarize import build_brief

        budget = max_words or self.settings.summary_max_words
        limit = self.settings.brief_max_articles
        ner = self.settings.brief_entity_model
        if len(articles) <= limit:
            return build_brief(story_id, articles, budget, use_ner=ner, mentions_cache=self.store)
        brief = build_brief(story_id, sample_articles(articles, limit), budget, use_ner=ner,
                            mentions_cache=self.store)
        brief.coverage["sampled"] = {"articles_read": limit, "articles_in_story": len(articles)}
        return brief

    @property
    def brief_recipe(self) -> str:
        """What this database's briefs are built by besides their articles (see
        :func:`newsfold.summarize.stored.recipe`)."""
        from .summarize.stored import recipe

        return recipe(self.settings)

    def stored_brief(self, story_id: str, *, build: bool = True) -> StoredBrief | None:
        """The brief of one story as the store keeps it, with what the story page needs
        (raises NotFoundError for an unknown id): the stored one when it is current (built
        from the story's present articles by this :attr:`brief_recipe`); else, with
        ``build``, built now and stored (a store too busy to take it in a moment is left as
        it is), else None. Its output is that of :meth:`brief`."""
        from .summarize.stored import StoredBrief

        story_id = self.resolve_story_id(story_id)
        version = self.store.story_version(story_id)
        kept = self.store.get_brief(story_id, self.brief_recipe)
        if kept is not None and kept[0] == version:
            return StoredBrief.from_json(kept[1], version)
        if not build:
            return None
        (built,) = self.build_briefs([story_id], wait=CACHE_WAIT)
        return built

    def build_briefs(self, story_ids: Iterable[str], wait: float | None = CACHE_WAIT
                     ) -> list[StoredBrief]:
        """Build the briefs of ``story_ids`` now and store them, in one write (waiting up to
        ``wait`` seconds for the store's write lock, None: the ``busy_timeout`` setting; a
        store that cannot be written within a given ``wait``, busy or read-only, is left as
        it is). Each is built from one state of its story, stored with that state's version.
        An id merged away builds the story it joined."""
        from .summarize.stored import StoredBrief

        built: list[StoredBrief] = []
        for story_id in story_ids:
            story_id = self.resolve_story_id(story_id)
            with self.store.snapshot():
                version = self.store.story_version(story_id)
                articles = self.store.story_articles(story_id)
            built.append(StoredBrief.of(self._build(story_id, articles, None), version))
        recipe = self.brief_recipe
        rows = [(b.brief.id, b.version, recipe, b.to_json()) for b in built]
        try:
            self.store.put_briefs(rows, wait=wait)
        except StoreError as exc:
            if wait is None:
                raise
            log.info("%d briefs not stored: %s", len(rows), exc)
        return built

    def story_rows(self, *, build_briefs: bool = False) -> Iterator[StoryRow]:
        """Every story as ``newsfold export --what stories`` writes it, most recent activity
        first: counts, outlets, dates, activity time and the summary of its current stored
        brief (``build_briefs``: build and store the missing ones first, slow on a large
        store; else such a story's summary is empty)."""
        from .export import story_rows

        return story_rows(self, build_briefs=build_briefs)

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
    use_ner: bool = True, settings: Settings | None = None,
) -> list[GroupSummary]:
    """Summarise articles as one story, or one per value of ``group_by``, storing nothing
    (``use_ner``: typed entities from spaCy's model when it is installed; ``settings``: the
    copy detection's threshold and permutations, as ingest uses them)."""
    from .summarize import build_brief

    groups: dict[str, list[Article]] = {}
    for a in articles:
        key = "all" if not group_by else _group_value(a, group_by)
        groups.setdefault(key, []).append(a)
    return [
        GroupSummary(key, build_brief(key, mark_duplicates(members, settings), max_words,
                                      use_ner=use_ner))
        for key, members in groups.items()
    ]


def mark_duplicates(articles: list[Article], settings: Settings | None = None) -> list[Article]:
    """The articles in publication order, each copy's ``duplicate_of`` set (nothing stored),
    copies found with the settings' ``dedupe_threshold`` and ``dedupe_num_perm``."""
    from .dedupe import Deduper, content_hash, find_copies

    s = settings or Settings()
    deduper = Deduper(threshold=s.dedupe_threshold, num_perm=s.dedupe_num_perm)
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
