"""The histogram and verdict math on synthetic samples: exact and fast."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction

import pytest

from clawcheck.errors import ConfigError
from clawcheck.load.histogram import LatencyHistogram, nearest_rank
from clawcheck.load.recorder import Recorder, is_failure, series_value
from clawcheck.load.sla import (
    MIN_P95_SAMPLES,
    Outcome,
    overall,
    p95_verdict,
    parse_override,
    spec_operations,
    success_verdict,
)
from clawcheck.load.stats import quantile_ranks, wilson_interval


def histogram_of(values_ms: list[float]) -> LatencyHistogram:
    histogram = LatencyHistogram()
    for value in values_ms:
        histogram.record_ms(value)
    return histogram


def schedule(fast: float, slow: float, slow_share: int, n: int) -> list[float]:
    """n samples: `slow_share` in every 100 are `slow` ms, the rest `fast` ms."""
    return [slow if i % 100 >= 100 - slow_share else fast for i in range(n)]


def test_nearest_rank_is_exact() -> None:
    assert nearest_rank(0.95, 100) == 95
    assert nearest_rank(0.95, 101) == 96
    assert nearest_rank(0.5, 1) == 1
    assert nearest_rank(0.99, 1000) == 990


@pytest.mark.parametrize("value_ms", [0.5, 20.0, 799.9, 805.0, 12_345.6])
def test_histogram_keeps_three_significant_digits(value_ms: float) -> None:
    bucket = histogram_of([value_ms]).percentile(0.95)
    assert bucket.lowest_ms <= value_ms <= bucket.highest_ms
    assert bucket.highest_ms - bucket.lowest_ms <= value_ms * 0.001 + 0.001


def test_p95_equals_the_sorted_samples_order_statistic() -> None:
    rng = random.Random(7)
    values = [rng.lognormvariate(4, 1) for _ in range(5000)]
    expected = sorted(values)[nearest_rank(0.95, len(values)) - 1]
    got = histogram_of(values).percentile(0.95)
    assert got.lowest_ms <= expected * 1.0005
    assert expected <= got.highest_ms * 1.0005
    assert abs(got.highest_ms - expected) / expected < 0.001


def test_quantile_ranks_cover_the_binomial_mass() -> None:
    # Exact rational arithmetic: P(low <= B < high) for B ~ Binomial(n, 0.95).
    for n in (100, 250, 1000):
        low, high = quantile_ranks(n, 0.95)
        hits = sum(math.comb(n, i) * 95**i * 5 ** (n - i) for i in range(low, min(high, n + 1)))
        mass = Fraction(hits, 100**n)
        assert mass >= Fraction(95, 100), (n, low, high, float(mass))

        # and it is the tightest: each end leaves at most 2.5 %, and one rank further in more than that
        def below(k: int, n: int = n) -> Fraction:  # P(B <= k - 1)
            return Fraction(sum(math.comb(n, i) * 95**i * 5 ** (n - i) for i in range(k)), 100**n)

        assert below(low) <= Fraction(25, 1000) < below(low + 1)
        if high <= n:
            assert 1 - below(high) <= Fraction(25, 1000) < 1 - below(high - 1)
        assert low < nearest_rank(0.95, n) <= high


@pytest.mark.parametrize(
    ("slow_ms", "outcome"),
    [(790.0, Outcome.PASS), (801.0, Outcome.FAIL), (805.0, Outcome.FAIL), (800.0, Outcome.INCONCLUSIVE)],
)
def test_p95_gate_is_exact_where_locust_rounds(slow_ms: float, outcome: Outcome) -> None:
    # Locust would print 801 and 805 ms as "800" and pass them; the exact gate fails them.
    verdict = p95_verdict("GET /healthz", histogram_of(schedule(20.0, slow_ms, 12, 400)), 800.0)
    assert verdict.outcome is outcome
    assert verdict.observed is not None
    assert abs(verdict.observed - slow_ms) / slow_ms < 0.001


def test_p95_needs_enough_samples() -> None:
    few = p95_verdict("op", histogram_of([10.0] * (MIN_P95_SAMPLES - 1)), 800.0)
    assert few.outcome is Outcome.INCONCLUSIVE
    enough = p95_verdict("op", histogram_of([10.0] * MIN_P95_SAMPLES), 800.0)
    assert enough.outcome is Outcome.PASS
    assert p95_verdict("op", LatencyHistogram(), 800.0).outcome is Outcome.INCONCLUSIVE


def test_p95_is_inconclusive_when_the_interval_straddles_the_threshold() -> None:
    # 5 % slow: the P95 sits right at the boundary between 20 ms and 900 ms.
    verdict = p95_verdict("op", histogram_of(schedule(20.0, 900.0, 5, 1000)), 800.0)
    assert verdict.outcome is Outcome.INCONCLUSIVE
    assert verdict.interval is not None
    assert verdict.interval[0] < 800 < verdict.interval[1]


@pytest.mark.parametrize(
    ("error_per_mille", "outcome"), [(4, Outcome.PASS), (6, Outcome.FAIL), (5, Outcome.INCONCLUSIVE)]
)
def test_success_rate_gate(error_per_mille: int, outcome: Outcome) -> None:
    n = 30_000
    failures = n * error_per_mille // 1000
    assert success_verdict("op", n - failures, n, 0.995).outcome is outcome


def test_success_rate_with_too_few_requests_is_inconclusive() -> None:
    assert success_verdict("op", 400, 400, 0.995).outcome is Outcome.INCONCLUSIVE
    assert success_verdict("op", 1000, 1000, 0.995).outcome is Outcome.PASS
    assert success_verdict("op", 0, 0, 0.995).outcome is Outcome.INCONCLUSIVE


def test_wilson_interval_contains_the_rate() -> None:
    low, high = wilson_interval(996, 1000)
    assert low < 0.996 < high
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_overall_verdict() -> None:
    passed = success_verdict("a", 1000, 1000, 0.995)
    failed = success_verdict("b", 900, 1000, 0.995)
    unsure = success_verdict("c", 10, 10, 0.995)
    assert overall([passed]) is Outcome.PASS
    assert overall([passed, unsure]) is Outcome.INCONCLUSIVE
    assert overall([passed, unsure, failed]) is Outcome.FAIL
    assert overall([]) is Outcome.INCONCLUSIVE


@pytest.mark.parametrize(
    ("status", "declared", "failed"),
    [
        (200, {200}, False),
        (409, {201, 409}, False),
        (404, {200}, True),
        (429, {429}, True),
        (500, {500}, True),
        (503, {503}, True),
        (0, None, True),
        (400, None, False),
    ],
)
def test_failure_classification(status: int, declared: set[int] | None, failed: bool) -> None:
    assert is_failure(status, frozenset(declared) if declared is not None else None) is failed


def test_recorder_counts_failures_by_status_and_code() -> None:
    recorder = Recorder({"GET /healthz": frozenset({200, 500, 503})}, started=1000.0)
    recorder.record("GET /healthz", 12.0, 200, start_time=1000.2)
    recorder.record("GET /healthz", 15.0, 503, error_code="INJECTED_FAULT", start_time=1001.5)
    recorder.record("GET /healthz", 9.0, 0, start_time=1001.7)
    stats = recorder.operations["GET /healthz"]
    assert (stats.count, stats.failures) == (3, 2)
    assert stats.failure_statuses == {"503": 1, "0": 1}
    assert stats.failure_codes == {"INJECTED_FAULT": 1, "NO_RESPONSE": 1}
    assert [row["requests"] for row in recorder.series()] == [1, 2]


def test_open_model_corrects_from_the_scheduled_time() -> None:
    recorder = Recorder()
    recorder.record("op", 10.0, 200, start_time=100.5, scheduled_time=100.0)  # 500 ms late
    stats = recorder.operations["op"]
    assert stats.raw.percentile(0.5).highest_ms == pytest.approx(10.0, rel=0.001)
    assert stats.corrected.percentile(0.5).highest_ms == pytest.approx(510.0, rel=0.001)


def test_closed_model_correction_adds_the_omitted_samples() -> None:
    recorder = Recorder(expected_interval_ms=100.0)
    recorder.record("op", 1000.0, 200)  # a 1 s stall hides 9 requests a steady client would have sent
    stats = recorder.operations["op"]
    assert stats.raw.count == 1
    assert stats.corrected.count == 10


def test_series_values_round_up_to_two_digits() -> None:
    assert series_value(0.8) == 800
    assert series_value(12.34) == 13000
    assert series_value(805.0) == 810000


def test_merged_snapshots_equal_one_recorder_exactly() -> None:
    rng = random.Random(3)
    samples = [
        (rng.choice(["GET /healthz", "POST /v2/orders/create"]), rng.expovariate(1 / 80), 200)
        for _ in range(3000)
    ]
    samples += [("GET /healthz", 40.0, 503)] * 7
    single = Recorder({"GET /healthz": frozenset({200, 503})}, started=1.0)
    parts = [Recorder({"GET /healthz": frozenset({200, 503})}, started=1.0) for _ in range(2)]
    for index, (name, value, status) in enumerate(samples):
        single.record(name, value, status, start_time=1.0 + index / 1000)
        parts[index % 2].record(name, value, status, start_time=1.0 + index / 1000)
    master = Recorder({"GET /healthz": frozenset({200, 503})})
    for part in parts:  # as the workers send them: JSON over the wire, reset after each report
        master.merge(json.loads(json.dumps(part.snapshot(reset=True))))
    assert parts[0].total == 0
    for name, stats in single.operations.items():
        merged = master.operations[name]
        assert merged.raw.counts() == stats.raw.counts()
        assert (merged.count, merged.failures) == (stats.count, stats.failures)
        assert p95_verdict(name, merged.raw, 800.0) == p95_verdict(name, stats.raw, 800.0)
        assert success_verdict(name, merged.successes, merged.count, 0.995) == success_verdict(
            name, stats.successes, stats.count, 0.995
        )
    assert master.series() == single.series()


def test_spec_operations_carry_sla_priority_and_statuses() -> None:
    ops = spec_operations()
    create = ops["POST /v2/orders/create"]
    assert create.priority == 1
    assert create.sla.p95_ms == 800.0
    assert create.sla.success_rate == 0.995
    assert {201, 409, 429, 500, 503} <= create.declared
    priority = [name for name, op in ops.items() if op.priority == 1]
    assert priority == ["POST /v2/orders/create", "POST /v2/inventory/adjust", "POST /v2/shipments/confirm"]


def test_sla_overrides_may_only_tighten() -> None:
    ops = spec_operations()
    tighter = parse_override("POST /v2/orders/create p95_ms=500 success_rate=0.999", ops)
    assert tighter["POST /v2/orders/create"].sla.p95_ms == 500.0
    assert tighter["GET /healthz"].sla.p95_ms == 800.0
    everywhere = parse_override("p95_ms=600", ops)
    assert {op.sla.p95_ms for op in everywhere.values()} == {600.0}
    with pytest.raises(ConfigError, match="loosens"):
        parse_override("p95_ms=900", ops)
    with pytest.raises(ConfigError, match="loosens"):
        parse_override("GET /healthz success_rate=0.99", ops)
    with pytest.raises(ConfigError, match="no operation"):
        parse_override("GET /nope p95_ms=100", ops)
