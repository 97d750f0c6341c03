"""The Python API over a store: briefs of large stories stay bounded."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from newsfold import Newsfold, Settings

from .conftest import EXAMPLES


def test_a_large_story_is_briefed_from_an_even_sample(db: str) -> None:
    settings = Settings(db=db, brief_max_articles=4)
    with Newsfold(db, settings=settings) as nf:
        nf.ingest([EXAMPLES / "headlines.jsonl"])
        big = max(nf.stories(), key=lambda s: s.articles)
        assert big.articles > 4
        brief = nf.brief(big.id)
        assert brief.coverage["sampled"] == {"articles_read": 4, "articles_in_story": big.articles}
        read = {a.id for a in brief.articles}
        assert len(read) == 4
        assert all(set(s.citations) <= read for s in brief.summary)
    with Newsfold(db, settings=Settings(db=db)) as nf:
        whole = nf.brief(big.id)
        assert "sampled" not in whole.coverage and len(whole.articles) == big.articles


def test_input_out_of_publication_order_is_warned_about_once(
        db: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rows = [json.loads(x) for x in (EXAMPLES / "headlines.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    dated = sorted((r for r in rows if r.get("published")), key=lambda r: r["published"])
    assert len(dated) >= 4
    for r in dated[:2]:  # years before everything ahead of them in the file
        r["published"] = "1999-01-01"
    newest_first = dated[2:] + dated[:2]
    path = tmp_path / "unsorted.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in newest_first), encoding="utf-8")
    with (caplog.at_level(logging.WARNING, logger="newsfold.pipeline"),
          Newsfold(db, settings=Settings(db=db, batch_size=2)) as nf):
        report = nf.ingest([path])
    assert report.added == len(newest_first)
    warned = [r for r in caplog.records if "not in publication order" in r.getMessage()]
    assert len(warned) == 1
    caplog.clear()
    sorted_path = tmp_path / "sorted.jsonl"
    sorted_path.write_text("".join(json.dumps(dict(r, id=r["id"] + "-b")) + "\n" for r in sorted(
        newest_first, key=lambda r: r["published"])), encoding="utf-8")
    with (caplog.at_level(logging.WARNING, logger="newsfold.pipeline"),
          Newsfold(str(tmp_path / "b.db"), settings=Settings(batch_size=2)) as nf):
        nf.ingest([sorted_path])
    assert not [r for r in caplog.records if "not in publication order" in r.getMessage()]


def test_one_event_told_in_different_words_is_one_story() -> None:
    # examples/articles/headlines.jsonl (UCI News Aggregator): "MTA Worker Killed by Hudson
    # Line Train" and "Death of Metro-North worker on tracks renews safety concerns" share one
    # word; with the other Metro-North headlines they are one story, whatever merges it took
    # (a merge keeps the older id, and no article is left under an absorbed one).
    with Newsfold(":memory:") as nf:
        report = nf.ingest(sorted(str(p) for p in EXAMPLES.iterdir()))
        story = {a.id: a.story_id for a in nf.articles()}
    metro = {story[f"uci-{n}"] for n in range(328, 334)}
    assert metro == {story["uci-328"]}
    assert not {absorbed for _, absorbed in report.merges} & set(story.values())
    assert story["uci-375"] != story["uci-374"]  # the storm-grounded flights stay apart



def test_summarize_finds_copies_with_the_settings_threshold() -> None:
    """`newsfold summarize` groups copies as ingest does, with the configured threshold: the
    LA Times seed and the same report less its last two paragraphs are one report at the
    default threshold, two at a stricter one."""
    import dataclasses

    from newsfold import read_articles
    from newsfold.api import summarize_articles

    from .conftest import EXAMPLES, SEED_IDS

    [la] = read_articles([EXAMPLES / f"{SEED_IDS[1]}.txt"]).articles
    cut = dataclasses.replace(la, id="cut", text="\n".join(la.text.split("\n")[:-2]))

    def copies(settings: Settings) -> list[str | None]:
        [group] = summarize_articles([dataclasses.replace(la), dataclasses.replace(cut)],
                                     use_ner=False, settings=settings)
        return [a.duplicate_of for a in group.brief.articles]

    assert copies(Settings()) == [None, SEED_IDS[1]]
    assert copies(Settings(dedupe_threshold=0.95)) == [None, None]
