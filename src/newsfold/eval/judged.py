"""Judgements made by reading, kept beside the code as JSONL of keys and answers only
(``bench/judgements/``): one reader for every ``newsfold eval`` command that scores against
them."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["read_judgements"]


def read_judgements(path: str | Path, answer: str) -> dict[str, bool]:
    """Each line's ``key`` and its ``answer`` field (``"supports"``, ``"true"``) as a bool."""
    answers: dict[str, bool] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                answers[row["key"]] = bool(row[answer])
    return answers
