"""Story headlines, picked again after an ingest, and the sample of a story's articles that
headlines and briefs are read from."""

from __future__ import annotations

from ..records import Article
from ..store import Store

__all__ = ["refresh_headlines", "sample_articles"]


def refresh_headlines(store: Store, story_ids: list[str], limit: int) -> None:
    """Pick and store the headline of each story in ``story_ids`` from at most ``limit`` of its
    articles (:func:`sample_articles`)."""
    from ..summarize import headline  # the summarizer's imports wait until a story needs one

    headlines = {sid: headline(sample_articles(store.story_heads(sid), limit))
                 for sid in story_ids}
    if headlines:
        store.set_headlines(headlines)


def sample_articles(articles: list[Article], limit: int) -> list[Article]:
    """At most ``limit`` articles spread evenly over a story's timeline, originals before copies.

    A brief reads every article of a story up to ``brief_max_articles``; past that, copies are
    dropped first (they add no evidence), then originals are taken at even steps in time.
    """
    if len(articles) <= limit:
        return articles
    originals = [a for a in articles if a.duplicate_of is None]
    pool = originals if len(originals) >= limit else originals + [
        a for a in articles if a.duplicate_of is not None
    ][: limit - len(originals)]
    if len(pool) <= limit:
        return pool
    step = len(pool) / limit
    return [pool[int(i * step)] for i in range(limit)]
