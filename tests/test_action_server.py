"""The action server launcher: rasa_sdk's server, with the listen backlog from SANIC_BACKLOG and an error answer
without the conversation."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.action_server import DEFAULT_BACKLOG, backlog
from bot.prod.stack import free_port
from bot.serve import ENV_DEFAULTS, PROJECT_ROOT, action_service, is_healthy


def test_backlog_comes_from_sanic_backlog() -> None:
    assert backlog({}) == DEFAULT_BACKLOG == 100
    assert backlog({"SANIC_BACKLOG": " 1024 "}) == 1024
    for bad in ("0", "-5", "mange", "1e3"):
        with pytest.raises(ValueError, match="SANIC_BACKLOG"):
            backlog({"SANIC_BACKLOG": bad})


def test_the_served_default_is_above_sanics() -> None:
    assert backlog(ENV_DEFAULTS) > DEFAULT_BACKLOG


@contextmanager
def _action_server(
    sanic_backlog: str, log_path: Path, actions: str = "actions"
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    # The command bot.serve and the production stack run.
    env = {**os.environ, "SANIC_BACKLOG": sanic_backlog, "SANIC_HOST": "127.0.0.1"}
    service = action_service("actions", port, env, package=actions)
    with log_path.open("wb") as log:
        process = subprocess.Popen(service.command, cwd=PROJECT_ROOT, env=dict(service.env), stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while not all(is_healthy(url) for url in service.health_urls):
            assert process.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, "the action server did not answer within 90 s"
            time.sleep(0.3)
        yield process, port
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
        process.wait(timeout=30)


def _connections_completed(port: int, attempts: int, wait: float) -> int:
    """Open `attempts` connections at once; how many finish the TCP handshake within `wait` seconds."""
    selector = selectors.DefaultSelector()
    sockets = []
    for _ in range(attempts):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        selector.register(sock, selectors.EVENT_WRITE)
        sockets.append(sock)
    connected = 0
    deadline = time.monotonic() + wait
    try:
        while connected < attempts and (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(timeout=left):
                selector.unregister(key.fileobj)
                if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:  # type: ignore[union-attr]
                    connected += 1
    finally:
        selector.close()
        for sock in sockets:
            sock.close()
    return connected


@pytest.mark.parametrize(("sanic_backlog", "expect_all"), [("400", True), ("", False)])
def test_a_stalled_action_server_queues_connections_up_to_its_backlog(
    sanic_backlog: str, expect_all: bool, tmp_path: Path
) -> None:
    # A server busy with a burst of action calls accepts nothing for a moment: stopped, it accepts nothing at all.
    # The kernel completes handshakes for as many connections as the backlog allows and drops the rest, which
    # nginx logged as "upstream timed out while connecting". With Sanic's 100, 300 at once do not all fit.
    with _action_server(sanic_backlog, tmp_path / "actions.log") as (process, port):
        os.kill(process.pid, signal.SIGSTOP)
        connected = _connections_completed(port, attempts=300, wait=0.8)
    if expect_all:
        assert connected == 300
    else:
        assert DEFAULT_BACKLOG <= connected < 300


def _status_and_body(url: str, payload: dict[str, object] | None = None) -> tuple[int, bytes]:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no HTTP(S)_PROXY
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_failing_action_is_answered_and_logged_without_the_conversation(tmp_path: Path) -> None:
    # rasa_sdk echoed the whole request (the tracker) in its 500 answer, and Rasa logs that answer.
    canary = f"kanarifugl{uuid.uuid4().hex[:12]}"
    tracker = {"sender_id": "s", "slots": {}, "latest_message": {"text": f"mitt hemmelige ord er {canary}"},
               "events": [{"event": "user", "text": canary}], "paused": False, "followup_action": None,
               "active_loop": {}, "latest_action_name": "action_listen"}  # fmt: skip
    log_path = tmp_path / "actions.log"
    with _action_server("100", log_path, actions="tests.support.failing_actions") as (_, port):
        base = f"http://127.0.0.1:{port}"
        call = {"next_action": "action_that_fails", "tracker": tracker, "domain": {}, "sender_id": "s"}
        status, body = _status_and_body(f"{base}/webhook", call)
        missing, _ = _status_and_body(f"{base}/no-such-page")
    assert (status, json.loads(body)) == (500, {"error": "RuntimeError"})
    assert missing == 404  # Sanic's own errors keep their status
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "RuntimeError in POST /webhook" in log and "failing_actions.py" in log  # the type and the frames
    assert canary not in log
