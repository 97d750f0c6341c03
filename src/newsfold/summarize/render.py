"""Render a brief as Markdown or as self-contained HTML (no scripts, everything escaped).

Every field that comes from an article (ids, outlets, titles, URLs, dates, sentences) is
escaped for its place, so that no value can open a tag, a link or a new block:

* Markdown (:func:`render_markdown`): line breaks and control characters become spaces; the
  characters that start HTML, links, emphasis, code or tables (``\\ ` * [ ] < > |``, an ``_``
  at a word's edge, a ``#`` after a space) are backslash-escaped, and a field that begins a
  line has its block marker ("- ", "1. ", "> ", "~~~") escaped. Everything else stays as
  written (``Law360 (subscription)``, ``000_b0e8``). Ids are code spans fenced longer than
  any backtick run inside them; only ``http(s)`` URLs become links (autolinks, with spaces and
  angle brackets percent-encoded), others are shown as text.
* HTML (:func:`render_html`): every field is HTML-escaped, NUL and other control characters
  are dropped, and a field holding a bidirectional override is isolated in ``<bdi>``.

An article that a part of the brief left out (``Brief.omitted``) is named with the reason
under the story line (:func:`omission_notes`).
"""

from __future__ import annotations

import re
from html import escape

from newsfold.records import Brief, Entity, Fact, Omission, TimelineEvent, outlet_label
from newsfold.summarize.dates import absolute

MAX_FACTS = 25
"""Facts shown in a rendering (all are in the brief's JSON)."""

NO_SUMMARY = ("No sentence to summarise: the articles give headlines only, or no complete "
              "sentence of six words or more that stands on its own.")
"""Said where a summary would be when no sentence qualifies."""


STAGE_PHRASES = {
    "date": "read as undated",
    "text": "read in part",
    "analysis": "left out of the sentence analysis (summary, facts, conflicts, entities, "
                "timeline)",
    "summary": "left out of the summary",
    "facts": "left out of the facts",
    "conflicts": "left out of the conflicts",
    "quotes": "left out of the quotes",
    "entities": "left out of the entities",
    "timeline": "left out of the timeline",
    "coverage": "left out of the coverage",
    "headline": "left out of the headline",
}
"""How each stage's omissions are announced, in the order a brief builds them (the web's
story page words them the same)."""


_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}|--\d{2}-\d{2}")
_ANCHORS = {"article": "the article's date", "story": "the story's first report",
            "text": "a date in the article's text"}


def resolved_words(event: TimelineEvent) -> str | None:
    """How a relative date was placed, for readers: "counted from the article's date, 2 Jun
    2009" (None for a date written in full)."""
    if not event.resolved_from:
        return None
    anchor = _ANCHORS.get(event.resolved_by or "article", "the article's date")
    return f"counted from {anchor}, {absolute(event.resolved_from)}"


def omission_notes(brief: Brief) -> list[str]:
    """One plain-text line per part of the brief that left articles out, in stage order:
    "1 article left out of the timeline: M0061 (OverflowError: date value out of range)"."""
    by_stage: dict[str, list[Omission]] = {}
    for o in brief.omitted:
        by_stage.setdefault(o.stage, []).append(o)
    order = [*STAGE_PHRASES, *sorted(set(by_stage) - set(STAGE_PHRASES))]
    notes = []
    for stage in order:
        rows = by_stage.get(stage)
        if not rows:
            continue
        n = len({o.article for o in rows})
        what = STAGE_PHRASES.get(stage, f"left out of the {stage}")
        items = "; ".join(f"{o.article} ({o.reason})" for o in rows)
        notes.append(f"{n} article{'s' if n != 1 else ''} {what}: {items}")
    return notes


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_BREAK_RE = re.compile(r"[\t\n\x0b\x0c\r\x85\u2028\u2029]+")
_MD_INLINE_RE = re.compile(r"[\\`*\[\]<>|]|(?<![^\W_])_|_(?![^\W_])|(?<!\S)#")
"""Markdown characters escaped in a field: those that start raw HTML, autolinks, links,
emphasis, code spans and table cells; ``_`` only at a word's edge (``000_b0e8`` cannot be
emphasis); ``#`` only after a space or at the start (a heading or its closing sequence)."""
_MD_BLOCK_RE = re.compile(r"^(?:[-+=~>]|\d{1,9}(?=[.)]))")
"""A block marker at the start of a line: list, quote, setext underline, fence, numbered."""


def _flat(text: object) -> str:
    """A field on one line: line breaks become spaces, other control characters are dropped."""
    raw = "" if text is None else str(text)
    return _CONTROL_RE.sub("", _BREAK_RE.sub(" ", raw))


def _md(text: object, *, starts_line: bool = False) -> str:
    """A field as Markdown text that renders as itself: no tag, link, emphasis or new block.
    ``starts_line``: the field begins a line or a list item, so a block marker is escaped."""
    out = _MD_INLINE_RE.sub(lambda m: "\\" + m.group(0), _flat(text))
    if starts_line:
        out = out.lstrip(" ")
        m = _MD_BLOCK_RE.match(out)
        if m:
            end = m.end()
            out = out[:end] + "\\" + out[end:] if out[:1].isdigit() else "\\" + out
    return out


def _code(text: object) -> str:
    """A field as a Markdown code span (rendered verbatim, never as HTML)."""
    flat = _flat(text)
    longest = max((len(r) for r in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat[:1] == "`" or flat[-1:] == "`" or (flat.strip() == "" and flat) else ""
    return f"{fence}{pad}{flat}{pad}{fence}" if flat else "` `"


def _md_url(url: str) -> str:
    """An ``http(s)`` URL as a Markdown autolink; any other as escaped text (no link)."""
    flat = _flat(url).strip()
    if not flat.lower().startswith(("http://", "https://")):
        return _md(flat)
    enc = "".join(f"%{ord(c):02X}" if c in " <>\\`" or ord(c) < 0x21 else c for c in flat)
    return f"<{enc}>"


def counted(n: int, noun: str) -> str:
    """"1 article", "2 articles"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _cite(ids: list[str]) -> str:
    return "[" + ", ".join(_md(i) for i in ids) + "]"


def render_markdown(brief: Brief) -> str:
    lines = [f"# {_md(brief.headline or brief.id)}", ""]
    lines.append(f"Story {_code(brief.id)} · {counted(len(brief.articles), 'article')} · "
                 f"{counted(len(brief.sources), 'outlet')}")
    notes = omission_notes(brief)
    if notes:
        lines.append("")
        lines += [f"- _{_md(note)}_" for note in notes]
    lines += ["", "## Summary", ""]
    for s in brief.summary:
        lines.append(f"{_md(s.text, starts_line=True)} {_cite(s.citations)}")
        lines.append("")
    if not brief.summary:
        lines += [f"_{NO_SUMMARY}_", ""]
    if brief.facts:
        lines += ["## Facts", ""]
        for f in brief.facts[:MAX_FACTS]:
            on = f" on {_md(_agreed_on(f))}" if f.agreed_on else ""
            lines.append(f"- **{_md(f.status)}**{on} ({_md(', '.join(map(outlet_label, f.outlets)))}): "
                         f"{_md(f.text)} {_cite(f.articles)}")
        if len(brief.facts) > MAX_FACTS:
            lines.append(f"- … {len(brief.facts) - MAX_FACTS} more facts in the JSON export")
        lines.append("")
    if brief.conflicts:
        lines += ["## Conflicts", ""]
        for c in brief.conflicts:
            label = " (updated over time)" if c.kind == "update" else ""
            lines.append(f"- **{_md(c.what)}**{label} — compared: {_md(c.compared)}")
            for side in c.sides:
                lines.append(f"  - {_md(side.value, starts_line=True)}: “{_md(side.text)}” "
                             f"{_cite(side.articles)}")
        lines.append("")
    if brief.quotes:
        lines += ["## Quotes", ""]
        for q in brief.quotes:
            who = _md(q.speaker) if q.speaker else "unattributed"
            lines.append(f"- “{_md(q.text)}” — {who} {_cite(q.articles)}")
            if q.evidence and q.text not in q.evidence:  # attributed elsewhere: show where
                lines.append(f"  - attributed in: {_md(q.evidence)}")
        lines.append("")
    if brief.timeline:
        lines += ["## Timeline", ""]
        for t in brief.timeline:
            how = resolved_words(t)
            note = f" ({_md(how)})" if how else ""
            lines.append(f"- {_md(absolute(t.date), starts_line=True)}{note}: {_md(t.text)} "
                         f"{_cite(t.articles)}")
        lines.append("")
    if brief.entities:
        lines += ["## Entities", ""]
        lines += [f"- {_md(e.name, starts_line=True)}: {_md(_entity_counts(e))}"
                  for e in brief.entities]
        lines.append("")
    lines += ["## Sources", ""]
    for a in brief.articles:
        bits = [_code(a.id), _md(outlet_label(a.outlet)), f"“{_md(a.title)}”"]
        if a.url:
            bits.append(_md_url(a.url))
        bits.append(_md(absolute(a.published)) if a.published else "undated")
        if a.duplicate_of:
            bits.append(f"copy of {_code(a.duplicate_of)}")
        if a.wire:
            bits.append("wire")
        lines.append("- " + " · ".join(bits))
    return "\n".join(lines).rstrip() + "\n"


_CSS = (
    "body{font-family:Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#222}h1{font-size:1.6em}h2{font-size:1.15em;margin-top:1.6em;"
    "border-bottom:1px solid #ddd}.cite{color:#666;font-size:.85em;font-family:monospace}"
    ".status{font-variant:small-caps;font-weight:bold}.agreed{color:#1a7f37}"
    ".single-source{color:#8a6d00}.disputed{color:#b42318}li{margin:.3em 0}"
)


_HTML_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _plain(text: object) -> str:
    """A field HTML-escaped for an attribute or ``<title>``, control characters dropped."""
    return escape(_HTML_CONTROL_RE.sub("", "" if text is None else str(text)))


def _h(text: object) -> str:
    """A field as HTML text: escaped, control characters dropped, and isolated in ``<bdi>``
    when it holds a bidirectional override (which then cannot reorder what follows)."""
    raw = _HTML_CONTROL_RE.sub("", "" if text is None else str(text))
    out = escape(raw)
    return f"<bdi>{out}</bdi>" if _BIDI_RE.search(raw) else out


def _hcite(ids: list[str]) -> str:
    return f'<span class="cite">[{_h(", ".join(ids))}]</span>'


def render_html(brief: Brief) -> str:
    e = _h
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_plain(brief.headline or brief.id)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(brief.headline or brief.id)}</h1>",
        f"<p>Story <code>{e(brief.id)}</code> · {counted(len(brief.articles), 'article')} · "
        f"{counted(len(brief.sources), 'outlet')}</p>",
    ]
    notes = omission_notes(brief)
    if notes:
        parts.append('<ul class="omitted">' + "".join(f"<li><em>{e(n)}</em></li>" for n in notes)
                     + "</ul>")
    parts.append("<h2>Summary</h2>")
    for s in brief.summary:
        parts.append(f"<p>{e(s.text)} {_hcite(s.citations)}</p>")
    if not brief.summary:
        parts.append(f"<p><em>{e(NO_SUMMARY)}</em></p>")
    if brief.facts:
        parts.append("<h2>Facts</h2><ul>")
        for f in brief.facts[:MAX_FACTS]:
            on = f" on {e(_agreed_on(f))}" if f.agreed_on else ""
            parts.append(
                f'<li><span class="status {_plain(f.status)}">{e(f.status)}</span>{on} '
                f"({e(', '.join(map(outlet_label, f.outlets)))}): {e(f.text)} {_hcite(f.articles)}</li>"
            )
        if len(brief.facts) > MAX_FACTS:
            parts.append(f"<li>… {len(brief.facts) - MAX_FACTS} more facts in the JSON "
                         "export</li>")
        parts.append("</ul>")
    if brief.conflicts:
        parts.append("<h2>Conflicts</h2><ul>")
        for c in brief.conflicts:
            label = " (updated over time)" if c.kind == "update" else ""
            parts.append(f"<li><strong>{e(c.what)}</strong>{label} — compared: "
                         f"{e(c.compared)}<ul>")
            for side in c.sides:
                parts.append(f"<li>{e(side.value)}: “{e(side.text)}” "
                             f"{_hcite(side.articles)}</li>")
            parts.append("</ul></li>")
        parts.append("</ul>")
    if brief.quotes:
        parts.append("<h2>Quotes</h2><ul>")
        for q in brief.quotes:
            who = e(q.speaker) if q.speaker else "<em>unattributed</em>"
            ev = (f"<br><small>attributed in: {e(q.evidence)}</small>"
                  if q.evidence and q.text not in q.evidence else "")
            parts.append(f"<li>“{e(q.text)}” — {who} {_hcite(q.articles)}{ev}</li>")
        parts.append("</ul>")
    if brief.timeline:
        parts.append("<h2>Timeline</h2><ul>")
        for t in brief.timeline:
            how = resolved_words(t)
            note = f" ({e(how)})" if how else ""
            iso = f' datetime="{t.date}"' if _ISO_DAY_RE.fullmatch(t.date) else ""
            parts.append(f"<li><time{iso}>{e(absolute(t.date))}</time>{note}: {e(t.text)} "
                         f"{_hcite(t.articles)}</li>")
        parts.append("</ul>")
    if brief.entities:
        parts.append("<h2>Entities</h2><ul>")
        parts += [f"<li>{e(x.name)}: {e(_entity_counts(x))}</li>" for x in brief.entities]
        parts.append("</ul>")
    parts.append("<h2>Sources</h2><ul>")
    for a in brief.articles:
        title = e(a.title)
        if a.url and a.url.lower().startswith(("http://", "https://")):
            title = f'<a href="{_plain(a.url)}" rel="noopener noreferrer">{title}</a>'
        extra = []
        if a.duplicate_of:
            extra.append(f"copy of <code>{e(a.duplicate_of)}</code>")
        if a.wire:
            extra.append("wire")
        parts.append(
            f"<li><code>{e(a.id)}</code> · {e(outlet_label(a.outlet))} · {title} · "
            f"{e(absolute(a.published) if a.published else 'undated')}{' · ' + ' · '.join(extra) if extra else ''}</li>"
        )
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


def _entity_counts(ent: Entity) -> str:
    """"person, 2 outlets, 3 articles" (an untyped ``name`` says no kind)."""
    kind = "" if ent.kind == "name" else f"{ent.kind}, "
    outlets = f"{ent.outlets} outlet{'s' if ent.outlets != 1 else ''}"
    n = len(ent.articles)
    return f"{kind}{outlets}, {n} article{'s' if n != 1 else ''}"


def _agreed_on(fact: Fact) -> str:
    """"“100,000 troops”", "“Geneva” and “Jan. 10”": what all of a fact's articles say."""
    quoted = [f"“{v}”" for v in fact.agreed_on]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
