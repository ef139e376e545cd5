"""Percentiles and the per-level summary of the benchmark (bench.stats)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.stats import Sample, percentile, summarise, summarise_rounds


def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)


def test_percentile_ignores_input_order_and_matches_numpy() -> None:
    rng = random.Random(7)
    values = [rng.expovariate(1 / 200) for _ in range(997)]
    shuffled = rng.sample(values, len(values))
    for q in (50, 95, 99):
        assert percentile(shuffled, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_of_one_value_and_bad_input() -> None:
    assert percentile([42.0], 99) == 42.0
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_counts_errors_by_kind_and_leaves_them_out_of_latency() -> None:
    samples = [
        Sample(0.0, 0.100),
        Sample(0.1, 0.200),
        Sample(0.3, 0.300),
        Sample(0.6, 5.000, "timeout"),
        Sample(0.7, 0.010, "http_500"),
        Sample(0.8, 0.020, "empty_reply"),
        Sample(0.9, 0.030, "http_500"),
    ]
    level = summarise(samples, concurrency=3, seconds=10)
    assert level.errors == 4
    assert level.error_kinds == {"empty_reply": 1, "http_500": 2, "timeout": 1}
    assert level.messages == 3
    assert level.p50_ms == 200.0  # the 5 s timeout does not drag the percentiles
    assert level.p99_ms == pytest.approx(298.0)


def test_throughput_counts_only_replies_inside_the_window() -> None:
    samples = [Sample(t, 0.5) for t in range(10)]  # replies end at 0.5, 1.5, … 9.5 s
    level = summarise(samples, concurrency=1, seconds=5)
    assert level.messages == 5
    assert level.msgs_per_s == 1.0
    assert summarise(samples, concurrency=1, seconds=5, processes=2).msgs_per_s == 0.5


def test_summary_without_successes_has_no_percentiles() -> None:
    level = summarise([Sample(0, 1, "timeout")], concurrency=1, seconds=5)
    assert (level.p50_ms, level.p95_ms, level.p99_ms, level.msgs_per_s, level.errors) == (None, None, None, 0, 1)


def test_rounds_pool_latency_and_average_throughput_and_keep_each_rounds_figure() -> None:
    fast = [Sample(t, 0.1) for t in range(10)]  # 10 replies inside a 10 s window
    slow = [Sample(2 * t, 0.3) for t in range(5)] + [Sample(10.5, 0.2, "timeout")]  # 5 inside, one error
    level = summarise_rounds([fast, slow], concurrency=1, seconds=10)
    assert level.messages == 15
    assert level.msgs_per_s == 0.75  # 15 replies in 2 × 10 s
    assert level.round_msgs_per_s == (1.0, 0.5)
    assert level.errors == 1 and level.error_kinds == {"timeout": 1}
    assert level.p50_ms == 100.0 and level.p99_ms == pytest.approx(300.0)
    assert summarise(fast, 1, 10).round_msgs_per_s == (1.0,)
    with pytest.raises(ValueError):
        summarise_rounds([], 1, 10)
