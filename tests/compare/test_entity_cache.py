"""The entity model's mentions: cached by sentence, loaded lazily, spaCy imported without
PyTorch when the model does not run on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.compare import compare
from newsfold.compare import entities as ent
from newsfold.compare.align import analyze
from newsfold.compare.entities import Recogniser, _model_config_is_torch_free, _ner

from ..helpers import python_output
from ..summarize.briefdata import seed_articles


class DictCache:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.asked = 0

    def get_mentions(self, model: str, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
        self.asked += 1
        return {k: self.rows[model, k] for k in keys if (model, k) in self.rows}

    def put_mentions(self, model: str, mentions: dict[str, list[tuple[str, str]]]) -> None:
        for k, found in mentions.items():
            self.rows[model, k] = found


def _recogniser() -> Recogniser:
    recogniser = _ner()
    if recogniser is None:
        pytest.fail("the [nlp] extra is not installed: run make install")
    return recogniser


@pytest.mark.extras
def test_cached_mentions_give_the_same_entities_without_the_model(
        monkeypatch: pytest.MonkeyPatch) -> None:
    recogniser = _recogniser()
    fresh = compare(seed_articles(), use_ner=True).entities
    cache = DictCache()
    first = compare(seed_articles(), use_ner=True, mentions_cache=cache).entities
    assert first == fresh and cache.rows

    def no_model() -> None:
        raise AssertionError("the model ran although every sentence was cached")

    monkeypatch.setattr(recogniser, "load", no_model)
    again = compare(seed_articles(), use_ner=True, mentions_cache=cache).entities
    assert again == fresh


@pytest.mark.extras
def test_the_cache_is_keyed_by_model_and_text() -> None:
    recogniser = _recogniser()
    cache = DictCache()
    text = "Paul Henderson runs Menu Foods in Toronto."
    key = ent._text_key(text)
    cache.rows["another model", key] = [("Nobody", "PERSON")]
    found = recogniser.mentions([text, text], cache)
    assert found is not None and found[0] == found[1]
    assert ("Paul Henderson", "PERSON") in found[0]
    assert cache.rows[recogniser.key, key] == found[0]
    # an edited sentence is a new key: its old mentions are never read for it
    assert ent._text_key(text + " ") != key


@pytest.mark.extras
def test_without_a_cache_nothing_is_kept() -> None:
    recogniser = _recogniser()
    assert recogniser.mentions(["Vladimir Putin spoke in Moscow."]) is not None


def test_a_model_that_cannot_load_falls_back_to_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = Recogniser("no_such_model_package")
    monkeypatch.setattr(ent, "_ner", lambda: broken)
    entities = ent.find_entities(analyze(seed_articles()), use_ner=True)
    assert entities == ent.find_entities(analyze(seed_articles()), use_ner=False)
    assert {e.kind for e in entities} == {"name"}


@pytest.mark.extras
def test_the_small_model_needs_no_torch_and_a_transformer_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _model_config_is_torch_free(_recogniser().package)
    pkg = tmp_path / "fake_trf_model"
    (pkg / "fake_trf_model-1.0").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "fake_trf_model-1.0" / "config.cfg").write_text(
        '[components.transformer.model]\n@architectures = "spacy-transformers.TransformerModel.v3"\n'
        '[components.ner.model]\n@architectures = "spacy.TransitionBasedParser.v2"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    assert not _model_config_is_torch_free("fake_trf_model")
    assert not _model_config_is_torch_free("no_such_model_package")


@pytest.mark.slow
@pytest.mark.extras
def test_spacy_loads_without_importing_torch_and_torch_still_imports_after() -> None:
    _recogniser()
    code = (
        "import sys\n"
        "from newsfold.compare.entities import _ner\n"
        "nlp = _ner().load()\n"
        "assert nlp is not None and nlp.pipe_names == ['ner'], nlp\n"
        "print('torch' in sys.modules)\n"
        "doc = nlp('Vladimir Putin spoke in Moscow.')\n"
        "print(sorted((e.text, e.label_) for e in doc.ents))\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('torch') is not None:\n"
        "    import torch\n"
        "    print(torch.tensor([1.0]).sum().item())\n"
    )
    out = python_output(code).splitlines()
    assert out[0] == "False"
    assert "('Vladimir Putin', 'PERSON')" in out[1]
    assert out[2:] in ([], ["1.0"])


@pytest.mark.slow
@pytest.mark.extras
def test_with_other_threads_running_torch_is_not_hidden() -> None:
    _recogniser()
    code = (
        "import importlib.util, sys, threading\n"
        "from newsfold.compare.entities import _ner\n"
        "stop = threading.Event()\n"
        "t = threading.Thread(target=stop.wait)\n"
        "t.start()\n"
        "try:\n"
        "    assert _ner().load() is not None\n"
        "finally:\n"
        "    stop.set()\n"
        "print('torch' in sys.modules, importlib.util.find_spec('torch') is not None)\n"
    )
    out = python_output(code).split()
    assert out[0] == out[1]  # imported by thinc exactly when installed
