"""The ``newsfold`` command: a thin shell over :mod:`newsfold.api`.

stdout carries data; stderr carries progress bars and messages.

Exit status: 0 success; 1 finished, but some input items were skipped (each one is named on
stderr); 2 usage error; 3 nothing done (unknown id, unusable database or setting).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import InputError, NewsfoldError
from ..settings import Settings

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])


def _db_option(func: F) -> F:
    return click.option(
        "--db",
        envvar="NEWSFOLD_DB",
        default="newsfold.db",
        show_default=True,
        help="SQLite database file, or a postgresql:// address (or set NEWSFOLD_DB).",
    )(func)


def _emit(line: str) -> None:
    click.echo(line)


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsfoldError as err:
            click.echo(f"newsfold: error: {err}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_Group)
@click.version_option(package_name="newsfold")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def main(verbose: int, quiet: bool) -> None:
    """Fold many outlets' news coverage into stories with cited briefs."""
    level = logging.ERROR if quiet else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsfold: %(message)s"))
    root = logging.getLogger("newsfold")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    for noisy in ("trafilatura", "htmldate", "courlan", "readability"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)


# -- ingest ---------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
def ingest(paths: tuple[str, ...], db: str) -> None:
    """Ingest articles into the database: .txt, .jsonl(.gz), .html and .warc(.gz) files,
    folders (recursively), and http(s) URLs (a feed's items, or one page).

    Prints a closing line with the counts on stderr. Exit status 1 when some items were
    skipped; each is named with the reason.
    """
    from tqdm import tqdm

    from ..api import Newsfold
    with Newsfold(db) as nf, tqdm(
        desc="ingest", unit=" items", file=sys.stderr, disable=None, leave=False
    ) as bar:
        report = nf.ingest(list(paths), progress=bar.update)
    click.echo(report.summary_line(), err=True)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


# -- stories --------------------------------------------------------------------------------
@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="Show at most this many stories.")
@click.option("--offset", type=int, default=0, help="Skip this many stories first.")
def stories(db: str, fmt: str, limit: int | None, offset: int) -> None:
    """List stories, most recent activity first."""
    from ..api import Newsfold
    with Newsfold(db) as nf:
        rows = nf.stories(limit=limit, offset=offset)
    if fmt == "json":
        _emit(_json([r.to_dict() for r in rows]))
        return
    _emit(f"{'STORY':<14} {'ARTICLES':>8} {'OUTLETS':>7}  {'FIRST':<10}  {'LAST':<10}  HEADLINE")
    for r in rows:
        first = (r.first_published or "")[:10]
        last = (r.last_published or "")[:10]
        _emit(f"{r.id:<14} {r.articles:>8} {r.outlets:>7}  {first:<10}  {last:<10}  {r.headline}")


# -- show -----------------------------------------------------------------------------------
@main.command()
@click.argument("story_id", required=False)
@_db_option
@click.option("--all", "every", is_flag=True,
              help="Every story's brief, in the order of 'newsfold stories' (md or json).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option("--max-words", type=int, default=None, help="Word budget of the summary.")
def show(story_id: str | None, db: str, every: bool, fmt: str, max_words: int | None) -> None:
    """Print one story's brief (or, with --all, every story's) as Markdown, JSON or a
    self-contained HTML page.

    The brief stored in the database is printed when it is current (see 'newsfold briefs');
    else it is built, and stored for next time. A --max-words other than the summary_max_words
    setting builds it afresh (nothing is stored)."""
    from ..summarize import render_html, render_markdown

    if every == (story_id is not None):
        raise click.UsageError("give a STORY_ID or --all (not both)")
    if every and fmt == "html":
        raise click.UsageError("--all prints md or json (an HTML page holds one story)")
    from ..api import Newsfold
    with Newsfold(db) as nf:
        ids = [s.id for s in nf.stories()] if every else [str(story_id)]
        shown = []
        for sid in ids:
            if max_words is None or max_words == nf.settings.summary_max_words:
                stored = nf.stored_brief(sid)
                assert stored is not None
                shown.append((stored.brief, stored.data))
            else:
                brief = nf.brief(sid, max_words=max_words)
                shown.append((brief, brief.to_dict()))
    if fmt == "json":
        _emit(_json([data for _, data in shown] if every else shown[0][1]))
    elif fmt == "html":
        _emit(render_html(shown[0][0]))
    elif not every:
        _emit(render_markdown(shown[0][0]))
    else:  # one brief after another, a blank line between them
        _emit("\n\n".join(render_markdown(brief).rstrip("\n") for brief, _ in shown))


# -- briefs ---------------------------------------------------------------------------------
@main.command()
@_db_option
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes building briefs at once (default: one per core).")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Build at most this many briefs (the most recently active stories').")
def briefs(db: str, jobs: int | None, limit: int | None) -> None:
    """Build and store the briefs the database lacks, most recently active stories first.

    A story's brief is stale once an article joins the story (or its story merges in) and
    whenever newsfold or the brief settings change; 'newsfold show', the story pages and the
    brief API read a current one instead of building it. Prints progress and a closing line
    with the counts on stderr."""
    import os

    from tqdm import tqdm

    from ..summarize.ahead import build_ahead

    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else os.cpu_count() or 1
    settings = Settings.from_env(db=db)
    with tqdm(desc="briefs", unit=" stories", file=sys.stderr, disable=None,
              leave=False) as bar:

        def start(total: int) -> None:
            bar.total = total
            bar.refresh()

        report = build_ahead(db, settings, jobs=jobs, limit=limit, progress=bar.update,
                             start=start)
    click.echo(report.summary_line(), err=True)
    if report.failed:
        sys.exit(EXIT_SKIPPED)


# -- export ---------------------------------------------------------------------------------
@main.command()
@_db_option
@click.option("--what", type=click.Choice(["articles", "stories"]), default="articles",
              show_default=True,
              help="articles: one row per stored article; stories: one row per story.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]),
              default="jsonl", show_default=True,
              help="JSON lines, CSV (lists as JSON text), or Parquet (needs --output and the "
                   "[parquet] extra).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE instead of stdout (required for parquet).")
@click.option("--briefs/--no-briefs", default=False, show_default=True,
              help="Stories: build (and store) the briefs the store lacks, for their summary; "
                   "slow on a large store. Without it a story with no current stored brief "
                   "has an empty summary.")
def export(db: str, what: str, fmt: str, output: str | None, briefs: bool) -> None:
    """Write every stored article (--what articles: as JSON lines they are an ingest input
    again) or every story (--what stories: counts, outlets, dates, activity time and the
    brief's cited summary), most recently active story first, as JSONL, CSV or Parquet."""
    from ..api import Newsfold
    from ..export import write_export

    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet writes a binary file: give --output FILE")
    if briefs and what != "stories":
        raise click.UsageError("--briefs applies to --what stories only")
    with Newsfold(db) as nf:
        n = write_export(nf, what, fmt, output, build_briefs=briefs)  # type: ignore[arg-type]
    if output is not None:
        click.echo(f"newsfold: {n} {what if n != 1 else what[:-1]} written to {output}",
                   err=True)


@main.command()
@click.option("--from", "source", required=True,
              help="The store to copy: a SQLite file or a postgresql:// address.")
@click.option("--to", "target", required=True,
              help="The new, empty store: a SQLite file or a postgresql:// address.")
def migrate(source: str, target: str) -> None:
    """Copy a whole store (articles, stories, merges, feeds, fetched URLs, the mention cache)
    into a new one, e.g. a SQLite file into PostgreSQL, in one transaction."""
    from ..store import open_store
    from ..store.copy import copy_store

    settings = Settings.from_env()
    src = open_store(source, settings)
    try:
        dst = open_store(target, settings)
        try:
            counts = copy_store(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    click.echo("migrated: " + ", ".join(f"{n} {table}" for table, n in counts.items()), err=True)


# -- summarize ------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--group-by", default=None, help="Summarise one story per value of this field.")
@click.option("--max-words", type=int, default=None, help="Word budget of each summary.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md", "jsonl", "json", "html"]),
    default="text", show_default=True,
)
def summarize(paths: tuple[str, ...], group_by: str | None, max_words: int | None, fmt: str) -> None:
    """Summarise input files as one story (or one per --group-by value), storing nothing."""
    from ..api import read_articles, summarize_articles
    from ..summarize import render_html, render_markdown
    read = read_articles(list(paths))
    _report_errors(read.errors)
    settings = Settings.from_env()
    budget = max_words or settings.summary_max_words
    groups = summarize_articles(read.articles, group_by=group_by, max_words=budget,
                                use_ner=settings.brief_entity_model, settings=settings)
    for g in groups:
        if fmt == "jsonl":
            sentences = [{"text": s.text, "citations": s.citations} for s in g.brief.summary]
            _emit(
                _json(
                    {
                        "group": g.group,
                        "summary": " ".join(s.text for s in g.brief.summary),
                        "sentences": sentences,
                    }
                )
            )
        elif fmt == "json":
            _emit(_json({"group": g.group, **g.brief.to_dict()}))
        elif fmt == "md":
            _emit(render_markdown(g.brief))
        elif fmt == "html":
            _emit(render_html(g.brief))
        else:
            if group_by:
                _emit(f"== {g.group}")
            _emit(" ".join(s.text for s in g.brief.summary))
    if read.errors:
        sys.exit(EXIT_SKIPPED)


def _report_errors(errors: list[InputError]) -> None:
    for err in errors:
        click.echo(f"newsfold: skipped {err}", err=True)


# -- extract and clean ----------------------------------------------------------------------
CLEAN_FIELDS = ("id", "title", "text", "source", "wire", "removed")
"""The fields `newsfold clean` prints of each article (after its path): the cleaned text and
what was removed from it."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True)
def extract(paths: tuple[str, ...], fmt: str) -> None:
    """Extract article text and metadata from HTML pages."""
    from ..ingest.html import extract_html
    from ..ingest.readers import expand_paths

    failed = False
    follow = Settings.from_env().ingest_follow_symlinks
    for path in expand_paths(paths, follow_symlinks=follow):
        if isinstance(path, InputError):
            click.echo(f"newsfold: skipped {path}", err=True)
            failed = True
            continue
        try:
            data = path.read_bytes()
            html = data.decode("utf-8", errors="replace")
            page = extract_html(html, origin=str(path))
        except (OSError, InputError) as err:
            click.echo(f"newsfold: skipped {err}", err=True)
            failed = True
            continue
        if fmt == "text":
            _emit(f"# {page.title or ''}\n\n{page.text}\n")
        else:
            _emit(
                _json(
                    {
                        "path": str(path), "title": page.title, "text": page.text,
                        "published": page.published, "source": page.source,
                        "author": page.author, "language": page.language, "url": page.url,
                    }
                )
            )
    if failed:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True)
@click.option("--whole-page", is_flag=True,
              help="The text is a whole page flattened (menus, footers...): keep the article lines.")
def clean(paths: tuple[str, ...], fmt: str, whole_page: bool) -> None:
    """Clean already-extracted text files (first line title) and report what was removed."""
    if whole_page:
        _clean_whole_pages(paths, fmt)
        return
    from ..api import read_articles
    read = read_articles(list(paths))
    _report_errors(read.errors)
    for a in read.articles:
        if fmt == "text":
            _emit(f"{a.title}\n\n{a.text}\n")
            continue
        _emit(_json({"path": a.origin, **a.to_dict(CLEAN_FIELDS)}))
    if read.errors:
        sys.exit(EXIT_SKIPPED)


WHOLE_PAGE_BATCH = 5_000
"""`newsfold clean --whole-page` cleans the files in batches of this many pages: a line repeated
across a batch's pages is boilerplate."""


def _clean_whole_pages(paths: tuple[str, ...], fmt: str) -> None:
    from ..clean import clean_pages
    from ..ingest.readers import decode_text, expand_paths

    failed = False
    batch: list[tuple[str, str]] = []

    def flush() -> None:
        results = clean_pages([text for _, text in batch], report=fmt != "text")
        for (path, _), result in zip(batch, results, strict=True):
            if fmt == "text":
                _emit(result.text + "\n")
                continue
            _emit(_json({
                "path": path, "title": result.title, "text": result.text,
                "source": result.source, "wire": result.wire,
                "removed": [r.to_dict() for r in result.removed],
            }))
        batch.clear()

    follow = Settings.from_env().ingest_follow_symlinks
    for path in expand_paths(paths, follow_symlinks=follow):
        try:
            if isinstance(path, InputError):
                raise path
            text = decode_text(path, path.read_bytes())
        except (OSError, InputError) as err:
            click.echo(f"newsfold: skipped {err}", err=True)
            failed = True
            continue
        batch.append((str(path), text))
        if len(batch) >= WHOLE_PAGE_BATCH:
            flush()
    if batch:
        flush()
    if failed:
        sys.exit(EXIT_SKIPPED)


# -- eval -----------------------------------------------------------------------------------
@main.group(name="eval")
def eval_group() -> None:
    """Measure quality on data with gold answers."""


@eval_group.command(name="citations")
@click.argument("path")
@click.option("--judged", default=None,
              help="JSONL of {key, supports} judgements to score against.")
@click.option("--write-pairs", "write_pairs", is_flag=True,
              help="Print the (summary sentence, article) questions to judge, as JSONL.")
@click.option("--stories", type=int, default=None, help="Only the first N stories, by name.")
@click.option("--max-words", type=int, default=100, show_default=True, help="Summary length.")
@click.option("--facts", is_flag=True,
              help="Ask about the agreed facts' articles instead of the summary's citations.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_citations(path: str, judged: str | None, write_pairs: bool, stories: int | None,
                   max_words: int, facts: bool, fmt: str) -> None:
    """Score summary citations against judgements made by reading, beside citing every article."""
    from ..eval.citations import citation_pairs, fact_pairs, score_citations, score_facts, table

    if write_pairs:
        pairs = fact_pairs(path, stories) if facts else citation_pairs(path, stories, max_words)
        for pair in pairs:
            _emit(_json(pair))
        return
    if judged is None:
        raise click.UsageError("give --judged FILE to score, or --write-pairs to make questions")
    if facts:
        got = score_facts(path, judged, stories)
        _emit(_json(got) if fmt == "json" else
              f"{got['judged_pairs']} judged (agreed fact, listed article) pairs "
              f"({got['unjudged_pairs']} without a judgement): {got['supporting']} report the "
              f"fact, precision {got['precision']:.4f}")
        return
    result = score_citations(path, judged, stories, max_words)
    _emit(_json(result) if fmt == "json" else table(result))


@eval_group.command(name="cluster")
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--shuffle", "seed", type=int, default=0, show_default=True,
              help="Seed of the shuffle that comes before the sort by publication time.")
@click.option("--file-order", is_flag=True,
              help="Keep the file's line order: no shuffle, no sort.")
@click.option("--no-baseline", is_flag=True, help="Do not score the TF-IDF baseline.")
def eval_cluster(path: str, fmt: str, seed: int, file_order: bool, no_baseline: bool) -> None:
    """Ingest articles with a gold `story` field into a fresh in-memory store and score the
    stories, next to a TF-IDF + agglomerative baseline on the same articles."""
    from ..eval.cluster import evaluate_clustering

    result = evaluate_clustering(path, Settings.from_env(db=":memory:"), file_order=file_order,
                                 shuffle_seed=seed, baseline=not no_baseline)
    if fmt == "json":
        _emit(_json(result))
        return
    _emit(f"order: {result['order']}")
    base: dict[str, Any] | None = result.get("baseline")
    if base is not None:
        _emit(f"baseline: TF-IDF, average-link agglomerative, cosine distance {base['threshold']}")
    _emit(f"{'':<22} {'newsfold':>10}" + (f" {'baseline':>10}" if base is not None else ""))
    for key, value in result.items():
        if key in ("order", "baseline"):
            continue
        row = f"{key:<22} {_cell(key, value):>10}"
        if base is not None:
            row += f" {_cell(key, base[key]) if key in base else '-':>10}"
        _emit(row)


def _cell(key: str, value: Any) -> str:
    if key in ("items", "gold_clusters", "pred_clusters"):
        return str(int(value))
    if key == "articles_per_second":
        return f"{value:.1f}"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


@eval_group.command(name="conflicts")
@click.argument("path")
@click.option("--limit", type=int, default=None, help="Use only the first N stories (by id).")
@click.option("--seed", type=int, default=0, show_default=True, help="Which values are changed.")
@click.option("--seeds", default=None, help="Several seeds, e.g. 0,1,2: one row each and the worst.")
@click.option("--judged", default=None,
              help="JSONL of {key, true} judgements: count the shown conflicts judged true.")
@click.option("--write-questions", "write_questions", is_flag=True,
              help="Print each shown conflict's pairs of sides to judge, as JSONL (no planting).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_conflicts(path: str, limit: int | None, seed: int, seeds: str | None, judged: str | None,
                   write_questions: bool, fmt: str) -> None:
    """Plant one changed number, date or name per story and count the conflicts found and shown."""
    from ..eval.conflicts import (
        conflict_questions,
        evaluate_conflicts,
        evaluate_many,
        judge,
        judged_table,
        seeds_table,
        table,
    )

    if write_questions:
        for question in conflict_questions(path, limit):
            _emit(_json(question))
        return
    if seeds:
        rows = evaluate_many([path], [int(s) for s in seeds.split(",") if s.strip()], limit)
        got = judge(rows[0]["untouched"], judged) if judged and rows else None
        if fmt == "json":
            _emit(_json({"runs": rows, "judged": got} if got else rows))
            return
        _emit(seeds_table(rows) + (f"\n{judged_table(got)}" if got else ""))
        return
    result = evaluate_conflicts(path, limit=limit, seed=seed)
    if judged:
        result["judged"] = judge(result["untouched"], judged)
    _emit(_json(result) if fmt == "json" else
          table(result, seed) + (f"\n{judged_table(result['judged'])}" if judged else ""))


@eval_group.command(name="extract")
@click.argument("path")
@click.option("--mode", type=click.Choice(["html", "text"]), default="html", show_default=True,
              help="html: extract from the page; text: clean the page flattened to plain text.")
@click.option("--system", type=click.Choice(["newsfold", "trafilatura", "keep-all"]),
              default="newsfold", show_default=True, help="What to score (baselines for comparison).")
@click.option("--limit", type=int, default=None, help="Score only the first N pages.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_extract(path: str, mode: str, system: str, limit: int | None, fmt: str) -> None:
    """Score extraction: ScrapingHub shingle F1 against gold text, and trafilatura's with/without snippets."""
    from ..eval.extract import evaluate_extraction

    result = evaluate_extraction(path, mode=mode, system=system, limit=limit)
    if fmt == "json":
        _emit(_json(result))
        return
    _emit(f"{result['system']} ({result['mode']}): {result['pages']} pages, {result['failed']} failed, "
          f"{result['pages_per_s']:.1f} pages/s")
    for kind in ("shingle", "snippets"):
        scores = result.get(kind)
        if scores:
            _emit(f"{kind:<9} P {scores['precision']:.4f}  R {scores['recall']:.4f}  F1 {scores['f1']:.4f}")


@eval_group.command(name="quotes")
@click.argument("path")
@click.option("--min-words", type=int, default=5, show_default=True,
              help="Shortest quote scored (the shortest a brief shows).")
@click.option("--split", default=None, help="Score only articles whose 'split' is this.")
@click.option("--limit", type=int, default=None, help="Score only the first N articles.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_quotes(path: str, min_words: int, split: str | None, limit: int | None, fmt: str) -> None:
    """Score quotes and their speakers against annotated attributions, beside a nearest-name baseline."""
    from ..eval.quotes import score_quotes, table

    result = score_quotes(path, min_words=min_words, limit=limit, split=split)
    _emit(_json(result) if fmt == "json" else table(result, min_words))


@eval_group.command(name="support")
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_support(path: str, fmt: str) -> None:
    """Score the brief's "same content" decision on labelled sentence pairs, beside "all same"."""
    from ..eval.support import evaluate_support, table

    result = evaluate_support(path)
    _emit(_json(result) if fmt == "json" else table(result, path))


@eval_group.command(name="summarize")
@click.argument("path")
@click.option("--refs", "refs", required=True, help="JSONL of {story, references: [text, ...]}.")
@click.option("--peers", default=None, help="JSONL of other systems' {system, story, summary}.")
@click.option("--max-words", type=int, default=250, show_default=True, help="Summary length.")
@click.option("--group-by", default="story", show_default=True, help="Field naming each topic.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_summarize(
    path: str, refs: str, peers: str | None, max_words: int, group_by: str, fmt: str
) -> None:
    """Score summaries with ROUGE-1/2 recall and ROUGE-1/2/L F1 (Porter stemming, cut at N words)."""
    from ..eval.summarize import evaluate_summaries

    result = evaluate_summaries(path, refs, max_words=max_words, peers_path=peers, group_by=group_by)
    if fmt == "json":
        _emit(_json(result))
        return
    _emit(f"{result['topics']} topics, summaries cut at {max_words} words; ROUGE x100")
    _emit(f"{'system':<12} {'R1-R':>6} {'R2-R':>6} {'R1-F':>6} {'R2-F':>6} {'RL-F':>6}")
    for name, s in result["systems"].items():
        _emit(
            f"{name:<12} {s['rouge1']['recall']:>6.2f} {s['rouge2']['recall']:>6.2f} "
            f"{s['rouge1']['f1']:>6.2f} {s['rouge2']['f1']:>6.2f} {s['rougeL']['f1']:>6.2f}"
        )


# -- serve (newsfold.web) -------------------------------------------------------------------
from ..web.cli import serve  # noqa: E402

main.add_command(serve)

# -- feeds and watch (newsfold.ingest.feeds, newsfold.watch) -------------------------------
from .feeds import feeds, watch  # noqa: E402

main.add_command(feeds)
main.add_command(watch)

# -- backfill (newsfold.backfill, the [spark] extra) ----------------------------------------
from .backfill import backfill  # noqa: E402

main.add_command(backfill)


if __name__ == "__main__":  # pragma: no cover
    main()
