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
