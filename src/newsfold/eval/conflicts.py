"""``newsfold eval conflicts``: plant one disagreement in a real story and see whether the brief
shows it; count what it shows on the stories left as they are.

For each story of a labelled file (articles with a gold ``story``), one value that at least two
of its articles state *for the same thing* is changed in one of them, once per kind:

* a number stated with the same head word after it ("52 people", "100,000 troops") or as the
  same person's age ("Roberts, 32,") in two articles: "52" becomes "68";
* the day of a "Month day" date whose sentences in two articles share a content word near the
  date: "March 5" becomes "March 8";
* the surname of a person's full name "First Last" that two articles give and the story also
  uses alone (so it is a person, not "New York"): "Castle" becomes "Castello" in every mention
  of that article, as an outlet misspelling a name does.

A value two articles merely both contain ("100" in unrelated sentences) is not planted: changing
it makes no disagreement a reader could see. Each change is recorded with what it was stated
for. A planted conflict is found when the story's conflicts have a side from the changed article
whose sentence holds the new value. On the untouched story every conflict shown is counted: real
stories do disagree, so this is an upper bound of the false ones, to be read beside the
conflicts themselves (``untouched``), judged by hand.

The baseline flags every value that one article states and no other does, on the same
stories: it finds nearly every planted change and shows a great many conflicts.

Whether a conflict shown on an untouched story is true is a reader's judgement, kept by key in a
judgements file (``{"key", "true"}`` lines, ``bench/judgements/conflicts-<set>.jsonl``): a key
hashes the story and two sides (value and sentence), so a judgement holds whatever else the
conflict lists. :func:`conflict_questions` gives the questions behind the keys, with the two
sentences and their articles. A conflict is true when each of its sides truly disagrees with
some other side, false when some side is judged false against every other, and unjudged
otherwise.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..records import Article
from ..words import (
    MONTH_NAMES,
    NAME_TITLES,
    ORGANISATION_WORDS,
    PLACE_NAME_STARTS,
    WEEKDAY_NAMES,
)
from .judged import read_judgements

__all__ = ["KINDS", "Change", "plant", "evaluate_conflicts", "evaluate_many", "table",
           "seeds_table", "conflict_key", "conflict_questions", "judge", "judged_table",
           "untouched_conflicts"]

KINDS = ("number", "date", "name")
_NUMBER = re.compile(r"(?<![\w.,:/$€£-])\d{2,3}(?:,\d{3})*(?![\w-])(?![.,]\d)")
"""A count of two or three digits or with thousands commas (not a year, a time or a decimal)."""
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan\\.|Feb\\.|Aug\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\.")
_DATE = re.compile(rf"\b(?:{_MONTHS})\s+(\d{{1,2}})\b")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\s+$")
_NAME = re.compile(r"\b[A-Z][a-z]+\s+([A-Z][a-z]{3,})\b")
_FULL_NAME = re.compile(r"(?<![\w.’'-])(?<![A-Z][a-z] )([A-Z][a-z]+)\s+([A-Z][a-z]{3,})\b"
                        r"(?!\s+[A-Z])(?![’'-])")
_AGE = re.compile(r"\b([A-Z][a-z]{2,}),\s+(\d{2})\s*[,)]")
_SKIP = {"more", "than", "additional", "other", "new", "of", "the", "about", "some", "extra", "further", "were", "are", "have", "had", "was", "all", "thousand",
         "million", "billion"}
_STOP = {"that", "this", "with", "from", "were", "have", "been", "said", "says", "will", "which",
         "their", "there", "about", "after", "before", "when", "while", "into", "than", "also",
         "they", "them", "would", "could", "more", "last", "first", "since", "over", "under"}
_NOT_FIRST = {
    w.capitalize()
    for w in NAME_TITLES | PLACE_NAME_STARTS | WEEKDAY_NAMES | MONTH_NAMES | {"representative", "the"}
} | {"Rev", "Sen", "Gov", "Rep", "Gen", "Lt", "Col", "Sgt", "Capt", "Mr", "Mrs", "Ms", "Dr", "In",
     "On", "At", "But", "And", "When", "After", "Before"}
"""First words of capitalised pairs that are no person's name, as written ("Sen. ", "In Paris"):
a planted name change is made only to a person's name."""
_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass(frozen=True, slots=True)
class Change:
    """One planted disagreement: ``old`` became ``new`` in article ``article`` at ``start``
    (and, for a name, at its ``count`` mentions in that article); ``stated_for`` is what two
    articles gave the value for (the head word, the person, the shared word near the date)."""

    story: str
    kind: str
    article: str
    start: int
    old: str
    new: str
    stated_for: str = ""
    count: int = 1


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


def _head(text: str, start: int, end: int) -> str:
    """The lower-case word a count is of: "52 people" gives ``people``; "" when none, and for
    a conversion in brackets ("10,700 meters (35,000 feet)")."""
    from ..text import STOPWORDS

    if text[max(0, start - 1):start] == "(" or _MONTH_BEFORE.search(text[max(0, start - 12):start]):
        return ""
    for tok in text[end:end + 40].split()[:3]:
        bare = tok.strip(".,;:()\"“”'’")
        word = bare.lower()
        if not word.isalpha() or bare[0].isupper():
            return ""
        if word in _SKIP:
            continue
        return "" if word in STOPWORDS and word != "people" else word
    return ""


def _near(text: str, start: int, end: int, width: int = 60) -> set[str]:
    """Lower-case content words around a value (its event words), within the sentence."""
    lo = max(text.rfind(". ", 0, start), start - width)
    hi = text.find(". ", end)
    hi = min(hi if hi >= 0 else len(text), end + width)
    return {w for w in _WORD.findall(text[lo:start] + " " + text[end:hi])
            if w.islower() and w not in _STOP}


def _stated(kind: str, articles: list[Article]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(value, what it is stated for) -> (article, start) of each mention of ``kind`` that
    another article states for the same thing."""
    # (value, what) -> (article, start, words near the value)
    seen: dict[tuple[str, str], list[tuple[int, int, set[str]]]] = defaultdict(list)
    for i, a in enumerate(articles):
        text = a.text or ""
        if kind == "number":
            ages = {m.start(2): m.group(1) for m in _AGE.finditer(text)}
            for m in _NUMBER.finditer(text):
                if m.start() in ages:
                    seen[(m.group(0), f"age of {ages[m.start()]}")].append((i, m.start(), set()))
                    continue
                head = _head(text, m.start(), m.end())
                if head:
                    near = _near(text, m.start(), m.end()) - {head}
                    seen[(m.group(0), head)].append((i, m.start(), near))
        elif kind == "date":
            for m in _DATE.finditer(text):
                # a dateline gives when the report was filed, not a fact
                if m.start() >= 40 and not re.match(r"\s*\(\w", text[m.end():]):
                    seen[(m.group(0), "")].append((i, m.start(1), _near(text, m.start(),
                                                                           m.end())))
        else:
            for m in _FULL_NAME.finditer(text):
                if m.group(1) not in _NOT_FIRST and m.group(2) not in _NOT_FIRST:
                    seen[(m.group(2), m.group(1))].append((i, m.start(2), set()))
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for (value, what), places in seen.items():
        for i, start, near in places:
            # another article states it for the same thing, with a word in common nearby
            common = [w for j, _s, other in places if j != i for w in sorted(near & other)]
            if kind == "name" or what.startswith("age of ") or common:
                label = what if kind != "date" else ", ".join(sorted(set(common))[:3])
                out[(value, label or what)].append((i, start))
    return out


def _person(surname: str, first: str, articles: list[Article]) -> bool:
    """The story treats "First Last" as a person: somewhere the name or the surname alone is
    followed by a speech verb, "who" or an age, or preceded by a title; and neither word is an
    ordinary word written in lower case elsewhere ("One Amish", "Popular Front"), nor the
    surname a word that ends the names of bodies ("Olympic Committee")."""
    if surname.lower() in ORGANISATION_WORDS:
        return False
    name = rf"(?:{first} )?{surname}"
    rx = re.compile(rf"(?<!{first} )\b{surname},? (?:said|says|told|added|wrote|asked)\b"
                    rf"|\b{name}(?:, who\b|, \d\d?\b)"
                    rf"|\b(?:Mr|Mrs|Ms|Dr|Sen|Gov|Rep)\.? {name}\b")
    lower = re.compile(rf"\b(?:{first.lower()}|{surname.lower()})\b")
    texts = [a.text or "" for a in articles]
    return any(rx.search(t) for t in texts) and not any(lower.search(t) for t in texts)


def plant(story: str, articles: list[Article], kind: str, rng: random.Random,
          ) -> tuple[list[Article], Change] | None:
    """The story with one value of ``kind`` changed in one article, and the change; None when
    no value of that kind is stated for the same thing by two articles."""
    where = _stated(kind, articles)
    # value -> (what it is stated for, mentions that another article states for it too)
    shared: dict[str, tuple[list[str], set[tuple[int, int]]]] = {}
    for (value, what), places in sorted(where.items()):
        if len({i for i, _ in places}) < 2:
            continue
        if kind == "name" and not _person(value, what, articles):
            continue
        row = shared.setdefault(value, ([], set()))
        row[0].append(what if kind != "name" else f"{what} {value}")
        row[1].update(places)
    if not shared:
        return None
    value = rng.choice(sorted(shared))
    whats, mentions = shared[value]
    i, start = rng.choice(sorted(mentions))
    old = value.split()[-1] if kind == "date" else value
    text = articles[i].text or ""
    new = _changed(kind, old)
    starts = [start]
    if kind == "name":  # an outlet misspelling a name misspells it throughout
        starts = [m.start() for m in re.finditer(rf"\b{old}\b", text)]
    for s in reversed(starts):
        text = text[:s] + new + text[s + len(old):]
    changed = replace(articles[i], text=text, metadata=dict(articles[i].metadata))
    out = list(articles)
    out[i] = changed
    return out, Change(story, kind, changed.id, min(starts), old, new, ", ".join(whats[:3]),
                       len(starts))


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


def _row(c: Any) -> dict[str, Any]:
    return {"what": c.what, "kind": getattr(c, "kind", "disagreement"),
            "values": [s.value for s in c.sides],
            "sides": [{"value": s.value, "text": s.text, "articles": s.articles}
                      for s in c.sides], "compared": c.compared}


def conflict_key(story: str, side1: dict[str, Any], side2: dict[str, Any],
                 kind: str = "disagreement") -> str:
    """The key of a judgement: the story and two sides' values and sentences, in either order,
    and whether they are shown as an update (a revision is judged apart from a disagreement)."""
    a, b = sorted((f"{side1['value']}\x1e{side1['text']}", f"{side2['value']}\x1e{side2['text']}"))
    tail = "\x1fupdate" if kind == "update" else ""
    return hashlib.sha1(f"{story}\x1f{a}\x1f{b}{tail}".encode()).hexdigest()[:16]


def _pairs(row: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    sides = row["sides"]
    for x, s1 in enumerate(sides):
        for s2 in sides[x + 1:]:
            yield s1, s2


def _stories(path: str | Path, limit: int | None) -> tuple[dict[str, list[Article]], list[str]]:
    from ..api import read_articles

    stories: dict[str, list[Article]] = defaultdict(list)
    for a in read_articles([str(path)]).articles:
        stories[str(a.metadata.get("story"))].append(a)
    names = sorted(s for s, arts in stories.items() if len(arts) >= 2)[:limit]
    return stories, names


def untouched_conflicts(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Every conflict shown on the stories as they are, one row each with its story."""
    stories, names = _stories(path, limit)
    return [{"story": name, **_row(c)} for name in names for c in _shown(stories[name])]


def conflict_questions(path: str | Path, limit: int | None = None,
                       rows: list[dict[str, Any]] | None = None) -> Iterator[dict[str, Any]]:
    """One question per pair of sides of each conflict shown on an untouched story: its key,
    what was compared, the two values, sentences and articles, for a reader to judge."""
    for row in rows if rows is not None else untouched_conflicts(path, limit):
        for s1, s2 in _pairs(row):
            yield {"key": conflict_key(row["story"], s1, s2, row.get("kind", "")),
                   "story": row["story"],
                   "what": row["what"], "kind": row["kind"], "compared": row["compared"],
                   "values": [s1["value"], s2["value"]], "sentences": [s1["text"], s2["text"]],
                   "articles": [s1["articles"], s2["articles"]]}


def _answers(judged: str | Path) -> dict[str, bool]:
    return read_judgements(judged, "true")


def _verdict(row: dict[str, Any], answers: dict[str, bool]) -> bool | None:
    """True when every side of the conflict disagrees truly with some other side, False when
    some side is judged false against every other side, None while that is undecided."""
    sides = row["sides"]
    undecided = False
    for s1 in sides:
        got = [answers.get(conflict_key(row["story"], s1, s2, row.get("kind", "")))
               for s2 in sides if s2 is not s1]
        if any(g is True for g in got):
            continue
        if all(g is False for g in got):
            return False
        undecided = True
    return None if undecided else True


def judge(rows: list[dict[str, Any]], judged: str | Path) -> dict[str, Any]:
    """True, false and unjudged counts of the conflicts shown (``rows``, as ``untouched``), by
    the judgements in ``judged``; the keys of the unjudged pairs are listed."""
    answers = _answers(judged)
    counts = {"true": 0, "false": 0, "unjudged": 0}
    missing: list[str] = []
    for row in rows:
        verdict = _verdict(row, answers)
        counts["unjudged" if verdict is None else "true" if verdict else "false"] += 1
        if verdict is None:
            missing += [k for s1, s2 in _pairs(row)
                        if (k := conflict_key(row["story"], s1, s2, row.get("kind", "")))
                        not in answers]
    decided = counts["true"] + counts["false"]
    return {"shown": len(rows), **counts,
            "precision": round(counts["true"] / decided, 4) if decided else 0.0,
            "unjudged_keys": missing}


def judged_table(result: dict[str, Any]) -> str:
    """The counts of :func:`judge` as one line."""
    return (f"conflicts shown on untouched stories: {result['shown']}; judged true "
            f"{result['true']}, false {result['false']}, unjudged {result['unjudged']}; "
            f"true of judged {result['precision']:.4f}")


def evaluate_conflicts(path: str | Path, limit: int | None = None,
                       seed: int = 0) -> dict[str, Any]:
    """Recall of planted conflicts by kind and conflicts shown per untouched story, for newsfold
    and the baseline; ``changes`` lists every planted change and ``untouched`` every conflict
    shown on the stories as they are."""
    stories, names = _stories(path, limit)
    rng = random.Random(seed)
    planted: dict[str, list[bool]] = defaultdict(list)
    base_found: dict[str, list[bool]] = defaultdict(list)
    shown, base_shown = [], []
    changes = []
    untouched: list[dict[str, Any]] = []
    for name in names:
        arts = stories[name]
        got_shown = _shown(arts)
        shown.append(len(got_shown))
        untouched.extend({"story": name, **_row(c)} for c in got_shown)
        base_shown.append(sum(len(_baseline(arts, k)) for k in KINDS))
        for kind in KINDS:
            got = plant(name, arts, kind, rng)
            if got is None:
                continue
            changed, change = got
            hit = _found(_shown(changed), change)
            changes.append({**asdict(change), "found": hit})
            planted[kind].append(hit)
            idx = next(i for i, a in enumerate(changed) if a.id == change.article)
            base_found[kind].append((idx, change.new) in _baseline(changed, kind))
    n = len(names)
    kinds: dict[str, int] = defaultdict(int)
    for row in untouched:
        kinds[row["kind"]] += 1
    return {
        "stories": n,
        "planted": {k: len(planted[k]) for k in KINDS},
        "recall": {k: round(sum(planted[k]) / len(planted[k]), 4) if planted[k] else 0.0
                   for k in KINDS},
        "shown_per_untouched_story": round(sum(shown) / n, 3) if n else 0.0,
        "shown_by_kind": dict(sorted(kinds.items())),
        "baseline": {
            "recall": {k: round(sum(base_found[k]) / len(base_found[k]), 4) if base_found[k]
                       else 0.0 for k in KINDS},
            "shown_per_untouched_story": round(sum(base_shown) / n, 3) if n else 0.0,
        },
        "changes": changes,
        "untouched": untouched,
    }


def evaluate_many(paths: Iterable[str | Path], seeds: Iterable[int] = (0,),
                  limit: int | None = None) -> list[dict[str, Any]]:
    """:func:`evaluate_conflicts` for each file and seed, each result tagged with both."""
    return [{"path": str(p), "seed": s, **evaluate_conflicts(p, limit=limit, seed=s)}
            for p in paths for s in seeds]


def table(result: dict[str, Any], seed: int = 0) -> str:
    """The figures of :func:`evaluate_conflicts` as a plain-text table."""
    lines = [f"{result['stories']} stories; one value changed per story and kind (seed {seed})",
             f"{'':<9}" + "".join(f"{k + ' recall':>15}" for k in KINDS) + f"{'shown/story':>13}"]
    for who, r in (("newsfold", result), ("baseline", result["baseline"])):
        lines.append(f"{who:<9}" + "".join(f"{r['recall'][k]:>15.4f}" for k in KINDS)
                     + f"{r['shown_per_untouched_story']:>13.3f}")
    lines.append("planted: " + ", ".join(f"{k} {n}" for k, n in result["planted"].items()))
    if result.get("shown_by_kind"):
        lines.append("shown on untouched stories: " + ", ".join(
            f"{k} {n}" for k, n in result["shown_by_kind"].items()))
    return "\n".join(lines)


def seeds_table(results: list[dict[str, Any]]) -> str:
    """One row per file and seed of :func:`evaluate_many` (newsfold, then the baseline), and
    the worst recall of each kind over the seeds."""
    head = f"{'':<9}{'seed':>5}" + "".join(f"{k + ' recall':>15}" for k in KINDS) \
        + f"{'shown/story':>13}"
    lines = [head]
    for r in results:
        lines.append(f"{'newsfold':<9}{r['seed']:>5}"
                     + "".join(f"{r['recall'][k]:>15.4f}" for k in KINDS)
                     + f"{r['shown_per_untouched_story']:>13.3f}")
        b = r["baseline"]
        lines.append(f"{'baseline':<9}{r['seed']:>5}"
                     + "".join(f"{b['recall'][k]:>15.4f}" for k in KINDS)
                     + f"{b['shown_per_untouched_story']:>13.3f}")
    for who, get in (("newsfold", lambda r: r), ("baseline", lambda r: r["baseline"])):
        if results:
            lines.append(f"{who:<9}{'worst':>5}" + "".join(
                f"{min(get(r)['recall'][k] for r in results):>15.4f}" for k in KINDS)
                + f"{max(get(r)['shown_per_untouched_story'] for r in results):>13.3f}")
    if results:
        lines.append(f"{results[0]['stories']} stories; planted: " + ", ".join(
            f"{k} {n}" for k, n in results[0]["planted"].items()))
    return "\n".join(lines)
