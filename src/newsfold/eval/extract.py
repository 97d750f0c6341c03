"""Score article extraction on pages with gold text or gold snippets.

Two metrics, chosen per page by the fields it has:

* **Shingle F1** (the ScrapingHub article-extraction-benchmark metric) when the page has a gold
  text (``text``, ``gold`` or ``articleBody``): tokens are ``\\w+`` runs, a text is the multiset
  of its 4-token shingles; per page TP/FP/FN are the multiset overlaps normalised by their sum,
  precision and recall are computed per page (1.0 when both texts are empty, pages without
  predicted shingles are left out of the precision mean and pages without gold shingles out of
  the recall mean, as in the benchmark's ``evaluate.py``), averaged over pages, and F1 is the
  harmonic mean of the two averages.
* **Snippet F** (trafilatura's ``tests/comparison.py``) when the page has ``with`` / ``without``
  snippet lists: a ``with`` snippet found verbatim (plain substring test, after removing soft
  hyphens U+00AD from snippet and output alike — the gold has them in some snippets and not in
  the same words elsewhere; both metrics do this, for every system) in the output is a
  true positive, one missing a false negative; a ``without`` snippet found is a false positive,
  one absent a true negative. A page with no output counts all ``with`` as FN and all
  ``without`` as TN. Counts are summed over all pages ("bulk counts"), then precision
  = TP/(TP+FP), recall = TP/(TP+FN), F = 2PR/(P+R), accuracy = (TP+TN)/all.

``mode="html"`` extracts from the page's ``html``; ``mode="text"`` first flattens the HTML to
plain text with all its boilerplate (one line per block, :func:`flatten_html`) and cleans that
text. ``system`` picks what runs: ``newsfold`` (:func:`~newsfold.ingest.html.extract_html` /
:func:`~newsfold.clean.clean_pages` without its report of each dropped line, which the score
does not read; ``newsfold clean --whole-page --format jsonl`` builds it), ``trafilatura``
(plain ``trafilatura.extract`` with the settings of trafilatura's own comparison) or
``keep-all`` (the flattened page, unchanged).
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..ingest.html import HtmlParams

__all__ = [
    "evaluate_extraction",
    "flatten_html",
    "shingle_scores",
    "snippet_counts",
]

GOLD_FIELDS = ("text", "gold", "articleBody")
MODES = ("html", "text")
SYSTEMS = ("newsfold", "trafilatura", "keep-all")

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


_SOFT_HYPHEN = "\xad"


def _unhyphen(text: str) -> str:
    """Without soft hyphens (U+00AD, invisible hyphenation hints), which split a word."""
    return text.replace(_SOFT_HYPHEN, "") if _SOFT_HYPHEN in text else text


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(_unhyphen(text or ""))
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        gram = tuple(tokens[i : i + n])
        if gram:
            out[gram] += 1
    return out


def shingle_scores(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of 4-gram shingle multisets, as the ScrapingHub benchmark."""
    ts, ps = _shingles(true, n), _shingles(pred, n)
    tp = float(sum((ts & ps).values()))
    fp = float(sum((ps - ts).values()))
    fn = float(sum((ts - ps).values()))
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def _shingle_summary(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    precisions = [_precision(*r) for r in rows if r[0] + r[1] > 0]
    recalls = [_recall(*r) for r in rows if r[0] + r[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"pages": len(rows), "precision": p, "recall": r, "f1": f}


def snippet_counts(result: str | None, with_: list[str], without: list[str]) -> tuple[
    int, int, int, int
]:
    """(tp, fn, fp, tn) for one page, exactly as trafilatura's ``evaluate_result``."""
    if result is None:
        return 0, len(with_), 0, len(without)
    result = _unhyphen(result)
    tp = sum(1 for s in with_ if _unhyphen(s) in result)
    fp = sum(1 for s in without if _unhyphen(s) in result)
    return tp, len(with_) - tp, fp, len(without) - fp


def _snippet_summary(tp: int, fn: int, fp: int, tn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    total = tp + fn + fp + tn
    return {
        "tp": tp, "fn": fn, "fp": fp, "tn": tn,
        "precision": p, "recall": r, "f1": f,
        "accuracy": (tp + tn) / total if total else 0.0,
    }


# ---------------------------------------------------------------------------------------------
# Whole-page flattening (the input of plain-text cleaning)
# ---------------------------------------------------------------------------------------------

def flatten_html(html: str) -> str:
    """The page's visible text with all its boilerplate, one line per block element."""
    from ..ingest.html import flatten_html as _flatten

    return _flatten(html)


# ---------------------------------------------------------------------------------------------
# Systems
# ---------------------------------------------------------------------------------------------


def _newsfold_html(page: dict[str, Any], params: HtmlParams | None = None) -> str | None:
    from ..errors import ExtractionError
    from ..ingest.html import DEFAULT_HTML_PARAMS, extract_html

    url = page.get("url")
    url = url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
    try:
        return extract_html(page["html"], url=url, origin=str(page.get("id", "")),
                            params=params or DEFAULT_HTML_PARAMS).text
    except ExtractionError:
        return None


def _trafilatura_html(page: dict[str, Any]) -> str | None:
    import trafilatura

    try:
        out = trafilatura.extract(
            page["html"], no_fallback=False, include_comments=False, include_tables=True,
            include_formatting=False,
        )
    except Exception:  # the baseline is scored as trafilatura's comparison does: no output
        return None
    return out if isinstance(out, str) else None


def _trafilatura_text(text: str) -> str | None:
    from html import escape

    import trafilatura

    body = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
    try:
        out = trafilatura.extract(f"<html><body>{body}</body></html>", no_fallback=False,
                                  include_comments=False, include_tables=True)
    except Exception:
        return None
    return out if isinstance(out, str) else None


def _read_pages(path: str, limit: int | None) -> Iterator[dict[str, Any]]:
    opener: Callable[..., Any] = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        n = 0
        for line in fh:
            if not line.strip():
                continue
            yield json.loads(line)
            n += 1
            if limit is not None and n >= limit:
                return


def _gold_text(page: dict[str, Any]) -> str | None:
    for key in GOLD_FIELDS:
        value = page.get(key)
        if isinstance(value, str):
            return value
    return None


def evaluate_extraction(
    path: str,
    *,
    mode: str = "html",
    limit: int | None = None,
    system: str = "newsfold",
    corpus_stats: bool = True,
    details: bool = False,
    html_params: HtmlParams | None = None,
) -> dict[str, Any]:
    """Score ``system`` on the pages of the JSONL (or JSONL.gz) file ``path``.

    Returns ``{"system", "mode", "pages", "failed", "shingle", "snippets", "seconds",
    "pages_per_s", "cpu_seconds", "cpu_pages_per_s", "flatten_seconds"}``; ``shingle`` /
    ``snippets`` are None when no page carries that kind of gold. ``seconds`` and
    ``pages_per_s`` time the system alone (not reading, flattening or scoring) by the wall
    clock; the ``cpu_`` figures by this process's CPU time, which other jobs on a shared
    machine disturb less. In text mode with ``corpus_stats`` the cleaner also sees line repetition across
    all the file's pages (unsupervised: built from the flattened inputs, never the gold).
    ``details`` adds a per-page list. ``html_params`` are the limits of newsfold's HTML
    extraction (the defaults when None).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {SYSTEMS}, not {system!r}")
    pages = list(_read_pages(path, limit))
    inputs: list[str] = []
    flatten_s = 0.0
    if mode == "text" or system == "keep-all":
        t0 = time.perf_counter()
        inputs = [flatten_html(p.get("html") or "") for p in pages]
        flatten_s = time.perf_counter() - t0

    outputs: list[str | None] = []
    t0, c0 = time.perf_counter(), time.process_time()
    if mode == "text" and system == "newsfold":
        from ..clean import clean_pages

        # the score reads the text only: no record of each dropped line (report=False)
        cleaned = clean_pages(inputs, [p.get("url") for p in pages], corpus_stats=corpus_stats,
                              report=False)
        outputs = [r.text for r in cleaned]
    elif system == "keep-all":
        outputs = list(inputs)
    elif mode == "html" and system == "newsfold":
        outputs = [_newsfold_html(page, html_params) for page in pages]
    elif mode == "html":
        outputs = [_trafilatura_html(page) for page in pages]
    else:
        outputs = [_trafilatura_text(text) for text in inputs]
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0

    shingle_rows: list[tuple[float, float, float]] = []
    counts = [0, 0, 0, 0]
    has_snippets = False
    per_page: list[dict[str, Any]] = []
    for page, out in zip(pages, outputs, strict=True):
        row: dict[str, Any] = {"id": page.get("id")}
        gold = _gold_text(page)
        if gold is not None:
            scores = shingle_scores(gold, out or "")
            shingle_rows.append(scores)
            row["shingle"] = scores
        if "with" in page or "without" in page:
            has_snippets = True
            c = snippet_counts(out, list(page.get("with") or []), list(page.get("without") or []))
            for k in range(4):
                counts[k] += c[k]
            row["snippets"] = c
        if details:
            row["output"] = out
            per_page.append(row)

    result: dict[str, Any] = {
        "system": system,
        "mode": mode,
        "pages": len(pages),
        "failed": sum(1 for o in outputs if o is None),
        "shingle": _shingle_summary(shingle_rows) if shingle_rows else None,
        "snippets": _snippet_summary(*counts) if has_snippets else None,
        "seconds": seconds,
        "pages_per_s": len(pages) / seconds if seconds > 0 else float("inf"),
        "cpu_seconds": cpu_seconds,
        "cpu_pages_per_s": len(pages) / cpu_seconds if cpu_seconds > 0 else float("inf"),
        "flatten_seconds": flatten_s,
    }
    if details:
        result["details"] = per_page
    return result
