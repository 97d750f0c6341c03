"""compare() on real text: the two seed reports and five Wikinews Haiti articles."""

from __future__ import annotations

import dataclasses

from newsfold.compare import compare
from newsfold.compare.anchors import find_anchors
from newsfold.records import Article
from tests.summarize.briefdata import A000, A003, haiti_articles, seed_articles


def _facts_with(comp, needle):  # type: ignore[no-untyped-def]
    return [f for f in comp.facts if needle in f.text]


def test_seed_100000_troops_fact_cites_both_outlets() -> None:
    comp = compare(seed_articles())
    facts = _facts_with(comp, "100,000")
    assert facts, "no fact mentions 100,000"
    assert facts[0].articles == [A000, A003]
    assert facts[0].status == "agreed"
    assert facts[0].outlets == [f"unknown ({A000})", "Los Angeles Times"]


def test_seed_single_source_details_stay_single_source() -> None:
    comp = compare(seed_articles())
    minute = _facts_with(comp, "50-minute")
    assert minute and all(f.articles == [A000] for f in minute)
    assert all(f.status == "single-source" for f in minute)
    time = _facts_with(comp, "3:35")
    assert len(time) == 1 and time[0].articles == [A003]


def test_seed_facts_other_alignments() -> None:
    comp = compare(seed_articles())
    geneva = _facts_with(comp, "Jan. 10")
    assert geneva and geneva[0].articles == [A000, A003]
    wilmington = _facts_with(comp, "Wilmington")
    assert wilmington and wilmington[0].articles == [A000, A003]
    # Sharing only "Biden"/"Putin" is not the same fact.
    unclear = _facts_with(comp, "It remains unclear")
    assert unclear[0].articles == [A000]
    # Every sentence of both articles is in at most one fact.
    texts = [f.text for f in comp.facts]
    assert len(texts) == len(set(texts))


def test_seed_no_conflicts() -> None:
    assert compare(seed_articles()).conflicts == []


def test_duplicate_counts_once_but_is_cited() -> None:
    a000, a003 = seed_articles()
    copy = dataclasses.replace(a003, id="copy_of_003", source="Yahoo News", duplicate_of=A003)
    comp = compare([a000, a003, copy])
    time = _facts_with(comp, "3:35")
    assert time[0].articles == [A003, "copy_of_003"]
    assert time[0].outlets == ["Los Angeles Times"]
    assert time[0].status == "single-source"
    assert comp.coverage["original"] == [A003]
    assert comp.coverage["wire"] == [A000]


def test_seed_quotes_with_speakers() -> None:
    comp = compare(seed_articles())
    by_start = {q.text.split()[0]: q for q in comp.quotes}
    assert by_start["When"].speaker == "an administration official"
    assert by_start["When"].articles == [A000]
    assert by_start["prepared"].speaker == "a senior administration official"
    assert by_start["prepared"].articles == [A003]
    assert all(len(q.text.split()) >= 5 for q in comp.quotes)


def test_seed_timeline_resolves_dates_against_publication() -> None:
    comp = compare(seed_articles())
    by_date = {}
    for ev in comp.timeline:
        by_date.setdefault(ev.date, []).append(ev)
    assert by_date["2021-12-07"][0].articles == [A000, A003]
    assert by_date["2022-01-10"][0].articles == [A000, A003]
    assert by_date["2022-01-10"][0].resolved_from == "2021-12-30"
    assert by_date["2022-01-10"][0].resolved_by == "article"
    # "spoke Thursday" in a report published Thursday 30 Dec 2021.
    assert any("50-minute" in ev.text for ev in by_date["2021-12-30"])
    # "told reporters on Wednesday" is the day before, not the next Wednesday.
    assert any("Wednesday" in ev.text for ev in by_date["2021-12-29"])


def test_seed_entities_and_coverage() -> None:
    comp = compare(seed_articles())
    names = {e.name: e for e in comp.entities}
    assert names["Vladimir Putin"].outlets == 2 and "Putin" not in names
    assert "Wilmington" in names and names["Wilmington"].articles == [A000, A003]
    assert names["Kremlin"].outlets == 1
    assert len(comp.entities) <= 20
    assert comp.coverage["first_report"] == A000
    assert [o["outlet"] for o in comp.coverage["outlets"]] == [f"unknown ({A000})",
                                                               "Los Angeles Times"]


def test_real_death_toll_conflict_is_found() -> None:
    comp = compare(haiti_articles())
    assert len(comp.conflicts) == 1
    c = comp.conflicts[0]
    assert c.what == "number of deaths"
    sides = {s.value: s for s in c.sides}
    assert set(sides) == {"200,000 people", "222,570 deaths"}
    assert "M0064" in sides["200,000 people"].articles
    assert sides["222,570 deaths"].articles == ["M0069"]
    assert "222,570" in sides["222,570 deaths"].text
    assert c.compared
    # each side's sentence is a disputed fact of its own: different tolls never make one fact
    disputed = [f for f in comp.facts if f.status == "disputed"]
    assert any("M0064" in f.articles and "200,000" in f.text for f in disputed)
    assert any(f.articles == ["M0069"] and "222,570" in f.text for f in disputed)
    assert not any("M0069" in f.articles and "M0064" in f.articles for f in comp.facts)


def test_compatible_bounds_are_not_conflicts() -> None:
    a = Article(id="a", title="Quake", source="A", text=(
        "The earthquake killed more than 100 people in the region, officials said on Monday."))
    b = Article(id="b", title="Quake", source="B", text=(
        "Officials said on Monday the earthquake killed 120 people in the region."))
    c = Article(id="c", title="Quake", source="C", text=(
        "Officials said on Monday the earthquake killed 60 people in the region."))
    assert compare([a, b]).conflicts == []
    conflicts = compare([a, b, c]).conflicts
    assert len(conflicts) == 1
    values = sorted(s.value for s in conflicts[0].sides)
    assert values == ["100 people", "120 people", "60 people"] or "60 people" in values


def test_anchor_units() -> None:
    keys = [a.key for a in find_anchors("keeping the roughly 100,000 Russian troops in place")]
    assert keys == ["num:100000:troop"]
    assert [a.key for a in find_anchors("an estimated 100,000 troops toward Ukraine")] == keys
    assert [a.key for a in find_anchors("the call began at 3:35 Eastern Time.")] == ["time:3:35"]
    assert [a.key for a in find_anchors("a Dec. 7 video call")] == ["date:12-07"]
    assert [a.key for a in find_anchors("a 50-minute phone call")] == ["num:50:minut"]


def test_facts_are_stated_ranked_and_capped() -> None:
    from newsfold.compare import MAX_FACTS
    from newsfold.text import dangling, quoted_share

    comp = compare(haiti_articles())  # MultiLing 2011 M006: five reports of the Haiti quake
    facts = comp.facts
    assert 0 < len([f for f in facts if f.status != "disputed"]) <= MAX_FACTS
    assert not any(dangling(f.text) or quoted_share(f.text) > 0.5 for f in facts)
    reach = [(len(f.outlets), len(f.articles)) for f in facts[:MAX_FACTS]]
    assert reach == sorted(reach, reverse=True) and reach[0][1] >= 3
    # a quotation is a quote, not a fact
    assert quoted_share("“We have to ask ourselves that,” he said.") > 0.5


def test_an_agreed_fact_says_what_is_agreed_when_the_sentences_differ() -> None:
    # the seeds: both reports give 100,000 troops, in sentences about different things; the
    # Jan. 10 Geneva talks likewise
    facts = {f.text[:40]: f for f in compare(seed_articles()).facts if f.status == "agreed"}
    troops = next(f for t, f in facts.items() if "White House said ahead" in t)
    assert troops.agreed_on == ["100,000 troops"] and troops.articles == [A000, A003]
    geneva = next(f for f in facts.values() if "Jan. 10" in f.text)
    assert "Jan. 10" in geneva.agreed_on
    from newsfold.summarize import build_brief, render_markdown

    assert "**agreed** on “100,000 troops”" in render_markdown(build_brief("s", seed_articles()))
