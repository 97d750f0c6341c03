"""A backfill on Spark (local[2]) decides as sequential ingest does.

The same input is ingested by one process and backfilled, in one pass and by time windows: the
articles, the copy groups and the stories must agree (B-cubed F1 of one against the other at
least 0.98)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfold.api import Newsfold, read_articles
from newsfold.cli import main
from newsfold.settings import Settings
from newsfold.store import open_store

from ..conftest import EXAMPLES
from .corpus import generate, write

pyspark = pytest.importorskip("pyspark", reason="the [spark] extra")

pytestmark = [pytest.mark.slow, pytest.mark.extras]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from newsfold.backfill import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def _sequential(paths: list[str], db: Path) -> None:
    with Newsfold(str(db)) as nf:
        nf.ingest(paths)


def _backfill(spark: Any, paths: list[str], db: Path | None, **kw: Any) -> Any:
    from newsfold.backfill import backfill

    settings = Settings.from_env(db=str(db)) if db else Settings.from_env()
    return backfill(paths, settings, spark=spark, db=None if db is None else str(db), **kw)


def _agreement(a: Path, b: Path) -> Any:
    from newsfold.backfill.compare import agreement

    sa, sb = open_store(str(a)), open_store(str(b))
    try:
        return agreement(sa, sb)
    finally:
        sa.close()
        sb.close()


def test_examples_agree_with_ingest_and_the_commands_read_the_store(
        spark: Any, tmp_path: Path) -> None:
    seq, bf = tmp_path / "ingest.db", tmp_path / "backfill.db"
    _sequential([str(EXAMPLES)], seq)
    report = _backfill(spark, [str(EXAMPLES)], bf)
    assert report.added == 45 and not report.skipped
    agree = _agreement(bf, seq)
    assert agree.only_a == [] and agree.only_b == [] and agree.copies_differ == []
    assert agree.bcubed_f1 >= 0.98
    runner = CliRunner()
    out = runner.invoke(main, ["stories", "--db", str(bf), "--format", "json"])
    assert out.exit_code == 0, out.output
    stories = json.loads(out.output)
    assert len(stories) == report.stories
    assert all(s["headline"] for s in stories)
    shown = runner.invoke(main, ["show", stories[0]["id"], "--db", str(bf), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    exported = runner.invoke(main, ["export", "--db", str(bf), "--format", "jsonl"])
    assert exported.exit_code == 0 and len(exported.output.splitlines()) == 45


def test_a_generated_archive_of_10k_agrees_with_ingest(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "archive.jsonl.gz"
    rows = generate(10_000)
    write(rows, path)
    seq, bf, win = tmp_path / "ingest.db", tmp_path / "backfill.db", tmp_path / "windows.db"
    _sequential([str(path)], seq)
    report = _backfill(spark, [str(path)], bf)
    assert report.added == 10_000 and report.windows == 1
    assert report.duplicates > 100
    agree = _agreement(bf, seq)
    assert agree.only_a == [] and agree.only_b == []
    assert agree.copies_differ == []
    assert agree.bcubed_f1 >= 0.98, agree.to_dict()
    # by time windows in parallel, each with a lead-in
    windowed = _backfill(spark, [str(path)], win, span_days=120.0, lead_days=40.0)
    assert windowed.windows > 3
    agree = _agreement(win, seq)
    assert agree.copies_differ == []
    assert agree.bcubed_f1 >= 0.98, agree.to_dict()
    # and both against the source stories, as a check that the stories are stories at all
    from newsfold.eval.metrics import cluster_scores

    store = open_store(str(bf))
    story = {r.id: r.story_id for r in store.state_rows()}
    store.close()
    gold = [r["story"] for r in rows]
    assert cluster_scores(gold, [story[r["id"]] for r in rows])["bcubed_f1"] > 0.8


def test_parquet_in_and_out(spark: Any, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in
            (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()]
    src = tmp_path / "in"
    src.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), src / "wikinews.parquet")
    out = tmp_path / "out"
    report = _backfill(spark, [str(src)], None, parquet=str(out))
    assert report.added == len(rows) and not report.skipped
    table = pq.read_table(out).to_pylist()
    want = {a.id: a.text for a in read_articles([str(EXAMPLES / "wikinews.jsonl")]).articles}
    assert {r["id"]: r["text"] for r in table} == want
    assert all(r["story_id"].startswith("s-") for r in table)
    assert len({r["story_id"] for r in table}) == report.stories


def test_warc_and_bad_lines_are_read_as_ingest_reads_them(spark: Any, tmp_path: Path) -> None:
    from ..ingest.test_warc import write_warc

    src = tmp_path / "in"
    src.mkdir()
    write_warc(src / "pages.warc.gz")
    lines = (EXAMPLES / "allsides.jsonl").read_text(encoding="utf-8").splitlines()
    (src / "mixed.jsonl.gz").write_bytes(gzip.compress(
        ("\n".join(lines[:3] + ["{not json", json.dumps({"title": 5})] + lines[3:])
         + "\n").encode("utf-8")))
    seq, bf = tmp_path / "ingest.db", tmp_path / "backfill.db"
    _sequential([str(src)], seq)
    report = _backfill(spark, [str(src)], bf)
    assert sorted(item.rsplit("/", 1)[-1] for item, _ in report.skipped) == \
        ["mixed.jsonl.gz:4", "mixed.jsonl.gz:5"]
    agree = _agreement(bf, seq)
    assert agree.only_a == [] and agree.only_b == [] and agree.copies_differ == []
    assert agree.bcubed_f1 >= 0.98


def test_the_command_writes_a_new_store_and_refuses_a_used_one(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    runner = CliRunner()
    out = runner.invoke(main, ["backfill", str(EXAMPLES / "wikinews.jsonl"), "--db", str(db),
                               "--master", "local[2]"])
    assert out.exit_code == 0, out.output
    assert "backfilled:" in out.stderr
    store = open_store(str(db))
    assert store.article_count() == len(read_articles([str(EXAMPLES / "wikinews.jsonl")]).articles)
    store.close()
    again = runner.invoke(main, ["backfill", str(EXAMPLES), "--db", str(db)])
    assert again.exit_code == 3 and "already holds articles" in again.stderr
