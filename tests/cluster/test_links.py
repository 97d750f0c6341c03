"""Linked stories: two live stories that most of their articles could have joined either way are
merged. The fixture holds three real multiling2011 topics: the 2008 Beijing Olympics (M009: the
Games and the torch relay, two halves the join model alone keeps apart), the July 2005 London
bombings (M001) and the Royal Navy sailors captured by Iran in 2007 (M002)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from newsfold import Newsfold, Settings
from newsfold.api import read_articles
from newsfold.cluster import Clusterer, story_id_for
from newsfold.pipeline import publication_order
from newsfold.records import Article

MULTILING = Path(__file__).resolve().parents[1] / "data" / "cluster" / "multiling.jsonl"


def _multiling() -> tuple[list[Article], list[str]]:
    """The 30 articles as ingest reads them (dates from their Wikinews datelines), oldest
    first, and their gold topics."""
    arts = publication_order(read_articles([MULTILING]).articles)
    return arts, [str(a.metadata.pop("story")) for a in arts]


def _assign_all(arts: list[Article]) -> tuple[Clusterer, list[dict[str, Any]], list[str]]:
    cl = Clusterer(Settings())
    feats = [cl.featurize(a) for a in arts]
    ids = [cl.assign(a.id, f, a.published) for a, f in zip(arts, feats, strict=True)]
    return cl, feats, ids


def _olympics(arts: list[Article], gold: list[str]) -> list[Article]:
    return [a for a, g in zip(arts, gold, strict=True) if g == "M009"]


def _games_and_torch(arts: list[Article], gold: list[str], ids: list[str]) -> tuple[str, str]:
    olympics = _olympics(arts, gold)
    assert olympics[0].title == "Forget driving to the Olympics, says Beijing"
    games = story_id_for(olympics[0].id)
    torch = next(i for a, i in zip(arts, ids, strict=True) if a in olympics and i != games)
    return games, torch


def test_games_and_torch_relay_are_linked_into_the_older_story() -> None:
    arts, gold = _multiling()
    cl, feats, ids = _assign_all(arts)
    games, torch = _games_and_torch(arts, gold, ids)
    olympics = _olympics(arts, gold)
    # the join model alone keeps the two halves apart
    assert {cl.story_of(a.id) for a in olympics} == {games, torch}
    # torch articles name the Games story as the other story they could have joined
    assert any(f.get("co") == [games] for f in feats)
    assert cl.merge_pass() == [(games, torch)]  # the older id is kept
    assert {cl.story_of(a.id) for a in olympics} == {games}
    assert cl.current_id(torch) == games
    assert cl.merge_pass() == []
    # "2008 Olympic torch arrives in London" could also have joined the London bombings: one
    # link is no merge, and nothing else was folded into the Olympics
    bombings = story_id_for(arts[0].id)
    assert gold[0] == "M001" and any(bombings in f.get("co", ()) for f in feats)
    assert {g for a, g in zip(arts, gold, strict=True) if cl.story_of(a.id) == games} == {"M009"}
    assert {g for a, g in zip(arts, gold, strict=True) if cl.story_of(a.id) == bombings} == {"M001"}


def test_links_are_rebuilt_by_a_restore() -> None:
    arts, gold = _multiling()
    cl, feats, ids = _assign_all(arts)
    games, _ = _games_and_torch(arts, gold, ids)
    olympics = {a.id for a in _olympics(arts, gold)}
    half = 22  # the first session ends as the torch reaches London
    assert arts[half - 1].title == "2008 Olympic torch arrives in London"
    stored = [copy.deepcopy(f) for f in feats[:half]]

    def resumed(rows: list[dict[str, Any]]) -> Clusterer:
        cl2 = Clusterer(Settings())
        for a, f, sid in zip(arts[:half], rows, ids[:half], strict=True):
            cl2.restore(a.id, f, a.published, sid)
        for a in arts[half:]:
            cl2.assign(a.id, cl2.featurize(a), a.published)
        cl2.merge_pass()
        return cl2

    cl2 = resumed(stored)
    assert {cl2.story_of(i) for i in olympics} == {games}
    # Without the links recorded by the first session, the second one sees too few to merge.
    bare = [{k: v for k, v in f.items() if k != "co"} for f in stored]
    assert len({resumed(bare).story_of(i) for i in olympics}) == 2


def test_a_link_to_a_story_merged_before_the_restore_reaches_the_story_it_is_now() -> None:
    arts, gold = _multiling()
    _, feats, ids = _assign_all(arts)
    games, torch = _games_and_torch(arts, gold, ids)
    renamed = [copy.deepcopy(f) for f in feats]
    for f in renamed:  # as if the Games story had been absorbed by an older "s-earlier"
        if "co" in f:
            f["co"] = ["s-gone" if x == games else x for x in f["co"]]
    cl = Clusterer(Settings())
    cl.alias("s-gone", games)
    for a, f, sid in zip(arts, renamed, ids, strict=True):
        cl.restore(a.id, f, a.published, sid)
    assert cl.merge_pass() == [(games, torch)]
    cl = Clusterer(Settings())  # without the merge record the links name no known story
    for a, f, sid in zip(arts, renamed, ids, strict=True):
        cl.restore(a.id, f, a.published, sid)
    assert cl.merge_pass() == []


def test_ingest_in_two_sessions_gives_the_same_stories(tmp_path: Path) -> None:
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
    assert {whole[a.id] for a in olympics} == {story_id_for(olympics[0].id)}
