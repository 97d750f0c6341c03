"""ROUGE scoring (newsfold.eval.rouge) and ``newsfold eval summarize`` on real text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfold.eval.rouge import score_summaries, truncate_words
from newsfold.eval.summarize import evaluate_summaries
from tests.summarize.briefdata import BRIEFS

HAITI = BRIEFS / "multiling2011_M006.jsonl"


def test_truncate_words() -> None:
    assert truncate_words("a b  c\nd e", 3) == "a b c"
    assert truncate_words("a b", 10) == "a b"


def test_hand_computed_scores() -> None:
    # Reference: 6 tokens, 5 bigrams; system: 3 tokens, 2 bigrams, all in the reference.
    res = score_summaries({"t": "The cat sat"}, {"t": ["the cat sat on the mat"]},
                          metrics=("rouge1", "rouge2"))
    assert res["rouge1"]["recall"] == pytest.approx(50.0)
    assert res["rouge1"]["precision"] == pytest.approx(100.0)
    assert res["rouge2"]["recall"] == pytest.approx(40.0)
    assert res["rouge2"]["f1"] == pytest.approx(100 * 2 * 0.4 / 1.4)


def test_porter_stemming_and_cut() -> None:
    ref = {"t": ["Rescuers were searching the collapsed buildings"]}
    stemmed = score_summaries({"t": "rescuer searched collapse building"}, ref)
    plain = score_summaries({"t": "rescuer searched collapse building"}, ref, stemmer=False)
    assert stemmed["rouge1"]["recall"] > plain["rouge1"]["recall"]
    # Words past the cut are not scored.
    cut = score_summaries({"t": "nothing here at all rescuers searching"}, ref, max_words=4)
    assert cut["rouge1"]["recall"] == 0.0


def test_average_over_references_and_missing_topic_scores_zero() -> None:
    refs = {"a": ["the quake struck haiti", "aid reached port au prince"], "b": ["x y z"]}
    res = score_summaries({"a": "the quake struck haiti"}, refs, metrics=("rouge1",))
    per = res["per_topic"]
    assert per["a"]["rouge1"]["recall"] == pytest.approx((100.0 + 0.0) / 2)
    assert per["b"]["rouge1"]["recall"] == 0.0
    assert res["rouge1"]["recall"] == pytest.approx(25.0)


def test_eval_summarize_on_real_articles(tmp_path: Path) -> None:
    rows = [json.loads(x) for x in HAITI.read_text(encoding="utf-8").splitlines() if x.strip()]
    story = rows[0]["story"]
    # The reference is a real lead paragraph; a peer copying it must score 100 recall.
    reference = " ".join(rows[0]["text"].split()[:120])
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps({"story": story, "references": [reference]}) + "\n")
    peers = tmp_path / "peers.jsonl"
    peers.write_text(
        json.dumps({"system": "copy", "story": story, "summary": reference}) + "\n"
        + json.dumps({"system": "empty", "story": story, "summary": ""}) + "\n"
    )
    res = evaluate_summaries(HAITI, refs, max_words=100, peers_path=peers)
    sy = res["systems"]
    assert res["topics"] == 1 and res["max_words"] == 100
    assert sy["copy"]["rouge1"]["recall"] > 80.0  # the reference is 120 words, cut at 100
    assert sy["empty"]["rouge2"]["recall"] == 0.0
    assert 10.0 < sy["newsfold"]["rouge1"]["recall"] < sy["copy"]["rouge1"]["recall"]
    assert set(sy["newsfold"]) == {"rouge1", "rouge2", "rougeL"}
