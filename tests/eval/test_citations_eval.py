"""``newsfold eval citations`` on MultiLing 2011 topics M001 and M002 (tests/data/cluster,
WikiNews, ten reports each): the questions it asks and how it scores judgements."""

from __future__ import annotations

import json
from pathlib import Path

from newsfold.eval.citations import citation_pairs, score_citations

from ..conftest import DATA

MULTILING = DATA / "cluster" / "multiling.jsonl"


def test_questions_pair_each_summary_sentence_with_every_other_article(tmp_path: Path) -> None:
    pairs = list(citation_pairs(MULTILING, stories=2))
    rows = [json.loads(x) for x in MULTILING.read_text(encoding="utf-8").splitlines() if x]
    texts = {r["id"]: r["text"] for r in rows if r["story"] in ("M001", "M002")}
    sentences = {p["sentence"] for p in pairs}
    assert sentences and len(pairs) == len(sentences) * 9  # the other nine of its topic
    for p in pairs:
        assert p["article"] != p["source"] and p["sentence"] in texts[p["source"]]
        assert all(c in texts[p["article"]] for c in p["closest"])
    assert len({p["key"] for p in pairs}) == len(pairs)

    def score(answer: dict[str, bool]) -> dict[str, object]:
        judged = tmp_path / "judged.jsonl"
        judged.write_text("".join(json.dumps({"key": k, "supports": v}) + "\n"
                                  for k, v in answer.items()), encoding="utf-8")
        return score_citations(MULTILING, judged, stories=2)

    cited = sum(p["cited"] for p in pairs)
    agree = score({p["key"]: p["cited"] for p in pairs})
    assert agree["newsfold"] == {"cited": cited, "precision": 1.0, "recall": 1.0}
    assert agree["cite every article"]["precision"] == round(cited / len(pairs), 4)
    half = score({p["key"]: True for p in pairs[: len(pairs) // 2]})
    assert half["unjudged_pairs"] == len(pairs) - len(pairs) // 2


def test_agreed_facts_ask_about_every_other_article_they_list(tmp_path: Path) -> None:
    from newsfold.eval.citations import fact_pairs

    from ..summarize.briefdata import A000, A003, seed_articles

    path = tmp_path / "seeds.jsonl"
    path.write_text("".join(json.dumps({"id": a.id, "title": a.title, "text": a.text,
                                        "source": a.source, "story": "seeds"}) + "\n"
                            for a in seed_articles()), encoding="utf-8")
    pairs = list(fact_pairs(path))
    # the seeds agree on the 100,000 troops, the Jan. 10 talks, Wilmington, the Dec. 7 call
    assert len(pairs) >= 3
    for p in pairs:
        assert {p["source"], p["article"]} == {A000, A003}
    assert any("100,000" in p["sentence"] for p in pairs)
