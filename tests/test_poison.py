"""A story can never be poisoned: each poison is planted, as an old store holds it, in a
story of two real reports (tests/data/briefs, see its PROVENANCE.md), and
``newsfold show`` (every format), the story page, its JSON and every member's page still
answer.

Poison is written into the store with SQL after a benign ingest, bypassing the ingest door
(which refuses some of it): stores written before the door hold such values.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from newsfold.api import Newsfold
from newsfold.cli import main
from newsfold.records import Article
from tests.summarize.briefdata import A003, seed_articles

WEEKDAYS = ("President Joe Biden spoke with Vladimir Putin on Thursday about Ukraine, officials "
            "said on Friday. The two leaders will meet again on Monday, and talks are set for "
            "Sunday in Geneva.")
LONG = "Biden and Putin spoke by telephone about the troops near Ukraine on Thursday. " * 66_000
HOSTILE = '"><svg onload=alert(1)><script>alert(2)</script><javascript:alert(3)>'
POISONS: dict[str, dict[str, str | None]] = {
    "poison-year-one": {"published": "0001-01-01T00:00:00", "text": WEEKDAYS},
    "poison-year-9999": {"published": "9999-12-31T23:59:59", "text": WEEKDAYS},
    "poison-long": {"text": LONG},  # 5.2 million characters, 66,000 sentences
    "poison-one-line": {"text": "x" * 5_100_000},  # past spaCy's limit in one sentence
    "poison-hostile": {"title": HOSTILE, "source": HOSTILE, "url": "javascript:alert(1)",
                       "text": WEEKDAYS + " " + HOSTILE + " [x](javascript:alert(4))"},
    "poison-nul": {"title": "Biden\x00Putin", "text": WEEKDAYS.replace(" ", "\x00 ")},
    "poison-empty": {"title": "", "text": ""},
    "poison-punctuation": {"title": "?!", "text": "!?.,;:'\"()[]{}-—…" * 200},
    "poison-huge-number": {"text": "Biden said " + "1" + "0" * 400 + " troops and $"
                           + "9" * 400 + " billion were at the border on Thursday."},
    "poison-impossible-date": {"text": "On Monday, February 30, 2021, Biden spoke with Putin. "
                               "Thursday, Dec. 32, 2021 talks were held on Sunday, 31 Feb."},
}


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(database path, story id): the two seed reports and every poison in one story."""
    path = str(tmp_path_factory.mktemp("poison") / "poison.db")
    benign = [Article(id=ident, title="Biden and Putin talk about Ukraine", text=WEEKDAYS,
                      source=f"Outlet {k}", published="2021-12-31")
              for k, ident in enumerate(POISONS)]
    with Newsfold(path) as nf:
        nf.add_articles(seed_articles())
        nf.add_articles(benign)
        story = nf.article(A003).story_id
    assert story
    conn = sqlite3.connect(path)
    with conn:
        for ident, fields in POISONS.items():
            sets = {"story_id": story, **fields}
            cols = ", ".join(f"{k} = ?" for k in sets)
            conn.execute(f"UPDATE articles SET {cols} WHERE id = ?", [*sets.values(), ident])
    conn.close()
    yield path, story


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_show_answers_for_a_poisoned_story(poisoned: tuple[str, str], fmt: str) -> None:
    path, story = poisoned
    res = CliRunner().invoke(main, ["show", story, "--db", path, "--format", fmt])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    if fmt == "json":
        data = json.loads(res.stdout)
        members = {a["id"] for a in data["articles"]}
        assert set(POISONS) <= members
        # Placeholder dates date nothing: no event in year 1 or 9999.
        assert all(1800 <= int(t["date"][:4]) < 2200 for t in data["timeline"]
                   if not t["date"].startswith("--"))
        undated = {o["article"] for o in data["omitted"] if o["stage"] == "date"}
        assert undated == {"poison-year-one", "poison-year-9999"}
        # The over-long texts are read only in part, and the brief says so.
        cut = {o["article"] for o in data["omitted"] if o["stage"] == "text"}
        assert {"poison-long", "poison-one-line"} <= cut
        assert data["summary"], "the real reports still give a summary"
    if fmt == "md":
        assert "read in part" in res.stdout
        assert_inert(res.stdout)


def assert_inert(markdown: str) -> None:
    """The Markdown renders (CommonMark, raw HTML allowed) with no tag or attribute but the
    ones Markdown makes, and no link other than http(s)."""
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).render(markdown)
    tags = set(re.findall(r"<\s*([A-Za-z][\w-]*)", html))
    assert tags <= {"h1", "h2", "p", "ul", "li", "em", "strong", "code", "a"}, tags
    assert not re.search(r"<[A-Za-z][^>]*\son\w+\s*=", html)
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.lower().startswith(("http://", "https://")), href


@pytest.mark.slow
@pytest.mark.extras
def test_web_pages_answer_for_a_poisoned_story(poisoned: tuple[str, str]) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsfold.web import create_app

    path, story = poisoned
    with TestClient(create_app(path)) as client:
        page = client.get(f"/stories/{story}")
        assert page.status_code == 200
        assert "<script>alert(2)" not in page.text
        api = client.get(f"/api/stories/{story}")
        assert api.status_code == 200
        ids = [a["id"] for a in api.json()["articles"]]
        assert set(POISONS) <= set(ids)
        for ident in ids:
            r = client.get(f"/articles/{quote(ident, safe='')}")
            assert r.status_code == 200, (ident, r.status_code)


def test_the_poison_store_is_what_an_old_store_holds(poisoned: tuple[str, str]) -> None:
    """The planted values really are in the store (the door did not clean them away)."""
    path, _story = poisoned
    conn = sqlite3.connect(path)
    rows = dict(conn.execute("SELECT id, published FROM articles WHERE id LIKE 'poison-year%'"))
    lengths = dict(conn.execute("SELECT id, length(text) FROM articles WHERE id = 'poison-long'"))
    conn.close()
    assert rows == {"poison-year-one": "0001-01-01T00:00:00",
                    "poison-year-9999": "9999-12-31T23:59:59"}
    assert lengths["poison-long"] > 5_000_000
    assert Path(path).exists()
