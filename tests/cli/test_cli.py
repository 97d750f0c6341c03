"""The CLI contract that acceptance checks call, on the seeds and the bundled examples."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from click.testing import CliRunner, Result

from newsfold.cli import main

from ..conftest import DATA, EXAMPLES, SEED_IDS
from ..helpers import NEWSFOLD

DEBRIS = ("<!", "–>", "View original post", "Kent Nishimura", "originally appeared", "wire service")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def ingest_seeds(seeds_dir: Path, db: str) -> Result:
    result = run("ingest", str(seeds_dir), "--db", db)
    assert result.exit_code == 0, result.output
    return result


def test_seeds_fold_into_one_story_citing_both(seeds_dir: Path, db: str) -> None:
    result = ingest_seeds(seeds_dir, db)
    assert ("ingested: 2 added (0 duplicates), 0 already stored, 0 skipped; "
            "1 story touched, 1 new") in result.stderr
    stories = json.loads(run("stories", "--db", db, "--format", "json").stdout)
    assert len(stories) == 1
    story = stories[0]
    assert story["articles"] == 2 and story["outlets"] == 2

    brief = json.loads(run("show", story["id"], "--db", db, "--format", "json").stdout)
    assert {a["id"] for a in brief["articles"]} == set(SEED_IDS)
    assert set().union(*(s["citations"] for s in brief["summary"])) == set(SEED_IDS)
    texts = {a["id"]: a for a in brief["articles"]}
    assert texts[SEED_IDS[1]]["source"] == "Los Angeles Times"

    facts = brief["facts"]
    troops = [f for f in facts if "100,000" in f["text"]]
    assert troops and all(set(f["articles"]) == set(SEED_IDS) for f in troops)
    length = [f for f in facts if "50-minute" in f["text"]]
    assert length and all(f["articles"] == [SEED_IDS[0]] for f in length)
    start = [f for f in facts if "3:35" in f["text"]]
    assert start and all(f["articles"] == [SEED_IDS[1]] for f in start)

    dumped = json.dumps(brief, ensure_ascii=False)
    markdown = run("show", story["id"], "--db", db).stdout
    for debris in DEBRIS:
        assert debris not in dumped, debris
        assert debris not in markdown, debris


def test_summary_sentences_are_verbatim_from_a_cited_article(seeds_dir: Path, db: str) -> None:
    ingest_seeds(seeds_dir, db)
    exported = [json.loads(line) for line in run("export", "--db", db, "--format", "jsonl").stdout.splitlines()]
    text_of = {a["id"]: " ".join(a["text"].split()) for a in exported}
    (story_id,) = {a["story_id"] for a in exported}
    brief = json.loads(run("show", story_id, "--db", db, "--format", "json").stdout)
    for sentence in brief["summary"]:
        flat = " ".join(sentence["text"].split())
        assert any(flat in text_of[c] for c in sentence["citations"]), sentence


def test_reingest_adds_nothing_and_keeps_ids(db: str) -> None:
    first = run("ingest", str(EXAMPLES), "--db", db)
    assert first.exit_code == 0, first.output
    before = json.loads(run("stories", "--db", db, "--format", "json").stdout)
    again = run("ingest", str(EXAMPLES), "--db", db)
    assert again.exit_code == 0
    added = int(re.search(r"(\d+) added", first.stderr).group(1))  # type: ignore[union-attr]
    assert f"0 added (0 duplicates), {added} already stored" in again.stderr
    after = json.loads(run("stories", "--db", db, "--format", "json").stdout)
    assert {s["id"] for s in after} == {s["id"] for s in before}


def test_same_input_same_story_ids_in_a_fresh_database(tmp_path: Path) -> None:
    ids = []
    for name in ("one.db", "two.db"):
        path = str(tmp_path / name)
        run("ingest", str(EXAMPLES), "--db", path)
        ids.append(run("export", "--db", path, "--format", "jsonl").stdout)
    assert ids[0] == ids[1]


def test_adding_articles_never_renames_a_story(seeds_dir: Path, db: str) -> None:
    ingest_seeds(seeds_dir, db)
    before = {a["id"]: a["story_id"] for a in map(json.loads, run("export", "--db", db).stdout.splitlines())}
    run("ingest", str(EXAMPLES), "--db", db)
    after = {a["id"]: a["story_id"] for a in map(json.loads, run("export", "--db", db).stdout.splitlines())}
    assert all(after[i] == s for i, s in before.items())
    assert len(set(after.values())) >= 6


def test_examples_make_several_stories_from_several_outlets(db: str) -> None:
    run("ingest", str(EXAMPLES), "--db", db)
    stories = json.loads(run("stories", "--db", db, "--format", "json").stdout)
    assert len(stories) >= 6
    assert sum(1 for s in stories if s["outlets"] >= 2) >= 4
    table = run("stories", "--db", db).stdout
    assert table.splitlines()[0].split()[:3] == ["STORY", "ARTICLES", "OUTLETS"]
    html = run("show", stories[0]["id"], "--db", db, "--format", "html").stdout
    assert html.lstrip().lower().startswith("<!doctype html>") and "<script" not in html.lower()


def test_bad_input_is_named_and_exit_status_is_one(tmp_path: Path, db: str) -> None:
    seed = (EXAMPLES / f"{SEED_IDS[0]}.txt").read_text(encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text('{"id": "x", "text": "unterminated\n', encoding="utf-8")
    (tmp_path / "good.txt").write_text(seed, encoding="utf-8")
    result = run("ingest", str(tmp_path), "--db", db)
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.stderr
    assert "broken.jsonl:1" in result.stderr and "malformed JSON" in result.stderr
    assert "1 added" in result.stderr and "2 skipped" in result.stderr
    exported = run("export", "--db", db).stdout.splitlines()
    assert [json.loads(line)["id"] for line in exported] == ["good"]


def test_reused_id_with_other_content_is_skipped_not_overwritten(tmp_path: Path, db: str) -> None:
    lines = (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()
    a, b = json.loads(lines[0]), json.loads(lines[1])
    (tmp_path / "one.jsonl").write_text(json.dumps(a) + "\n", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(json.dumps(dict(b, id=a["id"])) + "\n", encoding="utf-8")
    run("ingest", str(tmp_path / "one.jsonl"), "--db", db)
    result = run("ingest", str(tmp_path / "two.jsonl"), "--db", db)
    assert result.exit_code == 1 and "already used by another article" in result.stderr
    (stored,) = [json.loads(x) for x in run("export", "--db", db).stdout.splitlines()]
    assert " ".join(stored["text"].split()) in " ".join(a["text"].split())
    assert stored["published"] == "2009-06-01"  # from its dateline


def test_unknown_story_id_exits_three(db: str) -> None:
    run("ingest", str(EXAMPLES / f"{SEED_IDS[0]}.txt"), "--db", db)
    result = run("show", "s-nope", "--db", db)
    assert result.exit_code == 3
    assert "no story with id 's-nope'" in result.stderr


def test_summarize_groups_without_storing(tmp_path: Path) -> None:
    result = run(
        "summarize", str(EXAMPLES / "headlines.jsonl"), str(EXAMPLES / "wikinews.jsonl"),
        "--group-by", "source", "--max-words", "60", "--format", "jsonl",
    )
    assert result.exit_code == 0, result.output
    groups = [json.loads(line) for line in result.stdout.splitlines()]
    wikinews = next(g for g in groups if g["group"] == "Wikinews")
    assert wikinews["sentences"] and len(wikinews["summary"].split()) <= 60
    assert all(s["citations"] for s in wikinews["sentences"])
    assert not list(tmp_path.glob("*.db"))


def test_clean_reports_removed_debris() -> None:
    result = run("clean", str(EXAMPLES / f"{SEED_IDS[1]}.txt"))
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["source"] == "Los Angeles Times"
    assert row["title"] == "Biden and Putin speak again on Ukraine"
    assert any("Kent Nishimura" in r["text"] for r in row["removed"])
    assert "Kent Nishimura" not in row["text"]


def test_entry_point_runs_as_a_program(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    done = subprocess.run(
        [*NEWSFOLD, "ingest", str(EXAMPLES / f"{SEED_IDS[1]}.txt"), "--db", db],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "1 added" in done.stderr


HTML = DATA / "html"


def test_extract_prints_text_and_metadata_and_names_a_bad_page(tmp_path: Path) -> None:
    gold = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))
    page = HTML / "threatpost-android-ransomware.html"
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    result = run("extract", str(page), str(empty))
    assert result.exit_code == 1 and "empty.html" in result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(row) >= {"path", "title", "text", "published", "source", "author", "language"}
    assert all(snippet in row["text"] for snippet in gold[page.name]["with"])
    assert row["published"] and row["title"]


def test_clean_whole_page_keeps_the_article_lines(tmp_path: Path) -> None:
    from newsfold.ingest.html import flatten_html

    gold = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))
    page = HTML / "threatpost-android-ransomware.html"
    flat = tmp_path / "page.txt"
    flat.write_text(flatten_html(page.read_text(encoding="utf-8")), encoding="utf-8")
    (row,) = [json.loads(x) for x in run("clean", str(flat), "--whole-page").stdout.splitlines()]
    assert all(snippet in row["text"] for snippet in gold[page.name]["with"])
    assert len(row["text"]) < len(flat.read_text(encoding="utf-8")) * 0.8
    assert row["removed"]


def test_clean_whole_pages_are_cleaned_as_one_batch(tmp_path: Path) -> None:
    from newsfold.clean import clean_pages
    from newsfold.ingest.html import flatten_html

    gold = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))
    texts = []
    for name in sorted(gold):
        texts.append(flatten_html((HTML / name).read_text(encoding="utf-8")))
        (tmp_path / f"{name}.txt").write_text(texts[-1], encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    result = run("clean", "--whole-page", *sorted(str(p) for p in tmp_path.glob("*.txt")))
    assert result.exit_code == 1 and "broken.txt" in result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [Path(r["path"]).name for r in rows] == [f"{name}.txt" for name in sorted(gold)]
    assert [r["text"] for r in rows] == [r.text for r in clean_pages(texts)]


def test_eval_extract_reports_scores(tmp_path: Path) -> None:
    gold = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))
    pages = tmp_path / "pages.jsonl"
    pages.write_text(
        "".join(
            json.dumps({"id": name, "html": (HTML / name).read_text(encoding="utf-8"), **g}) + "\n"
            for name, g in sorted(gold.items())
        ),
        encoding="utf-8",
    )
    out = json.loads(run("eval", "extract", str(pages), "--format", "json").stdout)
    assert out["pages"] == 3 and out["failed"] == 0 and out["snippets"]["recall"] == 1.0


def test_eval_cluster_orders_the_file_unless_told_not_to(tmp_path: Path) -> None:
    """Real clustered articles (tests/data/cluster: three NeuS stories of three outlets, two UCI
    headline stories) with the dated UCI headlines written newest first."""
    rows = [json.loads(x) for x in (DATA / "cluster" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    dated = sorted((r for r in rows if r["published"]), key=lambda r: r["published"],
                   reverse=True)
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in
                            [r for r in rows if not r["published"]] + dated), encoding="utf-8")
    ordered = json.loads(run("eval", "cluster", str(path), "--format", "json").stdout)
    as_given = json.loads(run("eval", "cluster", str(path), "--format", "json",
                              "--file-order").stdout)
    assert ordered["articles"] == as_given["articles"] == len(rows)
    assert ordered["gold_stories"] == len({r["story"] for r in rows})
    assert ordered["bcubed_f1"] >= 0.9
    assert {"bcubed_precision", "pairwise_f1", "ari", "ami"} <= set(as_given)


def test_show_all_prints_every_brief_as_show_does_one(db: str) -> None:
    examples_db = db
    assert run("ingest", str(EXAMPLES), "--db", db).exit_code == 0
    ids = [s["id"] for s in json.loads(run("stories", "--db", examples_db,
                                           "--format", "json").stdout)]
    assert len(ids) > 3
    every = json.loads(run("show", "--all", "--db", examples_db, "--format", "json").stdout)
    assert [b["id"] for b in every] == ids
    assert every[0] == json.loads(run("show", ids[0], "--db", examples_db,
                                      "--format", "json").stdout)
    markdown = run("show", "--all", "--db", examples_db).stdout
    heads = [line for line in markdown.splitlines() if line.startswith("# ")]
    assert len(heads) == len(ids)
    # counts read as English: a one-article story is "1 article · 1 outlet"
    assert "· 1 article · 1 outlet\n" in markdown and " 1 articles" not in markdown
    assert run("show", ids[0], "--all", "--db", examples_db).exit_code == 2
    assert run("show", "--db", examples_db).exit_code == 2
    assert run("show", "--all", "--db", examples_db, "--format", "html").exit_code == 2
