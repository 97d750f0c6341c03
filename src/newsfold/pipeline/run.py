"""The ingest flow: read → prepare → dedupe → cluster → store, in batches; then refresh.

Items are read (:func:`~newsfold.ingest.readers.read_items`) and prepared one by one
(:mod:`.prepare`: parsed, cleaned, hashed, signed, featurized; for an input larger than one
batch in a worker process, :mod:`.executor`). Each batch is put in publication order (articles
without a date keep their place in the input, next to the dated article before them), its
copies are found, its articles clustered, and it is written in one transaction, so a killed run
leaves every earlier batch stored and nothing half-written; running the same ingest again adds
nothing twice. Last, the headlines of the stories touched are picked again.

Several processes may ingest into one store at once (two ingests, a server and an ingest).
Each batch is decided under the store's write lock: the pipeline first catches up with the
articles, merges and merge-pass marks other processes stored since it last looked (by the
store's sequence numbers), then decides, writes, evicts and merges in the same transaction.
Two writers therefore make the stories and copy groups, ids included, of one process deciding
the same batches in the same order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cluster import Clusterer
from ..dedupe import Deduper, find_copies
from ..errors import InputError
from ..gcpause import collect_young, gc_paused
from ..ingest.readers import read_items
from ..records import Article, parse_iso
from ..settings import Settings
from ..store import NewRow, Store, StoredRow
from .executor import prepared_in_order
from .headlines import refresh_headlines
from .prepare import Prepared, Preparer, admitted, publication_order

if TYPE_CHECKING:
    from ..ingest.feeds import FetchContext

log = logging.getLogger(__name__)

__all__ = ["ORDER_SLACK_SECONDS", "IngestReport", "Pipeline"]

ORDER_SLACK_SECONDS = 7 * 86400.0
"""How far a batch may reach back before earlier batches without an order warning."""


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    duplicates: int = 0
    already_stored: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(item, reason) for every input item that was not stored."""
    new_stories: list[str] = field(default_factory=list)
    touched_stories: list[str] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)
    """(kept story id, absorbed story id) for every merge this run made."""

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary_line(self) -> str:
        reasons: dict[str, int] = {}
        for _, reason in self.skipped:
            key = reason.split(" (")[0].split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        skipped = f"{len(self.skipped)} skipped"
        if reasons:
            skipped += " (" + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items())) + ")"
        return (
            f"ingested: {self.added} added ({self.duplicates} duplicates), "
            f"{self.already_stored} already stored, {skipped}; "
            f"{_stories(len(self.touched_stories))} touched, {len(self.new_stories)} new"
            + (f", {_stories(len(self.merges))} merged into "
               f"{'an earlier one' if len(self.merges) == 1 else 'earlier ones'}"
               if self.merges else "")
        )


def _stories(n: int) -> str:
    return f"{n} stor{'y' if n == 1 else 'ies'}"


class Pipeline:
    """Holds the dedupe and clustering state of one store for a run of ingests."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.deduper = Deduper(threshold=settings.dedupe_threshold, num_perm=settings.dedupe_num_perm)
        self.clusterer = Clusterer(settings)
        self.preparer = Preparer(settings.dedupe_num_perm, self.clusterer.params)
        self._stories: set[str] = set()
        self._latest: float | None = None
        """The latest publication time ingested by this pipeline (for the order warning)."""
        self._warned_order = False
        self._marks = (0, 0)
        """(last article seq, last merge record) of the store that this state has taken in."""
        self.stale = False
        """A batch failed after deciding some articles: this state is ahead of the store, so
        it must not be used again (:class:`newsfold.Newsfold` makes a new pipeline)."""
        self._restore()

    # -- the flow -------------------------------------------------------------------------
    def ingest_paths(
        self, paths: Iterable[str | Path], progress: Callable[[int], object] | None = None,
        *, fetch: FetchContext | None = None,
    ) -> IngestReport:
        """Ingest every item under ``paths``; ``http(s)://`` paths are read through ``fetch``."""
        items = read_items(paths, follow_symlinks=self.settings.ingest_follow_symlinks,
                           fetch=fetch)
        return self._ingest(items, progress)

    def ingest_articles(self, articles: Iterable[Article]) -> IngestReport:
        """Ingest already-built articles (the Python and REST API path); each goes through the
        same door as read ones (:func:`newsfold.ingest.door.admit`)."""
        return self._ingest(admitted(articles), None)

    def _ingest(
        self, items: Iterator[object], progress: Callable[[int], object] | None
    ) -> IngestReport:
        """Prepare the items, decide and store them batch by batch (:meth:`_process`), then
        pick the touched stories' headlines again."""
        report = IngestReport()
        with gc_paused():  # collected between batches instead (see newsfold.gcpause)
            prepared = prepared_in_order(items, self.preparer, progress=progress,
                                         batch_size=self.settings.batch_size,
                                         worker=self.settings.ingest_worker)
            for batch in self._batches(prepared, report):
                self._process(batch, report)
                collect_young()
        report.touched_stories = sorted(set(report.touched_stories))
        refresh_headlines(self.store, report.touched_stories, self.settings.brief_max_articles)
        return report

    def _batches(
        self, prepared: Iterator[Prepared | InputError], report: IngestReport
    ) -> Iterator[list[Prepared]]:
        """Batches of ``batch_size`` prepared articles; input errors go to the report."""
        batch: list[Prepared] = []
        for entry in prepared:
            if isinstance(entry, InputError):
                self._skip(report, entry.item,
                           entry.reason + (f" ({entry.hint})" if entry.hint else ""))
                continue
            batch.append(entry)
            if len(batch) >= self.settings.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _process(self, batch: list[Prepared], report: IngestReport) -> None:
        """Decide and store one batch: under the store's write lock, catch up with other
        writers, decide every article, write them, evict and merge, in one transaction."""
        prepared = {id(p.article): p for p in batch}
        self._check_order(batch)
        # sentence vectors (cluster_embeddings only), in one batch, in this process: the
        # model's threads stay out of the forked worker; before the lock: they are slow
        self.clusterer.add_dense([p.article for p in batch], [p.features for p in batch])
        ordered = publication_order([p.article for p in batch])
        locked = False
        try:
            with self.store.transaction():
                locked = True
                self.catch_up()
                self._decide(ordered, prepared, report)
                self._marks = self.store.marks()
        except BaseException:
            if locked:  # decisions were made in memory that the store rolled back
                self.stale = True
            raise

    def _decide(self, ordered: list[Article], prepared: dict[int, Prepared],
                report: IngestReport) -> None:
        """Dedupe, cluster and write a batch in publication order; then evict and merge."""
        fresh = self._unstored(ordered, prepared, report)
        copies = find_copies(self.deduper, [(a, a.content_hash, prepared[id(a)].signature)
                                            for a in fresh])
        rows: list[NewRow] = []
        touched: dict[str, str] = {}
        for article, canonical in zip(fresh, copies, strict=True):
            prep = prepared[id(article)]
            story_id = self._cluster(article, canonical, prep, report)
            touched.setdefault(story_id, article.title)
            rows.append(NewRow(article, prep.features, prep.signature))
        if not rows:
            return
        self.store.write_batch(rows, touched)
        report.touched_stories.extend(touched)
        self._evict()
        self._merge(report)
        self.store.set_compared(self.clusterer.compared_of(list(touched)))

    def _unstored(self, ordered: list[Article], prepared: dict[int, Prepared],
                  report: IngestReport) -> list[Article]:
        """The articles whose ids are neither stored nor earlier in the batch, their content
        hashes set. A known id with the same content is counted as already stored; with other
        content the article is skipped."""
        fresh: list[Article] = []
        seen_in_batch: dict[str, str] = {}
        stored = self.store.content_hashes(a.id for a in ordered)
        for article in ordered:
            article.content_hash = prepared[id(article)].content_hash
            known = seen_in_batch.get(article.id) or stored.get(article.id)
            if known is not None:
                if known == article.content_hash:
                    report.already_stored += 1
                else:
                    self._skip(
                        report, article.origin,
                        f"id {article.id!r} is already used by another article "
                        "(give the item its own 'id' or rename the file)",
                    )
                continue
            seen_in_batch[article.id] = article.content_hash
            fresh.append(article)
        return fresh

    def _cluster(self, article: Article, canonical: str | None, prep: Prepared,
                 report: IngestReport) -> str:
        """Put an article in a story (its id returned): a copy in its original's, any other
        where the clusterer decides."""
        # the clusterer knows every stored article's current story (merges included)
        original_story = self.clusterer.story_of(canonical) if canonical else None
        if canonical is not None and original_story is not None:
            article.duplicate_of = canonical
            self.clusterer.add_to_story(article.id, prep.features, article.published,
                                        original_story)
            story_id = original_story
            report.duplicates += 1
        else:
            story_id = self.clusterer.assign(article.id, prep.features, article.published,
                                             prep.tf)
        article.story_id = story_id
        if story_id not in self._stories:
            self._stories.add(story_id)
            report.new_stories.append(story_id)
        report.added += 1
        report.added_ids.append(article.id)
        return story_id

    # -- the state: restored from the store, caught up with other writers --------------------
    def _restore(self) -> None:
        with gc_paused(), self.store.snapshot():
            self._marks = self.store.marks()
            for old, new in self.store.merges():
                self.clusterer.alias(old, new)
            # The stories dormant once every stored article is in are freed as the restore
            # goes (with the final horizon, so no story that a later row joins goes early):
            # memory stays bounded by the active window however large the store.
            latest = [dt.timestamp() for p in
                      self.store.latest_published(self.clusterer.params.clock_rank)
                      if (dt := parse_iso(p)) is not None]
            cut = self.clusterer.horizon_of(latest)
            every = max(1, self.settings.batch_size)
            for n, row in enumerate(self.store.state_rows(), 1):
                self._absorb(row, cut)
                if cut is not None and n % every == 0:
                    self.clusterer.evict(cut)
            # the processes that stored these articles compared their stories for merges in
            # the same transactions: compared again now, a process that started later than
            # another writer made merges one process would not have
            self.clusterer.settle(set(), self.store.compared())
            self._evict()
        collect_young()
        if self.clusterer.without_dense:
            log.warning(
                "%d stored articles have no sentence vector (ingested with cluster_embeddings "
                "off): their stories get no sentence-vector evidence; re-ingest them into a new "
                "database to use cluster_embeddings throughout", self.clusterer.without_dense)

    def _absorb(self, row: StoredRow, forget_before: float | None = None) -> None:
        """Take a stored article into the dedupe and clustering state without deciding. An
        article dated before ``forget_before`` is one the copy detector would forget at once
        (see :meth:`Deduper.evict`): it is not added to it."""
        if row.signature is not None:
            dt = parse_iso(row.published)
            ts = None if dt is None else dt.timestamp()
            if ts is None or forget_before is None or ts >= forget_before:
                self.deduper.add(row.id, row.content_hash, row.signature, row.duplicate_of, ts)
        self._stories.add(row.story_id)
        if row.duplicate_of is None:
            self.clusterer.restore(row.id, row.features, row.published, row.story_id)
        else:
            self.clusterer.add_to_story(row.id, row.features, row.published, row.story_id)

    def catch_up(self) -> int:
        """Take in what other processes stored since this state last looked (their articles
        and merges, by the store's sequence numbers), as a restart would; return how many
        articles. Called under the write lock, before a batch is decided, so the decisions
        build on everything stored, whichever process stored it."""
        marks = self.store.marks()
        if marks == self._marks:
            return 0
        seq, merge_mark = self._marks
        before = set(self.clusterer.dirty)
        n = 0
        with gc_paused():
            for old, new in self.store.merges(after=merge_mark):
                self.clusterer.replay_merge(old, new)
            for row in self.store.state_rows(after=seq):
                self._absorb(row)
                n += 1
            self.clusterer.settle(before, self.store.compared(self.clusterer.dirty_ids(before)))
            self._evict()
        self._marks = marks
        if n:
            log.debug("caught up with %d articles stored by another process", n)
        return n

    # -- between batches -------------------------------------------------------------------
    @staticmethod
    def _skip(report: IngestReport, item: str, reason: str) -> None:
        log.warning("skipped %s: %s", item, reason)
        report.skipped.append((item, reason))

    def _check_order(self, batch: list[Prepared]) -> None:
        """Warn once when a batch reaches back more than a week before what earlier batches
        held: each batch is put in publication order, but stories form best when the whole
        input arrives in that order (sort large archives by date before ingesting them)."""
        times = [t.timestamp() for p in batch if (t := p.article.published_at) is not None]
        if not times:
            return
        if (self._latest is not None and not self._warned_order
                and min(times) < self._latest - ORDER_SLACK_SECONDS):
            self._warned_order = True
            log.warning(
                "input is not in publication order: articles from before what was already "
                "ingested; stories form best from input sorted by date (sort the file by "
                "'published' before ingesting it)")
        self._latest = max(times) if self._latest is None else max(self._latest, max(times))

    def _evict(self) -> None:
        """Forget the clustering and copy-detection state of stories dormant for good."""
        stories = self.clusterer.evict()
        articles = self.deduper.evict(self.clusterer.horizon())
        if stories or articles:
            log.debug("evicted %d dormant stories, %d old signatures", stories, articles)

    def _merge(self, report: IngestReport) -> None:
        """Fold stories that have grown together (the older id stays; the merge is recorded)."""
        merges = self.clusterer.merge_pass()
        if not merges:
            return
        self.store.merge_stories(merges)
        absorbed = {old for _, old in merges}
        for kept, old in merges:
            log.info("story %s merged into %s", old, kept)
        report.merges.extend(merges)
        current = self.clusterer.current_id
        report.touched_stories = list(dict.fromkeys(current(s) for s in report.touched_stories))
        report.new_stories = [s for s in report.new_stories if s not in absorbed]
