"""The ingest pipeline: read → clean → dedupe → cluster → store, in batches.

Each batch is sorted into publication order (articles without a date keep their place in the
input, next to the dated article before them) and written in one transaction, so a killed run
leaves every earlier batch stored and nothing half-written; running the same ingest again adds
nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .cluster import Clusterer
from .dedupe import Deduper, content_hash
from .errors import InputError
from .ingest.readers import parse_item, read_items
from .records import Article
from .settings import Settings
from .store import NewRow, SQLiteStore

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
        self._story_of: dict[str, str] = {}
        self._stories: set[str] = set()
        self._restore()

    def _restore(self) -> None:
        for row in self.store.state_rows():
            if row.signature is not None:
                self.deduper.add(row.id, row.content_hash, row.signature, row.duplicate_of)
            self._story_of[row.id] = row.story_id
            self._stories.add(row.story_id)
            if row.duplicate_of is None:
                self.clusterer.restore(row.id, row.features, row.published, row.story_id)
            else:
                self.clusterer.add_to_story(row.id, row.features, row.published, row.story_id)

    # -- public ---------------------------------------------------------------------------
    def ingest_paths(
        self, paths: Iterable[str | Path], progress: Callable[[int], object] | None = None
    ) -> IngestReport:
        report = IngestReport()
        self._run(read_items(paths), report, progress)
        return report

    def ingest_articles(self, articles: Iterable[Article]) -> IngestReport:
        """Ingest already-built articles (the Python and REST API path)."""
        report = IngestReport()
        self._run(iter(articles), report, None)
        return report

    # -- internals ------------------------------------------------------------------------
    def _run(
        self,
        items: Iterator[object],
        report: IngestReport,
        progress: Callable[[int], object] | None,
    ) -> None:
        batch: list[Article] = []
        for item in items:
            if progress:
                progress(1)
            article = self._to_article(item, report)
            if article is None:
                continue
            batch.append(article)
            if len(batch) >= self.settings.batch_size:
                self._process(batch, report)
                batch = []
        if batch:
            self._process(batch, report)
        touched = set(report.touched_stories)
        report.touched_stories = sorted(touched)

    def _to_article(self, item: object, report: IngestReport) -> Article | None:
        if isinstance(item, InputError):
            self._skip(report, item.item, item.reason + (f" ({item.hint})" if item.hint else ""))
            return None
        if isinstance(item, Article):
            return item
        try:
            return parse_item(item)  # type: ignore[arg-type]
        except InputError as err:
            self._skip(report, err.item, err.reason + (f" ({err.hint})" if err.hint else ""))
            return None

    @staticmethod
    def _skip(report: IngestReport, item: str, reason: str) -> None:
        log.warning("skipped %s: %s", item, reason)
        report.skipped.append((item, reason))

    def _process(self, batch: list[Article], report: IngestReport) -> None:
        rows: list[NewRow] = []
        touched: dict[str, str] = {}
        seen_in_batch: dict[str, str] = {}
        for article in publication_order(batch):
            article.content_hash = content_hash(article.title, article.text)
            known = seen_in_batch.get(article.id) or self.store.content_hash_of(article.id)
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
            signature = self.deduper.signature(article)
            canonical = self.deduper.find(article, article.content_hash, signature)
            features = self.clusterer.featurize(article)
            if canonical is not None:
                article.duplicate_of = canonical
                article.story_id = self.clusterer.story_of(canonical) or self._story_of[canonical]
                self.clusterer.add_to_story(
                    article.id, features, article.published, article.story_id
                )
                report.duplicates += 1
            else:
                article.story_id = self.clusterer.assign(article.id, features, article.published)
            self.deduper.add(article.id, article.content_hash, signature, canonical)
            if article.story_id not in self._stories:
                self._stories.add(article.story_id)
                report.new_stories.append(article.story_id)
            self._story_of[article.id] = article.story_id
            touched.setdefault(article.story_id, article.title)
            rows.append(NewRow(article, features, signature))
            report.added += 1
            report.added_ids.append(article.id)
        if rows:
            self.store.write_batch(rows, touched)
            report.touched_stories.extend(touched)
            self._merge(report)

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
