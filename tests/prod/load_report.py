"""What a load run counted: messages, latencies per channel, errors, and the made-up identifiers it sent."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.prod.load_client import LoadSettings


@dataclass(frozen=True)
class Failure:
    kind: str
    channel: str
    sender: str
    message: int  # conversation number and turn are in the marker; this is the global message number
    at: float  # seconds after the start
    detail: str


@dataclass
class LoadReport:
    settings: LoadSettings
    run_id: str
    source_addresses: list[str]
    elapsed: float = 0.0
    sent: int = 0
    conversations: int = 0
    acknowledged: dict[str, list[str]] = field(default_factory=dict)  # sender -> markers, in order
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"rest": [], "socketio": []})
    failures: list[Failure] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)  # 8 digits of every made-up number that was sent
    emails: set[str] = field(default_factory=set)
    slots_with_a_reply: set[int] = field(default_factory=set)

    @property
    def messages(self) -> int:
        return sum(len(markers) for markers in self.acknowledged.values())

    def all_latencies(self) -> list[float]:
        return sorted(self.latencies["rest"] + self.latencies["socketio"])

    def numbers(self) -> dict[str, Any]:
        """The figures for results/prod/load.json and the summary line."""
        ordered = self.all_latencies()
        return {
            "conversations_concurrent": self.settings.conversations,
            "seconds": self.settings.seconds,
            "elapsed": round(self.elapsed, 1),
            "conversations_started": self.conversations,
            "slots_with_a_reply": len(self.slots_with_a_reply),
            "messages_sent": self.sent,
            "messages_acknowledged": self.messages,
            "messages_per_second": round(self.messages / self.elapsed, 2) if self.elapsed else 0.0,
            "latency_p50": round(percentile(ordered, 50), 3),
            "latency_p95": round(percentile(ordered, 95), 3),
            "latency_max": round(ordered[-1], 3) if ordered else 0.0,
            "messages_by_channel": {name: len(values) for name, values in self.latencies.items()},
            "errors": len(self.failures),
            "errors_by_kind": dict(Counter(f.kind for f in self.failures)),
            "source_addresses": self.source_addresses,
            "seed": self.settings.seed,
        }

    def summary(self) -> str:
        n = self.numbers()
        return (
            f"load: {n['conversations_concurrent']} concurrent conversations for {n['seconds']:.0f} s "
            f"({n['conversations_started']} started): {n['messages_acknowledged']} messages acknowledged "
            f"({n['messages_by_channel']['socketio']} over socket.io), {n['messages_per_second']} msgs/s, "
            f"latency p50 {n['latency_p50']:.2f} s, p95 {n['latency_p95']:.2f} s, max {n['latency_max']:.2f} s, "
            f"errors {n['errors']}"
        )

    def failure_summary(self, examples: int = 8) -> str:
        """Counts per kind and the first few failures, readable in a test report."""
        lines = [f"{len(self.failures)} errors: {dict(Counter(f.kind for f in self.failures))}"]
        for failure in sorted(self.failures, key=lambda f: f.at)[:examples]:
            lines.append(
                f"  {failure.at:7.1f} s  {failure.kind:<22} {failure.channel:<8} {failure.sender} "
                f"#{failure.message}: {failure.detail[:200]}"
            )
        return "\n".join(lines)


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0.0 when empty)."""
    if not ordered:
        return 0.0
    return ordered[max(1, math.ceil(len(ordered) * p / 100)) - 1]
