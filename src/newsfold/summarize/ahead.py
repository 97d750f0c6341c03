"""Building the stored briefs ahead of their requests (``newsfold briefs``).

:func:`build_ahead` builds the brief of every story that has no current stored brief (see
:mod:`newsfold.summarize.stored`), the most recently active stories first, and stores them. A
brief is CPU work (the entity model above all), so with ``jobs`` above one the stories are
shared out, a few at a time, between that many forked worker processes, each reading and
writing the store on a connection of its own; the briefs are those built one by one.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import NotFoundError, StoreError
from ..pipeline.executor import _die_with, _fork_context
from ..settings import Settings

if TYPE_CHECKING:
    from ..api import Newsfold

log = logging.getLogger(__name__)

CHUNK = 4
"""Stories a worker builds and stores in one go (one write per chunk)."""


@dataclass(slots=True)
class AheadReport:
    """What :func:`build_ahead` did."""

    stories: int
    """Stories in the store."""
    stale: int
    """Stories that had no current stored brief."""
    built: int = 0
    failed: int = 0
    """Briefs that raised (each is logged); their stories are left stale."""
    jobs: int = 1
    """Processes that built them."""
    seconds: float = 0.0

    def summary_line(self) -> str:
        per = f" ({1000 * self.seconds / self.built:.0f} ms per brief)" if self.built else ""
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"briefs: {self.built} built{failed} in {self.seconds:.1f} s{per} by "
                f"{self.jobs} process{'es' if self.jobs > 1 else ''}; "
                f"{self.stories - self.stale} of {self.stories} stories were current already")


def build_ahead(address: str, settings: Settings, jobs: int = 1, limit: int | None = None,
                progress: Callable[[int], object] | None = None,
                start: Callable[[int], object] | None = None) -> AheadReport:
    """Build and store the brief of every story of the store at ``address`` that has no
    current one (at most ``limit``), most recently active first, in ``jobs`` processes.
    ``start(n)`` is called with the number of briefs to build, then ``progress(n)`` as each
    ``n`` more are done."""
    from ..api import Newsfold

    started = time.perf_counter()
    with Newsfold(address, settings) as nf:
        stale = nf.store.stale_briefs(nf.brief_recipe)
        report = AheadReport(stories=nf.store.story_count(), stale=len(stale))
    todo = stale[:limit] if limit is not None else stale
    if start:
        start(len(todo))
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    context = _fork_context() if jobs > 1 and len(chunks) > 1 else None
    if context is None:
        with Newsfold(address, settings) as nf:
            for chunk in chunks:
                _count(report, _build(nf, chunk), progress)
    else:
        report.jobs = jobs
        # No connection is open here: each worker opens its own after the fork.
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                 initargs=(address, settings, os.getpid())) as pool:
            for done in _in_order(pool, chunks, 2 * jobs):
                _count(report, done, progress)
    report.seconds = time.perf_counter() - started
    return report


def _count(report: AheadReport, done: tuple[int, int],
           progress: Callable[[int], object] | None) -> None:
    built, failed = done
    report.built += built
    report.failed += failed
    if progress:
        progress(built + failed)


def _in_order(pool: ProcessPoolExecutor, chunks: list[list[str]], ahead: int
              ) -> Iterator[tuple[int, int]]:
    """Each chunk's (built, failed), in order, with ``ahead`` chunks in flight."""
    pending: deque[Future[tuple[int, int]]] = deque()
    rest = iter(chunks)
    for chunk in rest:
        pending.append(pool.submit(_build_in_worker, chunk))
        if len(pending) >= ahead:
            break
    while pending:
        done = pending.popleft().result()
        following = next(rest, None)
        if following is not None:
            pending.append(pool.submit(_build_in_worker, following))
        yield done


def _build(nf: Newsfold, story_ids: list[str]) -> tuple[int, int]:
    """Build and store the briefs of ``story_ids``: (built, failed). A chunk that fails is
    built again one story at a time, so one failing brief leaves only its own story stale; a
    store that cannot be written ends it all."""
    try:
        return len(nf.build_briefs(story_ids, wait=None)), 0
    except StoreError:
        raise
    except Exception:  # noqa: BLE001 - narrowed down below, story by story
        pass
    built = failed = 0
    for story_id in story_ids:
        try:
            built += len(nf.build_briefs([story_id], wait=None))
        except NotFoundError:
            pass  # gone since the list was read
        except StoreError:
            raise
        except Exception:
            log.exception("brief of %s not built", story_id)
            failed += 1
    return built, failed


_WORKER: Newsfold | None = None
"""The worker process's database (set by :func:`_init_worker`, in a worker only)."""


def _init_worker(address: str, settings: Settings, parent: int) -> None:
    from ..api import Newsfold

    global _WORKER
    _die_with(parent)
    _WORKER = Newsfold(address, settings)


def _build_in_worker(story_ids: list[str]) -> tuple[int, int]:
    assert _WORKER is not None
    return _build(_WORKER, story_ids)
