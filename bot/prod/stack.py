"""The production profile on one machine, from Debian's packages: `python -m bot.prod.stack`.

Starts, in this order: a private PostgreSQL cluster (tracker store and content database), redis-server (Rasa's
lock store, nothing persisted), the content load into PostgreSQL, PROD_ACTION_PROCESSES (2) action servers,
PROD_RASA_PROCESSES (2) Rasa processes on loopback, and nginx: in front of Rasa on PROD_PORT (8088), and in front
of the action servers on a loopback port (Rasa's action endpoint). Everything lives under --var-dir (var/prod/).
The Rasa processes differ from `make run` by environment only (bot/endpoints.yml).

A Rasa process or action server that dies is started again; meanwhile nginx sends its work to the others, and
with every action server down Rasa answers «prøv igjen» with the helplines (bot/channels/always_answer.py).
PostgreSQL and Redis are started again too, as systemd would; the tracker store waits for PostgreSQL.
SIGINT/SIGTERM stop everything (exit 0); nginx or the retention job dying stops the stack (exit 1).
When ready, the addresses are written to <var-dir>/stack.json (tests read it).
"""

from __future__ import annotations

import argparse
import grp
import json
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from bot import serve
from bot.serve import (
    PROJECT_ROOT,
    Restarts,
    Service,
    action_service,
    child_environment,
    is_healthy,
    rasa_service,
    stop_processes,
)

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULT_VAR_DIR = PROJECT_ROOT / "var" / "prod"
PG_USER = "samtale"  # the database role; trust auth on loopback only
TRACKER_DATABASE = "samtale_tracker"
CONTENT_DATABASE = "samtale_content"
NGINX_WORKER_USER = "nobody"

log = logging.getLogger("bot.prod.stack")


# --- Debian's binaries ----------------------------------------------------------------------------


def postgres_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb (PG_BIN overrides)."""
    override = os.environ.get("PG_BIN")
    if override:
        return Path(override)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _which(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")


def missing_binaries() -> list[str]:
    """Debian packages whose programs are not installed (empty when the stack can start)."""
    missing = []
    if postgres_bin_dir() is None:
        missing.append("postgresql")
    if _which("redis-server") is None:
        missing.append("redis-server")
    if _which("nginx") is None:
        missing.append("nginx")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL -----------------------------------------------------------------------------------


def _as_postgres_user(command: Sequence[str]) -> list[str]:
    # PostgreSQL refuses to run as root; as root we run it as Debian's `postgres` user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def _own_for_postgres(*paths: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        for path in paths:
            os.chown(path, entry.pw_uid, entry.pw_gid)


def init_postgres(bin_dir: Path, data_dir: Path, socket_dir: Path) -> None:
    """Create the cluster once (trust auth; it only listens on 127.0.0.1 and a private socket folder)."""
    socket_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(socket_dir, 0o700)
    if (data_dir / "PG_VERSION").is_file():
        _own_for_postgres(socket_dir)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    _own_for_postgres(data_dir, socket_dir)
    subprocess.run(
        _as_postgres_user(
            [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", PG_USER, "-A", "trust", "-E", "UTF8",
             "--locale", "C.UTF-8"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def postgres_service(bin_dir: Path, data_dir: Path, socket_dir: Path, port: int) -> Service:
    command = [
        str(bin_dir / "postgres"), "-D", str(data_dir), "-p", str(port),
        "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={socket_dir}",
    ]  # fmt: skip
    # Restarted when it stops, as systemd would; the tracker store waits for it (bot/tracker_store.py).
    return Service("postgres", _as_postgres_user(command), restart=True)


def wait_for_postgres(port: int, timeout: float, alive: subprocess.Popen[bytes]) -> None:
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg2.connect(host="127.0.0.1", port=port, user=PG_USER, dbname="postgres").close()
            return
        except psycopg2.OperationalError:
            if alive.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL startet ikke / did not start") from None
            time.sleep(0.3)


def create_databases(port: int, names: Sequence[str]) -> None:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=port, user=PG_USER, dbname="postgres")
    connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


# --- Redis ----------------------------------------------------------------------------------------


def redis_service(port: int, run_dir: Path) -> Service:
    # Locks live for one message; nothing needs to survive a restart, so no RDB or AOF files.
    command = [
        _which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(run_dir),
    ]  # fmt: skip
    return Service("redis", command, restart=True)


def wait_for_redis(port: int, timeout: float, alive: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        if alive.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("redis-server startet ikke / did not start")
        time.sleep(0.2)


# --- nginx ----------------------------------------------------------------------------------------


def _worker_group() -> str:
    # nginx looks up a group named like the user unless told; Debian's nobody is in nogroup.
    return grp.getgrgid(pwd.getpwnam(NGINX_WORKER_USER).pw_gid).gr_name


def _upstream_servers(ports: Sequence[int], options: str) -> str:
    return "\n".join(f"        server 127.0.0.1:{port} {options};" for port in ports)


def nginx_config(layout: Layout, listen: str, as_root: bool) -> str:
    """The nginx configuration from bot/prod/nginx.conf.template."""
    run_dir = layout.run_dir
    values = {
        # As root, nginx's workers drop to an unprivileged user; otherwise they run as we do.
        "USER_LINE": f"user {NGINX_WORKER_USER} {_worker_group()};" if as_root else "",
        "RUN_DIR": str(run_dir),
        # A Rasa process takes a while to start again: skip it for 10 s after a failure.
        "RASA_SERVERS": _upstream_servers(layout.rasa_ports, "max_fails=1 fail_timeout=10s"),
        # An action server is back within seconds, and a refused connection costs nothing: never skip one, so
        # the first request after a restart reaches it (max_fails=1 left "no live upstreams" for 10 s).
        "ACTION_SERVERS": _upstream_servers(layout.actions_ports, "max_fails=0"),
        "LISTEN": listen,
        "ACTIONS_LISTEN": f"127.0.0.1:{layout.actions_lb_port}",
        "WEB_ROOT": str(PROJECT_ROOT / "web"),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def nginx_service(layout: Layout, listen: str, health_urls: Sequence[str]) -> Service:
    as_root = os.geteuid() == 0
    run_dir = layout.run_dir
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        path = run_dir / "tmp" / sub
        path.mkdir(parents=True, exist_ok=True)
        if as_root:
            entry = pwd.getpwnam(NGINX_WORKER_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx_config(layout, listen, as_root), encoding="utf-8")
    nginx = _which("nginx") or "nginx"
    command = [nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(conf), "-g", "daemon off;"]
    return Service("nginx", command, health_urls=list(health_urls))


# --- the stack ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Ports and folders of one stack."""

    var_dir: Path
    listen_host: str
    prod_port: int
    pg_port: int
    redis_port: int
    actions_lb_port: int  # nginx, in front of the action servers
    actions_ports: tuple[int, ...]
    rasa_ports: tuple[int, ...]

    @property
    def run_dir(self) -> Path:
        return self.var_dir / "run"

    @property
    def tracker_db_url(self) -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.pg_port}/{TRACKER_DATABASE}"

    @property
    def content_db_url(self) -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.pg_port}/{CONTENT_DATABASE}"


def production_environment(layout: Layout, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The configuration that turns the embedded assistant into the production one (no code differs)."""
    env = child_environment(layout.actions_lb_port, environ)
    # Rasa calls the action servers through nginx, which skips one that is down.
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{layout.actions_lb_port}/webhook"
    proxy = f"http://localhost:{layout.prod_port} http://127.0.0.1:{layout.prod_port}"
    env.update(
        {
            "TRACKER_DB_DIALECT": "postgresql",
            "TRACKER_DB_HOST": f"127.0.0.1:{layout.pg_port}",
            "TRACKER_DB_PORT": str(layout.pg_port),
            "TRACKER_DB_USER": PG_USER,
            "TRACKER_DB_PASSWORD": "",
            "TRACKER_DB": TRACKER_DATABASE,
            "DATABASE_URL": layout.content_db_url,
            # Rasa's RedisLockStore, serialised across processes (see bot/lock_store.py).
            "LOCK_STORE_TYPE": "bot.lock_store.SerialRedisLockStore",
            "LOCK_STORE_HOST": "127.0.0.1",
            "LOCK_STORE_PORT": str(layout.redis_port),
            "LOCK_STORE_DB": "1",
            "LOCK_STORE_PASSWORD": "",
            # The kommuner's origins, e.g. "https://www.bergen.kommune.no https://www.oslo.kommune.no". Unset:
            # only pages served through our own nginx, never "*".
            "SAMTALE_CORS_ORIGINS": environ.get("SAMTALE_CORS_ORIGINS", "").strip() or proxy,
        }
    )
    return env


def app_services(layout: Layout, model: Path, env: Mapping[str, str]) -> list[Service]:
    python = sys.executable
    services = [
        action_service(f"actions{index}", port, env) for index, port in enumerate(layout.actions_ports, start=1)
    ]
    services += [
        rasa_service(f"rasa{index}", model, port, env, interface="127.0.0.1")
        for index, port in enumerate(layout.rasa_ports, start=1)
    ]
    # One purger is enough: it deletes by age in the shared PostgreSQL store.
    services.append(Service("retention", [python, "-m", "bot.privacy.retention", "--every", "3600"], env=env))
    return services


def load_content(env: Mapping[str, str]) -> None:
    """Content and the service directory into PostgreSQL (the same commands as `make load-content`)."""
    for package in ("bot.content", "bot.services"):
        subprocess.run([sys.executable, "-m", package, "load"], cwd=PROJECT_ROOT, env=dict(env), check=True)


def _wait_healthy(services: Sequence[Service], running: Mapping[str, subprocess.Popen[bytes]],
                  stop: threading.Event, timeout: float) -> None:  # fmt: skip
    pending = [url for service in services for url in service.health_urls]
    deadline = time.monotonic() + timeout
    while pending and not stop.is_set():
        for name, proc in running.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} stoppet under oppstart / exited during startup ({proc.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"ikke klar / not healthy after {timeout:.0f} s: {', '.join(pending)}")
        pending = [url for url in pending if not is_healthy(url)]
        time.sleep(0.5)


def run_stack(layout: Layout, model: Path, stop: threading.Event, startup_timeout: float = 600.0) -> int:
    """Start everything, write stack.json, restart what may be restarted, stop all on `stop`. Exit code."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None or missing_binaries():
        log.error("Mangler / missing: %s (make prod-deps)", ", ".join(missing_binaries()))
        return 2
    layout.run_dir.mkdir(parents=True, exist_ok=True)
    state_file = layout.var_dir / "stack.json"
    state_file.unlink(missing_ok=True)
    running: dict[str, subprocess.Popen[bytes]] = {}
    by_name: dict[str, Service] = {}

    def start(service: Service) -> None:
        by_name[service.name] = service
        running[service.name] = serve._spawn(service, PROJECT_ROOT)
        log.info("startet / started %s (pid %s)", service.name, running[service.name].pid)

    try:
        init_postgres(bin_dir, layout.var_dir / "pgdata", layout.run_dir / "pgsocket")
        start(postgres_service(bin_dir, layout.var_dir / "pgdata", layout.run_dir / "pgsocket", layout.pg_port))
        start(redis_service(layout.redis_port, layout.run_dir))
        wait_for_postgres(layout.pg_port, 60, running["postgres"])
        wait_for_redis(layout.redis_port, 30, running["redis"])
        create_databases(layout.pg_port, [TRACKER_DATABASE, CONTENT_DATABASE])
        env = production_environment(layout)
        load_content(env)

        services = app_services(layout, model, env)
        front = f"http://127.0.0.1:{layout.prod_port}"
        listen = f"{layout.listen_host}:{layout.prod_port}"
        health = [f"{front}/webhooks/rest/", f"http://127.0.0.1:{layout.actions_lb_port}/health"]
        services.append(nginx_service(layout, listen, health))
        for service in services:
            start(service)
        _wait_healthy(services, running, stop, startup_timeout)
        if stop.is_set():
            return 0
        state = {
            "url": front,
            "rasa_urls": [f"http://127.0.0.1:{port}" for port in layout.rasa_ports],
            "actions_url": f"http://127.0.0.1:{layout.actions_lb_port}",
            "actions_urls": [f"http://127.0.0.1:{port}" for port in layout.actions_ports],
            "tracker_db_url": layout.tracker_db_url,
            "content_db_url": layout.content_db_url,
            "redis_port": layout.redis_port,
            "pids": {name: proc.pid for name, proc in running.items()},
        }
        state_file.write_text(json.dumps(state, indent=2), encoding="utf-8")
        print(ready_text(layout), flush=True)

        restarts = Restarts()
        while not stop.is_set():
            for name in restarts.due():
                start(by_name[name])
                state["pids"][name] = running[name].pid
                state_file.write_text(json.dumps(state, indent=2), encoding="utf-8")
            for name, proc in list(running.items()):
                if proc.poll() is None:
                    continue
                if by_name[name].restart:
                    # The others serve meanwhile (shared tracker, locks and content; nginx skips the dead one).
                    restarts.note_exit(name, proc.returncode)
                    continue
                log.error("%s stoppet uventet / exited unexpectedly (code %s)", name, proc.returncode)
                return 1
            time.sleep(0.5)
        return 0
    except (RuntimeError, subprocess.CalledProcessError, OSError) as error:
        log.error("%s", error)
        return 1
    finally:
        # Front to back: nginx and Rasa first, the databases last, so nothing writes to a stopped store.
        order = list(reversed(running.values()))
        stop_processes([proc for proc in order[:-2]], 30)
        stop_processes(order[-2:], 30)
        state_file.unlink(missing_ok=True)


def ready_text(layout: Layout) -> str:
    url = f"http://localhost:{layout.prod_port}"
    return "\n".join(
        [
            "",
            f"Samtalestøtte (produksjon, {len(layout.rasa_ports)} Rasa-prosesser) er klar. / is ready.",
            f"  REST:       {url}/webhooks/rest/webhook",
            f"  Socket.IO:  {url}  (sti / path: /socket.io)",
            f"  PostgreSQL: 127.0.0.1:{layout.pg_port}   Redis: 127.0.0.1:{layout.redis_port}",
            "Stopp med Ctrl+C. / Stop with Ctrl+C.",
            "",
        ]
    )


def make_layout(var_dir: Path, environ: Mapping[str, str] = os.environ) -> Layout:
    """Ports from PROD_PORT (8088), PROD_RASA_PROCESSES (2) and PROD_ACTION_PROCESSES (2); the internal ones
    are free ports."""
    processes = int(environ.get("PROD_RASA_PROCESSES", "2"))
    action_processes = int(environ.get("PROD_ACTION_PROCESSES", "2"))
    if processes < 1 or action_processes < 1:
        raise ValueError("PROD_RASA_PROCESSES og PROD_ACTION_PROCESSES må være minst 1")
    return Layout(
        var_dir=var_dir.resolve(),
        listen_host=environ.get("PROD_HOST", "0.0.0.0"),
        prod_port=int(environ.get("PROD_PORT", "8088")),
        pg_port=free_port(),
        redis_port=free_port(),
        actions_lb_port=free_port(),
        actions_ports=tuple(free_port() for _ in range(action_processes)),
        rasa_ports=tuple(free_port() for _ in range(processes)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="[prod] %(message)s")
    parser = argparse.ArgumentParser(prog="python -m bot.prod.stack", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="modellfil / model file (default: newest in models/)")
    parser.add_argument("--var-dir", type=Path, default=DEFAULT_VAR_DIR, help="data og logger / data and logs")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    model = args.model or serve.newest_model()
    if model is None or not model.is_file():
        log.error("Fant ingen modell / no model found (make train)")
        return 2
    layout = make_layout(args.var_dir)
    if warning := serve.debug_logging_warning():
        log.warning("%s", warning)

    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stopper (%s) / stopping", signal.Signals(signum).name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, request_stop)
    return run_stack(layout, model.resolve(), stop, args.startup_timeout)


if __name__ == "__main__":
    sys.exit(main())
