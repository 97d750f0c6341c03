"""The worker process prepares what this process would, in input order, chunk after chunk;
a worker that dies leaves its chunks to this process; a progress bar does not turn it off.

The worker is forked only while the process runs a single thread, and the test process may
hold threads other tests left: the checks run in a fresh interpreter, where each asserts the
worker was used.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import sys
from pathlib import Path

import pytest

from newsfold.errors import InputError
from newsfold.ingest.readers import read_items
from newsfold.pipeline.executor import prepared_in_order
from newsfold.pipeline.prepare import Prepared, Preparer
from tests.cluster.test_index import _articles

from ..helpers import run_alone
from .corpus import write_corpus


def _items(tmp: Path) -> list[object]:
    """Raw items and input errors read from the corpus, and articles built in Python (with an
    outlet) between them."""
    read: list[object] = list(read_items([write_corpus(tmp / "in.jsonl")]))
    built = _articles()[:40]
    for a in built:
        a.source, a.url = "Reuters", "https://www.example.com/a"
    return [x for pair in zip(read, built + [None] * len(read), strict=False)
            for x in pair if x is not None]


def _assert_same(got: list[Prepared | InputError], items: list[object],
                 ref: list[Prepared | InputError]) -> None:
    assert len(got) == len(ref) == len(items)
    for g, r, item in zip(got, ref, items, strict=True):
        if isinstance(r, InputError):
            assert isinstance(g, InputError) and (g.item, g.reason, g.hint) == (
                r.item, r.reason, r.hint)
            continue
        assert isinstance(g, Prepared)
        assert (g.content_hash, g.signature, g.features) == (
            r.content_hash, r.signature, r.features)
        assert g.article == r.article
        if not hasattr(item, "format"):  # an article built in Python stays the caller's object
            assert g.article is item and g.article.known_outlet == "Reuters"


def _workers_seen() -> tuple[list[int], object]:
    seen: list[int] = []
    return seen, lambda _: seen.append(len(multiprocessing.active_children()))


def check_the_worker_prepares_what_this_process_would(tmp: Path) -> None:
    items = _items(tmp)
    preparer = Preparer(64)
    ref = [preparer.prepare(x) for x in items]
    seen, progress = _workers_seen()
    got = list(prepared_in_order(items, preparer, batch_size=7, worker=True, chunk=5,
                                 progress=progress))  # type: ignore[arg-type]
    assert max(seen) == 1 and len(seen) == len(items)
    _assert_same(got, items, ref)
    seen.clear()
    assert [type(p) for p in prepared_in_order(items, preparer, batch_size=7, worker=False,
                                               chunk=5, progress=progress)] == [  # type: ignore[arg-type]
        type(p) for p in ref]
    assert max(seen) == 0


def check_a_dead_worker_leaves_its_chunks_to_this_process(tmp: Path) -> None:
    items = _items(tmp)
    preparer = Preparer(64)
    ref = [preparer.prepare(x) for x in items]
    killed: list[int] = []

    def progress(_: int) -> None:
        if len(killed) == 0 and multiprocessing.active_children():
            for child in multiprocessing.active_children():
                os.kill(child.pid or 0, signal.SIGKILL)
                killed.append(child.pid or 0)

    got = list(prepared_in_order(items, preparer, batch_size=7, worker=True, chunk=5,
                                 progress=progress))
    assert killed
    _assert_same(got, items, ref)


def check_a_progress_bar_on_a_terminal_leaves_the_worker_on(tmp: Path) -> None:
    """``newsfold ingest`` draws a tqdm bar; on a terminal tqdm starts a monitor thread, which
    must not make the ingest see a threaded process and prepare everything serially."""
    import threading

    from tqdm import tqdm

    items = _items(tmp)
    with tqdm(total=len(items), file=io.StringIO(), disable=False, mininterval=0) as bar:
        bar.update(1)
        assert threading.active_count() > 1, "tqdm started no monitor thread"
        seen, progress = _workers_seen()
        list(prepared_in_order(items, Preparer(64), batch_size=7, worker=True, chunk=5,
                               progress=progress))  # type: ignore[arg-type]
    assert max(seen) == 1


def test_the_worker_in_a_fresh_process(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the worker is forked on Linux only")
    run_alone("tests.pipeline.test_executor", [
        "check_the_worker_prepares_what_this_process_would",
        "check_a_dead_worker_leaves_its_chunks_to_this_process",
        "check_a_progress_bar_on_a_terminal_leaves_the_worker_on"], tmp_path)
