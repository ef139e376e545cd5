"""The supervisor in bot.serve, exercised with real child processes (no Rasa needed)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import yaml

from bot import serve
from bot.serve import Service

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_for_file(path: Path, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written within {timeout} s")


def python_child(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def http_service(name: str, port: int, root: Path, pid_file: Path) -> Service:
    """A real HTTP server child that records its pid and only answers once it listens."""
    code = f"""
        import functools, http.server, os, pathlib
        pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory={str(root)!r})
        http.server.ThreadingHTTPServer(("127.0.0.1", {port}), handler).serve_forever()
    """
    return Service(name, python_child(code), health_urls=[f"http://127.0.0.1:{port}/"])


def sleeper(pid_file: Path, *, ignore_sigterm: bool = False, with_grandchild: Path | None = None) -> list[str]:
    """A child that sleeps; optionally ignores SIGTERM or starts a grandchild in its process group."""
    code = f"""
        import os, pathlib, signal, subprocess, sys, time
        if {ignore_sigterm!r}:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if {str(with_grandchild) if with_grandchild else ""!r}:
            grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
            pathlib.Path({str(with_grandchild)!r}).write_text(str(grandchild.pid))
        pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))
        time.sleep(120)
    """
    return python_child(code)


def run_in_thread(services: list[Service], **options: float) -> tuple[threading.Event, list[int], dict]:
    """Run supervise() in a thread; returns the stop event, the result holder and a readiness record."""
    stop = threading.Event()
    result: list[int] = []
    record: dict = {}

    def on_ready(processes) -> None:
        record["pids"] = {name: proc.pid for name, proc in processes.items()}
        record["healthy_at_ready"] = all(serve.is_healthy(url) for s in services for url in s.health_urls)
        record["ready"] = True

    thread = threading.Thread(
        target=lambda: result.append(serve.supervise(services, stop=stop, on_ready=on_ready, **options)),
        daemon=True,
    )
    thread.start()
    record["thread"] = thread
    return stop, result, record


def wait_until(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


# --- supervise() ----------------------------------------------------------------------------------


def test_waits_for_health_then_stops_children_on_request(tmp_path: Path) -> None:
    port = free_port()
    web_pid, sleep_pid = tmp_path / "web.pid", tmp_path / "sleep.pid"
    services = [
        http_service("web", port, tmp_path, web_pid),
        Service("sleeper", sleeper(sleep_pid)),
    ]
    stop, result, record = run_in_thread(services, startup_timeout=20)

    wait_until(lambda: record.get("ready"))
    assert record["healthy_at_ready"], "on_ready was called before the health URL answered"
    pids = [int(wait_for_file(web_pid)), int(wait_for_file(sleep_pid))]
    assert sorted(pids) == sorted(record["pids"].values())
    assert all(alive(pid) for pid in pids)

    stop.set()
    record["thread"].join(20)
    assert result == [0]
    assert not any(alive(pid) for pid in pids)
    assert not serve.is_healthy(f"http://127.0.0.1:{port}/")


def test_child_that_exits_gives_nonzero_and_stops_the_others(tmp_path: Path) -> None:
    web_pid = tmp_path / "web.pid"
    services = [
        http_service("web", free_port(), tmp_path, web_pid),
        Service("short", python_child("import time; time.sleep(1.5); raise SystemExit(0)")),
    ]
    stop, result, record = run_in_thread(services, startup_timeout=20)

    record_thread = record["thread"]
    record_thread.join(20)
    assert not record_thread.is_alive(), "supervise kept running after a child exited"
    assert result == [1]
    assert record.get("ready"), "the web child was healthy, so on_ready should have run first"
    assert not alive(int(wait_for_file(web_pid)))
    assert not stop.is_set()


def test_a_restartable_child_that_dies_is_started_again_and_the_others_keep_running(tmp_path: Path) -> None:
    web_pid, sleep_pid = tmp_path / "web.pid", tmp_path / "sleep.pid"
    port = free_port()
    web = http_service("web", port, tmp_path, web_pid)
    services = [Service(web.name, web.command, web.health_urls, restart=True), Service("sleeper", sleeper(sleep_pid))]
    stop, result, record = run_in_thread(services, startup_timeout=20)
    wait_until(lambda: record.get("ready"))
    first = int(wait_for_file(web_pid))
    web_pid.unlink()

    os.kill(first, signal.SIGKILL)
    second = int(wait_for_file(web_pid, timeout=serve.RESTART_DELAY + 10))
    assert second != first and alive(second)
    wait_until(lambda: serve.is_healthy(f"http://127.0.0.1:{port}/"))
    assert not result, "supervise stopped although the child may be restarted"
    assert alive(int(wait_for_file(sleep_pid)))

    stop.set()
    record["thread"].join(20)
    assert result == [0] and not alive(second)


def test_the_action_server_and_rasa_are_restarted_and_the_rest_is_not(tmp_path: Path) -> None:
    services = serve.assistant_services(Path("m.tar.gz"), {"RASA_PORT": 1, "ACTIONS_PORT": 2, "WEB_PORT": 3},
                                        web_root=tmp_path, environ={})  # fmt: skip
    assert {s.name: s.restart for s in services} == {"actions": True, "rasa": True, "retention": False, "web": False}


def test_child_dying_during_startup_gives_nonzero(tmp_path: Path) -> None:
    sleep_pid = tmp_path / "sleep.pid"
    services = [
        Service("sleeper", sleeper(sleep_pid)),
        Service("broken", python_child("raise SystemExit(3)"), health_urls=[f"http://127.0.0.1:{free_port()}/"]),
    ]
    assert serve.supervise(services, stop=threading.Event(), startup_timeout=20) == 1
    assert not alive(int(wait_for_file(sleep_pid)))


def test_health_timeout_gives_nonzero_and_stops_children(tmp_path: Path) -> None:
    sleep_pid = tmp_path / "sleep.pid"
    never_healthy = Service("mute", sleeper(sleep_pid), health_urls=[f"http://127.0.0.1:{free_port()}/"])
    ready = []

    started = time.monotonic()
    code = serve.supervise([never_healthy], stop=threading.Event(), on_ready=ready.append, startup_timeout=1.5)

    assert code == 1
    assert ready == []
    assert 1.5 <= time.monotonic() - started < 15
    assert not alive(int(wait_for_file(sleep_pid)))


def test_child_ignoring_sigterm_is_killed_after_timeout(tmp_path: Path) -> None:
    stubborn_pid = tmp_path / "stubborn.pid"
    services = [Service("stubborn", sleeper(stubborn_pid, ignore_sigterm=True))]
    stop, result, record = run_in_thread(services, stop_timeout=1.0)
    wait_until(lambda: record.get("ready"))
    pid = int(wait_for_file(stubborn_pid))

    started = time.monotonic()
    stop.set()
    record["thread"].join(20)

    assert result == [0]
    assert not alive(pid)
    assert time.monotonic() - started >= 1.0, "SIGKILL came before the SIGTERM grace period ended"


def test_stop_reaches_the_whole_process_group(tmp_path: Path) -> None:
    parent_pid, grandchild_pid = tmp_path / "parent.pid", tmp_path / "grandchild.pid"
    services = [Service("parent", sleeper(parent_pid, with_grandchild=grandchild_pid))]
    stop, result, record = run_in_thread(services)
    wait_until(lambda: record.get("ready"))
    pids = [int(wait_for_file(parent_pid)), int(wait_for_file(grandchild_pid))]
    assert all(alive(pid) for pid in pids)

    stop.set()
    record["thread"].join(20)

    assert result == [0]
    wait_until(lambda: not any(alive(pid) for pid in pids), timeout=5)


# --- signals, with the supervisor as a real process -------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_supervisor_and_children_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    port = free_port()
    web_pid, sleep_pid = tmp_path / "web.pid", tmp_path / "sleep.pid"
    script = f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(PROJECT_ROOT / "tests")!r})
        from bot.serve import Service, run_until_signalled
        from test_serve import http_service, sleeper
        services = [
            http_service("web", {port}, Path({str(tmp_path)!r}), Path({str(web_pid)!r})),
            Service("sleeper", sleeper(Path({str(sleep_pid)!r}))),
        ]
        sys.exit(run_until_signalled(services, on_ready=lambda _: print("READY", flush=True)))
    """
    supervisor = subprocess.Popen(
        python_child(script),
        cwd=PROJECT_ROOT,
        stdin=subprocess.DEVNULL,  # like a service with no terminal
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert supervisor.stdout is not None
        assert supervisor.stdout.readline().strip() == "READY"
        pids = [int(wait_for_file(web_pid)), int(wait_for_file(sleep_pid))]
        assert serve.is_healthy(f"http://127.0.0.1:{port}/")

        supervisor.send_signal(sig)
        assert supervisor.wait(timeout=20) == 0
        assert not any(alive(pid) for pid in pids)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()


# --- the assistant's configuration -----------------------------------------------------------------


def test_newest_model_is_the_latest_written(tmp_path: Path) -> None:
    assert serve.newest_model(tmp_path) is None
    old, new = tmp_path / "20240101-old.tar.gz", tmp_path / "20230101-new.tar.gz"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (1_000, 1_000))
    (tmp_path / "notes.txt").write_text("not a model")
    assert serve.newest_model(tmp_path) == new


def test_ports_come_from_environment_with_defaults() -> None:
    assert serve.port_from_env("RASA_PORT", {}) == 5005
    assert serve.port_from_env("ACTIONS_PORT", {"ACTIONS_PORT": " 6055 "}) == 6055
    assert serve.port_from_env("WEB_PORT", {"WEB_PORT": ""}) == 8080
    for bad in ("abc", "0", "70000", "-1"):
        with pytest.raises(ValueError):
            serve.port_from_env("RASA_PORT", {"RASA_PORT": bad})


def test_child_environment_fills_endpoint_variables_and_pins_the_action_server() -> None:
    env = serve.child_environment(6055, {"TRACKER_DB": "/data/t.db", "ACTION_ENDPOINT_URL": "http://x:5055/webhook"})
    assert env["ACTION_ENDPOINT_URL"] == "http://localhost:6055/webhook"  # the server we start, always
    assert env["TRACKER_DB"] == "/data/t.db"  # the environment wins over embedded defaults
    assert env["TRACKER_DB_DIALECT"] == "sqlite"
    assert env["TRACKER_DB_HOST"] == ""
    assert env["RASA_TELEMETRY_ENABLED"] == "false"


def test_every_variable_in_endpoints_yml_gets_a_value() -> None:
    # Rasa refuses to start when a ${VAR} in endpoints.yml is unset.
    used = set(re.findall(r"\$\{(\w+)\}", serve.ENDPOINTS_FILE.read_text()))
    assert used, "expected endpoints.yml to read its settings from the environment"
    assert used <= set(serve.child_environment(6055, {}))


def test_rasa_reads_endpoints_yml_with_our_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rasa expands ${VAR} only in unquoted YAML values; a quoted one reaches Rasa as the literal text.
    from rasa.core.utils import AvailableEndpoints

    env = serve.child_environment(6055, {})
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(serve.ENDPOINTS_FILE))

    assert endpoints.action is not None
    assert endpoints.action.url == "http://localhost:6055/webhook"
    if endpoints.tracker_store is not None:
        settings = {"url": endpoints.tracker_store.url, **endpoints.tracker_store.kwargs}
        assert not [key for key, value in settings.items() if "${" in str(value)], settings


def test_sqlite_folder_is_created(tmp_path: Path) -> None:
    serve.ensure_sqlite_folder({"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB": "var/x/t.db"}, root=tmp_path)
    assert (tmp_path / "var" / "x").is_dir()
    serve.ensure_sqlite_folder({"TRACKER_DB_DIALECT": "postgresql", "TRACKER_DB": "other/t"}, root=tmp_path)
    assert not (tmp_path / "other").exists()


def test_assistant_services_commands(tmp_path: Path) -> None:
    ports = {"RASA_PORT": 6005, "ACTIONS_PORT": 6055, "WEB_PORT": 6080}
    model = tmp_path / "m.tar.gz"

    services = serve.assistant_services(model, ports, web_root=None, environ={})
    by_name = {s.name: s for s in services}
    assert list(by_name) == ["actions", "rasa", "retention"]
    assert list(by_name["retention"].command)[1:] == ["-m", "bot.privacy.retention", "--every", "3600"]

    actions = list(by_name["actions"].command)
    assert actions[1:] == ["-m", "bot.action_server", "--actions", "actions", "--port", "6055"]
    assert by_name["actions"].health_urls == ["http://127.0.0.1:6055/health"]

    rasa = list(by_name["rasa"].command)
    assert rasa[1:4] == ["-m", "bot.rasa_cli", "run"]  # Rasa with bot/rasa_fixes.py applied
    for flag, value in [
        ("--model", str(model)),
        ("--endpoints", str(serve.ENDPOINTS_FILE)),
        ("--credentials", str(serve.CREDENTIALS_FILE)),
        ("--port", "6005"),
        ("--cors", "*"),
    ]:
        assert rasa[rasa.index(flag) + 1] == value
    assert "--enable-api" not in rasa
    assert "http://127.0.0.1:6005/webhooks/rest/" in by_name["rasa"].health_urls
    assert by_name["rasa"].env is not None
    assert by_name["rasa"].env["ACTION_ENDPOINT_URL"] == "http://localhost:6055/webhook"

    with_web = serve.assistant_services(model, ports, web_root=tmp_path, environ={})
    web = with_web[-1]
    assert web.name == "web"
    assert list(web.command) == ["node", str(tmp_path / "scripts" / "serve.mjs")]
    assert web.env["PORT"] == "6080" and web.health_urls == ["http://127.0.0.1:6080/demo/"]


def test_credentials_enable_rest_and_persistent_socketio() -> None:
    credentials = yaml.safe_load(serve.CREDENTIALS_FILE.read_text())
    assert "bot.channels.rest.SamtaleRestInput" in credentials  # Rasa's REST channel, always answering
    assert credentials["bot.channels.socketio.SamtaleSocketIOInput"] == {
        "user_message_evt": "user_uttered",
        "bot_message_evt": "bot_uttered",
        "session_persistence": True,
        "metadata_key": "customData",  # the widget's kommune and mode
    }


def test_ready_text_names_every_way_in() -> None:
    ports = {"RASA_PORT": 6005, "ACTIONS_PORT": 6055, "WEB_PORT": 6080}
    text = serve.ready_text(ports, with_web=True)
    assert "http://localhost:6005/webhooks/rest/webhook" in text
    assert "/socket.io" in text
    assert "http://localhost:6080/demo/" in text
    assert "make chat" in text
    assert "6080" not in serve.ready_text(ports, with_web=False)


def test_main_without_model_fails_with_message(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    code = serve.main(["--model", str(tmp_path / "missing.tar.gz"), "--no-web"])
    assert code == 2
    assert "make train" in caplog.text


def test_debug_logging_is_warned_about() -> None:
    # At DEBUG Rasa writes each user message to its log; the start-up says so.
    assert serve.debug_logging_warning({"LOG_LEVEL": " debug "}) == serve.DEBUG_LOGS_TEXT
    for quiet in ({}, {"LOG_LEVEL": "INFO"}, {"LOG_LEVEL": "WARNING"}):
        assert serve.debug_logging_warning(quiet) is None
