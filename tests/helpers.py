"""Helpers shared by tests in several folders: code run in a fresh interpreter, and the
``newsfold`` command run as a program."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NEWSFOLD = [sys.executable, "-m", "newsfold"]
"""The command line of ``newsfold`` run as a program by this interpreter."""


KILLER = """
import importlib, os, signal, sys
from newsfold import pipeline
point, at, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
module, name = where.split(":")
store_class = getattr(importlib.import_module(module), name)
seen = {"batches": 0}
def die():
    os.kill(os.getpid(), signal.SIGKILL)
if point == "after-commit":
    original = pipeline.Pipeline._process
    def process(self, batch, report):
        original(self, batch, report)
        seen["batches"] += 1
        if seen["batches"] == at:
            die()
    pipeline.Pipeline._process = process
elif point == "before-commit":  # the batch written, its transaction (and the lock) open
    original = store_class.write_batch
    def write_batch(self, rows, touched):
        original(self, rows, touched)
        seen["batches"] += 1
        if seen["batches"] == at:
            die()
    store_class.write_batch = write_batch
elif point == "in-catch-up":
    original = pipeline.Pipeline.catch_up
    def catch_up(self):
        n = original(self)
        seen["batches"] += 1
        if seen["batches"] == at:
            die()
        return n
    pipeline.Pipeline.catch_up = catch_up
from newsfold.cli import main
sys.argv = ["newsfold", "-q", *sys.argv[4:]]
main()
"""
"""Run as ``python -c KILLER POINT AT MODULE:STORECLASS ARGS...``: ``newsfold ARGS`` that kills
itself with SIGKILL at the AT-th batch after a commit (``after-commit``), with the batch written
and its transaction open (``before-commit``), or after catching up (``in-catch-up``)."""


def python_output(code: str) -> str:
    """What ``code`` prints, run by this interpreter in a new process, so its imports start
    from nothing; a failing run raises ``CalledProcessError``."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout


def run_alone(module: str, functions: list[str], tmp: Path) -> None:
    """Call each of ``module``'s ``functions`` with ``tmp`` in a fresh interpreter whose only
    thread is the main one (the ingest worker is forked only then), and fail with its stderr
    if any of them fails."""
    code = (
        "import importlib, pathlib, sys, threading\n"
        f"module = importlib.import_module({module!r})\n"
        "for name in sys.argv[2:]:\n"
        "    assert threading.active_count() == 1, name\n"
        "    getattr(module, name)(pathlib.Path(sys.argv[1]))\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp), *functions], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")


def wait_until(reached: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Polls ``reached`` until it holds or ``timeout`` seconds have passed; its last answer."""
    deadline = time.monotonic() + timeout
    while not reached() and time.monotonic() < deadline:
        time.sleep(0.05)
    return reached()


@contextmanager
def watch_process(db: str, env: dict[str, str], duration: int) -> Iterator[subprocess.Popen[str]]:
    """``newsfold watch --db db --duration duration`` running in its own process (stderr piped),
    killed at the end of the block if it is still running."""
    proc = subprocess.Popen([*NEWSFOLD, "watch", "--db", db, "--duration", str(duration)],
                            env=env, stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def stop(proc: subprocess.Popen[str], sig: signal.Signals) -> tuple[str, float]:
    """Sends ``sig`` to ``proc`` and waits (at most 30 s) for it to end: its stderr and the
    seconds it took to stop."""
    signalled = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    return err, time.monotonic() - signalled
