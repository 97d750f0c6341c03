"""Conflicts on real sentence pairs from DUC 2006 (NYT, AP and Xinhua wires, 1998-2000), the
development set the out-of-family rules were decided on. Each pair was shown as a conflict by
the rules shaped on TAC 2011 and judged by reading (``bench/judgements/conflicts-duc2006.jsonl``);
provenance is the DUC topic and the two articles' ids in ``../shared/data/duc2006/``. False ones
must show nothing, true ones a conflict."""

from __future__ import annotations

from newsfold.compare import compare
from newsfold.records import Article


def _two(s1: str, s2: str, p1: str = "1999-01-01", p2: str = "1999-01-01") -> list[Article]:
    return [Article("a1", "", s1, source="one", published=p1),
            Article("a2", "", s2, source="two", published=p2)]


def _values(arts: list[Article], what: str = "") -> list[list[str]]:
    return [sorted(s.value for s in c.sides) for c in compare(arts).conflicts
            if what in c.what]


def test_a_toll_of_both_bombings_is_not_the_toll_of_one() -> None:
    # D0626H, APW19980905.0175 (both embassies) and APW19980921.1222 (Kenya only)
    arts = _two("Twin bombings at U.S. Embassies in Tanzania and the Kenyan capital Nairobi on "
                "Aug. 7 killed 257 people, 11 of them in Tanzania.",
                "A nearly simultaneous bombing at the U.S. Embassy in neighboring Kenya, killed "
                "248 people.", "1998-09-05", "1998-09-21")
    assert not _values(arts, "deaths")


def test_a_figure_before_a_revision_is_not_a_side() -> None:
    # D0626H, APW19980826.0389 ("initially 10, has risen to 12") and APW19980827.0108
    arts = _two("The death toll in the Tanzania blast, initially 10, has risen to 12, hospital "
                "officials and family members said Wednesday.",
                "A nearly simultaneous blast at the U.S. Embassy in Tanzania killed 11 people.",
                "1998-08-26", "1998-08-27")
    assert not any("10" in v for vals in _values(arts) for v in vals)


def test_tolls_of_shootings_in_two_places_are_not_compared() -> None:
    # D0620B, NYT19990810.0197 (Atlanta) and NYT20000412.0090 (Littleton)
    arts = _two("Riley referred to the particularly gruesome round of blood-letting in Atlanta "
                "last month in which securities day-trader Mark O. Barton killed 12 people "
                "including his wife and two children before committing suicide.",
                "But last year's similar shootings in Littleton, Colo., that left 15 people dead "
                "led to few improvements in security at her high school.")
    assert not _values(arts, "deaths")


def test_editorial_dates_are_not_event_dates() -> None:
    # D0607G, NYT19990727.0376 and NYT20000406.0556
    arts = _two("The New York Times said in an editorial for Wednesday, July 28: In a step "
                "recalling Maoist political re-education campaigns, Beijing has sent 1,200 "
                "officials belonging to the Falun Gong spiritual movement to special schools.",
                "The New York Times said in an editorial for Friday, April 7: Reports are only now "
                "reaching the United States of serious unrest in the northeast Chinese mining city.")
    assert not _values(arts, "date")


def test_chronology_labels_are_not_compared() -> None:
    # D0617H, a chronology of EgyptAir Flight 990 (NYT, 1999-11)
    arts = _two("1:19 a.m. EST -- Plane departs bound for Cairo, Egypt.",
                "1:43 a.m. EST -- Pilots make final radio communication.")
    assert not _values(arts, "time")


def test_ends_of_ranges_are_not_compared() -> None:
    # D0612C, NYT19991115.0263 and NYT19991115.0266
    arts = _two("They kept at it, 20 to 25 hours a week, month after month.",
                "Insurance companies blanch at the thought of paying for 20 to 40 hours a week of "
                "therapy, at an average cost of $30,000 a year, he said.")
    assert not _values(arts, "hour")


def test_a_decimal_and_the_whole_number_it_rounds_to_agree() -> None:
    # D0624F, NYT19990221.0128 and NYT19990224.0374
    arts = _two("That there may be racism in the Metropolitan Police hardly seems surprising in a "
                "city where 20 percent of the population, but only 2.3 percent of the police "
                "force, is made up of people from minority groups.",
                "In a city where more than 20 percent of the residents are minorities, only 2 "
                "percent of the police force is.")
    assert not _values(arts, "percent")


def test_hourly_pay_of_different_workers_is_not_compared() -> None:
    # D0636I, NYT19980610.0480 and NYT19980623.0462
    arts = _two("GM is the automotive industry's largest employer, with 224,000 workers, many of "
                "whom earn $45 an hour in wages and benefits.",
                "Until just a few years ago, U.S. workers earning close to $22 an hour at GM's "
                "Delphi East factory in Flint, Mich., made the instrument panels.")
    assert not _values(arts, "amount")


def test_hyphened_measures_of_different_things_are_not_compared() -> None:
    # D0631D, APW20000807.0044 (a strip of metal) and APW20000901.0020 (a gash in a tyre)
    arts = _two("There has been speculation in the French press that a 16-inch strip of metal "
                "found on the runway could have been at the origin of the crash.",
                "The highly technical report contains simple, telling photographs, like that of a "
                "nearly 9-pound tire part with a nearly 13-inch gash.")
    assert not _values(arts, "inch")


def test_a_forecast_price_is_not_the_price() -> None:
    # D0605E, APW19990524.0212 and APW20000414.0143
    arts = _two("The average wholesale price for Vioxx and Celebrex is $2.02 for the standard "
                "dosage.",
                "The wholesale price is expected to be $1.98 per tablet and dosage is once a day.")
    assert not _values(arts, "amount")


def test_dates_two_weeks_apart_are_two_events() -> None:
    # D0639C, APW19981202.1098 and XIE19990210.0008 (the embassy bombings, then the strikes)
    arts = _two("The United States has accused bin Laden of being the architect of the Aug. 7 "
                "U.S. Embassy bombings in Tanzania and Kenya, which killed 224 people.",
                "The attack was conducted on August 20 after two U.S. embassies in Kenya and "
                "Tanzania were devastated by terrorist bombs.", "1998-12-02", "1999-02-10")
    assert not _values(arts, "date")


def test_one_toll_of_one_bombing_is_a_conflict() -> None:
    # D0626H, APW19980826.0389 (247) and APW19980921.1222 (248), both the Nairobi bombing
    arts = _two("The powerful blast outside the U.S. Embassy in Nairobi, believed to have been "
                "caused by a car bomb, killed 247 people, including 12 Americans.",
                "A nearly simultaneous bombing at the U.S. Embassy in Nairobi, Kenya, killed 248 "
                "people.", "1998-08-26", "1998-09-21")
    assert [sorted(v.split()[0] for v in vals) for vals in _values(arts, "deaths")] == [
        ["247", "248"]]


def test_a_misspelt_name_is_a_conflict() -> None:
    # D0620B, NYT19990810.0197 and NYT20000227.0024
    arts = _two("Bill Modzeleski, director of the department's safe and drug-free schools "
                "program, said statistics for the school year are not yet available.",
                "“We can't search every knapsack in every car,” says Bill Modzelski of the Safe "
                "and Drug-Free Schools Program of the U.S. Department of Education.")
    assert _values(arts, "name") == [["Bill Modzeleski", "Bill Modzelski"]]
