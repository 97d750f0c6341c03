"""Score the summary selector on a development set under several settings, in one process.

    .venv/bin/python bench/summarize_bench.py [SET_DIR] [--max-words N ...] [--set k=v ...]

Reads the set's ``articles.jsonl`` and ``refs.jsonl`` exactly as ``newsfold eval summarize``
does (read, group by ``story``, publication order, de-duplication), aligns each story once,
then runs :func:`newsfold.summarize.select.select` with the default
:class:`~newsfold.summarize.select.SelectParams` and with each ``--set`` override (several
``k=v`` separated by commas make one variant), printing ROUGE-1/2 recall and F1 (×100) and the
mean selection time per story; it stops if a sentence is not verbatim in its article or a
summary exceeds its budget. ``newsfold eval summarize`` is the reference command; this is for
comparing settings quickly.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from newsfold.api import mark_duplicates, read_articles
from newsfold.compare.align import analyze
from newsfold.eval.rouge import score_summaries
from newsfold.eval.summarize import load_references
from newsfold.summarize.select import DEFAULT, SelectParams, select


def _stories(directory: Path) -> tuple[dict[str, list], dict[str, list[str]]]:
    read = read_articles([directory / "articles.jsonl"])
    groups: dict[str, list] = {}
    for a in read.articles:
        groups.setdefault(str(a.metadata.get("story")), []).append(a)
    stories = {}
    for key, members in groups.items():
        stories[key] = mark_duplicates(members)
    return stories, load_references(directory / "refs.jsonl")


def _parse(spec: str) -> SelectParams:
    kwargs: dict[str, object] = {}
    types = {f.name: f.type for f in dataclasses.fields(SelectParams)}
    for part in filter(None, spec.split(",")):
        k, v = part.split("=")
        t = str(types[k])
        kwargs[k] = (v.lower() in ("1", "true") if t == "bool" else
                     int(v) if t == "int" else float(v))
    return dataclasses.replace(DEFAULT, **kwargs)  # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("directory", nargs="?", default="../shared/data/multiling2011")
    ap.add_argument("--max-words", type=int, nargs="+", default=[250, 100])
    ap.add_argument("--set", action="append", default=[], help="k=v[,k=v...] (one variant)")
    args = ap.parse_args()
    stories, refs = _stories(Path(args.directory))
    analyses = {k: analyze(v) for k, v in stories.items() if k in refs}
    variants = [("default", DEFAULT)] + [(s, _parse(s)) for s in args.set]
    for name, params in variants:
        cells = []
        for budget in args.max_words:
            start = time.perf_counter()
            chosen = {k: select(sa, budget, params) for k, sa in analyses.items()}
            per = (time.perf_counter() - start) / max(1, len(analyses))
            summaries = {k: " ".join(analyses[k].units[i].text for i in ch)
                         for k, ch in chosen.items()}
            # Every sentence must be verbatim in its article and within the budget.
            for k, ch in chosen.items():
                sa = analyses[k]
                assert all(sa.units[i].text in sa.articles[sa.units[i].article].text for i in ch)
                assert sum(sa.units[i].info.n_words for i in ch) <= budget
            sc = score_summaries(summaries, refs, max_words=budget)
            cells.append(f"{budget}w R1-R {sc['rouge1']['recall']:.2f} "
                         f"R2-R {sc['rouge2']['recall']:.2f} "
                         f"R1-F {sc['rouge1']['f1']:.2f} R2-F {sc['rouge2']['f1']:.2f} "
                         f"({per * 1000:.0f} ms/story)")
        print(f"{name:40s} " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
