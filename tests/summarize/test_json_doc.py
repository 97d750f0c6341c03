"""docs/json.md documents every key of the brief JSON and of the summarize JSONL line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from newsfold.cli import main
from newsfold.summarize import build_brief
from tests.summarize.briefdata import BRIEFS, haiti_articles, seed_articles

DOC = Path(__file__).resolve().parents[2] / "docs" / "json.md"


def _documented() -> set[str]:
    keys = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*`([^`]+)`\s*\|", line)
        if m:
            keys.add(m.group(1))
    return keys


def _keys(obj: Any, out: set[str]) -> set[str]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.add(k)
            _keys(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _keys(v, out)
    return out


def test_every_brief_key_is_documented() -> None:
    found: set[str] = set()
    haiti = build_brief("haiti", haiti_articles(), 120).to_dict()
    seed = build_brief("seed", seed_articles(), 120).to_dict()
    # The real briefs exercise every nested record (a conflict, quotes, a timeline).
    assert haiti["conflicts"] and seed["quotes"] and seed["timeline"] and seed["coverage"]
    _keys(haiti, found)
    _keys(seed, found)
    missing = found - _documented()
    assert not missing, f"keys not documented in docs/json.md: {sorted(missing)}"


def test_every_summarize_output_key_is_documented() -> None:
    runner = CliRunner()
    path = str(BRIEFS / "multiling2011_M006.jsonl")
    found: set[str] = set()
    for fmt in ("jsonl", "json"):
        res = runner.invoke(main, ["summarize", path, "--format", fmt, "--max-words", "100"])
        assert res.exit_code == 0, res.output
        lines = [json.loads(x) for x in res.output.splitlines() if x.strip()]
        assert lines
        for row in lines:
            _keys(row, found)
    assert {"group", "summary", "sentences", "citations"} <= found
    missing = found - _documented()
    assert not missing, f"keys not documented in docs/json.md: {sorted(missing)}"


def test_documentation_check_can_fail() -> None:
    assert "no_such_key" not in _documented()
    assert _keys({"a": [{"b": 1}]}, set()) == {"a", "b"}
