"""Session fixture: the production stack (PostgreSQL, Redis, 2 Rasa processes, nginx) via `python -m bot.prod.stack`.

Skips only when Debian's postgresql, redis-server or nginx are missing; `make test-prod` installs them first
(`make prod-deps`), so CI never skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.prod.stack import free_port, missing_binaries
from bot.serve import newest_model
from tests.stacks import log_tail, stop_with_sigterm

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 600.0  # two Rasa processes with spaCy load slowly side by side on 2 cores
STOP_TIMEOUT = 90.0


@dataclass(frozen=True)
class ProdStack:
    url: str  # nginx
    rasa_urls: list[str]  # each Rasa process directly
    tracker_db_url: str
    pids: dict[str, int]
    pg_port: int
    redis_port: int
    log_path: Path
    process: subprocess.Popen[bytes]
    actions_urls: list[str]  # each action server directly

    @property
    def var_dir(self) -> Path:
        return self.log_path.parent

    def current_pids(self) -> dict[str, int]:
        """The pids now: the stack rewrites stack.json when it starts a process again."""
        return json.loads((self.var_dir / "stack.json").read_text())["pids"]


@pytest.fixture(scope="session")
def prod() -> Iterator[ProdStack]:
    missing = missing_binaries()
    if missing:
        pytest.skip(f"Debian packages not installed: {', '.join(missing)} (run `make prod-deps` as root)")
    model = Path(os.environ["SAMTALE_TEST_MODEL"]) if os.environ.get("SAMTALE_TEST_MODEL") else newest_model()
    if model is None or not model.is_file():
        pytest.skip("no trained model in models/ (run `make train`)")

    # Under the project, not /tmp/pytest-of-root (mode 700): the postgres user must reach its data folder.
    var_dir = PROJECT_ROOT / "var" / f"prod-test-{os.getpid()}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    os.chmod(var_dir, 0o755)
    log_path = var_dir / "stack.log"
    env = {**os.environ, "PROD_PORT": str(free_port()), "PROD_HOST": "127.0.0.1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.prod.stack", "--model", str(model), "--var-dir", str(var_dir)],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    state_file = var_dir / "stack.json"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not state_file.is_file():
            if process.poll() is not None:
                pytest.fail(f"bot.prod.stack exited with {process.returncode}:\n{log_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(f"stack not ready after {STARTUP_TIMEOUT:.0f} s:\n{log_tail(log_path)}")
            time.sleep(1)
        state: dict[str, Any] = json.loads(state_file.read_text())
        yield ProdStack(
            url=state["url"],
            rasa_urls=state["rasa_urls"],
            tracker_db_url=state["tracker_db_url"],
            pids=state["pids"],
            pg_port=int(state["tracker_db_url"].rsplit(":", 1)[1].split("/")[0]),
            redis_port=int(state["redis_port"]),
            log_path=log_path,
            process=process,
            actions_urls=state["actions_urls"],
        )
    finally:
        stop_with_sigterm(process, "bot.prod.stack", log_path, STOP_TIMEOUT)
    # Keep the logs for CI (results/ is the project's output folder); the data goes.
    results = PROJECT_ROOT / "results" / "prod"
    results.mkdir(parents=True, exist_ok=True)
    for path in (log_path, var_dir / "run" / "error.log"):
        if path.is_file():
            shutil.copy(path, results / path.name)
    assert process.returncode == 0, f"bot.prod.stack exited with {process.returncode}:\n{log_tail(log_path)}"
    # A clean stop leaves no server of ours behind (PostgreSQL, Redis, nginx, Rasa).
    for name, pid in state["pids"].items():
        assert not _alive(pid), f"{name} (pid {pid}) still runs after the stack stopped"
    shutil.rmtree(var_dir, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes; its parent (the stack) has exited.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"
