"""Typed entities from spaCy's small English model (the [nlp] extra, installed by make)."""

from __future__ import annotations

import pytest

from newsfold.compare import compare
from newsfold.compare.entities import _ner

from ..summarize.briefdata import seed_articles


@pytest.mark.extras
def test_ner_types_people_and_places_on_the_seeds() -> None:
    if _ner() is None:
        pytest.fail("the [nlp] extra is not installed: run make install")
    entities = {e.name: e for e in compare(seed_articles(), use_ner=True).entities}
    kinds = {e.kind for e in entities.values()}
    assert {"person", "place"} <= kinds
    putin = next(e for name, e in entities.items() if "Putin" in name)
    assert putin.outlets == 2


def test_rules_are_the_default_and_need_no_model() -> None:
    entities = compare(seed_articles()).entities
    assert entities and {e.kind for e in entities} == {"name"}
