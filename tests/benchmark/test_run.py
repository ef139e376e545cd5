"""bench.run: the whole measuring flow on two small REST servers standing in for the assistants."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.assistants import Launch, Prepared, free_port
from bench.procfs import is_running
from bench.run import Assistant, Settings, measure_all

# A stand-in for `rasa run`: answers Rasa's REST webhook and writes each new level's sender prefix (the sender id
# without the per-conversation suffix) to a shared file, so the test sees the order the levels ran in.
FAKE_ASSISTANT = """
import sys
from aiohttp import web

name, port, order_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seen = set()

async def webhook(request):
    body = await request.json()
    prefix = body["sender"].rsplit("-", 2)[0]
    if prefix not in seen:
        seen.add(prefix)
        with open(order_file, "a") as out:
            out.write(f"{name} {prefix}\\n")
    return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

app = web.Application()
app.router.add_post("/webhooks/rest/webhook", webhook)
web.run_app(app, host="127.0.0.1", port=port, print=None)
"""


def _assistant(name: str, order_file: Path, tmp_path: Path) -> Assistant:
    port = free_port()

    def launch(_model: Path) -> Launch:
        command = [sys.executable, "-c", FAKE_ASSISTANT, name, str(port), str(order_file)]
        return Launch(command=command, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}, port=port)

    return Assistant(name, name.title(), lambda: Prepared(tmp_path / "m.tar.gz", None, "not trained"), launch, ["hei"])


def test_levels_run_in_rounds_turn_about_and_everything_is_stopped(tmp_path: Path) -> None:
    order_file = tmp_path / "order.txt"
    settings = Settings(levels=(1, 2), seconds=0.4, warmup=0.0, timeout=5.0, startup_timeout=60.0, rounds=2)
    ours, stock = measure_all([_assistant("ours", order_file, tmp_path), _assistant("stock", order_file, tmp_path)],
                              settings)  # fmt: skip

    runs = [line.split() for line in order_file.read_text().splitlines()]
    transcripts = [name for name, prefix in runs if not prefix.startswith("bench-")]
    assert transcripts == ["ours", "stock"]  # one pass of the script each, after start-up
    levels = [(name, prefix.split("-")[2:4]) for name, prefix in runs if prefix.startswith("bench-")]
    assert levels == [
        ("ours", ["r1", "c1"]), ("stock", ["r1", "c1"]), ("ours", ["r1", "c2"]), ("stock", ["r1", "c2"]),
        ("stock", ["r2", "c1"]), ("ours", ["r2", "c1"]), ("stock", ["r2", "c2"]), ("ours", ["r2", "c2"]),
    ]  # fmt: skip

    for result in (ours, stock):
        assert result.failure is None
        assert [level.concurrency for level in result.levels] == [1, 2]
        for level in result.levels:
            assert len(level.round_msgs_per_s) == 2 and min(level.round_msgs_per_s) > 0
            assert level.errors == 0
        assert [len(rounds) for rounds in result.samples.values()] == [2, 2]
        assert result.startup_s is not None and result.peak_rss_kb and result.peak_rss_kb > 0
        assert set(result.cpu) == {1, 2}
        assert all(not is_running(p["pid"]) for p in result.processes)


def test_an_assistant_that_fails_to_start_is_reported_and_the_other_measured(tmp_path: Path) -> None:
    order_file = tmp_path / "order.txt"
    broken = Assistant(
        "stock",
        "Stock",
        lambda: Prepared(tmp_path / "m.tar.gz", None, "not trained"),
        lambda _m: Launch([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, {}, free_port()),
        ["hei"],
    )
    settings = Settings(levels=(1,), seconds=0.3, warmup=0.0, timeout=5.0, startup_timeout=30.0, rounds=2)
    ours, stock = measure_all([_assistant("ours", order_file, tmp_path), broken], settings)
    assert stock.failure and "exited before it answered" in stock.failure
    assert ours.failure is None and len(ours.levels[0].round_msgs_per_s) == 2
