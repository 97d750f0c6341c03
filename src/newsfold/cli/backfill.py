"""``newsfold backfill``: fold an archive into stories on Spark (the ``[spark]`` extra).

The command's module imports nothing of Spark: :mod:`newsfold.backfill` is imported when the
command runs.
"""

from __future__ import annotations

import sys

import click

from ..errors import ConfigError
from ..settings import Settings


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", envvar="NEWSFOLD_DB", default=None,
              help="Write into this new SQLite database (or set NEWSFOLD_DB).")
@click.option("--parquet", "parquet", default=None, metavar="DIR",
              help="Write the articles with their stories as Parquet files under DIR.")
@click.option("--master", default="local[2]", show_default=True,
              help="The Spark master (local[N], spark://HOST:PORT, yarn, k8s://...).")
@click.option("--window-days", type=float, default=None,
              help="Cluster by time windows of N days in parallel, linked where they overlap "
                   "(default: one pass in publication order, as ingest decides).")
@click.option("--lead-days", type=float, default=None,
              help="Days before a window that it also clusters (default: the clusterer's reach, "
                   "cluster_window_days plus cluster_evict_margin_days).")
def backfill(paths: tuple[str, ...], db: str | None, parquet: str | None, master: str,
             window_days: float | None, lead_days: float | None) -> None:
    """Fold .jsonl(.gz), .warc(.gz) and .parquet files (any path Spark reads) into stories
    on Spark, deciding as 'newsfold ingest' does; write a new database and/or Parquet.

    Prints each stage's progress and a closing line with the counts on stderr. Exit status 1
    when some items were skipped; each is named with the reason.
    """
    if db is None and parquet is None:
        raise click.UsageError("give --db FILE and/or --parquet DIR")
    try:
        from ..backfill import backfill as run
        from ..backfill import spark_session
    except ImportError as exc:
        raise ConfigError(f"backfill needs the [spark] extra ({exc}): "
                          "pip install 'newsfold[spark]'") from None
    settings = Settings.from_env(db=db) if db is not None else Settings.from_env()

    def progress(stage: str, n: int) -> None:
        click.echo(f"backfill: {stage}: {n:,}", err=True)

    spark = spark_session(master)
    try:
        report = run(list(paths), settings, spark=spark, db=db, parquet=parquet,
                     span_days=window_days, lead_days=lead_days, progress=progress)
    finally:
        spark.stop()
    click.echo(report.summary_line(), err=True)
    if report.skipped:
        sys.exit(1)
