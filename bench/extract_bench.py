"""Extraction benchmark: newsfold vs plain trafilatura vs keeping everything, side by side.

    .venv/bin/python bench/extract_bench.py [FILE.jsonl[.gz]] [--limit N] [--modes html,text]
        [--systems newsfold,trafilatura,keep-all] [--fast]

Defaults to the development set ``/work/shared/data/extraction-trafilatura/pages.jsonl.gz``.
Each (mode, system) pair runs through :func:`newsfold.eval.extract.evaluate_extraction` in one
process, one after the other, so pages/s are single-core figures: ``pages/s`` by the wall clock,
``cpu p/s`` by the process's CPU time (steadier when other jobs share the machine). Snippet scores follow
trafilatura's ``tests/comparison.py`` (bulk counts over all pages); shingle scores (pages with a
gold ``text``/``gold``/``articleBody``) follow the ScrapingHub article-extraction benchmark.
``--fast`` runs newsfold's HTML extraction without trafilatura's comparison with readability
and jusText (:attr:`newsfold.ingest.html.HtmlParams.fast`).
"""

from __future__ import annotations

import argparse

from newsfold.eval.extract import MODES, SYSTEMS, evaluate_extraction
from newsfold.ingest.html import HtmlParams

DEV = "/work/shared/data/extraction-trafilatura/pages.jsonl.gz"


def _fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.4f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=DEV)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--fast", action="store_true",
                    help="skip trafilatura's comparison with readability and jusText")
    args = ap.parse_args()
    html_params = HtmlParams(fast=args.fast)
    print(f"{'mode':5} {'system':12} {'snipP':>6} {'snipR':>6} {'snipF':>6} "
          f"{'shP':>6} {'shR':>6} {'shF1':>6} {'failed':>6} {'pages/s':>8} {'cpu p/s':>8}")
    for mode in args.modes.split(","):
        for system in args.systems.split(","):
            r = evaluate_extraction(args.path, mode=mode, system=system, limit=args.limit,
                                    html_params=html_params)
            sn, sh = r["snippets"] or {}, r["shingle"] or {}
            print(f"{mode:5} {system:12} {_fmt(sn.get('precision'))} {_fmt(sn.get('recall'))} "
                  f"{_fmt(sn.get('f1'))} {_fmt(sh.get('precision'))} {_fmt(sh.get('recall'))} "
                  f"{_fmt(sh.get('f1'))} {r['failed']:6d} {r['pages_per_s']:8.1f} "
                  f"{r['cpu_pages_per_s']:8.1f}", flush=True)


if __name__ == "__main__":
    main()
