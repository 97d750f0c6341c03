"""Stories are the same whether a collection is ingested in one run or in two. The fixture
holds three real multiling2011 topics: the 2008 Beijing Olympics (M009), the July 2005 London
bombings (M001) and the Royal Navy sailors captured by Iran in 2007 (M002)."""

from __future__ import annotations

import copy
from pathlib import Path

from newsfold import Newsfold
from newsfold.api import read_articles
from newsfold.cluster import story_id_for
from newsfold.pipeline import publication_order
from newsfold.records import Article

MULTILING = Path(__file__).resolve().parents[1] / "data" / "cluster" / "multiling.jsonl"


def _multiling() -> tuple[list[Article], list[str]]:
    """The 30 articles as ingest reads them (dates from their Wikinews datelines), oldest
    first, and their gold topics."""
    arts = publication_order(read_articles([MULTILING]).articles)
    return arts, [str(a.metadata.pop("story")) for a in arts]


def _olympics(arts: list[Article], gold: list[str]) -> list[Article]:
    return [a for a, g in zip(arts, gold, strict=True) if g == "M009"]


def test_ingest_in_two_runs_gives_the_same_stories(tmp_path: Path) -> None:
    arts, gold = _multiling()
    one = tmp_path / "one.db"
    with Newsfold(str(one)) as nf:
        nf.add_articles(copy.deepcopy(arts))
        whole = {a.id: nf.article(a.id).story_id for a in arts}
    two = tmp_path / "two.db"
    with Newsfold(str(two)) as nf:
        nf.add_articles(copy.deepcopy(arts[:22]))
    with Newsfold(str(two)) as nf:
        nf.add_articles(copy.deepcopy(arts[22:]))
        split = {a.id: nf.article(a.id).story_id for a in arts}
    assert whole == split
    olympics = _olympics(arts, gold)
    assert story_id_for(olympics[0].id) in {whole[a.id] for a in olympics}
