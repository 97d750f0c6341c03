"""Entities on real wire text: typed by spaCy's model, titles and nationality adjectives
dropped, time zones never entities."""

from __future__ import annotations

import pytest

from newsfold import read_articles
from newsfold.compare import compare
from newsfold.records import Article

from ..conftest import EXAMPLES, SEED_IDS

pytestmark = pytest.mark.extras

# tac2011 XIN_ENG_20070318.0206 (first paragraphs)
XINHUA = (
    "OTTAWA, March 18 (Xinhua) A Canadian pet-food supplier recalled some of its dog and cat "
    "food Sunday after several pets in the United States died, local media reported. Menu "
    "Foods, one of North America's largest suppliers of pet food, is recalling dog food sold "
    "throughout North America under 48 brands. Paul Henderson, the CEO of the Toronto-area "
    "company, says it is not clear what the problem is and the recall is precautionary. Company "
    "spokesperson Sarah Tuite has said the recalled products were made using wheat gluten "
    "purchased from a new supplier. U.S. Food and Drug Administration spokesperson Julie "
    "Zawisza said it is still too early to determine what could have affected the food."
)


def test_model_entities_are_typed_and_cut_at_titles() -> None:
    art = Article(id="XIN_ENG_20070318.0206", title="", text=XINHUA, published="2007-03-18",
                  source="Xinhua")
    kinds = {e.name: e.kind for e in compare([art], use_ner=True).entities}
    assert kinds["Sarah Tuite"] == "person" and kinds["Paul Henderson"] == "person"
    assert kinds["United States"] == "place" and kinds["Toronto"] == "place"
    assert kinds["Menu Foods"] == "organisation"
    assert "Canadian" not in kinds  # a nationality adjective
    assert not any("spokesperson" in name.lower() for name in kinds)


def test_seed_entities_count_articles_and_outlets() -> None:
    arts = read_articles([EXAMPLES / f"{i}.txt" for i in SEED_IDS]).articles
    for ner in (True, False):
        ents = {e.name: e for e in compare(arts, use_ner=ner).entities}
        assert ents["Vladimir Putin"].outlets == 2 and len(ents["Vladimir Putin"].articles) == 2
        assert "Eastern Time" not in ents and "Putin" not in ents
    ents = {e.name: e for e in compare(arts, use_ner=True).entities}
    assert ents["Vladimir Putin"].kind == "person" and ents["Ukraine"].kind == "place"
    assert "Russian" not in ents
