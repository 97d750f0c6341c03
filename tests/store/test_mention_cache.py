"""The store keeps the entity model's mentions by model and sentence, and a brief read from
the store uses them."""

from __future__ import annotations

import pytest

from newsfold import Newsfold, Settings
from newsfold.compare.entities import _ner

from ..conftest import EXAMPLES, SEED_IDS


@pytest.mark.extras
def test_a_second_brief_reads_cached_mentions_and_is_the_same(
        db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    recogniser = _ner()
    if recogniser is None:
        pytest.fail("the [nlp] extra is not installed: run make install")
    settings = Settings(brief_entity_model=True)
    with Newsfold(db, settings=settings) as nf:
        nf.ingest([EXAMPLES / f"{i}.txt" for i in SEED_IDS])
        sid = nf.stories()[0].id
        first = nf.brief(sid)
        cached = nf.store.conn.execute("SELECT COUNT(*) FROM entity_mentions").fetchone()[0]
        assert cached > 0

    def no_model() -> None:
        raise AssertionError("the model ran although the store had every sentence")

    monkeypatch.setattr(recogniser, "load", no_model)
    with Newsfold(db, settings=settings) as nf:
        again = nf.brief(sid)
    assert again.to_dict() == first.to_dict()
    assert {e.kind for e in again.entities} - {"name"}
