"""Session fixture: the real assistant stack, started with `python -m bot.serve` on free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.serve import is_healthy, newest_model
from tests.stacks import log_tail, stop_with_sigterm

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 300.0  # Rasa with spaCy loads slowly on a 2-core machine
STOP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Stack:
    rasa_url: str  # base URL for REST and socket.io, e.g. http://127.0.0.1:40123
    actions_url: str
    log_path: Path
    tracker_db: Path  # the throwaway SQLite tracker store this stack writes to


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _model() -> Path:
    """SAMTALE_TEST_MODEL if set (for development), else the newest model in models/."""
    override = os.environ.get("SAMTALE_TEST_MODEL")
    if override:
        model = Path(override)
        if not model.is_file():
            pytest.fail(f"SAMTALE_TEST_MODEL={override} is not a file")
        return model
    model = newest_model(PROJECT_ROOT / "models")
    if model is None:
        pytest.skip("no trained model in models/ (run `make train`; `make test` trains first)")
    return model


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    model = _model()
    rasa_port, actions_port = _free_port(), _free_port()
    workdir = tmp_path_factory.mktemp("serve")
    log_path = workdir / "serve.log"
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        # Test conversations go to a throwaway SQLite file, not the project's var/tracker.db.
        "TRACKER_DB_DIALECT": "sqlite",
        "TRACKER_DB_HOST": "",
        "TRACKER_DB": str(workdir / "tracker.db"),
    }
    stack = Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", log_path, workdir / "tracker.db")

    with log_path.open("wb") as log:  # a file, not a pipe: Rasa logs a lot and nobody reads a pipe here
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.serve", "--model", str(model), "--no-web"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not (is_healthy(f"{stack.rasa_url}/webhooks/rest/") and is_healthy(f"{stack.actions_url}/health")):
            if process.poll() is not None:
                pytest.fail(f"bot.serve exited with {process.returncode}:\n{log_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(f"stack not healthy after {STARTUP_TIMEOUT:.0f} s:\n{log_tail(log_path)}")
            time.sleep(0.5)
        yield stack
    finally:
        stop_with_sigterm(process, "bot.serve", log_path, STOP_TIMEOUT)
    # A clean stop of the real stack is part of what bot.serve promises.
    assert process.returncode == 0, f"bot.serve exited with {process.returncode}:\n{log_tail(log_path)}"
