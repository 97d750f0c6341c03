"""Shared fixtures of the ingest tests: real HTTP servers on loopback, a well-behaved one and
a hostile one, each stopped after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .hostile import Hostile, answer
from .loopback import Loopback


@pytest.fixture
def server() -> Iterator[Loopback]:
    """A threaded HTTP server on 127.0.0.1."""
    srv = Loopback()
    yield srv
    srv.close()


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    """A hostile server on 127.0.0.1 whose robots.txt allows everything; each test routes
    its paths to the behaviours it needs."""
    srv = Hostile()
    srv.routes["/robots.txt"] = answer(200, "User-agent: *\nAllow: /\n", "text/plain")
    yield srv
    srv.close()
