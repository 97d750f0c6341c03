"""Shared by the web tests: a store of the bundled examples, copies of it a test may write
to, one with a hostile article added, and the ingest token."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from newsfold.api import Newsfold  # noqa: E402
from newsfold.records import Article  # noqa: E402
from newsfold.web import create_app  # noqa: E402

from ..conftest import EXAMPLES  # noqa: E402

TOKEN = "test-token-6"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE = {
    "id": "hostile-1",
    "title": "<script>alert(1)</script> Council votes on the zebrafish budget",
    "text": (
        "The council voted on Tuesday to fund the zebrafish hatchery. "
        "<img src=x onerror=alert(1)> was written in the minutes by a prankster.\n\n"
        "A second paragraph mentions the quokkarium, a word found nowhere else."
    ),
    "url": "javascript:alert(1)",
    "source": "<b>Evil</b> Gazette",
    "published": "2024-05-07",
}


def copy_store(db: str, path: Path) -> str:
    """A copy of the store ``db`` at ``path``, its write-ahead log checkpointed first so the
    copy is complete."""
    with Newsfold(db) as nf:
        nf.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, path)
    return str(path)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "web.db")
    with Newsfold(path) as nf:
        nf.ingest([EXAMPLES])
    return path


@pytest.fixture
def client(web_db: str) -> Iterator[TestClient]:
    app = create_app(web_db, ingest_token=TOKEN)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def scratch_db(web_db: str, tmp_path: Path) -> str:
    """A copy of the example store that a test may write to, with no brief stored (the other
    tests' requests store them in the example store), so a brief is built on its request."""
    path = copy_store(web_db, tmp_path / "scratch.db")
    with Newsfold(path) as nf, nf.store.transaction():
        nf.store.run("DELETE FROM briefs")
    return path


@pytest.fixture(scope="session")
def hostile_db(web_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example store with the hostile article ingested through POST /api/articles."""
    path = copy_store(web_db, tmp_path_factory.mktemp("hostile") / "hostile.db")
    app = create_app(path, ingest_token=TOKEN)
    with TestClient(app) as c:
        r = c.post("/api/articles", json=HOSTILE, headers=AUTH)
        assert r.status_code == 201, r.text
    # The same text stored as is (cleaning would strip some tags): the pages must escape it.
    raw = Article(id="hostile-raw", title=HOSTILE["title"], text=HOSTILE["text"],
                  url=HOSTILE["url"], source=HOSTILE["source"], published=HOSTILE["published"])
    with Newsfold(path) as nf:
        nf.add_articles([raw])
    return path


def warm_first_page(client: Any, wait: float = 60.0) -> tuple[Any, list[str]]:
    """Let the site of ``client`` (made with ``warm=3``) build its first page's briefs ahead,
    then stop its builder; (the site, the first page's story ids). ``wait`` is only ever
    reached when the behaviour is broken (the test then fails)."""
    site = client.app.state.site
    first = [s["id"] for s in client.get("/api/stories?limit=3").json()["stories"]]
    site._warm_queue.put(None)  # after the queued stories: the builder stops there
    assert site._warmer is not None
    site._warmer.join(wait)
    assert not site._warmer.is_alive(), "the briefs were not built in time"
    return site, first


def story_ids(db: str) -> list[str]:
    with Newsfold(db) as nf:
        return [s.id for s in nf.stories()]


def examples_dir() -> Path:
    return EXAMPLES
