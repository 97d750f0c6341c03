"""``newsfold eval quotes``: score the quotes newsfold finds, and the speakers it names, against
hand-annotated attributions (PolNeAR-style JSONL: each article's ``attributions`` with
``source``, ``cue`` and ``content`` spans and a ``direct`` flag).

A gold quote is a direct attribution whose content has at least ``min_words`` words (the
shortest quote a brief shows). A found quote matches the gold quote whose content span covers
most of it (at least half). A named speaker is judged on a matched quote: right when its last
word (the surname, or the role of "a senior official") is a word of the annotated source, or
the source's last word is one of its words, titles left out (a speaker cut to "Rep." names no
one); a pronoun or missing source cannot be judged
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
    return "wrong"


def _gold_quotes(article: dict[str, Any], min_words: int) -> list[tuple[int, int, dict[str, Any]]]:
    out = []
    for att in article.get("attributions") or []:
        if not att.get("direct") or not att.get("content"):
            continue
        if sum(len(words(c["text"])) for c in att["content"]) < min_words:
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
            taken: set[int] = set()
            for start, end, _quote, speaker in quote_spans(text, min_words):
                counts["found"] += 1
                best, cover = None, 0
                for gi, (gs, ge, _att) in enumerate(gold):
                    overlap = min(end, ge) - max(start, gs)
                    if gi not in taken and overlap > cover:
                        best, cover = gi, overlap
                if best is None or cover * 2 < end - start:
                    continue
                taken.add(best)
                counts["matched"] += 1
                source = gold[best][2]["source"]
                for who, name in (("newsfold", speaker), ("baseline", nearest_name(text, start, end))):
                    if name:
                        counts[f"{who}_{judge_speaker(name, source)}"] += 1
                    else:
                        counts[f"{who}_none"] += 1
    return _figures(counts)


def _figures(c: Counter[str]) -> dict[str, Any]:
    def ratio(a: float, b: float) -> float:
        return round(a / b, 4) if b else 0.0

    out: dict[str, Any] = {
        "articles": c["articles"],
        "gold_direct_quotes": c["gold"],
        "quotes_found": c["found"],
        "quote_precision": ratio(c["matched"], c["found"]),
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
