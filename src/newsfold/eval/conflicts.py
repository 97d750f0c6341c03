"""``newsfold eval conflicts``: plant one disagreement in a real story and see whether the brief
shows it; count what it shows on the stories left as they are.

For each story of a labelled file (articles with a gold ``story``), one value that at least two
of its articles state is changed in one of them, once per kind: a number ("65" becomes "85"), a
day of a date ("March 5" becomes "March 8") and a surname ("Castle" becomes "Castello"). Each
change is recorded. A planted conflict is found when the story's conflicts have a side from the
changed article whose sentence holds the new value. On the untouched story every conflict shown
is counted: real stories do disagree, so this is an upper bound of the false ones, to be read
beside a sample judged by hand.

The baseline flags every value that one article states and no other does, on the same
stories: it finds nearly every planted change and shows a great many conflicts.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..records import Article

__all__ = ["KINDS", "Change", "plant", "evaluate_conflicts", "table"]

KINDS = ("number", "date", "name")
_NUMBER = re.compile(r"(?<![\w.,-])\d{2,3}(?:,\d{3})*(?![\w-])(?![.,]\d)")
"""A count of two or three digits or with thousands commas (not a year, a time or a decimal)."""
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan\\.|Feb\\.|Aug\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\.")
_DATE = re.compile(rf"\b(?:{_MONTHS})\s+(\d{{1,2}})\b")
_NAME = re.compile(r"\b[A-Z][a-z]+\s+([A-Z][a-z]{3,})\b")


@dataclass(frozen=True, slots=True)
class Change:
    """One planted disagreement: ``old`` became ``new`` in article ``article`` at ``start``."""

    story: str
    kind: str
    article: str
    start: int
    old: str
    new: str


def _changed(kind: str, old: str) -> str:
    if kind == "number":
        value = int(old.replace(",", ""))
        new = value + max(3, round(value * 0.3))
        return f"{new:,}" if "," in old else str(new)
    if kind == "date":
        day = int(old)
        return str(day + 3 if day <= 25 else day - 3)
    return old + "o" if not old.endswith("o") else old[:-1] + "a"


def _values(kind: str, text: str) -> list[tuple[int, str]]:
    """(start, value) of each value of ``kind`` in ``text`` (the day of a date, a surname)."""
    if kind == "number":
        return [(m.start(), m.group(0)) for m in _NUMBER.finditer(text)]
    rx = _DATE if kind == "date" else _NAME
    return [(m.start(1), m.group(1)) for m in rx.finditer(text)]


def plant(story: str, articles: list[Article], kind: str, rng: random.Random,
          ) -> tuple[list[Article], Change] | None:
    """The story with one value of ``kind`` changed in one article, and the change; None when
    no value of that kind is stated by two articles."""
    where: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, a in enumerate(articles):
        for start, value in _values(kind, a.text or ""):
            where[value].append((i, start))
    shared = sorted(v for v, places in where.items() if len({i for i, _ in places}) >= 2)
    if not shared:
        return None
    old = rng.choice(shared)
    i, start = rng.choice(where[old])
    new = _changed(kind, old)
    text = articles[i].text or ""
    changed = replace(articles[i], text=text[:start] + new + text[start + len(old):],
                      metadata=dict(articles[i].metadata))
    out = list(articles)
    out[i] = changed
    return out, Change(story, kind, changed.id, start, old, new)


def _shown(articles: list[Article]) -> list[Any]:
    from ..compare import compare

    return compare(articles).conflicts


def _found(conflicts: list[Any], change: Change) -> bool:
    return any(change.article in side.articles and change.new in side.text
               for c in conflicts for side in c.sides)


def _baseline(articles: list[Article], kind: str) -> set[tuple[int, str]]:
    """(article, value) pairs that only one article states: the baseline's conflicts."""
    seen: dict[str, set[int]] = defaultdict(set)
    for i, a in enumerate(articles):
        for _start, value in _values(kind, a.text or ""):
            seen[value].add(i)
    return {(next(iter(arts)), v) for v, arts in seen.items() if len(arts) == 1}


def evaluate_conflicts(path: str | Path, limit: int | None = None,
                       seed: int = 0) -> dict[str, Any]:
    """Recall of planted conflicts by kind and conflicts shown per untouched story, for newsfold
    and the baseline; ``changes`` lists every planted change."""
    from ..api import read_articles

    stories: dict[str, list[Article]] = defaultdict(list)
    for a in read_articles([str(path)]).articles:
        stories[str(a.metadata.get("story"))].append(a)
    names = sorted(s for s, arts in stories.items() if len(arts) >= 2)[:limit]
    rng = random.Random(seed)
    planted: dict[str, list[bool]] = defaultdict(list)
    base_found: dict[str, list[bool]] = defaultdict(list)
    shown, base_shown = [], []
    changes = []
    for name in names:
        arts = stories[name]
        shown.append(len(_shown(arts)))
        base_shown.append(sum(len(_baseline(arts, k)) for k in KINDS))
        for kind in KINDS:
            got = plant(name, arts, kind, rng)
            if got is None:
                continue
            changed, change = got
            changes.append(change)
            planted[kind].append(_found(_shown(changed), change))
            idx = next(i for i, a in enumerate(changed) if a.id == change.article)
            base_found[kind].append((idx, change.new) in _baseline(changed, kind))
    n = len(names)
    return {
        "stories": n,
        "planted": {k: len(planted[k]) for k in KINDS},
        "recall": {k: round(sum(planted[k]) / len(planted[k]), 4) if planted[k] else 0.0
                   for k in KINDS},
        "shown_per_untouched_story": round(sum(shown) / n, 3) if n else 0.0,
        "baseline": {
            "recall": {k: round(sum(base_found[k]) / len(base_found[k]), 4) if base_found[k]
                       else 0.0 for k in KINDS},
            "shown_per_untouched_story": round(sum(base_shown) / n, 3) if n else 0.0,
        },
        "changes": [asdict(c) for c in changes],
    }


def table(result: dict[str, Any], seed: int = 0) -> str:
    """The figures of :func:`evaluate_conflicts` as a plain-text table."""
    lines = [f"{result['stories']} stories; one value changed per story and kind (seed {seed})",
             f"{'':<9}" + "".join(f"{k + ' recall':>15}" for k in KINDS) + f"{'shown/story':>13}"]
    for who, r in (("newsfold", result), ("baseline", result["baseline"])):
        lines.append(f"{who:<9}" + "".join(f"{r['recall'][k]:>15.4f}" for k in KINDS)
                     + f"{r['shown_per_untouched_story']:>13.3f}")
    lines.append("planted: " + ", ".join(f"{k} {n}" for k, n in result["planted"].items()))
    return "\n".join(lines)
