"""newsfold.clean: remove scraping debris from extracted article text.

:func:`clean_text` drops HTML leftovers, link labels, photo captions and credits, promo lines,
syndication and wire notes, recording each removal; :func:`clean_title` cleans a headline.
:func:`clean_page_text` keeps the article lines of a whole page flattened to plain text (menus,
footers and all), from line-level signals and the densest span of text; :func:`clean_pages`
cleans a batch of such pages together (line repetition across the batch).
"""

from .core import classify_paragraph, clean_text, clean_title
from .lines import CorpusStats, build_corpus_stats, clean_page_text, clean_pages

__all__ = [
    "CorpusStats",
    "build_corpus_stats",
    "classify_paragraph",
    "clean_page_text",
    "clean_pages",
    "clean_text",
    "clean_title",
]
