"""Put the assistants through the benchmark: prepare, start, time the first reply, load levels in interleaved
rounds, peak RSS, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
from bench.stats import summarise, summarise_rounds


@dataclass(frozen=True)
class Settings:
    levels: tuple[int, ...]
    seconds: float  # per level and round
    warmup: float
    timeout: float  # per round trip
    startup_timeout: float
    rounds: int = 1


@dataclass(frozen=True)
class Assistant:
    """What `measure_all` needs to know about one assistant."""

    name: str
    label: str
    prepare: Callable[[], Prepared]
    launch: Callable[[Path], Launch]
    script: Sequence[str]


@dataclass
class Running:
    """A started assistant, and the CPU use measured on it round by round (its round trips go straight into
    result.samples)."""

    result: AssistantResult
    launch: Launch
    script: Sequence[str]
    process: subprocess.Popen[bytes]
    tree: list[int]
    cpu_rounds: dict[int, list[dict[str, float]]] = field(default_factory=dict)


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


def _prepare(assistant: Assistant) -> tuple[AssistantResult, Prepared | None]:
    result = AssistantResult(name=assistant.name, label=assistant.label)
    try:
        say(f"{assistant.name}: preparing the model")
        prepared = assistant.prepare()
    except (ChildFailed, FileNotFoundError) as error:
        _failed(result, error)
        return result, None
    result.training_s = round(prepared.training_s, 1) if prepared.training_s is not None else None
    result.training_note = prepared.training_note
    say(f"{assistant.name}: model {prepared.model}; training {result.training_s or prepared.training_note}")
    return result, prepared


def _failed(result: AssistantResult, error: Exception) -> None:
    result.failure = str(error).splitlines()[0]
    say(f"{result.name} failed: {error}")


def _start(result: AssistantResult, launch: Launch, script: Sequence[str], settings: Settings) -> Running:
    """Spawn the assistant, time its first reply, and record one pass of the script."""
    log = BENCH_DIR / f"{result.name}-serve.log"
    started = time.monotonic()
    process = spawn(launch.command, launch.cwd, launch.env, log)
    running = Running(result, launch, script, process, [process.pid])
    try:
        asyncio.run(
            _until_first_reply(lambda: process.poll() is None, launch.base_url, script[0], settings.startup_timeout)
        )
    except (ChildFailed, TimeoutError) as error:
        _stop(running)
        raise ChildFailed(f"{result.label}: {error} (log {log}):\n{log_tail(log)}") from error
    result.startup_s = round(time.monotonic() - started, 2)
    running.tree = descendants(process.pid)
    result.rasa_pid = listening_pid(process.pid, launch.port)
    say(f"{result.name}: first reply after {result.startup_s} s; Rasa pid {result.rasa_pid}")
    result.transcript = asyncio.run(transcript(launch.base_url, script, settings.timeout))
    return running


def _measure_level(running: Running, settings: Settings, concurrency: int, round_number: int) -> None:
    """A warm-up at this concurrency (discarded; it also lets the previous level's last replies drain), then the
    measured window with the CPU use of every process around it."""
    base_url, result = running.launch.base_url, running.result
    prefix = f"bench-{result.name}-r{round_number}-c{concurrency}"
    if settings.warmup > 0:
        asyncio.run(run_level(base_url, running.script, concurrency, settings.warmup, settings.timeout, f"{prefix}-w"))
    before = cpu_snapshot(running.tree)
    samples = asyncio.run(run_level(base_url, running.script, concurrency, settings.seconds, settings.timeout, prefix))
    cpu = cpu_cores_used(before, cpu_snapshot(running.tree), result.rasa_pid)
    result.samples.setdefault(concurrency, []).append(samples)
    running.cpu_rounds.setdefault(concurrency, []).append(cpu)
    level = summarise(samples, concurrency, settings.seconds)
    say(
        f"{result.name} round {round_number}: {concurrency} conversations: {level.msgs_per_s} msgs/s, "
        f"p50 {level.p50_ms} ms, p95 {level.p95_ms} ms, errors {level.errors}; busy cores {cpu}"
    )


def _finish(running: Running, settings: Settings) -> None:
    """Summaries over the rounds, the peak memory after the load, and stop."""
    result = running.result
    try:
        for concurrency in settings.levels:
            rounds = result.samples.get(concurrency)
            if not rounds:
                continue
            result.levels.append(summarise_rounds(rounds, concurrency, settings.seconds))
            cpu_rounds = running.cpu_rounds[concurrency]
            result.cpu[concurrency] = {
                key: round(sum(cpu[key] for cpu in cpu_rounds) / len(cpu_rounds), 2) for key in cpu_rounds[0]
            }
        # Read after the load: VmHWM is the peak resident set over the process's whole life.
        running.tree = descendants(running.process.pid)
        now_listening = listening_pid(running.process.pid, running.launch.port)
        if now_listening != result.rasa_pid:  # bot.serve restarts a Rasa that died; its peak is lost with it
            result.notes.append(f"the Rasa process changed during the run (pid {result.rasa_pid} -> {now_listening})")
            say(f"{result.name}: {result.notes[-1]}")
        if result.rasa_pid is not None:
            result.peak_rss_kb = peak_rss_kb(result.rasa_pid)
        result.processes = [
            {"pid": pid, "command": command_line(pid)[:200], "peak_rss_kb": peak_rss_kb(pid)} for pid in running.tree
        ]
    finally:
        _stop(running)


def _stop(running: Running) -> None:
    stop([running.process])
    for pid in running.tree:  # bot.serve stops its own children; make sure nothing we started outlives the bench
        if is_running(pid):
            say(f"pid {pid} still running after stop; killing it")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def measure_all(assistants: Sequence[Assistant], settings: Settings) -> list[AssistantResult]:
    """Train (timed, one after the other), start all, then measure in rounds: in each round every level runs for
    every assistant back to back, the order turning each round, so that a slow spell of a shared machine falls on
    all of them rather than on whichever happened to run then. Only one assistant is under load at a time; the
    others sit idle. A failure is recorded in its result (and said), not raised."""
    results: list[AssistantResult] = []
    running: list[Running] = []
    try:
        for assistant in assistants:
            result, prepared = _prepare(assistant)
            results.append(result)
            if prepared is None:
                continue
            try:
                running.append(_start(result, assistant.launch(prepared.model), assistant.script, settings))
            except (ChildFailed, FileNotFoundError) as error:
                _failed(result, error)
        for round_number in range(1, settings.rounds + 1):
            order = running if round_number % 2 else running[::-1]
            for concurrency in settings.levels:
                for one in order:
                    _measure_level(one, settings, concurrency, round_number)
        for one in running:
            _finish(one, settings)
        running.clear()
    finally:
        for one in running:  # interrupted or failed: stop whatever still runs
            _stop(one)
    return results
