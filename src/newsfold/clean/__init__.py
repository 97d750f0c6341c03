"""newsfold.clean: remove scraping debris from extracted article text.

:func:`clean_text` drops HTML leftovers, link labels, photo captions and credits, promo lines,
syndication and wire notes, recording each removal; :func:`clean_title` cleans a headline.
"""

from .core import classify_paragraph, clean_text, clean_title

__all__ = ["classify_paragraph", "clean_text", "clean_title"]
