"""The benchmark's results as a Markdown table (printed and written) and as JSON with every raw figure."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.stats import LevelSummary, Sample

DASH = "–"


@dataclass
class AssistantResult:
    """Everything measured for one assistant; None where a figure was not measured."""

    name: str  # "ours" or "stock"
    label: str
    training_s: float | None = None
    training_note: str = ""
    startup_s: float | None = None
    rasa_pid: int | None = None
    peak_rss_kb: int | None = None
    levels: list[LevelSummary] = field(default_factory=list)
    samples: dict[int, list[list[Sample]]] = field(default_factory=dict)  # raw round trips per concurrency, by round
    cpu: dict[int, dict[str, float]] = field(default_factory=dict)  # cores busy during each level, by whom (mean)
    processes: list[dict[str, Any]] = field(default_factory=list)  # every process of the assistant, peak RSS
    transcript: list[dict[str, Any]] = field(default_factory=list)  # one pass of the script with the replies
    failure: str | None = None
    notes: list[str] = field(default_factory=list)  # anything that makes a figure less trustworthy

    @property
    def peak_rss_mb(self) -> float | None:
        return round(self.peak_rss_kb / 1024, 1) if self.peak_rss_kb is not None else None

    def level(self, concurrency: int) -> LevelSummary | None:
        return next((lv for lv in self.levels if lv.concurrency == concurrency), None)


def ratio(ours: float | None, stock: float | None) -> float | None:
    """ours / stock, rounded; None when either is missing or the stock figure is zero."""
    if ours is None or stock is None or stock == 0:
        return None
    return round(ours / stock, 2)


def _fmt(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return DASH
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _errors(level: LevelSummary) -> str:
    if not level.errors:
        return "0"
    return f"{level.errors} ({', '.join(f'{kind} ×{n}' for kind, n in sorted(level.error_kinds.items()))})"


def ratios(ours: AssistantResult, stock: AssistantResult) -> list[dict[str, Any]]:
    """Per level: ours/stock over all rounds, and within each round, where both were measured back to back."""
    rows = []
    for level in ours.levels:
        other = stock.level(level.concurrency)
        by_round = [
            ratio(mine, theirs)
            for mine, theirs in zip(level.round_msgs_per_s, other.round_msgs_per_s if other else (), strict=False)
        ]
        rows.append(
            {
                "concurrency": level.concurrency,
                "msgs_per_s": ratio(level.msgs_per_s, other.msgs_per_s if other else None),
                "msgs_per_s_by_round": by_round,
                "p95": ratio(level.p95_ms, other.p95_ms if other else None),
            }
        )
    return rows


def render_markdown(
    machine: dict[str, Any], settings: dict[str, Any], ours: AssistantResult, stock: AssistantResult
) -> str:
    lines = [
        f"# Benchmark: {ours.label} and stock `rasa init`",
        "",
        f"{machine['date']} · {machine['usable_cores']} cores ({machine['cpu_model']}) · "
        f"{machine['memory_mb']} MB RAM · Python {machine['python']} · Rasa {machine['rasa']} · "
        f"load average at start {machine['load_average_at_start']}",
        "",
        f"{settings.get('rounds', 1)} round(s); in each, every level runs {settings['seconds']:g} s after "
        f"{settings['warmup']:g} s warm-up, for both assistants back to back (which goes first alternates), so a "
        "slow spell of the machine falls on both. One Rasa process per assistant; latency over the successful "
        "round trips of all rounds; msgs/s counts replies inside the windows.",
        "",
        "| assistant | concurrency | p50 (ms) | p95 (ms) | p99 (ms) | msgs/s per process | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in (ours, stock):
        if result.failure:
            lines.append(f"| {result.label} | {DASH} | {DASH} | {DASH} | {DASH} | {DASH} | {result.failure} |")
        for lv in result.levels:
            lines.append(
                f"| {result.label} | {lv.concurrency} | {_fmt(lv.p50_ms)} | {_fmt(lv.p95_ms)} | "
                f"{_fmt(lv.p99_ms)} | {_fmt(lv.msgs_per_s, 2)} | {_errors(lv)} |"
            )

    def training(r: AssistantResult) -> str:
        return _fmt(r.training_s) if r.training_s is not None else r.training_note or DASH

    lines += [
        "",
        f"| figure | {ours.label} | {stock.label} | ours/stock |",
        "| --- | ---: | ---: | ---: |",
        f"| start-up time (s), spawn to first REST reply | {_fmt(ours.startup_s)} | {_fmt(stock.startup_s)} | "
        f"{_fmt(ratio(ours.startup_s, stock.startup_s), 2)} |",
        f"| training time (s), `rasa train` | {training(ours)} | {training(stock)} | "
        f"{_fmt(ratio(ours.training_s, stock.training_s), 2)} |",
        f"| peak RSS of the Rasa process (MB, VmHWM) | {_fmt(ours.peak_rss_mb)} | {_fmt(stock.peak_rss_mb)} | "
        f"{_fmt(ratio(ours.peak_rss_mb, stock.peak_rss_mb), 2)} |",
        "",
        "| concurrency | msgs/s ours/stock | in each round | p95 ours/stock |",
        "| ---: | ---: | --- | ---: |",
    ]
    for row in ratios(ours, stock):
        by_round = " · ".join(_fmt(r, 2) for r in row["msgs_per_s_by_round"]) or DASH
        lines.append(
            f"| {row['concurrency']} | {_fmt(row['msgs_per_s'], 2)} | {by_round} | {_fmt(row['p95'], 2)} |"
        )
    lines += [
        "",
        f"CPU during each level, in busy cores (the machine has {machine['usable_cores']}):",
        "",
        "| assistant | concurrency | Rasa | its other processes | load generator | rest of the machine |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in (ours, stock):
        for concurrency, cpu in sorted(result.cpu.items()):
            lines.append(
                f"| {result.label} | {concurrency} | {cpu['rasa']:.2f} | {cpu['assistant_other_processes']:.2f} | "
                f"{cpu['load_generator']:.2f} | {cpu['rest_of_machine']:.2f} |"
            )
    notes = [f"- {r.label}: {note}" for r in (ours, stock) for note in r.notes]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines) + "\n"


def _result_json(result: AssistantResult) -> dict[str, Any]:
    data = asdict(result)
    data["peak_rss_mb"] = result.peak_rss_mb
    # Raw round trips as compact rows, by round: [started_s, latency_ms, error or null].
    def row(sample: Sample) -> list[Any]:
        return [round(sample.started_s, 4), round(sample.latency_s * 1000, 2), sample.error]

    data["samples"] = {
        str(c): [[row(sample) for sample in samples] for samples in rounds] for c, rounds in result.samples.items()
    }
    return data


def write_reports(
    out_dir: Path, machine: dict[str, Any], settings: dict[str, Any], ours: AssistantResult, stock: AssistantResult
) -> str:
    """Write bench.md and bench.json to ``out_dir``; return the Markdown."""
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown = render_markdown(machine, settings, ours, stock)
    (out_dir / "bench.md").write_text(markdown, encoding="utf-8")
    data = {
        "machine": machine,
        "settings": settings,
        "assistants": {r.name: _result_json(r) for r in (ours, stock)},
        "ratios_ours_over_stock": ratios(ours, stock),
    }
    (out_dir / "bench.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return markdown
