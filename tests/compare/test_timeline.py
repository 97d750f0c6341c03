"""Timeline dates from real wire sentences (TAC 2011 and DUC 2006 articles, ids given): years
set by "last year"/"next year", weekdays read in their clause's tense."""

from __future__ import annotations

from newsfold.compare import compare
from newsfold.records import Article


def _dates(text: str, published: str) -> dict[str, str]:
    art = Article(id="a", title="", text=text, published=published, source="wire")
    return {ev.date: ev.text for ev in compare([art]).timeline}


def test_last_and_next_year_set_the_year_of_a_month_and_day() -> None:
    # tac2011 AFP_ENG_20070123.0339: the nearest May 29 to 2007-01-23 would be in 2007
    dates = _dates("The volcano, known locally as \"Lusi,\" has been spewing steaming mud since "
                   "May 29 last year, submerging four villages.", "2007-01-23")
    assert "2006-05-29" in dates and "2007-05-29" not in dates
    # duc2006 XIE20000813.0026
    dates = _dates("The pilot of Flight RJ262 from New York's John F. Kennedy airport on October "
                   "31 last year reported that his cockpit displays had gone dark.", "2000-08-13")
    assert "1999-10-31" in dates
    # tac2011 AFP_ENG_20081214.0015
    dates = _dates("The pact envisages US combat troops leaving Iraq by the end of 2011 and "
                   "departing from all urban areas by June 30 next year.", "2008-12-14")
    assert "2009-06-30" in dates


def test_a_weekday_takes_the_tense_of_the_nearest_verb() -> None:
    # tac2011 APW_ENG_20070816.0724, published on a Thursday: "said Wednesday" is past even
    # though "will meet" follows
    dates = _dates("Amid questions about benefits and risks, the Food and Drug Administration "
                   "said Wednesday its Nonprescription Drugs Advisory Committee will meet to "
                   "discuss the drugs.", "2007-08-16")
    assert "2007-08-15" in dates
    # tac2011 AFP_ENG_20080513.0199, published on a Tuesday
    dates = _dates("The disaster areas of Sichuan will see moderate to heavy rainfall in the "
                   "next two days, tailing off Wednesday, said a statement.", "2008-05-13")
    assert "2008-05-14" in dates
    # a future verb after the weekday: published on a Wednesday
    dates = _dates("On Friday the two presidents will speak again by telephone.", "2021-12-08")
    assert "2021-12-10" in dates and "2021-12-03" not in dates


def test_an_article_published_before_an_event_does_not_cite_it() -> None:
    import dataclasses

    from newsfold.compare import analyze
    from newsfold.compare.timeline import not_before

    from ..summarize.briefdata import seed_articles

    # seeds 003 (Los Angeles Times): the call of Thursday 30 Dec 2021, reported that day; the
    # same text dated a week earlier cannot have reported that call.
    late = dataclasses.replace(seed_articles()[1], published="2021-12-30")
    early = dataclasses.replace(late, id="early", source="Other", published="2021-12-23")
    sa = analyze([early, late])
    idx = next(u.idx for u in sa.units
               if u.article == 1 and "spoke by phone Thursday" in u.text)
    assert not_before(sa, idx, {0, 1}) == {1}
    same_day = next(u.idx for u in sa.units if u.article == 0 and u.position == sa.units[idx].position)
    assert not_before(sa, same_day, {0, 1}) == {0, 1}  # the week before's Thursday


def test_one_event_of_a_day_is_one_row_citing_every_article() -> None:
    import dataclasses

    from ..summarize.briefdata import A000, A003, seed_articles

    # the seeds, dated the day of the call: both report Thursday's call in other words
    arts = [dataclasses.replace(a, published="2021-12-30") for a in seed_articles()]
    rows = [ev for ev in compare(arts).timeline if ev.date == "2021-12-30"]
    call = [ev for ev in rows if "spoke" in ev.text and "Thursday" in ev.text]
    assert len(call) == 1 and call[0].articles == [A000, A003]
