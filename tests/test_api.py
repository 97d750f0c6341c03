"""The Python API over a store: briefs of large stories stay bounded."""

from __future__ import annotations

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
