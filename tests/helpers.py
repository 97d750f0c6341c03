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
