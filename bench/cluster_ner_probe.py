"""Would spaCy's named entities pay as the clusterer's names? A probe, not a feature.

    .venv/bin/python bench/cluster_ner_probe.py union|ner FILE.jsonl [FILE.jsonl ...]

The clusterer's names are fast proper-noun spans of the title and lead. Here spaCy's small
English model (the ``[nlp]`` extra) reads each article's title and first 60 words, and its
PERSON/ORG/GPE/LOC/NORP/FAC/EVENT/PRODUCT/WORK_OF_ART/LAW entities either join the spans
(``union``) or replace them (``ner``), tokenised exactly as the spans are. Each file is then
clustered as ``bench/cluster_dev.py`` clusters it (same model, no refit) and scored: B-cubed and
pairwise F1. Recognised entities are cached in ``/tmp/newsfold-ner-cache.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_dev  # noqa: E402

from newsfold.cluster import _ENT_SPLIT, MAX_ENTITIES, Clusterer, _fold  # noqa: E402
from newsfold.compare.entities import _ner  # noqa: E402
from newsfold.eval.metrics import cluster_scores  # noqa: E402
from newsfold.records import Article  # noqa: E402
from newsfold.settings import Settings  # noqa: E402
from newsfold.text import STOPWORDS  # noqa: E402

KINDS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
CACHE = Path("/tmp/newsfold-ner-cache.json")
LEAD_WORDS = 60


def _source(a: Article) -> str:
    return (a.title or "") + "\n" + " ".join((a.text or "").split()[:LEAD_WORDS])


def _key(a: Article) -> str:
    return hashlib.sha1(_source(a).encode()).hexdigest()


def main() -> None:
    mode, files = sys.argv[1], sys.argv[2:]
    if mode not in ("union", "ner"):
        raise SystemExit("mode: union or ner")
    nlp = _ner()
    if nlp is None:
        raise SystemExit("no spaCy English model: install the [nlp] extra")
    cache: dict[str, list[str]] = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    plain = Clusterer.featurize

    def featurize(self: Clusterer, article: Article) -> dict[str, Any]:
        feats = plain(self, article)
        names: dict[str, None] = {} if mode == "ner" else dict.fromkeys(feats["e"])
        for span in cache[_key(article)]:
            for tok in _ENT_SPLIT.split(_fold(span)):
                tok = tok.strip("'’.")
                if len(tok) > 1 and tok not in STOPWORDS:
                    names.setdefault(tok, None)
        feats["e"] = list(names)[:MAX_ENTITIES]
        return feats

    Clusterer.featurize = featurize  # type: ignore[method-assign]
    for path in files:
        arts, gold = cluster_dev.load_ordered(path)
        todo = {_key(a): _source(a) for a in arts if _key(a) not in cache}
        if todo:
            t0 = time.perf_counter()
            for key, doc in zip(todo, nlp.pipe(list(todo.values()), batch_size=64), strict=True):
                cache[key] = [e.text for e in doc.ents if e.label_ in KINDS]
            print(f"{path}: recognised {len(todo)} articles in {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr)
            CACHE.write_text(json.dumps(cache))
        pred, _, _ = cluster_dev.run(arts, Settings())
        s = cluster_scores(gold, pred)
        print(f"{path}: B3 F1 {s['bcubed_f1']:.4f} pairwise F1 {s['pairwise_f1']:.4f}")


if __name__ == "__main__":
    main()
