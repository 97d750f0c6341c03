"""``newsfold eval quotes`` on real annotated articles (tests/data/polnear, with provenance)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsfold.cli import main
from newsfold.compare.quotes import quote_spans
from newsfold.eval.quotes import judge_speaker, nearest_name, score_quotes

POLNEAR = Path(__file__).resolve().parents[1] / "data" / "polnear" / "articles.jsonl"


def _articles() -> list[dict]:
    return [json.loads(x) for x in POLNEAR.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_a_speaker_is_judged_by_name_not_by_title() -> None:
    assert judge_speaker("Caddell", {"text": "Pat Caddell"}) == "right"
    assert judge_speaker("Pat Caddell", {"text": "Caddell"}) == "right"
    # a speaker cut at an abbreviation names no one
    assert judge_speaker("Rep", {"text": "Rep. G.K. Butterfield"}) == "wrong"
    assert judge_speaker("Donald Trump", {"text": "Hillary Clinton"}) == "wrong"
    assert judge_speaker("Trump", {"text": "he"}) == "unjudged"
    assert judge_speaker("Trump", None) == "unjudged"


def test_quote_spans_point_into_the_text_and_carry_the_governing_name() -> None:
    art = next(a for a in _articles() if "caddell" in a["id"])
    spans = quote_spans(art["text"])
    assert spans
    for start, end, quote, _speaker in spans:
        assert quote in art["text"][start:end]
        assert art["text"][start] in "“\"" and art["text"][end - 1] in "”\""
    assert spans[0][3] == "Caddell"  # "..., Caddell said" on the Breitbart radio interview


def test_figures_on_the_subset_add_up() -> None:
    result = score_quotes(POLNEAR)
    gold = sum(1 for a in _articles() for att in a["attributions"]
               if att["direct"] and sum(len(c["text"].split()) for c in att["content"]) >= 5)
    assert result["articles"] == 6 and result["gold_direct_quotes"] == gold
    assert 0 < result["quote_precision"] <= 1 and 0 < result["quote_recall"] <= 1
    for who in ("newsfold", "baseline"):
        r = result[who]
        assert r["right"] + r["wrong"] + r["unjudged"] == r["speakers_named"]
        assert r["speaker_precision"] == round(r["right"] / (r["right"] + r["wrong"]), 4)
    # the baseline names someone for nearly every quote, newsfold only when attributed
    assert result["baseline"]["speakers_named"] > result["newsfold"]["speakers_named"]


def test_baseline_takes_the_nearest_name_in_the_line() -> None:
    text = "Intro.\n“We will win this one for sure,” said Jane Roe, a lawyer. Bob Smith disagreed."
    start = text.index("“")
    end = text.index("”") + 1
    assert nearest_name(text, start, end) == "Jane Roe"


def test_cli_prints_both_systems() -> None:
    out = CliRunner().invoke(main, ["eval", "quotes", str(POLNEAR), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert {"newsfold", "baseline", "quote_recall"} <= set(data)
