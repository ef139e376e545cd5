"""`python -m bench`: our assistant and Rasa's stock `rasa init` assistant, trained and run on this machine.

Reports p50/p95/p99 round-trip latency, msgs/s per Rasa process and errors at each concurrency, peak RSS of the
Rasa process, start-up and training time, and ours/stock ratios, to results/bench/bench.md and bench.json.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from types import FrameType

from bench.assistants import (
    OURS_SCRIPT,
    PROJECT_ROOT,
    STOCK_SCRIPT,
    find_model,
    launch_ours,
    launch_stock,
    prepare_ours,
    prepare_stock,
)
from bench.machine import machine_info
from bench.report import write_reports
from bench.run import Assistant, Settings, measure_all, say

QUICK = {"levels": (1, 10), "seconds": 5.0, "warmup": 1.0, "rounds": 1}
# Three interleaved rounds of 20 s: a minute per level and assistant, and three back-to-back comparisons.
FULL = {"levels": (1, 10, 30), "seconds": 20.0, "warmup": 3.0, "rounds": 3}


def _levels(text: str) -> tuple[int, ...]:
    levels = tuple(int(part) for part in text.split(",") if part.strip())
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("levels are positive integers, e.g. 1,10,30")
    return levels


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a positive whole number, e.g. 3")
    return int(text)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1 and 10 conversations, 5 s each, reuse models where they exist",
    )
    parser.add_argument("--levels", type=_levels, help="concurrent conversations per level (default 1,10,30)")
    parser.add_argument("--seconds", type=float, help="measured seconds per level and round (default 20)")
    parser.add_argument("--rounds", type=_positive, help="interleaved rounds of all levels (default 3)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds before each level (default 3)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a round trip counts as failed")
    parser.add_argument("--startup-timeout", type=float, default=600.0, help="seconds to wait for the first reply")
    parser.add_argument(
        "--reuse-model",
        type=Path,
        help="serve this model of ours instead of training one (training time: not measured)",
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "bench", help="report folder")
    return parser.parse_args(argv)


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the bench like Ctrl+C: every finally block stops its children


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    defaults = QUICK if args.quick else FULL
    settings = Settings(
        levels=args.levels or defaults["levels"],
        seconds=args.seconds or defaults["seconds"],
        warmup=args.warmup if args.warmup is not None else defaults["warmup"],
        rounds=args.rounds or defaults["rounds"],
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
    )
    reuse_model = args.reuse_model
    if args.quick and reuse_model is None:
        reuse_model = find_model(PROJECT_ROOT / "models")
    signal.signal(signal.SIGTERM, _raise_interrupt)

    machine = machine_info()
    assistants = [
        Assistant("ours", "Samtalestøtte", lambda: prepare_ours(reuse_model), launch_ours, OURS_SCRIPT),
        Assistant(
            "stock", "stock (rasa init)", lambda: prepare_stock(reuse_trained=args.quick), launch_stock, STOCK_SCRIPT
        ),
    ]
    try:
        ours, stock = measure_all(assistants, settings)
    except KeyboardInterrupt:
        say("interrupted; everything started has been stopped")
        return 130

    report_settings = {
        **asdict(settings),
        "quick": args.quick,
        "reuse_model": str(reuse_model) if reuse_model else None,
        "ours_script": list(OURS_SCRIPT),
        "stock_script": list(STOCK_SCRIPT),
    }
    print(write_reports(args.out, machine, report_settings, ours, stock))
    say(f"written: {args.out / 'bench.md'}, {args.out / 'bench.json'}")
    return 1 if ours.failure or stock.failure else 0


if __name__ == "__main__":
    sys.exit(main())
