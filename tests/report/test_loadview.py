"""Chart data from the load metrics: histogram bins, the percentile curve, axis ticks."""

from __future__ import annotations

import itertools
import math
from functools import cache

import pytest

from clawcheck.load.histogram import LatencyHistogram
from clawcheck.report.charts import log_ticks, nice_ticks
from clawcheck.report.loadview import LoadView, OperationLoad, load_view

from .sample import CREATE, GET_ORDER, TOKEN, load_suite


@cache
def _view() -> LoadView:
    result = load_suite()
    return load_view(result.metrics, result.checks)


def _op(name: str) -> OperationLoad:
    view = _view()
    return next(op for op in view.operations if op.name == name)


def test_bins_hold_every_sample() -> None:
    op = _op(CREATE)
    bins = op.bins()
    assert len(bins) == 40
    assert sum(b.count for b in bins) == op.count == 3000
    assert all(a.high_ms == pytest.approx(b.low_ms) for a, b in itertools.pairwise(bins))
    slow = sum(b.count for b in bins if b.low_ms >= 800)
    assert slow == 300  # the 10 % slow responses


def test_curve_is_monotonic_and_matches_the_percentiles() -> None:
    op = _op(CREATE)
    curve = op.curve()
    xs = [x for x, _ in curve]
    ys = [y for _, y in curve]
    assert xs[0] == 0
    assert xs[-1] == pytest.approx(math.log10(3000))
    assert ys == sorted(ys)
    p90 = next(y for x, y in curve if x == pytest.approx(1.0))  # 1 nine: the 90th percentile
    assert p90 == pytest.approx(op.latency_ms["p90"])
    assert ys[-1] == pytest.approx(op.latency_ms["max"])


def test_judged_and_measured_operations() -> None:
    assert _op(CREATE).sla_p95_ms == 800.0
    assert _op(GET_ORDER).sla_success == 0.999
    token = _op(TOKEN)
    assert token.sla_p95_ms is None
    assert token.p95_check is None
    assert token.curve()[-1][0] == 1.0  # one sample: the curve still spans up to P90


def test_missing_or_corrupt_histogram() -> None:
    view = load_view({"operations": {"A": {"count": 3, "histogram": "not base64"}, "B": {"count": 0}}}, ())
    assert [op.histogram for op in view.operations] == [None, None]
    assert view.operations[0].bins() == []
    assert view.operations[0].curve() == []
    assert view.series == []
    assert view.requests == 3


def test_single_value_histogram() -> None:
    h = LatencyHistogram()
    for _ in range(10):
        h.record_ms(5.0)
    op = load_view({"operations": {"A": {"count": 10, "histogram": h.encode()}}}, ()).operations[0]
    bins = op.bins()
    assert len(bins) == 1
    assert bins[0].count == 10


@pytest.mark.parametrize(("low", "high"), [(0, 7), (0, 92.4), (0, 1), (3, 3), (0, 0.013), (120, 4321)])
def test_nice_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low
    assert ticks[-1] >= high
    assert 2 <= len(ticks) <= 12
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1


def test_log_ticks() -> None:
    assert log_ticks(30, 1200) == [50, 100, 200, 500, 1000]
    assert log_ticks(1, 100_000) == [1, 10, 100, 1000, 10_000, 100_000]
