"""evaluate_extraction: the ScrapingHub shingle metric, trafilatura's snippet counts, the runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfold.eval.extract import evaluate_extraction, shingle_scores, snippet_counts
from newsfold.ingest.html import flatten_html

HTML = Path(__file__).resolve().parents[1] / "data" / "html"
GOLD = json.loads((HTML / "gold.json").read_text(encoding="utf-8"))


def test_shingle_scores_count_multisets_and_normalise() -> None:
    assert shingle_scores("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_scores("a b c d e", "a b c d x")
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    # counts matter: a repeated shingle in the output is a false positive
    tp, fp, fn = shingle_scores("w x y z", "w x y z. w x y z")
    assert tp > 0 and fp > 0 and fn == 0
    assert shingle_scores("", "") == (0.0, 0.0, 0.0)


def test_snippet_counts_follow_trafilatura() -> None:
    assert snippet_counts("alpha beta", ["alpha", "gamma"], ["beta", "delta"]) == (1, 1, 1, 1)
    assert snippet_counts(None, ["a", "b"], ["c"]) == (0, 2, 0, 1)


def _pages(tmp_path: Path, gold_text: bool) -> Path:
    path = tmp_path / "pages.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for name, gold in sorted(GOLD.items()):
            row = {"id": name, "url": gold["url"],
                   "html": (HTML / name).read_text(encoding="utf-8"),
                   "with": gold["with"], "without": gold["without"]}
            if gold_text:
                row["articleBody"] = "\n".join(gold["with"])
            fh.write(json.dumps(row) + "\n")
    return path


@pytest.mark.parametrize("mode", ["html", "text"])
def test_newsfold_beats_keep_all_on_real_pages(tmp_path: Path, mode: str) -> None:
    path = _pages(tmp_path, gold_text=True)
    ours = evaluate_extraction(str(path), mode=mode)
    everything = evaluate_extraction(str(path), mode=mode, system="keep-all")
    assert ours["pages"] == 3 and ours["failed"] == 0
    assert ours["snippets"]["recall"] == 1.0
    assert ours["snippets"]["f1"] > everything["snippets"]["f1"]
    # the gold text is the with-snippets joined, so shingles across the joins are never found
    assert ours["shingle"]["recall"] == pytest.approx(everything["shingle"]["recall"], abs=0.02)
    assert ours["shingle"]["precision"] > everything["shingle"]["precision"]
    assert ours["pages_per_s"] > 0


def test_trafilatura_baseline_and_limit(tmp_path: Path) -> None:
    path = _pages(tmp_path, gold_text=False)
    r = evaluate_extraction(str(path), system="trafilatura", limit=2)
    assert r["pages"] == 2 and r["shingle"] is None and r["snippets"]["tp"] > 0


def test_bad_arguments(tmp_path: Path) -> None:
    path = _pages(tmp_path, gold_text=False)
    with pytest.raises(ValueError):
        evaluate_extraction(str(path), mode="pdf")
    with pytest.raises(ValueError):
        evaluate_extraction(str(path), system="goose")


def test_flatten_keeps_boilerplate_one_line_per_block() -> None:
    text = flatten_html("<html><head><title>T</title><style>p{}</style></head><body>"
                        "<nav><a>Home</a><a>World</a></nav><p>One <b>bold</b> line.</p>"
                        "<script>var x</script><footer>Privacy</footer></body></html>")
    assert text.splitlines() == ["HomeWorld", "One bold line.", "Privacy"]
