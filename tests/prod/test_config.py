"""The production profile is configuration: the variables the stack sets reach Rasa as the stores we expect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.core.utils import AvailableEndpoints

from bot import serve
from bot.prod.stack import Layout, nginx_config, production_environment

LAYOUT = Layout(Path("/srv/x"), "127.0.0.1", 8088, 15432, 16379, 15055, (15056, 15057), (15005, 15006))


def _read_endpoints(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> AvailableEndpoints:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return AvailableEndpoints.read_endpoints(str(serve.ENDPOINTS_FILE))


def test_embedded_defaults_give_sqlite_and_the_in_memory_lock_store(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.lock_store import InMemoryLockStore, LockStore

    endpoints = _read_endpoints(monkeypatch, serve.child_environment(6055, {}))
    assert isinstance(LockStore.create(endpoints.lock_store), InMemoryLockStore)
    kwargs = endpoints.tracker_store.kwargs
    assert kwargs["dialect"] == "sqlite" and kwargs["db"] == "var/tracker.db"
    assert serve.cors_origins(serve.child_environment(6055, {})) == ["*"]


def test_production_environment_gives_postgresql_redis_and_limited_cors(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.tracker_store import SQLTrackerStore

    env = production_environment(LAYOUT, {"SAMTALE_CORS_ORIGINS": "https://www.bergen.kommune.no, https://x.no"})
    endpoints = _read_endpoints(monkeypatch, env)
    from rasa.core.lock_store import LockStore

    from bot.lock_store import SerialRedisLockStore

    lock = LockStore.create(endpoints.lock_store)  # redis-py connects lazily: no server needed here
    assert isinstance(lock, SerialRedisLockStore)
    assert lock.red.connection_pool.connection_kwargs["port"] == 16379
    assert lock.key_prefix == "samtalestotte:lock:"
    store = endpoints.tracker_store
    url = SQLTrackerStore.get_db_url(host=store.url, **{k: v for k, v in store.kwargs.items() if k != "type"})
    assert str(url) == "postgresql://samtale:@127.0.0.1:15432/samtale_tracker"
    assert env["DATABASE_URL"] == "postgresql://samtale@127.0.0.1:15432/samtale_content"
    assert serve.cors_origins(env) == ["https://www.bergen.kommune.no", "https://x.no"]
    assert endpoints.action.url == "http://127.0.0.1:15055/webhook"  # nginx, in front of the action servers
    # Without a list, only pages behind our own nginx, never every origin.
    assert "*" not in serve.cors_origins(production_environment(LAYOUT, {}))


def _block(conf: str, start: str) -> str:
    """From `start` to the end of the first `{ … }` block after it."""
    begin = conf.index(start)
    depth = 0
    for end in range(conf.index("{", begin), len(conf)):
        depth += {"{": 1, "}": -1}.get(conf[end], 0)
        if depth == 0:
            return conf[begin : end + 1]
    raise AssertionError(f"unclosed block after {start!r}")


def test_nginx_config_is_sticky_and_upgrades_websockets() -> None:
    conf = nginx_config(LAYOUT, "127.0.0.1:8088", as_root=False)
    rasa = _block(conf, "upstream rasa")
    assert "ip_hash;" in rasa and "server 127.0.0.1:15005" in rasa and "server 127.0.0.1:15006" in rasa
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "listen 127.0.0.1:8088;" in conf and not re.search(r"@@[A-Z_]+@@", conf)


def test_nginx_spreads_actions_over_the_action_servers_on_loopback_only() -> None:
    conf = nginx_config(LAYOUT, "0.0.0.0:8088", as_root=False)
    actions = _block(conf, "upstream actions")
    assert "server 127.0.0.1:15056" in actions and "server 127.0.0.1:15057" in actions
    assert "ip_hash" not in actions  # stateless: no stickiness needed
    front = _block(conf, "listen 127.0.0.1:15055;")  # its `location / { … }`
    assert "proxy_pass http://actions;" in front and "proxy_next_upstream error timeout;" in front
    assert "non_idempotent" not in front  # a POST that reached an action server is never sent twice
    assert "max_fails=0" in actions  # a restarted action server gets the very next request
    # Rasa's action calls carry the whole conversation: more than the 64k allowed for chat messages.
    head = conf[conf.index("listen 127.0.0.1:15055;") :].split("location", 1)[0]
    assert "client_max_body_size 8m;" in head
