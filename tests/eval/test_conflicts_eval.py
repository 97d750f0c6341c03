"""``newsfold eval conflicts`` on real stories: three MultiLing 2011 topics (Wikinews, CC BY 2.5;
tests/data/cluster/multiling.jsonl, provenance in its folder)."""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner

from newsfold.api import read_articles
from newsfold.cli import main
from newsfold.eval.conflicts import _baseline, _found, _shown, evaluate_conflicts, plant
from newsfold.records import Article

MULTILING = Path(__file__).resolve().parents[1] / "data" / "cluster" / "multiling.jsonl"


def _stories() -> dict[str, list[Article]]:
    out: dict[str, list[Article]] = defaultdict(list)
    for a in read_articles([MULTILING]).articles:
        out[str(a.metadata["story"])].append(a)
    return out


def test_a_planted_change_touches_one_value_of_one_article() -> None:
    arts = _stories()["M002"]  # Royal Navy sailors captured by Iran, 2007
    for kind in ("number", "date", "name"):
        got = plant("M002", arts, kind, random.Random(1))
        assert got is not None, kind
        changed, change = got
        diff = [(a, b) for a, b in zip(arts, changed, strict=True) if a.text != b.text]
        assert len(diff) == 1 and diff[0][1].id == change.article
        old_text, new_text = diff[0][0].text, diff[0][1].text
        assert old_text[change.start:change.start + len(change.old)] == change.old
        assert new_text[change.start:change.start + len(change.new)] == change.new
        assert change.new != change.old
        # the value was stated by another article too: a disagreement a reader could see
        assert sum(change.old in a.text for a in arts) >= 2
        # the baseline flags the new value (no other article states it)
        idx = next(i for i, a in enumerate(changed) if a.id == change.article)
        assert (idx, change.new) in _baseline(changed, kind)


def test_a_toll_is_planted_where_two_articles_state_it_for_the_same_thing() -> None:
    # London bombings (M001): "52 people" is stated by several articles; the change records it.
    arts = _stories()["M001"]
    changed, change = plant("M001", arts, "number", random.Random(6)) or ([], None)
    assert change is not None and (change.old, change.new) == ("52", "68")
    assert change.stated_for == "people"
    assert not _found(_shown(arts), change)  # the untouched story has no such side


def test_a_name_is_changed_in_every_mention_of_one_article() -> None:
    arts = _stories()["M002"]
    changed, change = plant("M002", arts, "name", random.Random(1)) or ([], None)
    assert change is not None and " " in change.stated_for  # a full name "First Last"
    text = next(a.text for a in changed if a.id == change.article)
    assert change.count >= 1 and text.count(change.new) >= change.count
    assert re.search(rf"\\b{change.old}\\b", text) is None


def test_figures_are_deterministic_and_listed_with_their_changes() -> None:
    one = evaluate_conflicts(MULTILING, seed=3)
    assert one == evaluate_conflicts(MULTILING, seed=3)
    assert one["stories"] == 3
    assert sum(one["planted"].values()) == len(one["changes"])
    assert all(0.0 <= r <= 1.0 for r in one["recall"].values())
    assert one["baseline"]["shown_per_untouched_story"] > one["shown_per_untouched_story"]


def test_cli_prints_recall_beside_the_baseline() -> None:
    out = CliRunner().invoke(main, ["eval", "conflicts", str(MULTILING), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data["recall"]) == {"number", "date", "name"} and "baseline" in data


def test_cli_prints_one_row_per_seed_and_the_worst() -> None:
    out = CliRunner().invoke(main, ["eval", "conflicts", str(MULTILING), "--seeds", "0,1"])
    assert out.exit_code == 0, out.output
    rows = [line.split() for line in out.output.splitlines()]
    assert [r[:2] for r in rows if r and r[0] in ("newsfold", "baseline")] == [
        ["newsfold", "0"], ["baseline", "0"], ["newsfold", "1"], ["baseline", "1"],
        ["newsfold", "worst"], ["baseline", "worst"]]
    worst = next(r for r in rows if r[:2] == ["newsfold", "worst"])
    per_seed = [r for r in rows if r[0] == "newsfold" and r[1] in ("0", "1")]
    assert float(worst[2]) == min(float(r[2]) for r in per_seed)


def test_a_judgement_key_does_not_depend_on_the_order_of_the_sides() -> None:
    from newsfold.eval.conflicts import conflict_key

    a = {"value": "52", "text": "52 people died.", "articles": ["x"]}
    b = {"value": "56", "text": "56 people died.", "articles": ["y"]}
    assert conflict_key("s", a, b) == conflict_key("s", b, a)
    assert conflict_key("s", a, b) != conflict_key("t", a, b)


def test_a_conflict_is_true_when_each_side_truly_disagrees_with_another(tmp_path: Path) -> None:
    from newsfold.eval.conflicts import conflict_key, judge

    sides = [{"value": v, "text": f"{v} people died.", "articles": [v]} for v in ("10", "12", "30")]
    row = {"story": "s", "sides": sides}
    judged = tmp_path / "j.jsonl"

    def write(answers: dict[tuple[int, int], bool]) -> None:
        judged.write_text("".join(
            json.dumps({"key": conflict_key("s", sides[x], sides[y]), "true": t}) + "\n"
            for (x, y), t in answers.items()))

    write({(0, 1): True, (1, 2): True})
    assert judge([row], judged)["true"] == 1
    write({(0, 1): True, (0, 2): False, (1, 2): False})  # "30" is about something else
    got = judge([row], judged)
    assert (got["false"], got["true"]) == (1, 0)
    write({(0, 1): True})
    got = judge([row], judged)
    assert got["unjudged"] == 1 and len(got["unjudged_keys"]) == 2


def test_the_cli_writes_questions_and_counts_judged_conflicts(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["eval", "conflicts", str(MULTILING), "--write-questions"])
    assert out.exit_code == 0, out.output
    questions = [json.loads(line) for line in out.output.splitlines() if line.strip()]
    assert questions and all(len(q["sentences"]) == 2 and q["key"] for q in questions)
    judged = tmp_path / "j.jsonl"
    judged.write_text("".join(json.dumps({"key": q["key"], "true": True}) + "\n"
                              for q in questions))
    out = runner.invoke(main, ["eval", "conflicts", str(MULTILING), "--judged", str(judged),
                               "--format", "json"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)["judged"]
    assert got["unjudged"] == 0 and got["true"] == got["shown"] > 0
