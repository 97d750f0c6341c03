"""The demo's stories: examples/articles folded with default settings, and what its briefs show
that no single outlet's article can: outlets disagreeing on a number, and quotes gathered from
several outlets, each with its speaker (read and checked against the articles by hand)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold import Newsfold
from newsfold.cli import main
from newsfold.records import Brief

from .conftest import EXAMPLES

STORIES = [
    {"000_b0e822d6a9f2215a", "003_1388c9512189d9b8"},
    {f"M00{n}" for n in (80, 81, 82, 83, 84)},
    {"M0020", "M0021", "M0022"},
    {f"uci-{n}" for n in range(199, 207)},
    {f"uci-{n}" for n in range(328, 334)},
    {f"uci-{n}" for n in (374, 376, 377, 378, 379)},
    {"uci-375"},
    *({f"train-{s}-{i}" for i in range(3)} for s in ("0002", "0005", "0009", "0518", "2046")),
]
"""The stories the demo must fold, as article ids: every source's own story, none merged."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsfold]:
    path = str(tmp_path_factory.mktemp("demo") / "demo.db")
    with Newsfold(path) as nf:
        nf.ingest([EXAMPLES])
        yield nf


def _brief_of(nf: Newsfold, article_id: str) -> Brief:
    story = nf.article(article_id).story_id
    assert story is not None
    return nf.brief(story)


def test_the_examples_fold_into_their_sources_stories(demo: Newsfold) -> None:
    stories: dict[str, set[str]] = {}
    for a in demo.articles():
        assert a.story_id is not None
        stories.setdefault(a.story_id, set()).add(a.id)
    assert sorted(map(sorted, stories.values())) == sorted(map(sorted, STORIES))
    assert demo.story_count() == len(STORIES)


def test_two_outlets_disagree_on_the_deaths_of_the_same_friday(demo: Newsfold) -> None:
    # train-2046 (NeuS): both outlets cite NBC News's count for the same Friday, 969 and 978.
    brief = _brief_of(demo, "train-2046-0")
    outlet = {a.id: a.outlet for a in brief.articles}
    (deaths,) = [c for c in brief.conflicts if any("969" in s.value for s in c.sides)]
    assert deaths.kind == "disagreement"
    sides = {s.value: (s.articles, s.text) for s in deaths.sides}
    assert sides == {
        "969 reported deaths": (["train-2046-0"], "There were 969 reported deaths from COVID-19 "
                                "on Friday, the network reported."),
        "978 deaths": (["train-2046-1"], "The U.S. reported 978 deaths Friday, according to an "
                       "NBC News count."),
    }
    assert outlet["train-2046-0"] != outlet["train-2046-1"]
    # the record itself is not a conflict: "more than 97,000" and "98,583" cases can both hold
    assert len(brief.conflicts) == 1


def test_quotes_come_from_three_outlets_each_with_its_speaker(demo: Newsfold) -> None:
    # train-0518 (NeuS): Ocasio-Cortez quoted by all three outlets, Art Del Cueto by one.
    brief = _brief_of(demo, "train-0518-0")
    outlet = {a.id: a.outlet for a in brief.articles}
    got = {(q.text, q.speaker, tuple(q.articles)) for q in brief.quotes}
    assert got == {
        ("running concentration camps on our southern border", "Ocasio-Cortez",
         ("train-0518-0", "train-0518-2")),
        ("She needs to come down here, I’ll offer to show her myself the area", "Art Del Cueto",
         ("train-0518-0",)),
        ("That is exactly what they are: They are concentration camps", "Ocasio-Cortez",
         ("train-0518-1",)),
        ("I want to talk to the people that are concerned enough with humanity to say that "
         "‘never again’ means something.", "Ocasio-Cortez", ("train-0518-1",)),
    }
    assert len({outlet[a] for q in brief.quotes for a in q.articles}) == 3
    assert not brief.conflicts


def test_the_demo_prints_the_conflict_and_the_quotes(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(EXAMPLES), "--db", db]).exit_code == 0
    shown = runner.invoke(main, ["show", "--all", "--db", db])
    assert shown.exit_code == 0, shown.output
    briefs = {b.split("\n", 1)[0]: b for b in re.split(r"^# ", shown.stdout, flags=re.M) if b}
    covid = briefs["Once again, U.S. records new daily high, nearly 100,000, for Covid-19 cases."]
    conflicts = covid.split("## Conflicts", 1)[1].split("\n## ", 1)[0]
    assert "- 969 reported deaths: “There were 969 reported deaths" in conflicts
    assert "- 978 deaths: “The U.S. reported 978 deaths Friday" in conflicts
    remarks = briefs["Ocasio-Cortez under fire for concentration camp remarks."]
    quotes = remarks.split("## Quotes", 1)[1].split("\n## ", 1)[0]
    assert "— Art Del Cueto [train-0518-0]" in quotes
    assert "— Ocasio-Cortez [train-0518-0, train-0518-2]" in quotes
    # every other demo story shows no conflict: the demo's one conflict is a true one
    as_json = json.loads(runner.invoke(main, ["show", "--all", "--db", db,
                                              "--format", "json"]).stdout)
    assert [b["headline"] for b in as_json if b["conflicts"]] == [covid.split("\n", 1)[0]]
