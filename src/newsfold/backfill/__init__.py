"""Backfill: fold a whole archive into stories on Spark, deciding as sequential ingest does.

Articles are read and prepared on the executors by ingest's own readers and
:class:`~newsfold.pipeline.prepare.Preparer`; copies are found by content-hash groups and MinHash
bands (:mod:`.copies`); stories are made by the online clusterer in one pass in publication
order, or over time windows linked where they overlap (:mod:`.windows`); the result goes into a
store and/or Parquet (:mod:`.flow`). The method and its limits are in docs/scale.md. Needs the
``[spark]`` extra: nothing here imports pyspark until a backfill runs.
"""

from .flow import BackfillReport, backfill, spark_session

__all__ = ["BackfillReport", "backfill", "spark_session"]
