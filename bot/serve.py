"""Run the assistant: the action server, Rasa and (if built) the widget demo page, in the foreground.

Usage: ``python -m bot.serve [--model models/x.tar.gz] [--no-web]``.
Ports come from RASA_PORT (5005), ACTIONS_PORT (5055) and WEB_PORT (8080).

The supervisor starts each service as a child in its own process group, waits until every health URL
answers, prints where to talk to the assistant, and then only watches. It never reads stdin, so it also
runs without a terminal. SIGINT/SIGTERM stop all children (SIGTERM to each group, SIGKILL after a
timeout) and give exit code 0. The action server and Rasa are started again when they die (meanwhile Rasa
answers «prøv igjen» with the helplines); any other child that dies, or a failed start, gives exit code 1.
Nothing here sees or logs what users write.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"
ENDPOINTS_FILE = PROJECT_ROOT / "bot" / "endpoints.yml"
CREDENTIALS_FILE = PROJECT_ROOT / "bot" / "credentials.yml"
# The demo page (web/demo) needs the built widget (web/dist); web/scripts/serve.mjs serves both.
WEB_ROOT = PROJECT_ROOT / "web"
WIDGET_FILE = WEB_ROOT / "dist" / "samtale-chat.js"

DEFAULT_PORTS = {"RASA_PORT": 5005, "ACTIONS_PORT": 5055, "WEB_PORT": 8080}
# Same embedded defaults as the Makefile, so `python -m bot.serve` also works on its own.
ENV_DEFAULTS = {
    "TRACKER_DB_DIALECT": "sqlite",
    "TRACKER_DB_HOST": "",
    "TRACKER_DB": "var/tracker.db",  # relative to the project root, where the children run
    "TRACKER_DB_USER": "",
    "TRACKER_DB_PASSWORD": "",
    # One Rasa process needs no shared lock store; production uses Redis (see bot/endpoints.yml).
    "LOCK_STORE_TYPE": "in_memory",
    "LOCK_STORE_HOST": "",
    "LOCK_STORE_PORT": "6379",
    "LOCK_STORE_DB": "1",
    "LOCK_STORE_PASSWORD": "",
    # Embedded on any kommune's page; production lists the kommuner's origins, separated by spaces or commas.
    "SAMTALE_CORS_ORIGINS": "*",
    "RASA_TELEMETRY_ENABLED": "false",  # conversations about death stay on this machine
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    # Unaccepted connections the Rasa and action servers queue (Sanic's default is 100). Rasa opens a connection
    # per action call, so under load a busy server had the kernel drop connections (bot/action_server.py).
    "SANIC_BACKLOG": "1024",
}

log = logging.getLogger("bot.serve")

DEBUG_LOGS_TEXT = (
    "LOG_LEVEL=DEBUG: Rasa skriver da meldingsteksten til loggen. Bare for utvikling, aldri i drift. / "
    "Rasa then logs message text: for development only, never in production."
)


def debug_logging_warning(env: Mapping[str, str] = os.environ) -> str | None:
    """The warning to give when Rasa would log at DEBUG (LOG_LEVEL), where it writes user messages."""
    return DEBUG_LOGS_TEXT if env.get("LOG_LEVEL", "").strip().upper() == "DEBUG" else None


@dataclass(frozen=True)
class Service:
    """One child process and the URLs that must answer 2xx before it counts as ready."""

    name: str
    command: Sequence[str]
    health_urls: Sequence[str] = ()
    env: Mapping[str, str] | None = None  # None: inherit our environment
    # Started again when it dies on its own (after RESTART_DELAY); the others keep serving meanwhile.
    restart: bool = False


# Long enough that a child failing at start does not spin; short enough that users barely notice.
RESTART_DELAY = 2.0


# --- health checks --------------------------------------------------------------------------------

# No proxies: the services are local, and an HTTP(S)_PROXY in the environment must not intercept checks.
_local_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """True if a GET on ``url`` answers with a 2xx status."""
    try:
        with _local_opener.open(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


# --- child processes ------------------------------------------------------------------------------


def _load_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PR_SET_PDEATHSIG = 1
_prctl = _load_prctl() if sys.platform.startswith("linux") else None


def _in_child_before_exec() -> None:
    # If the supervisor is killed hard (SIGKILL, OOM), Linux sends the child SIGTERM instead of
    # leaving Rasa running as an orphan that holds the port.
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(service: Service, cwd: Path | None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(service.command),
        cwd=cwd,
        env=dict(service.env) if service.env is not None else None,
        stdin=subprocess.DEVNULL,  # children must not wait for a terminal either
        start_new_session=True,  # own process group: we decide when and how it stops
        preexec_fn=_in_child_before_exec,
    )


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone


def stop_processes(processes: Sequence[subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM every process group, wait up to ``timeout`` seconds in total, then SIGKILL the rest."""
    for proc in processes:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in processes:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for proc in processes:
        if proc.poll() is None:
            log.warning("pid %s svarte ikke på SIGTERM; sender SIGKILL / did not stop, killing", proc.pid)
            _signal_group(proc, signal.SIGKILL)
            proc.wait()


# --- supervisor -----------------------------------------------------------------------------------


def _first_exited(
    services: Sequence[Service], processes: Mapping[str, subprocess.Popen[bytes]]
) -> tuple[str, int] | None:
    for service in services:
        code = processes[service.name].poll()
        if code is not None:
            return service.name, code
    return None


class Restarts:
    """Children that died and are due to start again, each RESTART_DELAY after it was seen dead."""

    def __init__(self, delay: float = RESTART_DELAY) -> None:
        self.delay = delay
        self._due: dict[str, float] = {}

    def note_exit(self, name: str, code: int | None) -> None:
        if name not in self._due:
            log.warning("%s stoppet (%s); starter igjen / exited, restarting", name, code)
            self._due[name] = time.monotonic() + self.delay

    def due(self) -> list[str]:
        now = time.monotonic()
        ready = [name for name, at in self._due.items() if at <= now]
        for name in ready:
            del self._due[name]
        return ready


def supervise(
    services: Sequence[Service],
    *,
    stop: threading.Event,
    on_ready: Callable[[Mapping[str, subprocess.Popen[bytes]]], None] | None = None,
    startup_timeout: float = 300.0,
    stop_timeout: float = 15.0,
    poll_interval: float = 0.2,
    cwd: Path | None = None,
) -> int:
    """Start ``services``, wait for health, call ``on_ready``, and run until ``stop`` is set.

    Returns 0 when stopped on request, 1 when a child exits on its own or health is not reached
    within ``startup_timeout`` seconds. All children are stopped before this returns.
    """
    processes: dict[str, subprocess.Popen[bytes]] = {}
    # Only stop.is_set() and time.sleep() are used here, never stop.wait(): a signal handler that calls
    # stop.set() could otherwise deadlock on the Event's internal lock held by this same thread.
    try:
        for service in services:
            processes[service.name] = _spawn(service, cwd)
            log.info("startet / started %s (pid %s)", service.name, processes[service.name].pid)

        pending = [url for service in services for url in service.health_urls]
        deadline = time.monotonic() + startup_timeout
        while pending:
            if stop.is_set():
                return 0
            exited = _first_exited(services, processes)
            if exited:
                log.error("%s stoppet under oppstart / exited during startup (code %s)", *exited)
                return 1
            if time.monotonic() > deadline:
                log.error("ikke klar etter / not healthy after %.0f s: %s", startup_timeout, ", ".join(pending))
                return 1
            pending = [url for url in pending if not is_healthy(url)]
            if pending:
                time.sleep(poll_interval)

        if on_ready is not None:
            on_ready(processes)
        by_name = {service.name: service for service in services}
        restarts = Restarts()
        while not stop.is_set():
            for name in restarts.due():
                processes[name] = _spawn(by_name[name], cwd)
                log.info("startet / started %s (pid %s)", name, processes[name].pid)
            for service in services:
                code = processes[service.name].poll()
                if code is None:
                    continue
                if not service.restart:
                    log.error("%s stoppet uventet / exited unexpectedly (code %s)", service.name, code)
                    return 1
                restarts.note_exit(service.name, code)
            time.sleep(poll_interval)
        return 0
    finally:
        stop_processes(list(processes.values()), stop_timeout)


def run_until_signalled(
    services: Sequence[Service],
    on_ready: Callable[[Mapping[str, subprocess.Popen[bytes]]], None] | None = None,
    **options: float,
) -> int:
    """Like :func:`supervise`, with SIGINT and SIGTERM as the stop request. Call from the main thread."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        if not stop.is_set():
            log.info("stopper (%s) / stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return supervise(services, stop=stop, on_ready=on_ready, cwd=PROJECT_ROOT, **options)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --- the assistant's services ---------------------------------------------------------------------


def newest_model(models_dir: Path = MODELS_DIR) -> Path | None:
    """The most recently written ``*.tar.gz`` in ``models_dir``, or None."""
    models = [path for path in models_dir.glob("*.tar.gz") if path.is_file()]
    return max(models, key=lambda path: path.stat().st_mtime) if models else None


def port_from_env(name: str, environ: Mapping[str, str] = os.environ) -> int:
    """Port from environment variable ``name`` (e.g. RASA_PORT), or its default."""
    raw = environ.get(name, "").strip()
    if not raw:
        return DEFAULT_PORTS[name]
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ValueError(f"{name}={raw!r} er ikke et gyldig portnummer / is not a valid port")
    return int(raw)


def child_environment(actions_port: int, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Our environment plus the embedded defaults for the ${VARS} in bot/endpoints.yml.

    The environment wins, except ACTION_ENDPOINT_URL: we start the action server ourselves, so Rasa
    must call the one on ACTIONS_PORT (also when a Makefile exported the default port).
    """
    env = {**ENV_DEFAULTS, **environ}
    env["ACTION_ENDPOINT_URL"] = f"http://localhost:{actions_port}/webhook"
    return env


def cors_origins(env: Mapping[str, str]) -> list[str]:
    """The origins Rasa accepts (--cors), from SAMTALE_CORS_ORIGINS; "*" when unset or empty."""
    origins = env.get("SAMTALE_CORS_ORIGINS", "").replace(",", " ").split()
    return origins or ["*"]


def rasa_service(
    name: str, model: Path, port: int, env: Mapping[str, str], interface: str | None = None
) -> Service:
    """One `rasa run` process with REST and socket.io; the HTTP API stays off (no --enable-api).

    Started through bot.rasa_cli, so our fixes for Rasa (bot/rasa_fixes.py) apply."""
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,  # the venv running us, so the children use the same packages
        "-m",
        "bot.rasa_cli",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(ENDPOINTS_FILE),
        "--credentials",
        str(CREDENTIALS_FILE),
        "--port",
        str(port),
        "--cors",
        *cors_origins(env),
    ]
    if interface:
        command += ["--interface", interface]
    # Rasa loads the model before it starts listening, so answers here mean the model is in.
    # /status would need --enable-api, which we keep off; the channel webhooks prove both channels.
    health_urls = [f"{url}/", f"{url}/webhooks/rest/", f"{url}/webhooks/socketio/"]
    return Service(name, command, health_urls=health_urls, env=env, restart=True)


def action_service(name: str, port: int, env: Mapping[str, str], package: str = "actions") -> Service:
    """One action server: rasa_sdk's, started through bot.action_server, serving the actions in `package`."""
    command = [sys.executable, "-m", "bot.action_server", "--actions", package, "--port", str(port)]
    # Restarted when it dies; Rasa answers «prøv igjen» meanwhile (bot/channels/always_answer.py).
    return Service(name, command, health_urls=[f"http://127.0.0.1:{port}/health"], env=env, restart=True)


def ensure_sqlite_folder(env: Mapping[str, str], root: Path = PROJECT_ROOT) -> None:
    """Create the folder of a SQLite tracker database; SQLite creates the file but not its folder."""
    if env.get("TRACKER_DB_DIALECT") == "sqlite" and env.get("TRACKER_DB"):
        (root / env["TRACKER_DB"]).parent.mkdir(parents=True, exist_ok=True)


def web_dir() -> Path | None:
    """The web folder to serve the demo page from, once the widget has been built (`make widget`)."""
    return WEB_ROOT if WIDGET_FILE.is_file() else None


def assistant_services(
    model: Path,
    ports: Mapping[str, int],
    web_root: Path | None,
    environ: Mapping[str, str] = os.environ,
) -> list[Service]:
    """The action server, Rasa and optionally the static demo page server, with health URLs."""
    env = child_environment(ports["ACTIONS_PORT"], environ)
    python = sys.executable  # the venv running us, so the children use the same packages
    services = [
        action_service("actions", ports["ACTIONS_PORT"], env),
        rasa_service("rasa", model, ports["RASA_PORT"], env),
        # Deletes conversations older than RETENTION_DAYS (default 21), at start and then every hour.
        Service("retention", [python, "-m", "bot.privacy.retention", "--every", "3600"], env=env),
    ]
    if web_root is not None:
        services.append(
            Service(
                "web",
                ["node", str(web_root / "scripts" / "serve.mjs")],
                health_urls=[f"http://127.0.0.1:{ports['WEB_PORT']}/demo/"],
                env={**env, "PORT": str(ports["WEB_PORT"])},
            )
        )
    return services


def ready_text(ports: Mapping[str, int], with_web: bool) -> str:
    """Where to talk to the assistant, in Norwegian and English."""
    rasa = f"http://localhost:{ports['RASA_PORT']}"
    lines = [
        "",
        "Samtalestøtte er klar. / Samtalestøtte is ready.",
        f"  REST:       {rasa}/webhooks/rest/webhook",
        f"  Socket.IO:  {rasa}  (sti / path: /socket.io)",
    ]
    if with_web:
        lines.append(f"  Demoside / demo page:  http://localhost:{ports['WEB_PORT']}/demo/")
    lines += [
        "  Chat i terminalen / chat in the terminal:  make chat",
        "Stopp med Ctrl+C. / Stop with Ctrl+C.",
        "",
    ]
    return "\n".join(lines)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="modellfil / model file (default: newest in models/)")
    parser.add_argument("--no-web", action="store_true", help="ikke server demosiden / don't serve the demo page")
    parser.add_argument(
        "--startup-timeout", type=float, default=300.0, help="sekunder å vente på oppstart / seconds to wait"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="[serve] %(message)s")
    args = _parse_args(argv)

    model = args.model or newest_model()
    if model is None or not model.is_file():
        log.error(
            "Fant ingen modell (%s). Tren en først med `make train`. / No model found; train one first.",
            model or MODELS_DIR,
        )
        return 2
    try:
        ports = {name: port_from_env(name) for name in DEFAULT_PORTS}
    except ValueError as error:
        log.error("%s", error)
        return 2
    web_root = None if args.no_web else web_dir()
    if warning := debug_logging_warning():
        log.warning("%s", warning)

    services = assistant_services(model.resolve(), ports, web_root)
    ensure_sqlite_folder(services[0].env or {})
    log.info("modell / model: %s", model)

    def announce(_processes: Mapping[str, subprocess.Popen[bytes]]) -> None:
        print(ready_text(ports, with_web=web_root is not None), flush=True)

    return run_until_signalled(services, on_ready=announce, startup_timeout=args.startup_timeout)


if __name__ == "__main__":
    sys.exit(main())
