"""The backfill flow on Spark: read → prepare → order → copies → cluster → write.

Each stage is one Spark action whose wall time is recorded in the report
(:attr:`BackfillReport.seconds`), so throughput can be read per stage.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..cluster import PARAMS, Clusterer
from ..errors import ConfigError, InputError, StoreError
from ..pipeline.prepare import Prepared, Preparer
from ..settings import Settings
from .copies import band_keys, band_shape, cutoffs, resolve_near, run_record, runs, verified_pairs
from .read import list_inputs, read_file
from .windows import (
    Entry,
    cluster_in_order,
    cluster_window,
    link,
    seed_slice,
    term_counts,
    windows_of,
)

log = logging.getLogger(__name__)

__all__ = ["BackfillReport", "backfill", "spark_session"]

Order = tuple[float, int, int]
PARTITION_ITEMS = 20_000
"""Most items in one partition."""
STAGES = ("read", "prepare", "dedupe", "cluster", "write")


@dataclass
class BackfillReport:
    """What one backfill did, with the wall time of each stage."""

    items: int = 0
    added: int = 0
    duplicates: int = 0
    already_stored: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stories: int = 0
    windows: int = 0
    """Clustering windows (1: one pass over the whole archive)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall seconds of each stage (:data:`STAGES`)."""
    stories_of: dict[str, str] = field(default_factory=dict)
    """Article id -> story id (filled when ``keep_assignments``)."""
    copies_of: dict[str, str] = field(default_factory=dict)
    """Copy id -> original id (filled when ``keep_assignments``)."""

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary_line(self) -> str:
        stages = ", ".join(f"{s} {self.seconds[s]:.1f}s" for s in STAGES if s in self.seconds)
        how = "in one pass" if self.windows == 1 else f"from {self.windows} windows"
        return (f"backfilled: {self.added} added ({self.duplicates} duplicates), "
                f"{self.already_stored} already stored, {len(self.skipped)} skipped; "
                f"{self.stories} stories {how} ({stages})")


def spark_session(master: str = "local[2]", driver_memory: str = "4g") -> Any:
    """A Spark session for a backfill (the UI off; workers run this interpreter). With a
    ``local`` master the driver's JVM also holds the executors' cached partitions, so its
    memory (``driver_memory``) bounds how much stays cached rather than spilled to disk."""
    from pyspark.sql import SparkSession

    # PySpark starts its local workers with PYSPARK_PYTHON (default: python3 on PATH), not
    # with the interpreter newsfold runs in
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(master).appName("newsfold-backfill")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.pyspark.python", sys.executable)
             .config("spark.pyspark.driver.python", sys.executable)
             .config("spark.driver.memory", driver_memory)
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _keep() -> Any:
    """Cached partitions go to the executors' local disks: prepared articles are large, and
    in the JVM's heap they starve its shuffles (recomputing one instead would repeat its
    preparation)."""
    from pyspark import StorageLevel

    return StorageLevel.DISK_ONLY


# -- executor-side steps (module functions: Spark pickles them by reference) -----------------
def _read(pair: tuple[str, bytes], index: dict[str, int]) -> Iterator[tuple[tuple[int, int], Any]]:
    uri, data = pair
    fidx = index[uri]
    for n, item in enumerate(read_file(uri, data)):
        if isinstance(item, InputError):
            yield (fidx, n), ("error", item.item, item.reason, item.hint)
        else:
            yield (fidx, n), item


def _prepare(rows: Iterable[tuple[tuple[int, int], Any]], settings: Settings
             ) -> Iterator[tuple[tuple[int, int], Any]]:
    preparer = Preparer(settings.dedupe_num_perm, PARAMS)
    for key, item in rows:
        if isinstance(item, tuple):
            yield key, item
            continue
        out = preparer.prepare(item)
        if isinstance(out, InputError):
            yield key, ("error", out.item, out.reason, out.hint)
        else:
            out.article.content_hash = out.content_hash
            yield key, out


def _timestamp(p: Prepared) -> float | None:
    dt = p.article.published_at
    return None if dt is None else dt.timestamp()


# -- the flow ---------------------------------------------------------------------------------
def backfill(paths: list[str], settings: Settings, *, spark: Any, db: str | None = None,
             parquet: str | None = None, span_days: float | None = None,
             lead_days: float | None = None,
             progress: Callable[[str, int], object] | None = None,
             keep_assignments: bool = False) -> BackfillReport:
    """Fold every article under ``paths`` into stories on ``spark``; write them into the store
    at ``db`` and/or Parquet files under ``parquet``.

    Stories are decided in one pass in publication order, as ingest decides them; with
    ``span_days``, by time windows of that many days clustered in parallel, each with a lead-in
    of ``lead_days`` (default: the clusterer's reach, ``cluster_window_days`` plus
    ``cluster_evict_margin_days``), see :mod:`.windows`."""
    if settings.cluster_embeddings:
        raise ConfigError("backfill does not compute sentence vectors: set cluster_embeddings "
                          "off (NEWSFOLD_CLUSTER_EMBEDDINGS=0), or use newsfold ingest")
    # how far back the clusterer and the copy detector remember (see cluster/evict.py)
    reach_days = settings.cluster_window_days + settings.cluster_evict_margin_days
    if lead_days is None:
        lead_days = reach_days
    if span_days is not None and not (span_days > 0 and 0 < lead_days < math.inf):
        raise ConfigError(f"windows of {span_days} days with a lead-in of {lead_days} days: "
                          "give --window-days and --lead-days above 0 (and a finite lead-in)")
    store = None
    if db is not None:
        from ..store import open_store

        store = open_store(db, settings)
        if store.marks()[0]:
            store.close()
            raise StoreError(f"{db} already holds articles: backfill decides a whole archive "
                             "at once, into a new store (newsfold ingest adds to a store)")
    report = BackfillReport()
    keep = _keep()
    note = progress or (lambda stage, n: None)
    sc = spark.sparkContext
    clock = time.perf_counter
    try:
        # read
        t = clock()
        files = list_inputs(spark, paths)
        index = {uri: i for i, uri in enumerate(files)}
        parallel = max(2, sc.defaultParallelism)
        raw = (sc.binaryFiles(",".join(files), minPartitions=min(len(files), parallel))
               .flatMap(lambda pair: _read(pair, index)).persist(keep))
        report.items = raw.count()
        # tasks of at most PARTITION_ITEMS items: each partition is held whole by one task
        # and, in the one pass, by the driver
        parts = max(parallel * 4, math.ceil(report.items / PARTITION_ITEMS))
        items = raw.repartition(parts).persist(keep)
        items.count()
        raw.unpersist()
        report.seconds["read"] = clock() - t
        note("read", report.items)

        # prepare
        t = clock()
        prepared = items.mapPartitions(lambda rows: _prepare(rows, settings)).persist(keep)
        for _key, err in sorted(prepared.filter(lambda kv: isinstance(kv[1], tuple)).collect()):
            _, item, reason, hint = err
            _skip(report, item, reason + (f" ({hint})" if hint else ""))
        good = prepared.filter(lambda kv: not isinstance(kv[1], tuple))
        stamps = sorted(good.map(lambda kv: (kv[0], _timestamp(kv[1]))).collect())
        items.unpersist()
        report.seconds["prepare"] = clock() - t
        note("prepare", len(stamps))

        # order (an undated article keeps the time of the dated one before it, as ingest
        # orders a batch), ids seen twice, then copies
        t = clock()
        filled: dict[tuple[int, int], float] = {}
        last = -math.inf
        for key, ts in stamps:
            if ts is not None:
                last = ts
            filled[key] = last
        dated = [ts for _, ts in stamps if ts is not None]
        start = math.floor(min(dated) / 86400.0) * 86400.0 if dated else 0.0
        fill = sc.broadcast(filled)
        seen_at = dict(zip((key for key, _ in stamps),
                           cutoffs((ts for _, ts in stamps), settings.batch_size,
                                   PARAMS.clock_rank, reach_days * 86400.0), strict=True))
        keyed = good.map(lambda kv: ((fill.value[kv[0]], *kv[0]), kv[1]))
        drop = _repeated_ids(keyed, report)
        live = keyed.filter(lambda kv: kv[0] not in drop).persist(keep)
        canon = _copies(live, settings, sc.broadcast(seen_at))
        report.duplicates = sum(1 for c in canon.values() if c is not None)
        prepared.unpersist()
        report.seconds["dedupe"] = clock() - t
        note("dedupe", report.duplicates)

        # cluster
        t = clock()
        by_order = dict(live.map(lambda kv: (kv[0], kv[1].article.id)).collect())
        canon_id = {o: by_order[c] for o, c in canon.items() if c is not None}
        cb = sc.broadcast(canon_id)
        entries = live.map(lambda kv: Entry(kv[0], kv[1].article.id, kv[1].article.published,
                                            kv[1].features, cb.value.get(kv[0])))
        entries = entries.persist(keep)
        if span_days is None:
            ordered = entries.map(lambda e: (e.order, e)).sortByKey().values().toLocalIterator()
            placed = list(cluster_in_order(Clusterer(settings), 0,
                                           ((e, True) for e in ordered), settings.batch_size))
            story = {p.id: p.story for p in placed}
            report.windows = 1
        else:
            span, lead = span_days * 86400.0, lead_days * 86400.0
            counted = (entries.filter(lambda e: e.canonical is None)
                       .map(lambda e: (seed_slice(e.order[0], start, span, lead),
                                       (1, Counter(term_counts(e.features)))))
                       .reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1])).collect())
            seeds = sc.broadcast(dict(counted))
            placed = (entries.flatMap(lambda e: [(w, (e, home))
                                                 for w, home in windows_of(e.order[0], start,
                                                                           span, lead)])
                      .groupByKey()
                      .flatMap(lambda kv: cluster_window(kv[0], kv[1], settings, seeds.value))
                      .collect())
            story = link(placed)
            report.windows = len({p.window for p in placed if p.home})
        final: dict[Order, tuple[str, str | None]] = {}
        for o, aid in by_order.items():
            c = canon_id.get(o)
            placed_in = story.get(aid)
            if placed_in is None:  # a copy no window placed follows its original
                assert c is not None
                placed_in = story[c]
            final[o] = (placed_in, c)
        report.stories = len({s for s, _ in final.values()})
        entries.unpersist()
        report.seconds["cluster"] = clock() - t
        note("cluster", report.stories)

        # write
        t = clock()
        fb = sc.broadcast(final)
        decided = (live.map(lambda kv: (kv[0], _decided(kv[1], *fb.value[kv[0]])))
                   .persist(keep))
        report.added = len(final)
        if parquet is not None:
            _write_parquet(spark, decided, parquet)
        if store is not None:
            _write_store(store, decided.sortByKey().values().toLocalIterator(), settings,
                         lambda n: note("write", n))
        if keep_assignments:
            for o, (s, c) in final.items():
                aid = by_order[o]
                report.stories_of[aid] = s
                if c is not None:
                    report.copies_of[aid] = c
        decided.unpersist()
        live.unpersist()
        report.seconds["write"] = clock() - t
        if store is None:
            note("write", report.added)
    finally:
        if store is not None:
            store.close()
    return report


def _skip(report: BackfillReport, item: str, reason: str) -> None:
    log.warning("skipped %s: %s", item, reason)
    report.skipped.append((item, reason))


def _repeated_ids(keyed: Any, report: BackfillReport) -> set[Order]:
    """The order keys of articles whose id an earlier article has: ingest counts one with the
    same content as already stored and skips one with other content."""
    groups = (keyed.map(lambda kv: (kv[1].article.id, (kv[0], kv[1].content_hash,
                                                        kv[1].article.origin)))
              .groupByKey().filter(lambda kv: len(kv[1]) > 1).mapValues(sorted).collect())
    drop: set[Order] = set()
    for aid, members in sorted(groups):
        first_hash = members[0][1]
        for order, chash, origin in members[1:]:
            drop.add(order)
            if chash == first_hash:
                report.already_stored += 1
            else:
                _skip(report, origin, f"id {aid!r} is already used by another article "
                      "(give the item its own 'id' or rename the file)")
    return drop


def _copies(live: Any, settings: Settings, seen_at: Any) -> dict[Order, Order | None]:
    """Each article's copy-group original (its order key), None for an original.
    ``seen_at``: a broadcast of each input key's ingest batch, cut-off and time."""
    threshold = settings.dedupe_threshold
    bands, rows = band_shape(threshold, settings.dedupe_num_perm)
    num_perm = settings.dedupe_num_perm
    # the runs of each content hash (a run's first article stands for it)
    grouped = (live.map(lambda kv: (kv[1].content_hash,
                                    (kv[0], kv[1].article.id, kv[1].signature,
                                     seen_at.value[kv[0][1:]])))
               .groupByKey()
               .flatMap(lambda kv: runs(kv[1]))
               .persist(_keep()))
    signed = grouped.filter(lambda run: len(run[0][2]) == num_perm * 8).map(run_record)
    pairs = (signed.flatMap(lambda r: [(key, r) for key in band_keys(r[2], bands, rows)])
             .groupByKey().filter(lambda kv: len(kv[1]) > 1)
             .flatMap(lambda kv: verified_pairs(kv[1], threshold))
             .reduceByKey(lambda a, b: a).values().collect())
    order: dict[Order, Order] = {}
    for a, b, _ in pairs:
        order[a] = a
        order[b] = b
    near = resolve_near(order, pairs)
    out: dict[Order, Order | None] = {}
    for o, rep in grouped.flatMap(lambda run: [(m[0], run[0][0]) for m in run]).collect():
        out[o] = near.get(o) if rep == o else near.get(rep, rep)
    grouped.unpersist()
    return out


def _decided(p: Prepared, story: str, canonical: str | None) -> Prepared:
    p.article.story_id = story
    p.article.duplicate_of = canonical
    return p


def _write_store(store: Any, decided: Iterator[Prepared], settings: Settings,
                 progress: Callable[[int], object]) -> None:
    """Write the decided articles in publication order, a batch per transaction, as ingest
    does; then pick every story's headline."""
    from ..pipeline.headlines import refresh_headlines
    from ..store import NewRow

    stories: dict[str, None] = {}
    batch: list[NewRow] = []
    touched: dict[str, str] = {}
    written = 0

    def flush() -> None:
        nonlocal written
        store.write_batch(batch, touched)
        written += len(batch)
        progress(written)
        batch.clear()
        touched.clear()

    for p in decided:
        a = p.article
        assert a.story_id is not None
        touched.setdefault(a.story_id, a.title)
        stories.setdefault(a.story_id, None)
        batch.append(NewRow(a, p.features, p.signature))
        if len(batch) >= settings.batch_size:
            flush()
    if batch:
        flush()
    refresh_headlines(store, list(stories), settings.brief_max_articles)


def _row(p: Prepared) -> dict[str, Any]:
    import json

    a = p.article
    return {"id": a.id, "title": a.title, "text": a.text, "url": a.url, "source": a.source,
            "published": a.published, "language": a.language, "author": a.author,
            "origin": a.origin, "wire": a.wire, "content_hash": a.content_hash,
            "duplicate_of": a.duplicate_of, "story_id": a.story_id,
            "metadata": json.dumps(a.metadata, ensure_ascii=False, default=str),
            "features": json.dumps(p.features, ensure_ascii=False),
            "signature": bytes(p.signature)}


def _write_parquet(spark: Any, decided: Any, path: str) -> None:
    """The decided articles as Parquet files under ``path`` (it must not exist), sorted by
    publication order."""
    from pyspark.sql.types import BinaryType, BooleanType, StringType, StructField, StructType

    text = ["id", "title", "text", "url", "source", "published", "language", "author", "origin"]
    fields = [StructField(n, StringType(), n not in ("id", "title", "text")) for n in text]
    fields += [StructField("wire", BooleanType(), False),
               StructField("content_hash", StringType(), False),
               StructField("duplicate_of", StringType(), True),
               StructField("story_id", StringType(), False),
               StructField("metadata", StringType(), False),
               StructField("features", StringType(), False),
               StructField("signature", BinaryType(), False)]
    rows = decided.sortByKey().values().map(_row)
    spark.createDataFrame(rows, StructType(fields)).write.mode("errorifexists").parquet(path)
