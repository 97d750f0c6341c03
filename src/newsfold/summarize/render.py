"""Render a brief as Markdown or as self-contained HTML (no scripts, everything escaped)."""

from __future__ import annotations

from html import escape

from newsfold.records import Brief, Entity, Fact

MAX_FACTS = 25
"""Facts shown in a rendering (all are in the brief's JSON)."""

NO_SUMMARY = ("No sentence to summarise: the articles give headlines only, or no sentence of "
              "six words or more.")
"""Said where a summary would be when no sentence qualifies."""


def _cite(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def _md(text: str) -> str:
    """Neutralise Markdown control characters in free text."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def render_markdown(brief: Brief) -> str:
    lines = [f"# {_md(brief.headline or brief.id)}", ""]
    lines.append(f"Story `{brief.id}` · {len(brief.articles)} articles · "
                 f"{len(brief.sources)} outlets")
    lines += ["", "## Summary", ""]
    for s in brief.summary:
        lines.append(f"{_md(s.text)} {_cite(s.citations)}")
        lines.append("")
    if not brief.summary:
        lines += [f"_{NO_SUMMARY}_", ""]
    if brief.facts:
        lines += ["## Facts", ""]
        for f in brief.facts[:MAX_FACTS]:
            on = f" on {_md(_agreed_on(f))}" if f.agreed_on else ""
            lines.append(f"- **{f.status}**{on} ({', '.join(f.outlets)}): {_md(f.text)} "
                         f"{_cite(f.articles)}")
        if len(brief.facts) > MAX_FACTS:
            lines.append(f"- … {len(brief.facts) - MAX_FACTS} more facts in the JSON export")
        lines.append("")
    if brief.conflicts:
        lines += ["## Conflicts", ""]
        for c in brief.conflicts:
            label = " (updated over time)" if c.kind == "update" else ""
            lines.append(f"- **{_md(c.what)}**{label} — compared: {_md(c.compared)}")
            for side in c.sides:
                lines.append(f"  - {_md(side.value)}: “{_md(side.text)}” {_cite(side.articles)}")
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
            note = f" (resolved from {t.resolved_from})" if t.resolved_from else ""
            lines.append(f"- {t.date}{note}: {_md(t.text)} {_cite(t.articles)}")
        lines.append("")
    if brief.entities:
        lines += ["## Entities", ""]
        lines += [f"- {_md(e.name)}: {_entity_counts(e)}" for e in brief.entities]
        lines.append("")
    lines += ["## Sources", ""]
    for a in brief.articles:
        bits = [f"`{a.id}`", _md(a.outlet), f"“{_md(a.title)}”"]
        if a.url:
            bits.append(f"<{a.url}>")
        bits.append(a.published or "undated")
        if a.duplicate_of:
            bits.append(f"copy of `{a.duplicate_of}`")
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


def _hcite(ids: list[str]) -> str:
    return f'<span class="cite">[{escape(", ".join(ids))}]</span>'


def render_html(brief: Brief) -> str:
    e = escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(brief.headline or brief.id)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(brief.headline or brief.id)}</h1>",
        f"<p>Story <code>{e(brief.id)}</code> · {len(brief.articles)} articles · "
        f"{len(brief.sources)} outlets</p>",
        "<h2>Summary</h2>",
    ]
    for s in brief.summary:
        parts.append(f"<p>{e(s.text)} {_hcite(s.citations)}</p>")
    if not brief.summary:
        parts.append(f"<p><em>{e(NO_SUMMARY)}</em></p>")
    if brief.facts:
        parts.append("<h2>Facts</h2><ul>")
        for f in brief.facts[:MAX_FACTS]:
            on = f" on {e(_agreed_on(f))}" if f.agreed_on else ""
            parts.append(
                f'<li><span class="status {e(f.status)}">{e(f.status)}</span>{on} '
                f"({e(', '.join(f.outlets))}): {e(f.text)} {_hcite(f.articles)}</li>"
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
            note = f" (resolved from {e(t.resolved_from)})" if t.resolved_from else ""
            parts.append(f"<li><time>{e(t.date)}</time>{note}: {e(t.text)} "
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
            title = f'<a href="{e(a.url)}" rel="noopener noreferrer">{title}</a>'
        extra = []
        if a.duplicate_of:
            extra.append(f"copy of <code>{e(a.duplicate_of)}</code>")
        if a.wire:
            extra.append("wire")
        parts.append(
            f"<li><code>{e(a.id)}</code> · {e(a.outlet)} · {title} · "
            f"{e(a.published or 'undated')}{' · ' + ' · '.join(extra) if extra else ''}</li>"
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
