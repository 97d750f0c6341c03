"""The entity model is never given more than it can take. A "sentence" over MAX_MODEL_CHARS
(a text with no sentence ends) is skipped, with no names, instead of failing the story's brief
with spaCy's E088."""

from __future__ import annotations

from typing import Any

import pytest

from newsfold.compare import compare
from newsfold.compare.entities import MAX_MODEL_CHARS, Recogniser
from newsfold.records import Article


class _Ent:
    def __init__(self, text: str) -> None:
        self.text, self.label_ = text, "PERSON"


class _Doc:
    def __init__(self, text: str) -> None:
        self.ents = [_Ent(w) for w in text.split() if w[:1].isupper()][:3]


class _Model:
    """Stands in for spaCy: fails as spaCy does past its limit, records what it was given."""

    max_length = 1_000_000

    def __init__(self) -> None:
        self.seen: list[int] = []

    def pipe(self, texts: list[str], batch_size: int = 64) -> Any:
        for t in texts:
            if len(t) > self.max_length:
                raise ValueError("[E088] Text of length exceeds maximum")
            self.seen.append(len(t))
            yield _Doc(t)


class _Cache:
    def __init__(self) -> None:
        self.kept: dict[str, list[tuple[str, str]]] = {}

    def get_mentions(self, model: str, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
        return {k: self.kept[k] for k in keys if k in self.kept}

    def put_mentions(self, model: str, mentions: dict[str, list[tuple[str, str]]]) -> None:
        self.kept.update(mentions)


def test_over_long_texts_never_reach_the_model() -> None:
    rec = Recogniser("fake-model")
    model = _Model()
    rec._nlp = model
    cache = _Cache()
    texts = ["Joe Biden met Vladimir Putin.", "x" * (MAX_MODEL_CHARS + 1), "y" * 5_100_000]
    found = rec.mentions(texts, cache)
    assert found is not None and found[1] == [] and found[2] == []
    assert ("Joe", "PERSON") in found[0]
    assert max(model.seen) <= MAX_MODEL_CHARS
    assert len(cache.kept) == 1  # skipped texts are not cached as read


def test_a_brief_with_the_model_survives_a_five_million_character_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import newsfold.compare as compare_mod

    rec = Recogniser("fake-model")
    model = _Model()
    rec._nlp = model
    monkeypatch.setattr(compare_mod, "_ner", lambda: rec)
    monkeypatch.setattr("newsfold.compare.entities._ner", lambda: rec)
    real = Article(id="a", title="", text="Joe Biden spoke with Vladimir Putin on Thursday "
                   "about the troops near Ukraine.", source="x", published="2021-12-30")
    flood = Article(id="b", title="", text="z" * 5_100_000, source="y", published="2021-12-30")
    comp = compare([real, flood], use_ner=True)
    assert any(e.name == "Joe" for e in comp.entities)
    stages = {(o.article, o.stage) for o in comp.omitted}
    assert stages == {("b", "text"), ("b", "entities")}
    assert model.seen and max(model.seen) <= MAX_MODEL_CHARS
