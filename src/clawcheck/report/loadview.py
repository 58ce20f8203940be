"""The load suite's metrics as chart data: histogram bins, the percentile curve, the per-second series.

Everything is recomputed from the HdrHistogram V2 each operation carries
(`metrics["operations"][op]["histogram"]`, µs), so the charts show exactly what the
verdicts were computed from; figures are the highest value of their bucket, as in
`clawcheck.load.histogram` (never below the true value).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clawcheck.core.results import CheckRecord
from clawcheck.load.histogram import LatencyHistogram, nearest_rank

__all__ = ["Bin", "LoadView", "OperationLoad", "SeriesPoint", "load_view"]

CURVE_STEP = 0.05  # in -log10(1 - p): 20 points per "nine"
MAX_NINES = 5.0  # the curve stops at 99.999 % whatever the count


@dataclass(frozen=True, slots=True)
class Bin:
    low_ms: float
    high_ms: float
    count: int


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    second: int
    requests: int
    failures: int
    p95_ms: float


@dataclass(frozen=True)
class OperationLoad:
    name: str
    count: int
    failures: int
    success_rate: float | None
    latency_ms: Mapping[str, float]
    statuses: Mapping[str, int]
    failures_by_code: Mapping[str, int]
    histogram: LatencyHistogram | None  # None when missing or unreadable
    p95_check: CheckRecord | None  # None: measured, not judged (outside the task mix)
    success_check: CheckRecord | None

    @property
    def sla_p95_ms(self) -> float | None:
        return _threshold(self.p95_check)

    @property
    def sla_success(self) -> float | None:
        return _threshold(self.success_check)

    def bins(self, count: int = 40) -> list[Bin]:
        """Log-spaced bins from the fastest to the slowest response (latencies span decades)."""
        if self.histogram is None or not self.histogram.count:
            return []
        h = self.histogram
        buckets = h.counts()
        low = max(buckets[0][0], 1) / 1000.0
        high = max(h.max_us / 1000.0, low)
        if len(buckets) == 1:
            return [Bin(low, high, h.count)]
        edges = [low * (high / low) ** (i / count) for i in range(count + 1)]
        counts = [0] * count
        span = math.log(high / low)
        for value_us, n in buckets:
            position = math.log(max(value_us / 1000.0, low) / low) / span
            counts[min(count - 1, int(position * count))] += n
        return [Bin(edges[i], edges[i + 1], counts[i]) for i in range(count)]

    def curve(self) -> list[tuple[float, float]]:
        """(nines, latency ms): nines = -log10(1 - p), so 50 % is 0.30, 90 % 1, 99 % 2, 99.9 % 3."""
        if self.histogram is None or not self.histogram.count:
            return []
        total = self.histogram.count
        top = min(MAX_NINES, max(1.0, math.log10(total)))
        steps = int(top / CURVE_STEP)
        xs = [i * CURVE_STEP for i in range(steps + 1)]
        if xs[-1] < top:
            xs.append(top)
        ranks = [nearest_rank(1.0 - 10.0**-x, total) for x in xs]
        buckets = self.histogram.at_ranks(ranks)
        return [(x, b.highest_ms) for x, b in zip(xs, buckets, strict=True)]


@dataclass(frozen=True)
class LoadView:
    operations: list[OperationLoad]
    series: list[SeriesPoint]
    requests: int
    failures: int
    rps: float | None
    duration_s: float | None
    verdict: str


def _threshold(check: CheckRecord | None) -> float | None:
    if check is None:
        return None
    value = check.evidence.get("threshold")
    return float(value) if isinstance(value, int | float) else None


def _decode(encoded: Any) -> LatencyHistogram | None:
    if not isinstance(encoded, str) or not encoded:
        return None
    try:
        return LatencyHistogram.decode(encoded)
    # hdrh raises bare Exception subclasses for corrupt input; one bad histogram must not
    # cost the whole signed report, its chart says it is unreadable instead.
    except Exception:
        return None


def _ints(data: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in data.items()} if isinstance(data, Mapping) else {}


def load_view(metrics: Mapping[str, Any], checks: Iterable[CheckRecord]) -> LoadView:
    """The load suite's `metrics` (see `clawcheck.load.report.build_result`) and its SLA records."""
    verdicts = {(c.operation, c.id): c for c in checks if c.operation}
    operations = []
    raw_ops = metrics.get("operations", {})
    for name, data in raw_ops.items() if isinstance(raw_ops, Mapping) else ():
        rate = data.get("success_rate")
        operations.append(
            OperationLoad(
                name=str(name),
                count=int(data.get("count", 0)),
                failures=int(data.get("failures", 0)),
                success_rate=float(rate) if isinstance(rate, int | float) else None,
                latency_ms={str(k): float(v) for k, v in data.get("latency_ms", {}).items()},
                statuses=_ints(data.get("statuses")),
                failures_by_code=_ints(data.get("failures_by_code")),
                histogram=_decode(data.get("histogram")),
                p95_check=verdicts.get((name, "sla.p95")),
                success_check=verdicts.get((name, "sla.success_rate")),
            )
        )
    series = [
        SeriesPoint(
            int(row.get("second", 0)),
            int(row.get("requests", 0)),
            int(row.get("failures", 0)),
            float(row.get("p95_ms", 0.0)),
        )
        for row in metrics.get("series", ()) or ()
        if isinstance(row, Mapping)
    ]
    rps, duration = metrics.get("rps"), metrics.get("duration_s")
    return LoadView(
        operations=operations,
        series=series,
        requests=int(metrics.get("requests", sum(op.count for op in operations))),
        failures=int(metrics.get("failures", sum(op.failures for op in operations))),
        rps=float(rps) if isinstance(rps, int | float) else None,
        duration_s=float(duration) if isinstance(duration, int | float) else None,
        verdict=str(metrics.get("verdict", "")),
    )
