"""What the fixtures that start a real stack share: reading the end of its log, and stopping it with SIGTERM."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest


def log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def stop_with_sigterm(process: subprocess.Popen[bytes], name: str, log_path: Path, timeout: float) -> None:
    """SIGTERM, then wait; a stack that needs SIGKILL fails the test run (a clean stop is part of the promise)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"{name} did not stop on SIGTERM:\n{log_tail(log_path)}")
