"""Shared fixtures. Test data lives in tests/data (with provenance) and examples/."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
DATA = Path(__file__).resolve().parent / "data"
SEED_IDS = ("000_b0e822d6a9f2215a", "003_1388c9512189d9b8")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--screenshots", metavar="DIR", default=None,
                     help="where the browser test saves its full-page screenshots "
                          "(default: a temporary folder)")


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A folder holding just the two seed articles (real text with scraping debris)."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for ident in SEED_IDS:
        shutil.copy(EXAMPLES / f"{ident}.txt", folder)
    return folder


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


# -- a throwaway PostgreSQL server ---------------------------------------------------------------
PG_BIN = Path("/usr/lib/postgresql/15/bin")
"""Debian's PostgreSQL 15 programs (package postgresql-15)."""


def _unavailable(message: str) -> None:
    """Skip (locally) or fail (``NEWSFOLD_REQUIRE_POSTGRES=1``, as CI sets) for a missing server."""
    if os.environ.get("NEWSFOLD_REQUIRE_POSTGRES") == "1":
        pytest.fail(message + " (NEWSFOLD_REQUIRE_POSTGRES=1 requires it)")
    pytest.skip(message)


def _as_postgres(args: list[str]) -> list[str]:
    """``args`` run as the ``postgres`` user when we are root (the server refuses root)."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL 15 cluster made for this test session (initdb in a temporary folder, trust
    authentication, listening on 127.0.0.1 only, on a free port), stopped and removed at the
    end: its address without a database name."""
    initdb, pg_ctl = PG_BIN / "initdb", PG_BIN / "pg_ctl"
    if not (initdb.exists() and pg_ctl.exists()):
        _unavailable(f"PostgreSQL 15 is not installed (no {initdb}): apt-get install postgresql-15")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed: pip install -e '.[postgres]' (make install does)")
    folder = Path(tempfile.mkdtemp(prefix="newsfold-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(_as_postgres([str(initdb), "-D", str(data), "-U", "postgres",
                                     "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True, timeout=120)
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            # a throwaway server: nothing needs to survive a crash
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {port}\n"
                       "unix_socket_directories = ''\nfsync = off\n"
                       "synchronous_commit = off\nfull_page_writes = off\n"
                       "max_connections = 50\n")
        subprocess.run(_as_postgres([str(pg_ctl), "-D", str(data), "-l", str(folder / "log"),
                                     "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log = folder / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        out = getattr(exc, "stderr", b"") or b""
        pytest.fail(f"the test PostgreSQL server did not start: {exc}\n"
                    f"{out.decode(errors='replace')}\n{detail}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([str(pg_ctl), "-D", str(data), "-m", "immediate", "-w",
                                     "stop"]), capture_output=True, timeout=60, check=False)
        shutil.rmtree(folder, ignore_errors=True)


_DATABASES = itertools.count(1)


@pytest.fixture
def pg_db(pg_server: str) -> str:
    """The address of a new, empty database on the session's server."""
    import psycopg

    name = f"t{next(_DATABASES)}_{os.getpid()}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg_server}/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_address(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's address, once per store: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_db"))
