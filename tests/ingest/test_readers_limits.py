"""Readers read bounded amounts: a gzip bomb line, a huge text file and a huge page end in a
named error or a warning with memory flat; links out of an ingested folder are not followed;
any bytes in any readable file end as items or InputErrors, never another exception."""

from __future__ import annotations

import gzip
import json
import logging
import os
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsfold import read_articles
from newsfold.errors import InputError
from newsfold.ingest.door import MAX_TEXT_CHARS
from newsfold.ingest.html import MAX_HTML_BYTES
from newsfold.ingest.readers import (
    MAX_LINE_BYTES,
    MAX_TEXT_FILE_BYTES,
    expand_paths,
    parse_item,
    read_items,
)
from newsfold.records import RawItem

from ..conftest import EXAMPLES, SEED_IDS

WIKINEWS = (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()
SEED = (EXAMPLES / f"{SEED_IDS[1]}.txt").read_text(encoding="utf-8")


def _peak(fn):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_line_is_a_named_error_with_memory_flat(tmp_path: Path) -> None:
    """One line 12 times the line limit inside a small .jsonl.gz (about 200 KB), between two
    real lines: that line is an error naming it, memory stays flat, both real lines are read."""
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(WIKINEWS[0].encode("utf-8") + b"\n")
        fh.write(b'{"id": "bomb", "text": "')
        block = b"a" * (1 << 20)
        for _ in range(12 * MAX_LINE_BYTES // len(block)):
            fh.write(block)
        fh.write(b'"}\n' + WIKINEWS[1].encode("utf-8") + b"\n")
    assert path.stat().st_size < 1_000_000
    items, peak = _peak(lambda: list(read_items([path])))
    assert peak < 3 * MAX_LINE_BYTES  # a capped line or two, not the 200 MB one
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.item for e in errors] == [f"{path}:2"]
    assert errors[0].reason.startswith(f"line of {12 * MAX_LINE_BYTES + 27:,} bytes, over the "
                                       f"limit of {MAX_LINE_BYTES:,}")
    good = [parse_item(i) for i in items if isinstance(i, RawItem)]
    assert [a.id for a in good] == [json.loads(WIKINEWS[0])["id"], json.loads(WIKINEWS[1])["id"]]


def test_a_huge_text_file_is_read_to_the_cap_and_cut(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A 48 MB .txt (the real seed's paragraphs repeated) is read only to its cap, and its text is cut to the door's limit at a paragraph end."""
    title, body = SEED.split("\n", 1)
    path = tmp_path / "huge.txt"
    path.write_text(title + "\n" + body * (48_000_000 // len(body) + 1), encoding="utf-8")
    size = path.stat().st_size
    with caplog.at_level(logging.WARNING, logger="newsfold"):
        items, peak = _peak(lambda: list(read_items([path])))
    (item,) = items
    assert isinstance(item, RawItem) and len(item.raw.encode("utf-8")) <= MAX_TEXT_FILE_BYTES
    assert peak < 6 * MAX_TEXT_FILE_BYTES < size  # not the file, let alone 1.4 GB
    article = parse_item(item)
    assert len(article.text) <= MAX_TEXT_CHARS
    assert article.metadata["text_cut_from_bytes"] == size
    assert f"huge.txt: a text file of {size:,} bytes: only the first" in caplog.text


def test_a_multibyte_character_at_the_read_cap_is_not_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "greek.txt"
    path.write_text("Τίτλος\n" + "αβγ δεζ.\n" * (MAX_TEXT_FILE_BYTES // 8), encoding="utf-8")
    (item,) = read_items([path])
    assert isinstance(item, RawItem) and item.raw.endswith(("α", "β", "γ", " ", "δ", "ε", "ζ",
                                                            ".", "\n"))


def test_a_page_over_the_html_cap_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    with path.open("wb") as fh:
        fh.write(b"<html><body><p>" + b"news " * (MAX_HTML_BYTES // 5 + 10) + b"</p></body></html>")
    (err,) = read_items([path])
    assert isinstance(err, InputError) and err.reason.startswith("page larger than")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_out_of_an_ingested_folder_are_named_and_not_followed(tmp_path: Path) -> None:
    """A symbolic link out of an ingested folder (to a file like /etc/passwd, or up to a
    parent) is named as an error and not read; a link inside the folder is read."""
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / f"{SEED_IDS[1]}.txt").write_text(SEED, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes\nroot:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (folder / "notes.txt").symlink_to(secret)
    (folder / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (folder / "sub" / "same.txt").symlink_to(folder / f"{SEED_IDS[1]}.txt")  # inside: read
    result = read_articles([folder])
    errors = {Path(e.item).relative_to(folder).as_posix(): e.reason for e in result.errors}
    assert set(errors) == {"notes.txt", "sub/up"}
    assert errors["notes.txt"] == f"symbolic link to {secret.resolve()}, outside {folder}: " \
                                  "not followed"
    assert sorted(a.origin for a in result.articles) == sorted(
        [str(folder / f"{SEED_IDS[1]}.txt"), str(folder / "sub" / "same.txt")])
    assert all("root:x" not in a.text for a in result.articles)
    # asked for: followed (the loop back into the folder is walked once)
    paths = [p for p in expand_paths([folder], follow_symlinks=True) if isinstance(p, Path)]
    assert folder / "notes.txt" in paths
    assert len(paths) == len(set(paths))
    # a link named on its own is read: the user asked for that file
    assert [a.id for a in read_articles([folder / "notes.txt"]).articles] == ["notes"]


def test_the_follow_setting_is_read_from_the_environment_by_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text(SEED, encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    monkeypatch.setenv("NEWSFOLD_INGEST_FOLLOW_SYMLINKS", "true")
    assert isinstance(next(iter(expand_paths([folder]))), InputError)  # the reader: as told
    assert [a.origin for a in read_articles([folder]).articles] == [str(folder / "link.txt")]
    monkeypatch.delenv("NEWSFOLD_INGEST_FOLLOW_SYMLINKS")
    assert [e.item for e in read_articles([folder]).errors] == [str(folder / "link.txt")]


_DIR = tempfile.TemporaryDirectory(prefix="newsfold-hypothesis-")
_SUFFIXES = ("a.txt", "a.jsonl", "a.jsonl.gz", "a.html", "a.warc")
_REAL_BYTES = [SEED.encode("utf-8"), "\n".join(WIKINEWS[:2]).encode("utf-8"),
               (EXAMPLES.parent / "articles" / "headlines.jsonl").read_bytes()[:3000]]


@hsettings(max_examples=120, deadline=None, derandomize=True, database=None,
           suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(_SUFFIXES),
       data=st.one_of(
           st.binary(max_size=600),
           st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
           st.tuples(st.sampled_from(_REAL_BYTES), st.integers(0, 3000), st.binary(max_size=40))
           .map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1]:]),
       ),
       compress=st.booleans())
def test_any_bytes_in_any_readable_file_end_as_items_or_input_errors(
    name: str, data: bytes, compress: bool
) -> None:
    path = Path(_DIR.name) / name
    path.write_bytes(gzip.compress(data) if compress or name.endswith(".gz") else data)
    for item in read_items([path]):
        if isinstance(item, InputError):
            assert item.item.startswith(str(path))
            continue
        try:
            article = parse_item(item)
        except InputError as err:
            assert err.item.startswith(str(path))
            continue
        assert "\x00" not in article.text and "\x00" not in article.title
        article.raw.encode("utf-8")
