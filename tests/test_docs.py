"""The documentation's index lists every document, and every relative link in the docs and the
README leads to a file that exists (and, with a #fragment, to one of its headings)."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import ROOT

DOCS = ROOT / "docs"
INDEX = DOCS / "README.md"

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def links(text: str) -> list[str]:
    """The targets of the Markdown links in ``text``, outside code blocks and code spans."""
    return _LINK.findall(_CODE.sub("", _FENCE.sub("", text)))


def anchors(text: str) -> set[str]:
    """The fragments GitHub gives the headings of ``text``: lower case, punctuation dropped,
    spaces as hyphens, a repeated heading numbered."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    for heading in _HEADING.findall(_FENCE.sub("", text)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def broken_links(page: Path) -> list[str]:
    """The relative links of ``page`` whose file is missing or whose fragment names no
    heading of that file."""
    bad: list[str] = []
    for target in links(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path, _, fragment = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        missing_heading = (dest.is_file() and bool(fragment) and dest.suffix == ".md"
                           and fragment not in anchors(dest.read_text(encoding="utf-8")))
        if not dest.is_file() or missing_heading:
            bad.append(target)
    return bad


def test_the_index_lists_every_document() -> None:
    listed = {(DOCS / t).resolve() for t in links(INDEX.read_text(encoding="utf-8"))}
    missing = sorted(p.name for p in DOCS.glob("*.md")
                     if p != INDEX and p.resolve() not in listed)
    assert not missing, f"docs/README.md does not list {missing}"


def test_the_readme_links_to_the_index() -> None:
    assert "docs/README.md" in links((ROOT / "README.md").read_text(encoding="utf-8"))


def test_relative_links_lead_somewhere() -> None:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    bad = {p.relative_to(ROOT).as_posix(): b for p in pages if (b := broken_links(p))}
    assert not bad, f"links to no file or heading: {bad}"


def test_the_link_check_finds_a_missing_file_and_a_missing_heading(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\n## Limits at the door\n", encoding="utf-8")
    page = tmp_path / "b.md"
    page.write_text(
        "[ok](a.md) [ok](a.md#limits-at-the-door) [here](#b) `[code](none.md)`\n"
        "[gone](none.md) [no heading](a.md#limits) [web](https://example.org/x.md)\n\n## B\n",
        encoding="utf-8")
    assert broken_links(page) == ["none.md", "a.md#limits"]
