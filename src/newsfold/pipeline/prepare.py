"""The per-article work of ingest that needs no shared state, and the order a batch is decided in.

:class:`Preparer` turns an input item into a :class:`Prepared` article: parsed and cleaned (for a
raw item), its content hash, its MinHash signature, its clustering features and their term
weights. It is a pure
function of the item, so it may run in a worker process (:mod:`.executor`) while the ingesting
process decides earlier batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..cluster import PARAMS, ClusterParams, featurize
from ..cluster.features import weights
from ..dedupe import Signer, content_hash
from ..errors import InputError
from ..ingest.door import admit
from ..ingest.readers import parse_item
from ..records import Article

__all__ = ["Prepared", "Preparer", "admitted", "publication_order"]


@dataclass(slots=True)
class Prepared:
    """An article with the state-free results of the dedupe and clustering stages."""

    article: Article
    content_hash: str
    signature: bytes
    features: dict[str, Any]
    tf: dict[str, float]
    """The features' term weights before IDF (:func:`~newsfold.cluster.features.weights`)."""


class Preparer:
    """Parse and clean, hash, sign and featurize one item at a time.

    ``num_perm`` is the copy detector's MinHash size, ``params`` the clusterer's parameters
    (the features are made as the clusterer that reads them expects)."""

    def __init__(self, num_perm: int, params: ClusterParams = PARAMS) -> None:
        self.signer = Signer(num_perm)
        self.params = params

    def prepare(self, item: object) -> Prepared | InputError:
        """A raw item, an article or an input error, prepared (or the error it raises)."""
        if isinstance(item, InputError):
            return item
        if isinstance(item, Article):
            return self.finish(item)
        try:
            article = parse_item(item)  # type: ignore[arg-type]
        except InputError as err:
            return err
        return self.finish(article)

    def finish(self, article: Article) -> Prepared:
        """An article's content hash, signature and clustering features."""
        features = featurize(article, self.params)
        return Prepared(article, content_hash(article.title, article.text),
                        self.signer.signature(article), features, weights(features, self.params))


def admitted(articles: Iterable[Article]) -> Iterator[Article | InputError]:
    """Articles checked and repaired at the door; one that cannot be is an input error."""
    for article in articles:
        try:
            yield admit(article)
        except InputError as err:
            yield err


def publication_order(articles: list[Article]) -> list[Article]:
    """Sort by publication time; an undated article keeps the time of the dated one before it."""
    keyed = []
    last = float("-inf")
    for i, a in enumerate(articles):
        dt = a.published_at
        if dt is not None:
            last = dt.timestamp()
        keyed.append((last, i, a))
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [a for _, _, a in keyed]
