"""The benchmark's Markdown table and JSON (bench.report)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import AssistantResult, ratio, render_markdown, write_reports
from bench.stats import LevelSummary, Sample

MACHINE = {
    "date": "2026-11-23T06:00:00+00:00",
    "usable_cores": 2,
    "cpu_model": "AMD EPYC",
    "memory_mb": 24105,
    "python": "3.10.13",
    "rasa": "3.6.21",
    "load_average_at_start": 0.3,
}
SETTINGS = {"seconds": 30.0, "warmup": 3.0, "rounds": 2}


def _level(
    c: int, msgs: float, p95: float | None, errors: dict[str, int] | None = None, rounds: tuple[float, ...] = ()
) -> LevelSummary:
    errors = errors or {}
    return LevelSummary(
        concurrency=c,
        seconds=30,
        messages=int(msgs * 30),
        errors=sum(errors.values()),
        msgs_per_s=msgs,
        p50_ms=p95 / 2 if p95 else None,
        p95_ms=p95,
        p99_ms=p95 * 1.5 if p95 else None,
        error_kinds=errors,
        round_msgs_per_s=rounds or (msgs, msgs),
    )


def _results() -> tuple[AssistantResult, AssistantResult]:
    ours = AssistantResult(
        "ours",
        "Samtalestøtte",
        training_s=None,
        training_note="not measured (reused x)",
        startup_s=60.0,
        peak_rss_kb=1_331_200,
        levels=[_level(1, 5.0, 400.0, rounds=(4.0, 6.0)), _level(10, 8.0, 2000.0, {"timeout": 2, "http_500": 1})],
        samples={1: [[Sample(0.0, 0.25), Sample(0.3, 0.1, "timeout")], [Sample(0.1, 0.5)]]},
        cpu={
            1: {
                "rasa": 0.9,
                "assistant_other_processes": 0.3,
                "load_generator": 0.05,
                "rest_of_machine": 0.4,
                "machine_busy": 1.65,
            }
        },
    )
    stock = AssistantResult(
        "stock",
        "stock (rasa init)",
        training_s=90.0,
        training_note="measured",
        startup_s=15.0,
        peak_rss_kb=665_600,
        levels=[_level(1, 20.0, 100.0), _level(10, 32.0, 500.0)],
    )
    return ours, stock


def test_ratio() -> None:
    assert ratio(8.0, 32.0) == 0.25
    assert ratio(None, 3.0) is None
    assert ratio(3.0, 0) is None


def test_table_has_a_row_per_assistant_and_level_with_errors_by_kind() -> None:
    markdown = render_markdown(MACHINE, SETTINGS, *_results())
    latency_table = next(block for block in markdown.split("\n\n") if "p50 (ms)" in block)
    assert [line.split(" | ")[:2] for line in latency_table.splitlines()[2:]] == [
        ["| Samtalestøtte", "1"],
        ["| Samtalestøtte", "10"],
        ["| stock (rasa init)", "1"],
        ["| stock (rasa init)", "10"],
    ]
    assert "| Samtalestøtte | 10 | 1000.0 | 2000.0 | 3000.0 | 8.00 | 3 (http_500 ×1, timeout ×2) |" in markdown
    assert "| stock (rasa init) | 1 | 50.0 | 100.0 | 150.0 | 20.00 | 0 |" in markdown


def test_figures_and_ratios_ours_over_stock() -> None:
    markdown = render_markdown(MACHINE, SETTINGS, *_results())
    assert "| start-up time (s), spawn to first REST reply | 60.0 | 15.0 | 4.00 |" in markdown
    assert "| training time (s), `rasa train` | not measured (reused x) | 90.0 | – |" in markdown
    assert "| peak RSS of the Rasa process (MB, VmHWM) | 1300.0 | 650.0 | 2.00 |" in markdown
    assert "| 1 | 0.25 | 0.20 · 0.30 | 4.00 |" in markdown  # msgs/s 5/20 (rounds 4/20, 6/20), p95 400/100
    assert "| 10 | 0.25 | 0.25 · 0.25 | 4.00 |" in markdown
    assert "2 round(s)" in markdown
    assert "2 cores (AMD EPYC)" in markdown and "Rasa 3.6.21" in markdown


def test_cpu_table_says_who_kept_the_cores_busy() -> None:
    markdown = render_markdown(MACHINE, SETTINGS, *_results())
    assert "the machine has 2" in markdown
    assert "| Samtalestøtte | 1 | 0.90 | 0.30 | 0.05 | 0.40 |" in markdown


def test_a_failed_assistant_is_shown_not_hidden() -> None:
    ours, stock = _results()
    stock.levels, stock.failure = [], "rasa train exited with 1"
    ours.notes = ["the Rasa process changed during the run (pid 1 -> 2)"]
    markdown = render_markdown(MACHINE, SETTINGS, ours, stock)
    assert "rasa train exited with 1" in markdown
    assert "| 1 | – | – | – |" in markdown
    assert "- Samtalestøtte: the Rasa process changed during the run (pid 1 -> 2)" in markdown


def test_json_keeps_raw_samples_machine_and_ratios(tmp_path: Path) -> None:
    markdown = write_reports(tmp_path, MACHINE, SETTINGS, *_results())
    assert (tmp_path / "bench.md").read_text(encoding="utf-8") == markdown
    data = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert data["machine"]["cpu_model"] == "AMD EPYC"
    first_round, second_round = data["assistants"]["ours"]["samples"]["1"]
    assert first_round == [[0.0, 250.0, None], [0.3, 100.0, "timeout"]] and second_round == [[0.1, 500.0, None]]
    assert data["assistants"]["ours"]["peak_rss_mb"] == 1300.0
    assert data["assistants"]["stock"]["levels"][1]["msgs_per_s"] == 32.0
    assert data["ratios_ours_over_stock"] == [
        {"concurrency": 1, "msgs_per_s": 0.25, "msgs_per_s_by_round": [0.2, 0.3], "p95": 4.0},
        {"concurrency": 10, "msgs_per_s": 0.25, "msgs_per_s_by_round": [0.25, 0.25], "p95": 4.0},
    ]
