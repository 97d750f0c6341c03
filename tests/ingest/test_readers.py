"""Reading inputs: formats, ids, and bad input named with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from newsfold import read_articles
from newsfold.ingest.readers import read_items, split_dateline

from ..conftest import EXAMPLES, SEED_IDS


def test_txt_title_body_and_raw_kept() -> None:
    path = EXAMPLES / f"{SEED_IDS[1]}.txt"
    result = read_articles([path])
    assert not result.errors
    (article,) = result.articles
    assert article.id == SEED_IDS[1]
    assert article.title == "Biden and Putin speak again on Ukraine"
    assert article.raw == path.read_text(encoding="utf-8")
    assert article.raw_format == "txt"
    assert article.source == "Los Angeles Times"
    assert "3:35 Eastern Time" in article.text
    assert "originally appeared" not in article.text


def test_jsonl_fields_metadata_and_missing_title(tmp_path: Path) -> None:
    line = json.loads((EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()[0])
    line["topic_code"] = "M008"
    untitled = dict(line, id="no-title")
    del untitled["title"]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(untitled) + "\n", encoding="utf-8")
    result = read_articles([path])
    assert not result.errors
    first, second = result.articles
    assert first.id == line["id"] and first.source == "Wikinews"
    # No 'published' field: the dateline paragraph ("Monday, June 1, 2009") dates it.
    assert line["published"] is None and first.published == "2009-06-01"
    assert first.metadata == {"topic_code": "M008", "published_from": "dateline"}
    assert first.removed[-1].kind == "dateline" and not first.text.startswith("Monday")
    assert first.origin.endswith("in.jsonl:1")
    assert second.title == "" and second.text


def test_a_weekday_dateline_opening_the_text_dates_it() -> None:
    # Openings of two Wikinews articles (CC BY 2.5; MultiLing 2011 topic M000): the dateline runs
    # into the first sentence, in the second after a map caption, glued without a space.
    oxfam = ("Saturday, March 26, 2005 Up to four times as many women as men died in the "
             "December 26 Indian Ocean Tsunami, figures published by Oxfam International today "
             "reveal.\n\n\"In some villages it now appears that up to 80% of those killed were "
             "women.\"")
    text, dateline = split_dateline(oxfam)
    assert dateline == ("Saturday, March 26, 2005", "2005-03-26")
    assert text.startswith("Up to four times as many women") and "80% of those" in text
    telethon = ("Countries affected by the 2004 Indian Ocean tsunami\n\nTuesday, January 18, "
                "2005Through a telethon, Romanians have raised 15 billion lei, or the equivalent "
                "of 395,000 euro for victims of the devastating Indian Ocean tsunami.")
    text, dateline = split_dateline(telethon)
    assert dateline == ("Tuesday, January 18, 2005", "2005-01-18")
    assert text == ("Countries affected by the 2004 Indian Ocean tsunami\n\nThrough a telethon, "
                    "Romanians have raised 15 billion lei, or the equivalent of 395,000 euro for "
                    "victims of the devastating Indian Ocean tsunami.")


def test_a_date_inside_the_story_is_not_a_dateline() -> None:
    lead = ("The 7.0 magnitude earthquake struck on Tuesday, January 12, 2010 near the capital, "
            "Port-au-Prince.")
    assert split_dateline(lead) == (lead, None)  # not at the start
    after_prose = (lead + "\n\nWednesday, January 13, 2010 Rescue teams arrived.")
    assert split_dateline(after_prose) == (after_prose, None)  # only after a short caption
    future = "Monday, June 1, 2099 Officials said the plan would go ahead."
    assert split_dateline(future) == (future, None)  # not a plausible publication day


def test_folders_are_read_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    for ident, sub in zip(SEED_IDS, ("b", "a"), strict=True):
        (tmp_path / sub / f"{ident}.txt").write_text(
            (EXAMPLES / f"{ident}.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "a" / "notes.md").write_text("not an article", encoding="utf-8")
    items = list(read_items([tmp_path]))
    assert [i.default_id for i in items] == [SEED_IDS[1], SEED_IDS[0]]  # type: ignore[union-attr]


def test_bad_inputs_are_named_and_the_rest_goes_in(tmp_path: Path) -> None:
    seed = (EXAMPLES / f"{SEED_IDS[0]}.txt").read_text(encoding="utf-8")
    wikinews = (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (tmp_path / "latin1.txt").write_bytes(seed.replace("’", "'").encode("utf-8") + "Café".encode("latin-1"))
    (tmp_path / "title-only.txt").write_text(seed.splitlines()[0] + "\n", encoding="utf-8")
    bad_jsonl = [wikinews[0], wikinews[1][:80], json.dumps({"id": "empty", "text": " "}), wikinews[2]]
    (tmp_path / "lines.jsonl").write_text("\n".join(bad_jsonl) + "\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(seed, encoding="utf-8")

    result = read_articles([tmp_path])
    reasons = {e.item.split("/")[-1]: e.reason for e in result.errors}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["latin1.txt"].startswith("invalid UTF-8 at byte")
    assert reasons["title-only.txt"] == "no article text"
    assert reasons["lines.jsonl:2"].startswith("malformed JSON")
    assert reasons["lines.jsonl:3"] == "no article text"
    assert sorted(a.id for a in result.articles) == sorted(
        [json.loads(wikinews[0])["id"], json.loads(wikinews[2])["id"], "good"]
    )


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    (tmp_path / "page.pdf").write_bytes(b"%PDF-1.4")
    result = read_articles([tmp_path / "nope.txt", tmp_path / "page.pdf"])
    assert [e.reason for e in result.errors] == ["no such file or folder", "unsupported file type"]


def test_jsonl_is_read_line_by_line_and_a_bad_line_stays_alone(tmp_path: Path) -> None:
    """Real Wikinews lines around one that is not UTF-8, plain and gzipped, with a BOM; binary
    and empty JSONL files are one error each."""
    import gzip

    wikinews = (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    latin1 = json.dumps({"id": "cafe", "text": "Café"}, ensure_ascii=False).encode("latin-1")
    data = (b"\xef\xbb\xbf" + wikinews[0].encode("utf-8") + b"\r\n" + latin1 + b"\n\n"
            + wikinews[1].encode("utf-8") + b"\n" + wikinews[2].encode("utf-8"))
    (tmp_path / "a.jsonl").write_bytes(data)
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(data))
    (tmp_path / "c.jsonl").write_bytes(b"\x00\x01" * 40)
    (tmp_path / "d.jsonl").write_bytes(b"\n \n")
    result = read_articles([tmp_path])
    reasons = {e.item.split("/")[-1]: e.reason for e in result.errors}
    assert reasons["a.jsonl:2"].startswith("invalid UTF-8 at byte")
    assert reasons["b.jsonl.gz:2"].startswith("invalid UTF-8 at byte")
    assert reasons["c.jsonl"].startswith("binary file")
    assert reasons["d.jsonl"] == "empty file"
    ids = [json.loads(x)["id"] for x in wikinews]
    assert [a.id for a in result.articles] == ids + ids
    assert [a.origin.split("/")[-1] for a in result.articles[:3]] == ["a.jsonl:1", "a.jsonl:4",
                                                                     "a.jsonl:5"]
