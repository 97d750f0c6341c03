"""The "same content" decision's machine-translation-metric features, on real MRPC pairs
(tests/data/mrpc, see its README.md)."""

from __future__ import annotations

import pytest

from newsfold.compare.align import (
    FEATURES,
    WEIGHTS,
    AlignContext,
    _edit,
    pair_features,
    pair_probability,
    same_content,
)
from newsfold.eval.support import Pair, read_pairs

from ..conftest import DATA

PAIRS = DATA / "mrpc" / "pairs.jsonl"
FEATURE_PAIRS = DATA / "mrpc" / "features.jsonl"


def _fixture() -> tuple[dict[str, Pair], AlignContext]:
    pairs = {p.id: p for p in read_pairs(FEATURE_PAIRS)}
    ctx = AlignContext.from_sentences([s for p in pairs.values() for s in (p.s1, p.s2)])
    return pairs, ctx


def _named(a: str, b: str, ctx: AlignContext) -> dict[str, float]:
    return dict(zip(FEATURES, pair_features(a, b, ctx), strict=True))


def test_edit_distance_counts_word_edits() -> None:
    assert _edit((), ("a", "b")) == 2
    assert _edit(("a", "b"), ()) == 2
    assert _edit(("a", "b", "c"), ("a", "b", "c")) == 0
    assert _edit(("a", "b", "c"), ("a", "x", "c")) == 1  # one substitution
    assert _edit(("a", "b", "c"), ("a", "c")) == 1  # one deletion
    assert _edit(("k", "i", "t", "t", "e", "n"), ("s", "i", "t", "t", "i", "n", "g")) == 3
    # longer than a machine word: the bit vectors are Python integers
    long_a = tuple(f"w{i}" for i in range(100))
    long_b = long_a[:40] + ("x",) + long_a[41:] + ("y",)
    assert _edit(long_a, long_b) == 2 and _edit(long_b, long_a) == 2


def test_ngram_and_edit_features_match_a_hand_count() -> None:
    """MRPC pair 579975-579810 (tests/data/mrpc/pairs.jsonl line 8). Folded words:
    a = the dvd-cca then appealed to the state supreme court (9),
    b = the dvd cca appealed that decision to the u.s supreme court (11).
    Shared words with repeats: the x2, appealed, to, supreme, court = 6; shared bigrams:
    "to the", "supreme court" = 2 of 8 and 10; edits: dvd-cca/dvd, then/cca, state/u.s
    substituted, "that decision" inserted = 5."""
    p = {x.id: x for x in read_pairs(PAIRS)}["579975-579810"]
    ctx = AlignContext.from_sentences([p.s1, p.s2])
    f = _named(p.s1, p.s2, ctx)
    assert (f["words1_min"], f["words1_max"]) == pytest.approx((6 / 11, 6 / 9))
    assert (f["words2_min"], f["words2_max"]) == pytest.approx((2 / 10, 2 / 8))
    assert (f["words3_min"], f["words4_max"]) == (0.0, 0.0)
    assert f["edit"] == pytest.approx(5 / 11)
    # capitalised words after the first: DVD-CCA, Supreme, Court / DVD, CCA, U.S, Supreme, Court
    assert f["names_shared"] == pytest.approx(2 / 6)
    assert f["numbers_shared"] == 0.0 and f["numbers_differ"] == 0.0
    assert f["negation_apart"] == 0.0
    assert f["chars2_min"] <= f["chars2_max"] and 0.0 < f["chars5_min"] < f["chars3_min"]
    assert f == pytest.approx(_named(p.s2, p.s1, ctx))


def test_every_feature_is_weighed() -> None:
    assert set(WEIGHTS) == {"bias", *FEATURES}
    assert len(FEATURES) == len(set(FEATURES))
    ctx = AlignContext.from_sentences(["A sentence of words here.", "Another one of words."])
    assert len(pair_features("A sentence of words here.", "Another one of words.", ctx)) == len(
        FEATURES)


def test_a_negated_or_dropped_statement_is_not_same() -> None:
    """Labelled different: "were not to blame" / "declined to name"; Prodi "was not injured"
    / a bomb "on Sunday"; "no longer get the glory" / "also exceeded"."""
    pairs, ctx = _fixture()
    for ident in ("1117441-1117426", "3417991-3417841", "2304663-2304743"):
        p = pairs[ident]
        assert not p.same
        assert _named(p.s1, p.s2, ctx)["negation_apart"] == 1.0
        assert not same_content(p.s1, p.s2, ctx)
        assert not same_content(p.s2, p.s1)


def test_removing_the_negation_raises_the_probability() -> None:
    pairs, ctx = _fixture()
    p = pairs["3417991-3417841"]
    plain = p.s1.replace(", who was not injured", ", who was injured")
    negated = pair_probability(p.s1, p.s2, ctx)
    without = pair_probability(plain, p.s2, ctx)
    assert negated is not None and without is not None
    assert without > negated


def test_reworded_reports_are_same() -> None:
    """Labelled the same: "are due to appear again before court on July 8" / "will appear in
    court again on July 8"; "a very seminal moment in our agency's history" / "a seminal moment
    in the history of this agency"; "the value of the deal has increased" / "has risen"."""
    pairs, ctx = _fixture()
    for ident in ("1269572-1269682", "2204002-2204069", "2222984-2223085"):
        p = pairs[ident]
        assert p.same
        assert same_content(p.s1, p.s2, ctx)
        assert same_content(p.s2, p.s1, ctx)
