"""Shared fixtures of the ingest tests: a real HTTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .test_fetch import Loopback


@pytest.fixture
def server() -> Iterator[Loopback]:
    """A threaded HTTP server on 127.0.0.1, stopped after the test."""
    srv = Loopback()
    yield srv
    srv.close()
