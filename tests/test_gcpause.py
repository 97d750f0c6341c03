"""gc_paused and collect_young: collection off inside a batch, cycles still freed between."""

from __future__ import annotations

import gc
import weakref

import pytest

from newsfold.gcpause import collect_young, gc_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_paused_inside_and_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: still off after the inner block
            pass
        assert not gc.isenabled()
        raise ValueError("boom")
    assert gc.isenabled()


def test_cycles_made_while_paused_are_freed_between_batches() -> None:
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None  # a cycle: reference counting cannot free it
        collect_young()
        assert ref() is None
