"""Percentiles and the summary of one load level; pure functions, no I/O."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sample:
    """One round trip: when it started (seconds since the level began), how long it took, and what went wrong."""

    started_s: float
    latency_s: float
    error: str | None = None  # None: a 200 with at least one reply

    @property
    def ended_s(self) -> float:
        return self.started_s + self.latency_s


@dataclass(frozen=True)
class LevelSummary:
    concurrency: int
    seconds: float  # per round
    messages: int  # successful round trips that ended inside the measured windows
    errors: int  # failed round trips (any time, including the drain after each window)
    msgs_per_s: float  # over all rounds
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    error_kinds: dict[str, int] = field(default_factory=dict)
    round_msgs_per_s: tuple[float, ...] = ()  # each round's own figure, in the order measured


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q={q} is outside 0–100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _in_window(samples: Sequence[Sample], seconds: float) -> int:
    return sum(1 for s in samples if s.error is None and s.ended_s <= seconds)


def summarise_rounds(
    rounds: Sequence[Sequence[Sample]], concurrency: int, seconds: float, processes: int = 1
) -> LevelSummary:
    """One level measured in several rounds of ``seconds`` each (every round's times start at 0).

    Latency percentiles over the successful round trips of all rounds; throughput counts those that ended within
    their round's window. Loops finish the message in flight after the window closes (cancelling it would leave
    Rasa working on it during the next level), so those late replies count for latency and errors but not for
    throughput.
    """
    if not rounds:
        raise ValueError("no rounds to summarise")
    pooled = [s for samples in rounds for s in samples]
    ok_ms = [s.latency_s * 1000 for s in pooled if s.error is None]
    in_window = sum(_in_window(samples, seconds) for samples in rounds)
    kinds = Counter(s.error for s in pooled if s.error is not None)

    def pct(q: float) -> float | None:
        return round(percentile(ok_ms, q), 1) if ok_ms else None

    return LevelSummary(
        concurrency=concurrency,
        seconds=seconds,
        messages=in_window,
        errors=sum(kinds.values()),
        msgs_per_s=round(in_window / (seconds * len(rounds)) / processes, 2),
        p50_ms=pct(50),
        p95_ms=pct(95),
        p99_ms=pct(99),
        error_kinds=dict(sorted(kinds.items())),
        round_msgs_per_s=tuple(round(_in_window(samples, seconds) / seconds / processes, 2) for samples in rounds),
    )


def summarise(samples: Sequence[Sample], concurrency: int, seconds: float, processes: int = 1) -> LevelSummary:
    """A level measured in one round (see summarise_rounds)."""
    return summarise_rounds([samples], concurrency, seconds, processes)
