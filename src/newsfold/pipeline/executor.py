"""Preparing ingest items in one worker process, ahead of the process that decides them.

:func:`prepared_in_order` yields every item prepared (:class:`~.prepare.Preparer`), in input
order. An input larger than one batch goes to one forked worker process in chunks, a few chunks
ahead, while the caller deduplicates, clusters and stores; the results
are those of preparing everything in the calling process. A chunk the worker cannot deliver
(the worker died, or could not start) is prepared in the calling process.

Items cross the process boundary as plain tuples (:func:`_wire`): a raw item as it is, an
article built by the caller as its text fields (the caller keeps its own object), an input
error as its fields.
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
from itertools import islice
from typing import Any

from ..errors import InputError
from ..gcpause import collect_young
from ..ingest.readers import parse_item
from ..records import Article
from .prepare import Prepared, Preparer

log = logging.getLogger(__name__)

__all__ = ["AHEAD_BATCHES", "CHUNK", "prepared_in_order"]

CHUNK = 250
"""Items per chunk sent to the worker."""
AHEAD_BATCHES = 2
"""Chunks in flight at once: enough for this many ingest batches (bounds the memory of the
read-ahead). The caller takes no item while it stores a batch, so the worker must be able to
prepare the whole next batch meanwhile: with fewer chunks in flight than a batch holds, the
caller waits on the worker for the rest of every batch."""


def prepared_in_order(
    items: Iterable[object], preparer: Preparer, *, batch_size: int, worker: bool,
    progress: Callable[[int], object] | None = None, chunk: int = CHUNK,
) -> Iterator[Prepared | InputError]:
    """Every item as a prepared article or an input error, in input order.

    An input of at most ``batch_size`` items is prepared here. A larger one, when ``worker`` is
    on and a worker can be forked, is prepared by one worker process from its first item,
    chunks of ``chunk`` items ahead of the caller (:data:`AHEAD_BATCHES` batches' worth): the
    caller, which decides the batches, waits only for the first chunk. ``progress(1)`` is
    called for each item read from ``items``.
    """
    it = iter(items)
    first = list(islice(it, batch_size))
    rest: list[object] = list(islice(it, 1))
    if progress:
        for _ in first + rest:
            progress(1)
    context = _fork_context() if rest and worker else None
    if context is None:
        for item in first + rest:
            yield preparer.prepare(item)
        for item in it:
            if progress:
                progress(1)
            yield preparer.prepare(item)
        return
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_worker,
                               initargs=(preparer, os.getpid()))
    pending: deque[tuple[list[object], Future[list[Any]] | None]] = deque()
    chunks = _chunks(first + rest, it, progress, chunk)
    broken = False

    def submit() -> bool:
        nonlocal broken
        part = next(chunks, None)
        if part is None:
            return False
        future = None
        if not broken:
            try:
                future = pool.submit(_prepare_chunk, [_wire(x) for x in part])
            except (BrokenProcessPool, RuntimeError, OSError) as exc:
                log.debug("ingest worker unavailable (%s): preparing here", exc)
                broken = True
        pending.append((part, future))
        return True

    try:
        for _ in range(max(2, math.ceil(AHEAD_BATCHES * batch_size / chunk))):
            if not submit():
                break
        while pending:
            part, future = pending.popleft()
            submit()
            results = None
            if future is not None:
                try:
                    results = future.result()
                except BrokenProcessPool as exc:
                    log.debug("ingest worker died (%s): preparing here", exc)
                    broken = True
            if results is None:
                for item in part:
                    yield preparer.prepare(item)
            else:
                for item, result in zip(part, results, strict=True):
                    yield _unwire(item, result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(
    head: list[object], it: Iterator[object], progress: Callable[[int], object] | None,
    size: int,
) -> Iterator[list[object]]:
    chunk = list(head)
    for item in it:
        if progress:
            progress(1)
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- the wire: plain picklable tuples ------------------------------------------------------
def _wire(item: object) -> tuple[Any, ...]:
    if isinstance(item, InputError):
        return ("error", (item.item, item.reason, item.hint))
    if isinstance(item, Article):
        return ("text", (item.title, item.text, item.source, item.url))
    return ("raw", item)


def _prepare_wired(preparer: Preparer, wired: tuple[Any, ...]) -> tuple[Any, ...]:
    """The worker's side: a wired item prepared, as a wired result."""
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
    p = preparer.finish(article)
    return ("ok", (None if kind == "text" else article, p.content_hash, p.signature,
                   p.features, p.tf))


def _unwire(item: object, result: tuple[Any, ...]) -> Prepared | InputError:
    kind, value = result
    if kind == "error":
        return InputError(*value)
    article, chash, signature, features, tf = value
    if article is None:
        article = item
    return Prepared(article, chash, signature, features, tf)


# -- the worker process ---------------------------------------------------------------------
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


_PREPARER: Preparer | None = None
"""The worker process's preparer (set by :func:`_init_worker`, in the worker only)."""


def _init_worker(preparer: Preparer, parent: int) -> None:
    global _PREPARER
    _die_with(parent)
    gc.freeze()  # leave the inherited objects alone: no copy-on-write of the parent's heap
    _PREPARER = preparer


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the ingest process that forked it ends, however
    it ends: an ingest killed with SIGKILL would otherwise leave its worker waiting for work
    for ever, and a caller reading the ingest's output waiting with it (Linux; elsewhere
    nothing is done)."""
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
    assert _PREPARER is not None
    out = [_prepare_wired(_PREPARER, x) for x in chunk]
    # The worker is forked inside the ingest's gc_paused block, so its collector is off too:
    # it collects between chunks, as the ingesting process does between batches.
    collect_young()
    return out
