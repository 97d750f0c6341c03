"""Ingest: items read, prepared, deduplicated, clustered and stored, batch by batch.

:mod:`.run` is the flow (:class:`Pipeline`), :mod:`.prepare` the per-article work that needs
no shared state, :mod:`.executor` the worker process that does that work ahead of the flow,
:mod:`.headlines` the headlines picked once an ingest is stored.
"""

from .prepare import publication_order
from .run import IngestReport, Pipeline

__all__ = ["IngestReport", "Pipeline", "publication_order"]
