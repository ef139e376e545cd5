"""`python -m bench.profile_turn`: where a turn's time goes in our Rasa process, under cProfile.

Loads our model in this process (with bot/rasa_fixes.py, as bot.serve runs it), starts our action server on a free
port, sends the benchmark's conversation N times and prints the median time per message and the functions with
the most cumulative time; the full listing goes to results/bench/profile.txt, the raw statistics (for pstats'
callers and callees) to results/bench/profile.prof. This is how we found the action-response schema check
(bot/rasa_fixes.py), the per-message action-server calls for slot mappings, and what DIET and ResponseSelector cost.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from bench.assistants import OURS_SCRIPT, PROJECT_ROOT, child_env, free_port
from bench.processes import spawn, stop
from bot.endpoint_sessions import close_kept_sessions
from bot.rasa_fixes import apply_fixes
from bot.serve import child_environment, is_healthy

RESULTS = PROJECT_ROOT / "results" / "bench"
TRACKER_DB = "var/bench/profile-tracker.db"


async def _profile(model: Path, conversations: int, top: int) -> str:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints

    agent = await load_agent(model_path=str(model), endpoints=AvailableEndpoints.read_endpoints("bot/endpoints.yml"))

    async def conversation(timings: dict[str, list[float]] | None) -> None:
        sender = uuid.uuid4().hex
        for text in OURS_SCRIPT:
            started = time.perf_counter()
            await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
            if timings is not None:
                timings.setdefault(text, []).append((time.perf_counter() - started) * 1000)

    await conversation(None)  # warm-up: the first turn builds TensorFlow's graphs
    timings: dict[str, list[float]] = {}
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(conversations):
        await conversation(timings)
    profiler.disable()
    await close_kept_sessions()  # as the server does when it stops (bot/rasa_fixes.py)
    RESULTS.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(RESULTS / "profile.prof"))  # for pstats or snakeviz: callers, callees

    lines = ["median ms per message (under cProfile, so slower than served):"]
    lines += [f"  {statistics.median(values):7.1f}  {text}" for text, values in timings.items()]
    listing = io.StringIO()
    for order in ("cumulative", "tottime"):  # where the time is spent, then who spends it
        pstats.Stats(profiler, stream=listing).sort_stats(order).print_stats(top)
    return "\n".join(lines) + "\n" + listing.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_turn", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "samtalestotte.tar.gz")
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--top", type=int, default=40, help="functions listed (by cumulative time)")
    args = parser.parse_args(argv)

    actions_port = free_port()
    tracker = PROJECT_ROOT / TRACKER_DB
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.unlink(missing_ok=True)
    # The embedded defaults (bot.serve), with a throwaway SQLite tracker store, as `make run` serves.
    embedded = {"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB_HOST": "", "TRACKER_DB": TRACKER_DB,
                "LOCK_STORE_TYPE": "in_memory"}  # fmt: skip
    env = child_environment(actions_port, child_env(embedded))
    os.environ.update(env)  # bot/endpoints.yml reads them in this process too
    logging.basicConfig(level=logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's structured debug lines would be profiled too
    actions = spawn([sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", str(actions_port)],
                    PROJECT_ROOT, env, RESULTS / "profile-actions.log")  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not is_healthy(f"http://127.0.0.1:{actions_port}/health"):
            if actions.poll() is not None or time.monotonic() > deadline:
                print("the action server did not start; see results/bench/profile-actions.log", file=sys.stderr)
                return 1
            time.sleep(0.5)
        apply_fixes()
        report = asyncio.run(_profile(args.model, args.conversations, args.top))
    finally:
        stop([actions])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "profile.txt").write_text(report, encoding="utf-8")
    print(report[:6000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
