"""The concept-coverage selector (newsfold.summarize.select) on real text."""

from __future__ import annotations

import dataclasses

import pytest

from newsfold.compare.align import StoryAnalysis, analyze
from newsfold.summarize.select import (
    DEFAULT,
    bigram_concepts,
    concept_weights,
    select,
)
from tests.summarize.briefdata import haiti_articles, seed_articles


def _value(sa: StoryAnalysis, chosen: list[int]) -> float:
    weights = concept_weights(sa)
    covered = set().union(*(bigram_concepts(sa.units[i].text) for i in chosen))
    return sum(weights.get(c, 0.0) for c in covered)


def test_bigram_concepts_are_stemmed_and_skip_stopword_pairs() -> None:
    cs = bigram_concepts("The quake struck Haiti on Tuesday, one of the strongest.")
    assert "quak struck" in cs
    assert "the quak" in cs  # one stopword is fine
    assert "of the" not in cs and "on tuesday" in cs
    assert "one of" not in cs  # "one" is a stopword here


def test_concepts_need_several_independent_articles() -> None:
    sa = analyze(haiti_articles())  # five articles: a concept must be in two of them
    weights = concept_weights(sa)
    assert weights
    # "struck Haiti" is in several articles; a bigram of one article only is not a concept.
    assert "struck haiti" in weights
    only_one = bigram_concepts(sa.units[sa.by_article[0][0]].text) - {
        c for u in sa.units if u.article != 0 for c in bigram_concepts(u.text)}
    assert only_one and not (only_one & set(weights))


@pytest.mark.parametrize("budget", [60, 100, 250])
def test_local_search_is_close_to_the_exact_optimum(budget: int) -> None:
    sa = analyze(haiti_articles())
    fast = select(sa, budget)
    exact = select(sa, budget, dataclasses.replace(DEFAULT, exact=True, mip_gap=0.0, time_limit=300))
    for chosen in (fast, exact):
        assert sum(sa.units[i].info.n_words for i in chosen) <= budget
    assert _value(sa, exact) >= _value(sa, fast) * 0.999
    assert _value(sa, fast) >= 0.97 * _value(sa, exact)


def test_quoted_sentences_left_out_when_others_fit() -> None:
    sa = analyze(seed_articles())
    chosen = select(sa, 250)
    assert chosen
    assert any('"' in u.text or "“" in u.text for u in sa.units)
    for i in chosen:
        assert not any(q in sa.units[i].text for q in '"“”')


def test_one_sentence_per_content_group_and_reading_order() -> None:
    sa = analyze(haiti_articles())
    chosen = select(sa, 250)
    groups = [sa.cluster_of[i] for i in chosen]
    assert len(groups) == len(set(groups))
    order = {a: k for k, a in enumerate(sa.publication_order())}
    keys = [(order[sa.units[i].article], sa.units[i].position) for i in chosen]
    assert keys == sorted(keys)


def test_centrality_prefers_content_other_outlets_report() -> None:
    from newsfold.summarize.select import _centrality

    sa = analyze(seed_articles())
    # Both outlets report the Geneva talks; only one says whose request the call was.
    shared = next(u for u in sa.units if "Geneva" in u.text and u.article == 0)
    own = next(u for u in sa.units if "at Mr. Putin’s request" in u.text)
    cent = _centrality(sa, [shared.idx, own.idx])
    assert cent[shared.idx] > cent[own.idx] > 0.0
    # One article alone has no other outlet to agree with.
    solo = analyze(seed_articles()[:1])
    assert set(_centrality(solo, [0, 1]).values()) == {0.0}


def test_drop_dangling_leaves_out_back_pointing_openers() -> None:
    sa = analyze(seed_articles())
    default = [sa.units[i].text for i in select(sa, 120)]
    # By default the coverage model picks "Those demands are to be discussed ..." (real text).
    assert any(t.startswith("Those ") for t in default)
    tidy = [sa.units[i].text for i in select(sa, 120, dataclasses.replace(DEFAULT,
                                                                            drop_dangling=True))]
    assert tidy
    assert not any(t.split()[0].lower() in {"those", "these", "he", "it", "but"} for t in tidy)
