"""Batch work with Python's cyclic garbage collector paused.

Cleaning, dedupe and clustering allocate many small containers (lists of words, records,
index entries) and make next to no reference cycles: reference counting frees what they drop.
Yet every 700 allocations the collector scans the young objects, and as the process's heap
grows (a store's clustering state, a batch of pages) those scans cost up to a sixth of the
time. :func:`gc_paused` turns automatic collection off for a batch job; :func:`collect_young`
lets a long job collect at points it chooses (between batches), so that cycles still go.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collect_young", "gc_paused"]

FULL_EVERY = 50
"""collect_young runs a full collection every this many calls."""

_calls = 0


@contextmanager
def gc_paused() -> Iterator[None]:
    """Automatic collection off inside the block (restored after, also on error; nests)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_young() -> None:
    """Collect the objects made since the last call (the two young generations), and every
    :data:`FULL_EVERY` calls the whole heap: a paused job's cycles are freed at its batch
    boundaries, and the old objects are scanned rarely."""
    global _calls
    _calls += 1
    gc.collect(2 if _calls % FULL_EVERY == 0 else 1)
