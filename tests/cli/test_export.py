"""``newsfold export``: articles and stories as JSON lines, CSV and Parquet, read back on the
bundled examples."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from newsfold import Newsfold
from newsfold.cli import main
from newsfold.export import ARTICLE_COLUMNS, STORY_COLUMNS

from ..conftest import EXAMPLES

METRO = "s-765dd642e0"  # Metro-North worker killed by train: 6 articles from 6 outlets
AIR_FRANCE = "s-0322296181"  # 5 Wikinews articles, a 5-sentence summary


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "examples.db")
    assert run("ingest", str(EXAMPLES), "--db", path).exit_code == 0
    return path


@pytest.fixture
def db_copy(example_db: str, tmp_path: Path) -> str:
    with Newsfold(example_db) as nf:
        nf.store.run("PRAGMA wal_checkpoint(TRUNCATE)")
    return str(shutil.copy(example_db, tmp_path / "copy.db"))


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_articles_stay_the_default(example_db: str, tmp_path: Path) -> None:
    plain = run("export", "--db", example_db).stdout
    rows = _jsonl(plain)
    assert len(rows) == 45 and all(list(r) == list(ARTICLE_COLUMNS) for r in rows)
    assert run("export", "--db", example_db, "--what", "articles", "--format", "jsonl"
               ).stdout == plain
    out = tmp_path / "articles.csv"
    result = run("export", "--db", example_db, "--format", "csv", "--output", str(out))
    assert result.exit_code == 0 and "45 articles written to" in result.stderr
    with out.open(encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    assert [r["id"] for r in back] == [r["id"] for r in rows]
    assert [r["text"] for r in back] == [r["text"] for r in rows]  # newlines and quotes kept
    assert {r["wire"] for r in back} <= {"true", "false"}
    assert [r["published"] or None for r in back] == [r["published"] for r in rows]


def test_stories_as_jsonl_csv_and_parquet(example_db: str, tmp_path: Path) -> None:
    rows = _jsonl(run("export", "--db", example_db, "--what", "stories").stdout)
    with Newsfold(example_db) as nf:
        order = [s.id for s in nf.stories()]
    assert [r["id"] for r in rows] == order and len(rows) == 12
    assert all(list(r) == list(STORY_COLUMNS) for r in rows)
    metro = next(r for r in rows if r["id"] == METRO)
    assert metro["headline"] == "Metro-North worker killed by train"
    assert (metro["article_count"], metro["outlet_count"]) == (6, 6)
    assert metro["outlets"][:3] == ["Patch.com", "New York's PIX11 / WPIX-TV",
                                    "Hunterdon County Democrat"]
    assert len(metro["outlets"]) == 6
    assert metro["last_published"] == "2014-03-10T18:37:57+00:00"
    assert metro["activity"] == "2014-03-10T18:37:57+00:00"
    harvest = next(r for r in rows if r["id"] == "s-4df46c77e7")  # undated, no outlet named
    assert harvest["outlets"] == ["unnamed outlet"] * 3 and harvest["last_published"] is None
    assert harvest["activity"] > metro["activity"]
    assert {r["brief"] for r in rows} == {"missing"} and all(r["summary"] == [] for r in rows)

    text = run("export", "--db", example_db, "--what", "stories", "--format", "csv").stdout
    back = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in back] == order
    for r, want in zip(back, rows, strict=True):
        assert json.loads(r["outlets"]) == want["outlets"]
        assert json.loads(r["summary"]) == want["summary"]
        assert int(r["article_count"]) == want["article_count"]
        assert (r["last_published"] or None) == want["last_published"]

    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "stories.parquet"
    result = run("export", "--db", example_db, "--what", "stories", "--format", "parquet",
                 "-o", str(out))
    assert result.exit_code == 0 and "12 stories written to" in result.stderr
    table = pq.read_table(out)
    assert table.column_names == list(STORY_COLUMNS)
    assert table.to_pylist() == rows


def test_briefs_are_built_on_request_and_read_back_after(db_copy: str, tmp_path: Path) -> None:
    built = _jsonl(run("export", "--db", db_copy, "--what", "stories", "--briefs").stdout)
    assert {r["brief"] for r in built} == {"built"}
    with Newsfold(db_copy) as nf:
        brief = nf.brief(AIR_FRANCE)
    air = next(r for r in built if r["id"] == AIR_FRANCE)
    assert air["summary"] == [{"text": s.text, "citations": s.citations} for s in brief.summary]
    assert len(air["summary"]) == 5
    assert all(c.startswith("wikinews-") or c for s in air["summary"] for c in s["citations"])
    again = _jsonl(run("export", "--db", db_copy, "--what", "stories").stdout)
    assert {r["brief"] for r in again} == {"stored"}
    assert [r["summary"] for r in again] == [r["summary"] for r in built]
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "briefs.parquet"
    assert run("export", "--db", db_copy, "--what", "stories", "--format", "parquet", "-o",
               str(out)).exit_code == 0
    table = pq.read_table(out).to_pylist()
    assert next(r for r in table if r["id"] == AIR_FRANCE)["summary"] == air["summary"]


def test_bad_requests_say_what_to_do(example_db: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("export", "--db", example_db, "--format", "parquet")
    assert result.exit_code == 2 and "give --output FILE" in result.stderr
    result = run("export", "--db", example_db, "--briefs")
    assert result.exit_code == 2 and "--what stories only" in result.stderr
    result = run("export", "--db", example_db, "--format", "xml")
    assert result.exit_code == 2
    result = run("export", "--db", example_db, "-o", str(tmp_path / "no" / "such" / "x.jsonl"))
    assert result.exit_code == 3 and "cannot write" in result.stderr
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if the extra were not installed
    result = run("export", "--db", example_db, "--what", "stories", "--format", "parquet",
                 "-o", str(tmp_path / "x.parquet"))
    assert result.exit_code == 3 and "pip install 'newsfold[parquet]'" in result.stderr
    assert not (tmp_path / "x.parquet").exists()


def test_export_never_imports_pyarrow_for_text_formats(example_db: str) -> None:
    from ..helpers import python_output

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from newsfold.cli import main\n"
        f"r = CliRunner().invoke(main, ['export', '--db', {example_db!r}, '--what', 'stories',"
        " '--format', 'csv'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyarrow'))\n"
    )
    assert python_output(code).strip() == "[]"
