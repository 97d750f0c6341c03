"""Remove scraping debris from extracted article text.

The text is cleaned in two passes:

1. Over the whole text: HTML comments (also mangled ``<!– … –>`` ones spanning paragraphs),
   script/style blocks, known HTML tags and entities, and "View original post" link labels.
2. Paragraph by paragraph (one non-empty line is one paragraph): syndication and wire notes,
   photo captions and credits, link lines ("Related: …", "Read more"), promo lines
   (share, subscribe, newsletter, advertisement, cookie banners), the site's notices about
   itself (paywall, donation, app and newsletter boxes, login and comment-form lines, reprint
   and licence lines, ad labels; kind ``promo``) and "last updated" stamps (kind ``stamp``).

Kept paragraphs are returned verbatim (stripped of surrounding whitespace), joined by a blank
line. Every removed piece is recorded as a :class:`~newsfold.records.Removal`.
"""

from __future__ import annotations

import html
import logging
import re

from ..records import CleanResult, Removal
from . import rules as R

log = logging.getLogger(__name__)

__all__ = ["SOFT_HYPHEN", "clean_text", "clean_title", "classify_paragraph"]

SOFT_HYPHEN = "\xad"
"""U+00AD, a hyphenation hint that is invisible in print; removed from cleaned text."""


def clean_text(text: str, title: str | None = None) -> CleanResult:
    """Clean extracted article text; see the module docstring for the rules.

    ``title``, when given, is cleaned with :func:`clean_title` and returned as
    ``CleanResult.title`` (unchanged when it has no debris).
    """
    removed: list[Removal] = []
    source: str | None = None
    wire = False

    text = _strip_markup(text or "", removed)
    if SOFT_HYPHEN in text:  # invisible break hints: "Bundes\xadregierung" is one word
        text = text.replace(SOFT_HYPHEN, "")

    kept: list[str] = []
    for line in text.splitlines():
        para = line.strip()
        if not para:
            continue
        para = _strip_link_debris(para, removed)
        if not para:
            continue
        kind, value = classify_paragraph(para)
        if kind is None:
            kept.append(para)
            continue
        removed.append(Removal(kind, para))
        if kind == "syndication" and value and source is None:
            source = value
        elif kind == "wire-note":
            wire = True

    new_title = clean_title(title) if title is not None else None
    if new_title is not None and title is not None and new_title != title.strip():
        removed.append(Removal("title", title))
    if title is not None and new_title == title.strip():
        new_title = title
    if removed:
        log.debug("clean: removed %d pieces (%s)", len(removed),
                  ",".join(sorted({r.kind for r in removed})))
    return CleanResult(
        text="\n\n".join(kept), title=new_title, removed=removed, source=source, wire=wire
    )


def clean_title(title: str) -> str:
    """Strip HTML and link debris ("View original post") from a headline."""
    if not title:
        return title
    out = title
    if "<" in out or "&" in out:
        out = _strip_markup(out, [])
    if "riginal" in out:
        out = R.VIEW_ORIGINAL_RE.sub(" ", out)
    out = " ".join(out.replace(SOFT_HYPHEN, "").split())
    return out


def classify_paragraph(para: str) -> tuple[str | None, str | None]:
    """Return ``(kind, value)`` for a debris paragraph, or ``(None, None)`` to keep it.

    ``value`` is the outlet name for a ``syndication`` paragraph; an empty paragraph is kept
    (there is nothing to judge).
    """
    if not para:
        return None, None
    n_words = para.count(" ") + 1
    first = para[0]

    if n_words <= 40:
        # Syndication and wire notes are short and say so plainly.
        if "riginal" in para or "ublished" in para or "eprinted" in para or "ppeared" in para:
            m = R.SYNDICATION_RE.match(para)
            if m:
                return "syndication", _outlet(m.group("source"))
        if ("wire" in para or "contributed" in para or "used in this" in para) and R.WIRE_RE.match(
            para
        ):
            return "wire-note", None

    # Photo captions: a paragraph ending in a credit, or a Getty-style caption.
    last = para[-1]
    if last in ")." and _ends_paren(para) and R.TRAILING_CREDIT_RE.search(para):
        if para.startswith("(") and para.count("(") == 1:
            return "credit", None
        return "caption", None
    if n_words <= 80 and para.find(":", -100) >= 0:
        m2 = R.TRAILING_LABEL_CREDIT_RE.search(para)
        if m2 and m2.start() > 0:
            return "caption", None
    if n_words <= 80 and para.find("©", -80) >= 0 and R.TRAILING_COPYRIGHT_CREDIT_RE.search(para):
        return "caption", None
    if first.isupper() and _has_spaced_dash(para) and R.GETTY_CAPTION_RE.match(para):
        return "caption", None

    if n_words <= 25 and R.CREDIT_LINE_RE.match(para) and not _reads_like_sentence(para, n_words):
        return "credit", None

    # Link lines: "Related: …", "Read more", "Click here to …" (these rules and the promo
    # rules below read the lower-cased paragraph).
    low = para.lower() if n_words <= R.SITE_NOTICE_MAX_WORDS else ""
    if n_words <= 30 and R.LINK_LINE_RE.match(low):
        return "link", None
    if n_words <= 30 and ":" in para[:8] and R.SHORT_LEAD_LINK_RE.match(para):
        return "link", None
    if n_words <= 25 and R.CLICK_WORD_RE.search(low) and R.CLICK_HERE_RE.search(low):
        return "link", None

    # Notices of the site about itself: paywall, newsletter, app, login, reprint, ad labels.
    if low and (R.SITE_NOTICE_RE.search(low)
                or (first in "*AaWwSsPpGg" and R.AD_LABEL_RE.match(para))):
        return "promo", None
    if (not low and n_words <= R.COOKIE_NOTICE_MAX_WORDS and "ookie" in para
            and R.SITE_NOTICE_RE.search(para.lower())):
        return "promo", None  # a cookie banner's paragraphs run longer
    if n_words <= 10 and R.STAMP_LINE_RE.match(para):
        return "stamp", None

    # Promo lines: short + keyword, or starting like a button/banner.
    if n_words <= R.DISCLOSURE_MAX_WORDS and first in "TtWwDdAa" and R.DISCLOSURE_RE.match(para):
        return "promo", None
    if n_words <= R.PROMO_MAX_WORDS and R.PROMO_START_RE.match(low):
        if first == "©" and n_words <= 12 and "reserved" not in low:
            return "credit", None
        return "promo", None
    if (
        n_words <= R.KEYWORD_PROMO_MAX_WORDS
        and not _ends_period(para)
        and (R.PROMO_WEAK_RE.match(low) or R.PROMO_KEYWORD_RE.search(low))
    ):
        return "promo", None
    return None, None


def _reads_like_sentence(para: str, n_words: int) -> bool:
    """A credit-shaped line that is long and ends with a full stop is prose, not a credit."""
    if para.startswith("(") and para.endswith(")"):
        return False
    return n_words > 12 and bool(R.SENTENCE_END_RE.search(para[-2:]))


_CLOSERS = frozenset("'\"’”)]")


def _ends_paren(para: str) -> bool:
    """The paragraph ends with ")" (maybe then spaces and one full stop). Read from the end,
    without copying the paragraph: most prose ends with "." and is tested here."""
    end = len(para) - 1 if para[-1] == "." else len(para)
    while end > 0 and para[end - 1] in " \t":
        end -= 1
    return end > 0 and para[end - 1] == ")"


def _ends_period(para: str) -> bool:
    """:data:`~newsfold.clean.rules.PERIOD_END_RE` on the paragraph's last two characters."""
    last = para[-1]
    if last in ".…":
        return True
    return last in _CLOSERS and len(para) > 1 and para[-2] in ".…"


def _has_spaced_dash(para: str) -> bool:
    """A spaced hyphen or dash in the first 80 characters (a Getty caption's "CITY - DATE")."""
    return para.find(" - ", 0, 80) >= 0 or para.find(" – ", 0, 80) >= 0 or para.find(" — ", 0, 80) >= 0


def _outlet(raw: str | None) -> str | None:
    if not raw:
        return None
    name = raw.strip().strip("\"“”'’").strip()
    name = name.rstrip(".!,;: ")
    return name or None


def _strip_markup(text: str, removed: list[Removal]) -> str:
    """Remove HTML comments, script/style blocks, tags and entities from the whole text."""
    if "<" in text or ">" in text:
        text = _sub_record(R.HTML_COMMENT_RE, text, "html-comment", removed, "\n")
        if "<!" in text:
            text = _sub_record(R.CDATA_RE, text, "html-comment", removed, "")
            text = _sub_record(R.HTML_COMMENT_OPEN_RE, text, "html-comment", removed, "")
        if "->" in text or "–>" in text or "—>" in text:
            text = _sub_record(R.HTML_COMMENT_CLOSE_RE, text, "html-comment", removed, "")
        if "<" in text:
            text = _sub_record(R.SCRIPT_STYLE_RE, text, "html-tag", removed, " ")
            text = _sub_record(R.HTML_TAG_RE, text, "html-tag", removed, "", block=True)
    if "&" in text:
        text = R.HTML_ENTITY_RE.sub(lambda m: _entity(m.group(0), removed), text)
    if "riginal" in text:
        text = _sub_record(R.VIEW_ORIGINAL_RE, text, "link", removed, "\n")
    return text


_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "figure", "figcaption", "section", "article", "header", "footer", "aside", "nav", "table",
    "tr", "pre", "hr",
})


def _sub_record(
    pattern: re.Pattern[str],
    text: str,
    kind: str,
    removed: list[Removal],
    repl: str,
    block: bool = False,
) -> str:
    def _one(m: re.Match[str]) -> str:
        piece = m.group(0)
        if piece.strip():
            removed.append(Removal(kind, piece.strip()))
        if block:
            name = piece.lstrip("</").split(None, 1)[0].rstrip("/>").lower() if len(piece) > 2 else ""
            return "\n" if name in _BLOCK_TAGS else ""
        return repl

    return pattern.sub(_one, text)


def _entity(ent: str, removed: list[Removal]) -> str:
    value = html.unescape(ent)
    if value == ent:
        return ent
    removed.append(Removal("html-entity", ent))
    if value in ("\xa0", "\u200b", "\u2009", "\u202f"):
        return " "
    return value


def _strip_link_debris(para: str, removed: list[Removal]) -> str:
    """Cut a "Continue reading →" label glued to the end of a real paragraph."""
    tail = para[-45:]
    if "ead" not in tail and "EAD" not in tail:
        return para
    m = R.TRAILING_LINK_RE.search(para)
    if m and m.start() > 0:
        removed.append(Removal("link", m.group(0).strip()))
        return para[: m.start()].rstrip()
    return para
