"""Put one assistant through the benchmark: prepare, start, time the first reply, load levels, peak RSS, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.assistants import BENCH_DIR, Launch, Prepared
from bench.load import first_reply, run_level, transcript
from bench.processes import ChildFailed, log_tail, spawn, stop
from bench.procfs import (
    command_line,
    cpu_cores_used,
    cpu_snapshot,
    descendants,
    is_running,
    listening_pid,
    peak_rss_kb,
)
from bench.report import AssistantResult
from bench.stats import summarise


@dataclass(frozen=True)
class Settings:
    levels: tuple[int, ...]
    seconds: float
    warmup: float
    timeout: float  # per round trip
    startup_timeout: float


def say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


async def _until_first_reply(process_alive: Callable[[], bool], base_url: str, message: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not await first_reply(base_url, message):
        if not process_alive():
            raise ChildFailed("exited before it answered")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no REST reply within {timeout:.0f} s")
        await asyncio.sleep(0.25)


def _measure_level(
    result: AssistantResult,
    launch: Launch,
    script: Sequence[str],
    settings: Settings,
    concurrency: int,
    tree: list[int],
) -> None:
    """A warm-up at this concurrency (discarded; it also lets the previous level's last replies drain), then the
    measured window with the CPU use of every process around it."""
    prefix = f"bench-{result.name}-c{concurrency}"
    if settings.warmup > 0:
        asyncio.run(
            run_level(launch.base_url, script, concurrency, settings.warmup, settings.timeout, f"{prefix}-warmup")
        )
    before = cpu_snapshot(tree)
    samples = asyncio.run(run_level(launch.base_url, script, concurrency, settings.seconds, settings.timeout, prefix))
    result.cpu[concurrency] = cpu_cores_used(before, cpu_snapshot(tree), result.rasa_pid)
    level = summarise(samples, concurrency, settings.seconds)
    result.samples[concurrency] = samples
    result.levels.append(level)
    say(
        f"{result.name}: {concurrency} conversations: {level.msgs_per_s} msgs/s, p50 {level.p50_ms} ms, "
        f"p95 {level.p95_ms} ms, errors {level.errors}; busy cores {result.cpu[concurrency]}"
    )


def _serve_and_load(result: AssistantResult, launch: Launch, script: Sequence[str], settings: Settings) -> None:
    log = BENCH_DIR / f"{result.name}-serve.log"
    started = time.monotonic()
    process = spawn(launch.command, launch.cwd, launch.env, log)
    tree: list[int] = [process.pid]
    try:
        try:
            asyncio.run(
                _until_first_reply(lambda: process.poll() is None, launch.base_url, script[0], settings.startup_timeout)
            )
        except (ChildFailed, TimeoutError) as error:
            raise ChildFailed(f"{result.label}: {error} (log {log}):\n{log_tail(log)}") from error
        result.startup_s = round(time.monotonic() - started, 2)
        tree = descendants(process.pid)
        result.rasa_pid = listening_pid(process.pid, launch.port)
        say(f"{result.name}: first reply after {result.startup_s} s; Rasa pid {result.rasa_pid}")

        result.transcript = asyncio.run(transcript(launch.base_url, script, settings.timeout))
        for concurrency in settings.levels:
            _measure_level(result, launch, script, settings, concurrency, tree)

        # Read after the load: VmHWM is the peak resident set over the process's whole life.
        tree = descendants(process.pid)
        now_listening = listening_pid(process.pid, launch.port)
        if now_listening != result.rasa_pid:  # bot.serve restarts a Rasa that died; its peak is lost with it
            result.notes.append(f"the Rasa process changed during the run (pid {result.rasa_pid} -> {now_listening})")
            say(f"{result.name}: {result.notes[-1]}")
        if result.rasa_pid is not None:
            result.peak_rss_kb = peak_rss_kb(result.rasa_pid)
        result.processes = [
            {"pid": pid, "command": command_line(pid)[:200], "peak_rss_kb": peak_rss_kb(pid)} for pid in tree
        ]
    finally:
        stop([process])
        for pid in tree:  # bot.serve stops its own children; make sure nothing we started outlives the bench
            if is_running(pid):
                say(f"pid {pid} still running after stop; killing it")
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def measure(
    name: str,
    label: str,
    prepare: Callable[[], Prepared],
    launch: Callable[[Path], Launch],
    script: Sequence[str],
    settings: Settings,
) -> AssistantResult:
    """Everything for one assistant; a failure is recorded in the result (and said), not raised."""
    result = AssistantResult(name=name, label=label)
    try:
        say(f"{name}: preparing the model")
        prepared = prepare()
        result.training_s = round(prepared.training_s, 1) if prepared.training_s is not None else None
        result.training_note = prepared.training_note
        say(f"{name}: model {prepared.model}; training {result.training_s or prepared.training_note}")
        _serve_and_load(result, launch(prepared.model), script, settings)
    except (ChildFailed, FileNotFoundError) as error:
        result.failure = str(error).splitlines()[0]
        say(f"{name} failed: {error}")
    return result
