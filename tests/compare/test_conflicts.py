"""Conflicts on real sentences from the dev sets (provenance: set and article id)."""

from __future__ import annotations

from newsfold.compare import compare
from newsfold.records import Article


def _two(s1: str, s2: str, p1: str = "2007-04-16", p2: str = "2007-04-16") -> list[Article]:
    return [Article("a1", "", s1, source="one", published=p1),
            Article("a2", "", s2, source="two", published=p2)]


def test_a_conversion_in_brackets_is_not_compared() -> None:
    # tac2011 D1115C-A, AFP_ENG_20071207.0436 and NYT_ENG_20071207.0070 (kilometres vs miles)
    arts = _two("The Hong Kong-registered tanker Hebei Spirit was berthed five miles off Mallipo, "
                "90 kilometres (54 miles) southwest of Seoul, when it was pierced.",
                "The spill occurred when a vessel crashed into the tanker Hebei Spirit off the "
                "coast near Taean, 90 miles southwest of Seoul.")
    assert not [c for c in compare(arts).conflicts if "mile" in c.what]


def test_a_region_toll_and_a_country_toll_are_not_a_conflict() -> None:
    # shape of tac2011 D1140H-A (Xinhua floods): a toll for one country against the region's
    arts = _two("The floods have killed at least 38 people in Bangladesh since last week, "
                "officials said on Wednesday.",
                "The floods have killed at least 60 people in the region since last week, "
                "officials said on Wednesday.")
    assert not compare(arts).conflicts


def test_a_changed_toll_is_found() -> None:
    # tac2011 D1116C-A, APW_ENG_20070416 lead; the second copy has the planted toll 39
    s = ("A gunman opened fire in a dorm and classroom at Virginia Tech on Monday, killing at "
         "least {} people in the deadliest shooting rampage in U.S. history.")
    conflicts = compare(_two(s.format(30), s.format(39))).conflicts
    assert [sorted(side.value for side in c.sides) for c in conflicts] == [
        ["30 people", "39 people"]]
    assert conflicts[0].compared


def test_a_later_higher_toll_is_an_update() -> None:
    s = ("A gunman opened fire in a dorm and classroom at Virginia Tech on Monday, killing at "
         "least {} people in the deadliest shooting rampage in U.S. history.")
    arts = _two(s.format(30), s.format(39), p1="2007-04-16T12:00:00", p2="2007-04-17T12:00:00")
    assert [c.kind for c in compare(arts).conflicts] == ["update"]


def test_a_name_variant_is_found() -> None:
    # tac2011 D1112C-A: NYT_ENG_20080429.0005 "Brogham", APW_ENG_20080527.1344 "Brougham"
    arts = _two("Cathryn Brogham, deputy district attorney, said Alvarez's actions that day were "
                "part of a consistent pattern.",
                "Deputy District Attorney Cathryn Brougham said in opening statements last month "
                "that Alvarez had threatened to kill his wife.")
    names = [c for c in compare(arts).conflicts if c.what == "name"]
    assert [sorted(s.value for s in c.sides) for c in names] == [
        ["Cathryn Brogham", "Cathryn Brougham"]]


def test_a_plural_is_not_a_name_variant() -> None:
    # tac2011 D1141H-A (Xinhua): "Yangtze and Yellow Rivers" against "the Yellow River"
    arts = _two("The government pledges to tackle soil erosion along the Yangtze and Yellow "
                "Rivers to protect the nation.",
                "The ministry said soil erosion along the Yellow River had slowed this year.")
    assert not [c for c in compare(arts).conflicts if c.what == "name"]
