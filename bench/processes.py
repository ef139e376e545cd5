"""Start children in their own process group with output to a log file, and stop them by group.

bot.serve already knows how to stop a group (SIGTERM, wait, SIGKILL) and how to make a child die with its
parent; the benchmark uses the same code so it leaves nothing behind, also when it is killed itself.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.serve import _in_child_before_exec, stop_processes

STOP_TIMEOUT = 60.0  # bot.serve itself gives its children 15 s before SIGKILL


class ChildFailed(RuntimeError):
    """A child exited with an error; the message ends with the tail of its log."""


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def spawn(command: Sequence[str], cwd: Path, env: Mapping[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """Start ``command`` as the leader of a new process group, stdout and stderr to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:  # a file, not a pipe: Rasa logs a lot and nobody reads a pipe
        return subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_in_child_before_exec,
        )


def stop(processes: Sequence[subprocess.Popen[bytes]], timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM each process group, wait, SIGKILL what is left; a second Ctrl+C cannot cut the clean-up short."""
    running = [p for p in processes if p.poll() is None]
    if not running:
        return
    in_main = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)} if in_main else {}
    try:
        stop_processes(running, timeout)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_timed(command: Sequence[str], cwd: Path, env: Mapping[str, str], log_path: Path) -> float:
    """Run ``command`` to the end and return its wall-clock seconds; raise ChildFailed if it fails."""
    started = time.monotonic()
    process = spawn(command, cwd, env, log_path)
    try:
        code = process.wait()
    finally:
        stop([process])  # Ctrl+C while waiting: the whole group goes
    if code != 0:
        raise ChildFailed(f"{' '.join(command)} exited with {code} (log {log_path}):\n{log_tail(log_path)}")
    return time.monotonic() - started
