"""``newsfold eval quotes``: score the quotes newsfold finds, and the speakers it names, against
hand-annotated attributions (PolNeAR-style JSONL: each article's ``attributions`` with
``source``, ``cue`` and ``content`` spans and a ``direct`` flag).

A gold quote is a direct attribution with at least ``min_words`` words inside quotation marks in
its content (the shortest quote a brief shows; a paraphrase with a two-word scare quote is not a
quote a brief could show). A found quote matches the gold quote whose content span covers most of
it (at least half); the pieces of one quote interrupted by its attribution (“A,” he said, “B.”)
or running over several paragraphs each match the same gold quote, which is found once.

A named speaker is judged once per matched gold quote: right when its last word (the surname, or
the role of "a senior official") is a word of the annotated source, or the source's last word is
one of its words, titles left out (a speaker cut to "Rep." names no one), or when a role alone
("the president") ends as the annotated source does; with several pieces, right only when every
piece is right, wrong when one names someone else. A pronoun or missing source cannot be judged
without coreference and is counted apart. Beside newsfold's speakers, the same quotes get the
speaker of a plain baseline: the nearest capitalised name outside the quote in its line.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..compare.quotes import quote_spans
from ..text import words

__all__ = ["PRONOUNS", "TITLES", "judge_speaker", "nearest_name", "score_quotes", "table"]

PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his",
                      "its", "their", "who", "which", "that"])
"""Sources that name no one by themselves."""

_NAME_RE = re.compile(r"[A-Z][a-z’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3}")
_SENTENCE_START = frozenset(["The", "A", "An", "But", "And", "In", "On", "It", "This", "That",
                             "He", "She", "They", "We", "I", "If", "When", "As", "At", "For"])


def nearest_name(text: str, start: int, end: int) -> str | None:
    """The baseline speaker: the capitalised run nearest to the quote ``text[start:end]``
    outside it, in the same line (after the quote first when equally near)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    best: tuple[int, str] | None = None
    for lo, hi in ((end, line_end), (line_start, start)):
        for m in _NAME_RE.finditer(text, lo, hi):
            name = m.group(0)
            if name.split()[0] in _SENTENCE_START and len(name.split()) == 1:
                continue
            gap = m.start() - end if lo == end else start - m.end()
            if best is None or gap < best[0]:
                best = (gap, name)
    return None if best is None else best[1]


TITLES = frozenset(["mr", "mrs", "ms", "dr", "rep", "sen", "gov", "gen", "lt", "col", "capt",
                    "president", "senator", "representative", "governor", "secretary",
                    "minister", "former", "vice", "the", "a", "an", "of", "u", "s", "us"])
"""Words of a speaker that name no one (a speaker cut to "Rep" is wrong, not right)."""


def _name_words(name: str) -> list[str]:
    return [w for w in words(name.lower()) if w not in TITLES]


def judge_speaker(speaker: str, source: dict[str, Any] | None) -> str:
    """``right``, ``wrong`` or ``unjudged`` (the annotated source is a pronoun or missing)."""
    if source is None or source["text"].strip().lower() in PRONOUNS:
        return "unjudged"
    gold, mine = _name_words(source["text"]), _name_words(speaker)
    if mine and gold and (mine[-1] in gold or gold[-1] in mine):
        return "right"
    if not mine or not gold:  # a role alone ("the president") is right only as that same role
        gold_all, mine_all = words(source["text"].lower()), words(speaker.lower())
        if len(mine_all) > 1 and gold_all and gold_all[-1] == mine_all[-1]:
            return "right"
    return "wrong"


_MARK_RE = re.compile(r"[“”\"]|''|‘|’(?![A-Za-z])")
"""A quotation mark: double, straight, two apostrophes (the New York Times), or single."""


def quoted_words(content: str) -> int:
    """The number of words of ``content`` inside quotation marks. A closing mark with no opening
    one before it closes a quote opened before the span; an opening mark never closed runs to its
    end; content with no mark at all counts whole (the marks of a direct quote can sit just outside
    its annotated span). Single marks count only outside double ones."""
    marks = list(_MARK_RE.finditer(content))
    if all(m.group() == "’" for m in marks):
        return len(words(content))
    total, opened, single = 0, -1, False
    for m in marks:
        mark = m.group()
        if mark == "’" and not single:
            continue  # an apostrophe, or a single mark inside a double quote
        if opened >= 0 and (mark != "‘" or single) and (mark in "”\"’" or mark == "''"):
            total += len(words(content[opened:m.start()]))
            opened, single = -1, False
        elif opened < 0 and mark in "”’":
            total += len(words(content[:m.start()]))
        elif opened < 0 or mark == "“":
            if opened >= 0:
                total += len(words(content[opened:m.start()]))
            opened, single = m.end(), mark == "‘"
    if opened >= 0:
        total += len(words(content[opened:]))
    return total


def _gold_quotes(article: dict[str, Any], min_words: int) -> list[tuple[int, int, dict[str, Any]]]:
    out = []
    for att in article.get("attributions") or []:
        if not att.get("direct") or not att.get("content"):
            continue
        if sum(quoted_words(c["text"]) for c in att["content"]) < min_words:
            continue
        start = min(c["start"] for c in att["content"])
        end = max(c["end"] for c in att["content"])
        out.append((start, end, att))
    return out


def score_quotes(path: str | Path, min_words: int = 5, limit: int | None = None,
                 split: str | None = None) -> dict[str, Any]:
    """Quote and speaker figures for newsfold and the nearest-name baseline on a file."""
    counts: Counter[str] = Counter()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            art = json.loads(line)
            if split and art.get("split") != split:
                continue
            if limit is not None and counts["articles"] >= limit:
                break
            counts["articles"] += 1
            text = art["text"]
            gold = _gold_quotes(art, min_words)
            counts["gold"] += len(gold)
            counts["gold_named"] += sum(
                1 for _s, _e, a in gold
                if a["source"] is not None and a["source"]["text"].strip().lower() not in PRONOUNS)
            # each gold quote's verdicts from its pieces, for newsfold and the baseline
            verdicts: dict[int, dict[str, list[str]]] = {}
            for start, end, _quote, speaker in quote_spans(text, min_words):
                counts["found"] += 1
                best, cover = None, 0
                for gi, (gs, ge, _att) in enumerate(gold):
                    overlap = min(end, ge) - max(start, gs)
                    if overlap > cover:
                        best, cover = gi, overlap
                if best is None or cover * 2 < end - start:
                    continue
                counts["matched_pieces"] += 1
                source = gold[best][2]["source"]
                piece = verdicts.setdefault(best, {"newsfold": [], "baseline": []})
                for who, name in (("newsfold", speaker), ("baseline", nearest_name(text, start, end))):
                    piece[who].append(judge_speaker(name, source) if name else "none")
            counts["matched"] += len(verdicts)
            for piece in verdicts.values():
                for who, found in piece.items():
                    counts[f"{who}_{_verdict(found)}"] += 1
    return _figures(counts)


def _verdict(pieces: list[str]) -> str:
    """One verdict for a gold quote found in several pieces: wrong if any piece names someone
    else, none if a piece names no one, right only if every piece is right."""
    for verdict in ("wrong", "unjudged", "none"):
        if verdict in pieces:
            return verdict
    return "right"


def _figures(c: Counter[str]) -> dict[str, Any]:
    def ratio(a: float, b: float) -> float:
        return round(a / b, 4) if b else 0.0

    out: dict[str, Any] = {
        "articles": c["articles"],
        "gold_direct_quotes": c["gold"],
        "quotes_found": c["found"],
        "quote_precision": ratio(c["matched_pieces"], c["found"]),
        "quote_recall": ratio(c["matched"], c["gold"]),
    }
    for who in ("newsfold", "baseline"):
        right, wrong = c[f"{who}_right"], c[f"{who}_wrong"]
        out[who] = {
            "speakers_named": right + wrong + c[f"{who}_unjudged"],
            "right": right,
            "wrong": wrong,
            "unjudged": c[f"{who}_unjudged"],
            "no_speaker": c[f"{who}_none"],
            "speaker_precision": ratio(right, right + wrong),
            "speaker_recall": ratio(right, c["gold_named"]),
        }
    return out


def table(result: dict[str, Any], min_words: int = 5) -> str:
    """The figures of :func:`score_quotes` as a plain-text table."""
    lines = [f"{result['articles']} articles, {result['gold_direct_quotes']} annotated direct "
             f"quotes of {min_words}+ words, {result['quotes_found']} found",
             f"quotes    P {result['quote_precision']:.4f}  R {result['quote_recall']:.4f}",
             f"{'speakers':<9} {'named':>6} {'right':>6} {'wrong':>6} {'unjudged':>8} "
             f"{'P':>7} {'R':>7}"]
    for who in ("newsfold", "baseline"):
        r = result[who]
        lines.append(f"{who:<9} {r['speakers_named']:>6} {r['right']:>6} {r['wrong']:>6} "
                     f"{r['unjudged']:>8} {r['speaker_precision']:>7.4f} "
                     f"{r['speaker_recall']:>7.4f}")
    return "\n".join(lines)
