"""Briefs kept in the store: a story page, the brief API and an article page answer the same
from a stored brief as from one built on the request; a server that starts cold reads the
stored ones instead of building them; what a request or the builder ahead builds is stored."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsfold.api import Newsfold
from newsfold.cli import main
from newsfold.web import create_app

from ..conftest import SEED_IDS
from ..helpers import NEWSFOLD
from .conftest import story_ids, warm_first_page

pytestmark = pytest.mark.extras


def _pages(c: TestClient, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for sid in ids:
        out[f"/stories/{sid}"] = c.get(f"/stories/{sid}").text
        data = c.get(f"/api/stories/{sid}").json()
        out[f"/api/stories/{sid}"] = repr(data)
        for a in data["articles"]:
            out[f"/articles/{a['id']}"] = c.get(f"/articles/{a['id']}").text
    return out


def test_pages_from_stored_briefs_are_the_pages_built_on_request(
    scratch_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = story_ids(scratch_db)
    with Newsfold(scratch_db) as nf:
        assert nf.store.stale_briefs(nf.brief_recipe) == ids  # none stored yet
    with TestClient(create_app(scratch_db)) as c:
        built = _pages(c, ids)  # each brief built on its request, and stored
    with Newsfold(scratch_db) as nf:
        assert nf.store.stale_briefs(nf.brief_recipe) == []
    with TestClient(create_app(scratch_db)) as c:  # a new server: nothing in memory
        site = c.app.state.site  # type: ignore[attr-defined]

        def never(story_id: str) -> Any:
            raise AssertionError(f"the brief of {story_id} was built, not read")

        monkeypatch.setattr(site, "_build", never)
        assert _pages(c, ids) == built
    with Newsfold(scratch_db) as nf, nf.store.transaction():
        nf.store.run("DELETE FROM briefs")
    # built ahead by two worker processes (a program of its own: it forks while single-threaded)
    done = subprocess.run([*NEWSFOLD, "briefs", "--db", scratch_db, "--jobs", "2"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"briefs: {len(ids)} built" in done.stderr and "by 2 processes" in done.stderr
    with TestClient(create_app(scratch_db)) as c:
        monkeypatch.setattr(c.app.state.site, "_build", never)  # type: ignore[attr-defined]
        assert _pages(c, ids) == built
    again = CliRunner().invoke(main, ["briefs", "--db", scratch_db])
    assert again.exit_code == 0 and "briefs: 0 built in " in again.output
    assert f"{len(ids)} of {len(ids)} stories were current already" in again.output


def test_show_prints_the_stored_brief(scratch_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Newsfold(scratch_db) as nf:
        sid = nf.article(SEED_IDS[0]).story_id or ""  # a story whose summary has sentences
    runner = CliRunner()
    fresh = {fmt: runner.invoke(main, ["show", sid, "--db", scratch_db, "--format", fmt])
             for fmt in ("md", "json", "html")}  # the first builds and stores it
    assert all(r.exit_code == 0 for r in fresh.values())

    built: list[str] = []
    original = Newsfold._build

    def counted(self: Newsfold, story_id: str, *args: Any) -> Any:
        built.append(story_id)
        return original(self, story_id, *args)

    monkeypatch.setattr(Newsfold, "_build", counted)
    for fmt, want in fresh.items():
        got = runner.invoke(main, ["show", sid, "--db", scratch_db, "--format", fmt])
        assert got.exit_code == 0 and got.output == want.output
    assert built == []  # read, not built
    with Newsfold(scratch_db) as nf:  # a --max-words of its own is built afresh
        budget = nf.settings.summary_max_words // 2
    short = runner.invoke(main, ["show", sid, "--db", scratch_db, "--max-words", str(budget)])
    assert short.exit_code == 0 and built == [sid] and short.output != fresh["md"].output


def test_the_builder_ahead_stores_what_it_builds(scratch_db: str) -> None:
    with TestClient(create_app(scratch_db, warm=3)) as c:
        site, first = warm_first_page(c)
    with Newsfold(scratch_db) as nf:
        stale = nf.store.stale_briefs(nf.brief_recipe)
        assert not set(first) & set(stale) and len(stale) == len(story_ids(scratch_db)) - 3
