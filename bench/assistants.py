"""The two assistants under test: how each is prepared, trained, started, and what a conversation with it says.

Ours is served the production-like single-process way (`python -m bot.serve --no-web`: action server, one Rasa
process, retention job). The stock assistant is Rasa's own starter project, exactly what `rasa init` writes,
served with `rasa run` from its folder (REST channel, in-memory tracker store, no action server).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.processes import run_timed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_ROOT / "var" / "bench"
STOCK_DIR = BENCH_DIR / "stock"
OURS_MODEL_DIR = BENCH_DIR / "ours-model"
TRACKER_DB = "var/bench/tracker.db"  # relative to the project root, where bot.serve runs its children

# Ports other services and engineers use on this machine; the OS picks a free one that is none of these.
RESERVED_PORTS = frozenset({5005, 5055, 8080, 5105, 5155, 5305, 5355})

# A citizen's conversation: greeting, two FAQ answers from the content database (action_answer_faq), a
# forhåndssamtale question, a local-services question and the kommune (action_local_services), thanks, goodbye.
OURS_SCRIPT = (
    "hei",
    "hva er et livstestament?",
    "er livstestamentet bindende for legene?",
    "hvordan får jeg en forhåndssamtale?",
    "hvem kan hjelpe oss her i kommunen",
    "jeg bor i Eksempelvik",
    "takk for hjelpen",
    "ha det",
)
# The starter project's sad path, happy path, bot challenge and goodbye, from its data/nlu.yml.
STOCK_SCRIPT = ("hello", "I am sad", "yes", "hi", "great", "are you a bot?", "bye")

# Rasa and TensorFlow are chatty and phone home by default; the same settings as the Makefile.
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


@dataclass(frozen=True)
class Prepared:
    """A model ready to serve and how long training it took (None when it was not trained in this run)."""

    model: Path
    training_s: float | None
    training_note: str


@dataclass(frozen=True)
class Launch:
    """How to start an assistant, and where its Rasa server will answer."""

    command: list[str]
    cwd: Path
    env: dict[str, str]
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def stock_template() -> Path:
    """Rasa's starter project inside the installed package (found without importing Rasa, which is slow)."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("rasa is not installed in this Python")
    return Path(next(iter(spec.submodule_search_locations))) / "cli" / "initial_project"


def copy_stock_project(dest: Path, template: Path | None = None) -> None:
    """A fresh copy of the starter project, as `rasa init` writes it (minus bytecode caches)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(template or stock_template(), dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def find_model(models_dir: Path) -> Path | None:
    """The newest ``*.tar.gz`` in ``models_dir``, or None."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime) if models_dir.is_dir() else []
    return models[-1] if models else None


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, **QUIET_ENV, **(extra or {})}


def _train(command: list[str], cwd: Path, name: str) -> float:
    """Time `rasa train` with an empty graph cache: a warm cache (.rasa/cache) would skip most of the training."""
    cache = BENCH_DIR / f"train-cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    try:
        env = child_env({"RASA_CACHE_DIRECTORY": str(cache)})
        return run_timed(command, cwd, env, BENCH_DIR / f"{name}-train.log")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def train_command(config: str, domain: str, out: str, name: str) -> list[str]:
    """`rasa train` as both assistants are trained: the same command, only their own files (data is `data`)."""
    return [sys.executable, "-m", "rasa", "train", "--config", config, "--domain", domain, "--data", "data",
            "--out", out, "--fixed-model-name", name, "--quiet"]  # fmt: skip


def prepare_ours(reuse_model: Path | None) -> Prepared:
    """Our model: trained like the Makefile's `train` target, into var/bench/ours-model, unless reused."""
    if reuse_model is not None:
        if not reuse_model.is_file():
            raise FileNotFoundError(f"--reuse-model {reuse_model} is not a file")
        return Prepared(reuse_model.resolve(), None, f"not measured (reused {reuse_model})")
    shutil.rmtree(OURS_MODEL_DIR, ignore_errors=True)
    command = train_command("bot/config.yml", "bot/domain", str(OURS_MODEL_DIR), "bench")
    seconds = _train(command, PROJECT_ROOT, "ours")
    return Prepared(OURS_MODEL_DIR / "bench.tar.gz", seconds, "measured (cold cache)")


def prepare_stock(reuse_trained: bool) -> Prepared:
    """The starter project copied to var/bench/stock and trained there; ``reuse_trained`` keeps an earlier model."""
    existing = find_model(STOCK_DIR / "models")
    if reuse_trained and existing is not None:
        return Prepared(existing, None, f"not measured (reused {existing.relative_to(PROJECT_ROOT)})")
    copy_stock_project(STOCK_DIR)
    seconds = _train(train_command("config.yml", "domain.yml", "models", "stock"), STOCK_DIR, "stock")
    return Prepared(STOCK_DIR / "models" / "stock.tar.gz", seconds, "measured (cold cache)")


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def launch_ours(model: Path) -> Launch:
    """bot.serve on free ports with a fresh SQLite tracker store, one in-memory lock store, no demo page."""
    tracker = PROJECT_ROOT / TRACKER_DB
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.unlink(missing_ok=True)
    port = free_port()
    env = child_env(
        {
            "RASA_PORT": str(port),
            "ACTIONS_PORT": str(free_port()),
            "TRACKER_DB_DIALECT": "sqlite",
            "TRACKER_DB_HOST": "",
            "TRACKER_DB": TRACKER_DB,
            "LOCK_STORE_TYPE": "in_memory",
        }
    )
    command = [sys.executable, "-m", "bot.serve", "--no-web", "--model", str(model)]
    return Launch(command, PROJECT_ROOT, env, port)


def launch_stock(model: Path) -> Launch:
    """`rasa run` in the starter project's folder; its credentials.yml enables the REST channel."""
    port = free_port()
    command = [sys.executable, "-m", "rasa", "run", "--model", str(model), "--port", str(port)]
    return Launch(command, STOCK_DIR, child_env(), port)
