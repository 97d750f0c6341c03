"""The door every article passes before it is stored: bad inputs on real articles, each
repaired or refused with the item named; and any JSON value a JSONL line or a
POST body can hold ends as an article or an InputError, never another exception."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsfold import Article, read_articles
from newsfold.errors import InputError
from newsfold.ingest.door import (
    MAX_ID_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    admit,
    cut_text,
    field_text,
)
from newsfold.ingest.readers import parse_item
from newsfold.records import RawItem, parse_iso

from ..conftest import EXAMPLES, SEED_IDS

WIKINEWS = [json.loads(line) for line in
            (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()]
SEED = (EXAMPLES / f"{SEED_IDS[1]}.txt").read_text(encoding="utf-8")
"""A real Los Angeles Times article (Biden and Putin speak again on Ukraine)."""


def jsonl(tmp_path: Path, *objs: dict[str, Any]) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs),
                    encoding="utf-8")
    return path


def parse(obj: Any, origin: str = "request item 0") -> Article:
    raw = json.dumps(obj, ensure_ascii=False)
    return parse_item(RawItem(origin=origin, format="jsonl", raw=raw, default_id="api-x",
                              fields=obj if isinstance(obj, dict) else {}))


def test_placeholder_dates_are_dropped_and_the_article_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The .NET "no date" and the end of time, on a Wikinews line whose text names weekdays:
    the date is dropped with a warning naming the line, the article goes in, and
    the dateline dates it instead."""
    base = {k: v for k, v in WIKINEWS[0].items()}
    lines = [dict(base, id="dotnet", published="0001-01-01T00:00:00"),
             dict(base, id="end", published="9999-12-31"),
             dict(base, id="offset", published="0001-01-01T00:00:00+05:00")]
    with caplog.at_level(logging.WARNING, logger="newsfold"):
        result = read_articles([jsonl(tmp_path, *lines)])
    assert not result.errors
    by_id = {a.id: a for a in result.articles}
    assert by_id["dotnet"].metadata["published_dropped"] == "0001-01-01T00:00:00"
    assert by_id["end"].metadata["published_dropped"] == "9999-12-31"
    for a in result.articles:
        assert a.published == "2009-06-01"  # from the "Monday, June 1, 2009" dateline
        assert parse_iso(a.published) is not None
    assert "in.jsonl:1: publication date '0001-01-01T00:00:00' dropped" in caplog.text
    assert "in.jsonl:2: publication date '9999-12-31' dropped" in caplog.text


def test_a_human_date_in_jsonl_dates_the_article(tmp_path: Path) -> None:
    """Human dates ('Aug 29, 2017 5:11 p.m. ET', '29 August 2017', RFC 2822) date the
    article; an unreadable one is dropped into the metadata and the article still goes in."""
    base = dict(WIKINEWS[1])
    result = read_articles([jsonl(
        tmp_path,
        dict(base, id="et", published="Aug 29, 2017 5:11 p.m. ET"),
        dict(base, id="long", published="29 August 2017"),
        dict(base, id="rfc", published="Tue, 29 Aug 2017 21:11:00 GMT"),
        dict(base, id="junk", published="a while ago"),
        dict(base, id="number", published=1504041060),
    )])
    assert not result.errors
    got = {a.id: a.published for a in result.articles}
    assert got["et"] == "2017-08-29T17:11:00-04:00"
    assert got["long"] == "2017-08-29"
    assert got["rfc"] == "2017-08-29T21:11:00+00:00"
    by_id = {a.id: a for a in result.articles}
    assert by_id["junk"].metadata["published_dropped"] == "a while ago"
    assert by_id["number"].metadata["published_dropped"] == "1504041060"


def test_fields_given_as_objects_are_names_not_reprs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Source, url and author given as JSON objects become their names, never Python reprs;
    one without a usable name is dropped with a warning naming the line."""
    base = dict(WIKINEWS[2])
    with caplog.at_level(logging.WARNING, logger="newsfold"):
        result = read_articles([jsonl(
            tmp_path,
            dict(base, id="objects", source={"@type": "Organization", "name": "Wikinews"},
                 url={"href": "https://en.wikinews.org/wiki/Example"},
                 author=[{"name": "Jane Doe"}, "John Roe"], language={"code": "en"}),
            dict(base, id="unusable", source={"id": 7}, author=True, url=["", None]),
            dict(base, id="title-object", title={"name": "A headline"}),
        )])
    by_id = {a.id: a for a in result.articles}
    a = by_id["objects"]
    assert (a.source, a.url, a.author, a.language) == (
        "Wikinews", "https://en.wikinews.org/wiki/Example", "Jane Doe, John Roe", "en")
    b = by_id["unusable"]
    assert (b.source, b.author, b.url) == (None, None, None)
    assert "in.jsonl:2: 'source' dropped: an object without a name" in caplog.text
    assert "in.jsonl:2: 'author' dropped: a true/false value" in caplog.text
    (err,) = result.errors
    assert err.item.endswith("in.jsonl:3") and err.reason == "'title' must be a string, not an object"
    for art in result.articles:
        for value in (art.source, art.url, art.author, art.language):
            assert value is None or ("{" not in value and "[" not in value)


def test_nul_bytes_and_lone_surrogates_never_pass(tmp_path: Path) -> None:
    """NUL bytes and lone surrogates are removed at the door, from a POST body (JSON
    escapes) and from a file."""
    text = SEED.split("\n", 1)[1]
    a = parse({"id": "nul\u0000id", "title": "Biden\u0000 and Putin", "text": text[:2000] +
               "\u0000\ud800", "source": "Los Angeles\u0000 Times", "author": "A\u0000B",
               "published": "2021-12-30\u0000", "extra": {"note": "x\u0000y"}})
    for value in (a.id, a.title, a.text, a.source, a.author, a.raw, json.dumps(a.metadata)):
        assert "\x00" not in value and "\ud800" not in value
        value.encode("utf-8")  # storable
    assert a.id == "nulid" and a.title == "Biden and Putin" and a.metadata["extra"] == {
        "note": "xy"}
    (tmp_path / "nul.txt").write_text(SEED.replace("Ukraine", "Ukr\x00aine", 1) + "\n",
                                      encoding="utf-8")
    # a NUL in a .txt's first 8 KB marks it binary; further on it is dropped at the door
    far = SEED + "\n" + "More.\n" * 2000 + "A NUL\x00 here.\n"
    (tmp_path / "far.txt").write_text(far, encoding="utf-8")
    result = read_articles([tmp_path])
    assert [e.reason for e in result.errors] == ["binary file, not text"]
    (kept,) = result.articles
    assert "A NUL here." in kept.text


def test_an_over_long_text_is_cut_at_a_paragraph_end_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Text past spaCy's 5,000,000 characters is cut at a paragraph end, with a warning, so
    the model can read it: the seed's paragraphs repeated to 5.2 million characters, as a POST
    body can bring."""
    paragraphs = [p for p in SEED.split("\n")[1:] if len(p.split()) > 8]
    body = "\n\n".join(paragraphs * (5_200_000 // len("\n\n".join(paragraphs)) + 1))
    assert len(body) > 5_000_000
    with caplog.at_level(logging.WARNING, logger="newsfold"):
        a = parse({"id": "huge", "title": "Biden and Putin speak again on Ukraine",
                   "text": body})
    assert len(a.text) <= MAX_TEXT_CHARS
    assert a.text.endswith((".", "”", '"')) and a.metadata["text_cut_from_chars"] == len(body)
    assert "request item 0: text of 5," in caplog.text and "cut to" in caplog.text


def test_cut_text_prefers_paragraphs_then_sentences_then_spaces() -> None:
    para = "One sentence here. Another one there.\n\n"
    assert cut_text(para * 10, 100) == (para * 2).rstrip()
    sentences = "One sentence here. " * 10
    assert cut_text(sentences, 100) == ("One sentence here. " * 5).rstrip()
    assert cut_text("word " * 100, 52).endswith("word") and len(cut_text("word " * 100, 52)) <= 52
    assert cut_text("x" * 100, 10) == "x" * 10
    assert cut_text("short", 10) == "short"


def test_titles_ids_and_refusals() -> None:
    long_title = " ".join(["Biden and Putin speak again on Ukraine"] * 60)
    a = parse({"id": "t", "title": long_title, "text": "Body text of the article."})
    assert len(a.title) <= MAX_TITLE_CHARS and a.title.endswith("…")
    with pytest.raises(InputError, match="id longer than"):
        parse({"id": "x" * (MAX_ID_CHARS + 1), "text": "Body text."})
    with pytest.raises(InputError, match="'id' must be a string or a number"):
        parse({"id": True, "text": "Body text."})
    with pytest.raises(InputError, match="nested too deeply"):
        parse_item(RawItem(origin="deep.jsonl:1", format="jsonl",
                           raw="[" * 100_000 + "]" * 100_000, default_id="d"))
    with pytest.raises(InputError, match="thousands of digits"):
        parse_item(RawItem(origin="num.jsonl:1", format="jsonl",
                           raw='{"text": "x", "n": ' + "1" * 5000 + "}", default_id="d"))


def test_articles_built_in_python_pass_the_same_door() -> None:
    """:func:`admit` is what the pipeline calls on an Article from the Python API."""
    a = admit(Article(id=" py-1 ", title="Title\x00", text="Body\x00 text.",
                      source={"name": "Reuters"}, published="Aug 29, 2017",  # type: ignore[arg-type]
                      metadata={"score": float("nan")}))
    assert (a.id, a.title, a.text, a.source, a.published) == (
        "py-1", "Title", "Body text.", "Reuters", "2017-08-29")
    assert a.metadata == {"score": None}  # JSON has no NaN
    with pytest.raises(InputError, match="no article text"):
        admit(Article(id="empty", title=" ", text="\x00"))
    with pytest.raises(InputError, match="blank id"):
        admit(Article(id="\x00", title="T", text="Body."))


def test_field_text_rules() -> None:
    assert field_text({"name": "BBC News"}, "source", "i") == "BBC News"
    assert field_text({"url": "https://a.example/x"}, "url", "i") == "https://a.example/x"
    assert field_text(["Reuters", "AP"], "source", "i") == "Reuters"
    assert field_text(["A", {"name": "B"}], "author", "i") == "A, B"
    assert field_text(12, "source", "i") == "12"
    assert field_text({"nested": {"name": "x"}}, "source", "i") is None
    assert field_text("line\nbreak\tand\x1b[31mred", "author", "i") == "line break and[31mred"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FIELDS = ("id", "title", "text", "url", "source", "published", "language", "author")


@hsettings(max_examples=250, deadline=None, derandomize=True, database=None,
           suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    JSON,
    st.fixed_dictionaries({}, optional={k: JSON for k in FIELDS}),
    st.fixed_dictionaries({"text": st.text(min_size=1, max_size=300)},
                          optional={k: JSON | st.text(max_size=60) for k in FIELDS if k != "text"}),
))
def test_any_json_value_is_an_article_or_an_input_error(value: Any) -> None:
    """Whatever a JSONL line or a POST item holds, the door lets through only sane records."""
    try:
        a = parse(value)
    except InputError as err:
        assert err.item == "request item 0"
        return
    for field in (a.id, a.title, a.text, a.raw, a.origin):
        assert isinstance(field, str) and "\x00" not in field
        field.encode("utf-8")
    for field in (a.url, a.source, a.author, a.language):
        assert field is None or (isinstance(field, str) and "\x00" not in field)
    assert a.id and (a.title or a.text)
    assert a.published is None or parse_iso(a.published) is not None
    json.dumps(a.metadata, allow_nan=False)


def test_a_placeholder_date_never_reaches_a_brief(tmp_path: Path) -> None:
    """A JSONL line dated 0001-01-01 (and one 9999-12-31) whose text names weekdays, then
    ``newsfold show``: the story's brief prints."""
    from click.testing import CliRunner

    from newsfold.cli import main

    text = SEED.split("\n", 1)[1]
    path = jsonl(tmp_path,
                 {"id": "dotnet", "title": "Biden and Putin speak again on Ukraine",
                  "text": text, "published": "0001-01-01T00:00:00"},
                 {"id": "eot", "title": "Biden, Putin talk again on Thursday", "text": text,
                  "published": "9999-12-31"})
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    ingest = runner.invoke(main, ["ingest", str(path), "--db", db])
    assert ingest.exit_code == 0, ingest.output
    assert "publication date '0001-01-01T00:00:00' dropped" in ingest.stderr
    stories = json.loads(runner.invoke(main, ["stories", "--db", db, "--format", "json"]).stdout)
    for story in stories:
        shown = runner.invoke(main, ["show", story["id"], "--db", db, "--format", "json"])
        assert shown.exit_code == 0, shown.output
        brief = json.loads(shown.stdout)
        assert all(a["published"] is None or a["published"] >= "1800"
                   for a in brief["articles"])


def test_add_articles_goes_through_the_door(tmp_path: Path) -> None:
    """``Newsfold.add_articles`` repairs and refuses as reading does: a NUL in the title and a
    .NET "no date" placeholder are repaired, a blank id is refused by name, the rest go in."""
    from newsfold import Newsfold

    good = Article(id="latimes", title="Biden and Putin\x00 talk", text=SEED,
                   published="0001-01-01T00:00:00")
    blank = Article(id="  ", title="Biden and Putin talk", text=SEED)
    with Newsfold(str(tmp_path / "n.db")) as nf:
        report = nf.add_articles([good, blank])
        [stored] = list(nf.articles())
    assert report.added == 1 and len(report.skipped) == 1
    assert "id" in report.skipped[0][1]
    assert stored.title == "Biden and Putin talk" and stored.published is None


def test_a_scrapers_escaping_leaves_source_and_url() -> None:
    """UCI's rows carry sources and URLs escaped by its scraper ("Lexology \\(registration\\)",
    "detail.aspx\\?g="): the door drops the backslashes, so names and links read as published."""
    path = Path(__file__).resolve().parents[1] / "data" / "cluster" / "articles.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    escaped = [r for r in rows if "\\" in (r.get("source") or "") + (r.get("url") or "")]
    assert len(escaped) >= 3
    for row in escaped:
        a = admit(Article(id=row["id"], title=row["title"], text=row["text"], url=row["url"],
                          source=row["source"]))
        assert "\\" not in (a.source or "") and "\\" not in (a.url or "")
    lexology = next(r for r in escaped if r["id"] == "uci-944")
    a = admit(Article(id="uci-944", title=lexology["title"], text="", url=lexology["url"],
                      source=lexology["source"]))
    assert a.source == "Lexology (registration)"
    assert a.url == ("http://www.lexology.com/library/detail.aspx"
                     "?g=479e45fe-83d5-4bb8-89e2-5f4a3003d92f")
    # a backslash before a letter or digit is not escaping: it stays
    kept = admit(Article(id="x", title="t", text="", source=r"C:\News\2014 desk"))
    assert kept.source == r"C:\News\2014 desk"
