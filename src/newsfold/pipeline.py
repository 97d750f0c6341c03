"""The ingest pipeline: read → clean → dedupe → cluster → store, in batches.

Each batch is sorted into publication order (articles without a date keep their place in the
input, next to the dated article before them) and written in one transaction, so a killed run
leaves every earlier batch stored and nothing half-written; running the same ingest again adds
nothing twice.

The per-article work that needs no shared state (parsing and cleaning, the content hash, the
MinHash signature, the clustering features) is a pure function of the item. Past the first
batch of a large input it runs in one worker process, a few chunks ahead, while this process
deduplicates, clusters and stores strictly in input order, so results are identical to a
serial run.

Several processes may ingest into one store at once (two ingests, a server and an ingest).
Each batch is decided under the store's write lock: the pipeline first catches up with the
articles, merges and merge-pass marks other processes stored since it last looked (by the
store's sequence numbers), then decides, writes, evicts and merges in the same transaction.
Two writers therefore make the stories and copy groups, ids included, of one process deciding
the same batches in the same order.
"""

from __future__ import annotations

import gc
import logging
import math
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .cluster import Clusterer, featurize
from .dedupe import Deduper, content_hash
from .errors import InputError
from .gcpause import collect_young, gc_paused
from .ingest.readers import parse_item, read_items
from .records import Article, parse_iso
from .settings import Settings
from .store import NewRow, SQLiteStore, StoredRow

log = logging.getLogger(__name__)


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
            f"{len(self.touched_stories)} stories touched, {len(self.new_stories)} new"
            + (f", {len(self.merges)} merged into older stories" if self.merges else "")
        )


class Pipeline:
    """Holds the dedupe and clustering state of one store for a run of ingests."""

    def __init__(self, store: SQLiteStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.deduper = Deduper(threshold=settings.dedupe_threshold, num_perm=settings.dedupe_num_perm)
        self.clusterer = Clusterer(settings)
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

    def _restore(self) -> None:
        with gc_paused(), self.store.snapshot():
            self._marks = self.store.marks()
            for old, new in self.store.merges():
                self.clusterer.alias(old, new)
            for row in self.store.state_rows():
                self._absorb(row)
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

    def _absorb(self, row: StoredRow) -> None:
        """Take a stored article into the dedupe and clustering state without deciding."""
        if row.signature is not None:
            dt = parse_iso(row.published)
            self.deduper.add(row.id, row.content_hash, row.signature, row.duplicate_of,
                             None if dt is None else dt.timestamp())
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

    # -- public ---------------------------------------------------------------------------
    def ingest_paths(
        self, paths: Iterable[str | Path], progress: Callable[[int], object] | None = None
    ) -> IngestReport:
        report = IngestReport()
        follow = self.settings.ingest_follow_symlinks
        self._run(read_items(paths, follow_symlinks=follow), report, progress)
        return report

    def ingest_articles(self, articles: Iterable[Article]) -> IngestReport:
        """Ingest already-built articles (the Python and REST API path); each goes through the
        same door as read ones (:func:`newsfold.ingest.door.admit`)."""
        report = IngestReport()
        self._run(_admitted(articles), report, None)
        return report

    # -- internals ------------------------------------------------------------------------
    def _run(
        self,
        items: Iterator[object],
        report: IngestReport,
        progress: Callable[[int], object] | None,
    ) -> None:
        batch: list[_Prepared] = []
        with gc_paused():  # collected between batches instead (see newsfold.gcpause)
            for entry in self._prepared(items, progress):
                if isinstance(entry, InputError):
                    self._skip(report, entry.item,
                               entry.reason + (f" ({entry.hint})" if entry.hint else ""))
                    continue
                batch.append(entry)
                if len(batch) >= self.settings.batch_size:
                    self._process(batch, report)
                    batch = []
                    collect_young()
            if batch:
                self._process(batch, report)
        touched = set(report.touched_stories)
        report.touched_stories = sorted(touched)

    def _prepared(
        self, items: Iterator[object], progress: Callable[[int], object] | None
    ) -> Iterator[_Prepared | InputError]:
        """Every item as a prepared article or an input error, in input order.

        The first batch is prepared here; if more items follow (and a worker can be forked),
        the rest is prepared by one worker process, chunks of :data:`_CHUNK`
        items ahead of the caller (:data:`_AHEAD_BATCHES` batches' worth). A chunk the worker
        cannot deliver is prepared here.
        """
        it = iter(items)
        worker = _Worker(self.settings)
        first = list(islice(it, self.settings.batch_size))
        rest: list[object] = list(islice(it, 1))
        if progress:
            for _ in first + rest:
                progress(1)
        context = _fork_context() if rest and _PARALLEL else None
        if context is None:
            for item in first + rest:
                yield worker.prepare(item)
            for item in it:
                if progress:
                    progress(1)
                yield worker.prepare(item)
            return
        pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                   initializer=_init_worker,
                                   initargs=(self.settings, os.getpid()))
        pending: deque[tuple[list[object], Future[list[Any]] | None]] = deque()
        chunks = _chunks(rest, it, progress)
        broken = False

        def submit() -> bool:
            nonlocal broken
            chunk = next(chunks, None)
            if chunk is None:
                return False
            future = None
            if not broken:
                try:
                    future = pool.submit(_prepare_chunk, [_wire(x) for x in chunk])
                except (BrokenProcessPool, RuntimeError, OSError) as exc:
                    log.debug("ingest worker unavailable (%s): preparing here", exc)
                    broken = True
            pending.append((chunk, future))
            return True

        try:
            for _ in range(max(2, math.ceil(_AHEAD_BATCHES * self.settings.batch_size / _CHUNK))):
                if not submit():
                    break
            for item in first:
                yield worker.prepare(item)
            while pending:
                chunk, future = pending.popleft()
                submit()
                results = None
                if future is not None:
                    try:
                        results = future.result()
                    except BrokenProcessPool as exc:
                        log.debug("ingest worker died (%s): preparing here", exc)
                        broken = True
                if results is None:
                    for item in chunk:
                        yield worker.prepare(item)
                else:
                    for item, result in zip(chunk, results, strict=True):
                        yield worker.unwire(item, result)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _skip(report: IngestReport, item: str, reason: str) -> None:
        log.warning("skipped %s: %s", item, reason)
        report.skipped.append((item, reason))

    def _process(self, batch: list[_Prepared], report: IngestReport) -> None:
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

    def _decide(self, ordered: list[Article], prepared: dict[int, _Prepared],
                report: IngestReport) -> None:
        rows: list[NewRow] = []
        touched: dict[str, str] = {}
        seen_in_batch: dict[str, str] = {}
        stored = self.store.content_hashes(a.id for a in ordered)
        for article in ordered:
            prep = prepared[id(article)]
            article.content_hash = prep.content_hash
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
            signature = prep.signature
            canonical = self.deduper.find(article, article.content_hash, signature)
            features = prep.features
            # the clusterer knows every stored article's current story (merges included)
            original_story = self.clusterer.story_of(canonical) if canonical else None
            if canonical is not None and original_story is not None:
                article.duplicate_of = canonical
                self.clusterer.add_to_story(article.id, features, article.published, original_story)
                story_id = original_story
                report.duplicates += 1
            else:
                story_id = self.clusterer.assign(article.id, features, article.published)
            article.story_id = story_id
            published_at = article.published_at
            self.deduper.add(article.id, article.content_hash, signature, canonical,
                             None if published_at is None else published_at.timestamp())
            if story_id not in self._stories:
                self._stories.add(story_id)
                report.new_stories.append(story_id)
            touched.setdefault(story_id, article.title)
            rows.append(NewRow(article, features, signature))
            report.added += 1
            report.added_ids.append(article.id)
        if rows:
            self.store.write_batch(rows, touched)
            report.touched_stories.extend(touched)
            self._evict()
            self._merge(report)
            self.store.set_compared(self.clusterer.compared_of(list(touched)))

    def _check_order(self, batch: list[_Prepared]) -> None:
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


ORDER_SLACK_SECONDS = 7 * 86400.0
"""How far a batch may reach back before earlier batches without an order warning."""
_PARALLEL = True
"""Prepare items in a worker process past the first batch (off: everything in this process)."""
_CHUNK = 250
"""Items per chunk sent to the worker."""
_AHEAD_BATCHES = 2
"""Chunks in flight at once: enough for this many ingest batches (bounds the memory of the
read-ahead). The caller takes no item while it stores a batch, so the worker must be able to
prepare the whole next batch meanwhile: with 6 chunks (1,500 items) for batches of 2,000 the
caller waited on the worker for the rest of every batch (100k articles: 6.5 s of the main
process's wall time not spent on its CPU; with two batches in flight 1.5 s)."""


@dataclass(slots=True)
class _Prepared:
    """An article with the state-free results of the dedupe and clustering stages."""

    article: Article
    content_hash: str
    signature: bytes
    features: dict[str, Any]


class _Worker:
    """The state-free per-article work: parse and clean, hash, sign, featurize."""

    def __init__(self, settings: Settings) -> None:
        self.deduper = Deduper(threshold=settings.dedupe_threshold,
                               num_perm=settings.dedupe_num_perm)

    def prepare(self, item: object) -> _Prepared | InputError:
        if isinstance(item, InputError):
            return item
        if isinstance(item, Article):
            article = item
        else:
            try:
                article = parse_item(item)  # type: ignore[arg-type]
            except InputError as err:
                return err
        return self.finish(article)

    def finish(self, article: Article) -> _Prepared:
        return _Prepared(
            article, content_hash(article.title, article.text),
            self.deduper.signature(article), featurize(article),
        )

    # -- the worker-process side: plain picklable tuples -----------------------------------
    def raw(self, wired: tuple[Any, ...]) -> tuple[Any, ...]:
        kind, value = wired
        if kind == "error":
            return wired
        if kind == "text":  # an Article built by the caller stays the caller's object
            title, text, source, url = value
            article = Article(id="", title=title, text=text, source=source, url=url)
        else:
            try:
                article = parse_item(value)
            except InputError as err:
                return ("error", (err.item, err.reason, err.hint))
        p = self.finish(article)
        return ("ok", (None if kind == "text" else article, p.content_hash, p.signature,
                       p.features))

    def unwire(self, item: object, result: tuple[Any, ...]) -> _Prepared | InputError:
        kind, value = result
        if kind == "error":
            return InputError(*value)
        article, chash, signature, features = value
        if article is None:
            article = item
        return _Prepared(article, chash, signature, features)


def _wire(item: object) -> tuple[Any, ...]:
    if isinstance(item, InputError):
        return ("error", (item.item, item.reason, item.hint))
    if isinstance(item, Article):
        return ("text", (item.title, item.text, item.source, item.url))
    return ("raw", item)


def _chunks(
    head: list[object], it: Iterator[object], progress: Callable[[int], object] | None
) -> Iterator[list[object]]:
    chunk = list(head)
    for item in it:
        if progress:
            progress(1)
        chunk.append(item)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _admitted(articles: Iterable[Article]) -> Iterator[Article | InputError]:
    """Articles checked and repaired at the door; one that cannot be is an input error."""
    from .ingest.door import admit

    for article in articles:
        try:
            yield admit(article)
        except InputError as err:
            yield err


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """A fork context, on Linux and only while this process runs a single thread (forking a
    threaded process is unsafe). Fork, not spawn: the caller's main module is never re-run.

    tqdm's monitor thread (started by a progress bar on a terminal, as ``newsfold ingest``
    draws one) does not count: it only wakes to check the bars, and the worker uses none."""
    if not sys.platform.startswith("linux"):
        return None
    others = [t for t in threading.enumerate()
              if t is not threading.current_thread() and type(t).__name__ != "TMonitor"]
    if others:
        return None
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


_WORKER: _Worker | None = None


def _init_worker(settings: Settings, parent: int) -> None:
    global _WORKER
    _die_with(parent)
    gc.freeze()  # leave the inherited objects alone: no copy-on-write of the parent's heap
    _WORKER = _Worker(settings)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the ingest process that forked it ends, however
    it ends: an ingest killed with SIGKILL left its worker waiting for work for ever, and a
    caller reading the ingest's output waited with it (Linux; elsewhere nothing is done)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError) as exc:
        log.debug("ingest worker not tied to its parent: %s", exc)
        return
    if os.getppid() != parent:  # the parent died before the tie was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _prepare_chunk(chunk: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    assert _WORKER is not None
    out = [_WORKER.raw(x) for x in chunk]
    # The worker is forked inside Pipeline._run's gc_paused block, so its collector is off too:
    # it collects between chunks, as the main process does between batches.
    collect_young()
    return out


def publication_order(articles: list[Article]) -> list[Article]:
    """Sort by publication time; an undated article keeps the time of the dated one before it."""
    keyed = []
    last = float("-inf")
    for i, a in enumerate(articles):
        dt = a.published_at
        if dt is not None:
            last = dt.timestamp()
            keyed.append((last, i, a))
        else:
            keyed.append((last, i, a))
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [a for _, _, a in keyed]
