"""Every response of a load run, per operation: HDR histograms, statuses, failures, a per-second series.

`Recorder.record` is what Locust's `events.request` listener calls (see
`clawcheck.load.locust_plugin`); nothing here imports Locust. A recorder turns into
a JSON-able `snapshot()` that workers send to the master and the runner writes
to disk; `Recorder.merge(snapshot)` adds one exactly (histogram counts add up).

A response is a **failure** when it is a connection error or timeout (status 0 or
an exception without a response), a 5xx, a 429, or a status the spec does not
declare for the operation. Declared 4xx answers (409 INSUFFICIENT_STOCK, …) are
successes of the API: the load generator asked for something the contract refuses.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clawcheck.load.histogram import LatencyHistogram

__all__ = ["OperationStats", "Recorder", "is_failure", "series_value"]

SNAPSHOT_VERSION = 1


def is_failure(status: int, declared: frozenset[int] | None) -> bool:
    """Status 0 stands for no response (connection error, timeout)."""
    if status == 0 or status >= 500 or status == 429:
        return True
    return declared is not None and status not in declared


def series_value(value_ms: float) -> int:
    """Per-second series values kept to 2 significant digits (in µs): small and mergeable."""
    us = max(1, round(value_ms * 1000))
    digits = int(math.log10(us))
    scale = 10 ** max(0, digits - 1)
    rounded: int = -(-us // scale) * scale
    return rounded  # rounded up: the series never shows less than happened


@dataclass(slots=True)
class OperationStats:
    name: str
    raw: LatencyHistogram = field(default_factory=LatencyHistogram)
    corrected: LatencyHistogram = field(default_factory=LatencyHistogram)
    count: int = 0
    failures: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failure_statuses: Counter[str] = field(default_factory=Counter)
    failure_codes: Counter[str] = field(default_factory=Counter)

    @property
    def successes(self) -> int:
        return self.count - self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "failures": self.failures,
            "statuses": dict(self.statuses),
            "failure_statuses": dict(self.failure_statuses),
            "failure_codes": dict(self.failure_codes),
            "raw": self.raw.encode(),
            "corrected": self.corrected.encode(),
        }

    def add_dict(self, data: Mapping[str, Any]) -> None:
        self.count += int(data["count"])
        self.failures += int(data["failures"])
        self.statuses.update(data.get("statuses", {}))
        self.failure_statuses.update(data.get("failure_statuses", {}))
        self.failure_codes.update(data.get("failure_codes", {}))
        self.raw.add(LatencyHistogram.decode(data.get("raw", "")))
        self.corrected.add(LatencyHistogram.decode(data.get("corrected", "")))


@dataclass(slots=True)
class _Second:
    count: int = 0
    failures: int = 0
    values: Counter[int] = field(default_factory=Counter)


class Recorder:
    """Thread-safe collection of responses; `declared` maps an operation to the statuses its spec lists."""

    def __init__(
        self,
        declared: Mapping[str, frozenset[int]] | None = None,
        *,
        expected_interval_ms: float = 0.0,
        started: float = 0.0,
    ) -> None:
        self.declared = dict(declared or {})
        self.expected_interval_us = round(expected_interval_ms * 1000)
        self.started = started  # epoch seconds; the series counts seconds from here
        self.operations: dict[str, OperationStats] = {}
        self._seconds: dict[int, _Second] = {}
        self._all_values: Counter[int] = Counter()  # the whole run, 2 significant digits: progress only
        self._lock = threading.Lock()

    def stats(self, name: str) -> OperationStats:
        stats = self.operations.get(name)
        if stats is None:
            stats = self.operations[name] = OperationStats(name)
        return stats

    def record(
        self,
        name: str,
        response_time_ms: float,
        status: int,
        *,
        error_code: str | None = None,
        start_time: float | None = None,
        scheduled_time: float | None = None,
    ) -> bool:
        """Record one response; returns whether it counted as a failure.

        `scheduled_time` (open model): when the request was due; the corrected histogram then
        measures from it, so a generator that fell behind cannot hide the wait (coordinated omission).
        """
        failed = is_failure(status, self.declared.get(name))
        value_us = max(1, round(response_time_ms * 1000))
        with self._lock:
            stats = self.stats(name)
            stats.count += 1
            stats.statuses[str(status)] += 1
            stats.raw.record_us(value_us)
            if scheduled_time is not None and start_time is not None:
                lag_us = max(0, round((start_time - scheduled_time) * 1_000_000))
                stats.corrected.record_us(value_us + lag_us)
            else:
                stats.corrected.record_corrected_us(value_us, self.expected_interval_us)
            if failed:
                stats.failures += 1
                stats.failure_statuses[str(status)] += 1
                stats.failure_codes[error_code or _no_code(status)] += 1
            if start_time is not None and self.started:
                second = self._seconds.setdefault(max(0, int(start_time - self.started)), _Second())
                second.count += 1
                second.failures += failed
                second.values[series_value(response_time_ms)] += 1
            self._all_values[series_value(response_time_ms)] += 1
        return failed

    # -- exchange ------------------------------------------------------------------------------------

    def snapshot(self, *, reset: bool = False) -> dict[str, Any]:
        """JSON-able state; `reset` empties the recorder (a worker sends increments)."""
        with self._lock:
            data = {
                "version": SNAPSHOT_VERSION,
                "operations": {name: s.to_dict() for name, s in self.operations.items()},
                "series": {
                    str(sec): {
                        "count": s.count,
                        "failures": s.failures,
                        "values": {str(k): v for k, v in s.values.items()},
                    }
                    for sec, s in self._seconds.items()
                },
            }
            if reset:
                self.operations = {}
                self._seconds = {}
                self._all_values = Counter()
        return data

    def merge(self, snapshot: Mapping[str, Any]) -> None:
        with self._lock:
            for name, data in snapshot.get("operations", {}).items():
                self.stats(name).add_dict(data)
            for sec, data in snapshot.get("series", {}).items():
                second = self._seconds.setdefault(int(sec), _Second())
                second.count += int(data["count"])
                second.failures += int(data["failures"])
                values = {int(k): int(v) for k, v in data["values"].items()}
                second.values.update(values)
                self._all_values.update(values)

    # -- reading -------------------------------------------------------------------------------------

    def series(self) -> list[dict[str, Any]]:
        """Per second from the start: requests, failures and the P95 (ms, 2 significant digits)."""
        with self._lock:
            seconds = sorted(self._seconds.items())
        rows = []
        for sec, data in seconds:
            rows.append(
                {
                    "second": sec,
                    "requests": data.count,
                    "failures": data.failures,
                    "p95_ms": _series_p95(data.values, data.count),
                }
            )
        return rows

    def p95_so_far(self) -> float:
        """The whole run's P95 to 2 significant digits (for the progress line; verdicts use HDR)."""
        with self._lock:
            values = dict(self._all_values)
        return _series_p95(values, sum(values.values()))

    @property
    def total(self) -> int:
        return sum(s.count for s in self.operations.values())

    @property
    def total_failures(self) -> int:
        return sum(s.failures for s in self.operations.values())


def _series_p95(values: Mapping[int, int], count: int) -> float:
    if not count:
        return 0.0
    rank = -(-95 * count // 100)
    seen = 0
    for value in sorted(values):
        seen += values[value]
        if seen >= rank:
            return value / 1000.0
    return max(values) / 1000.0  # pragma: no cover - counts always add up


def _no_code(status: int) -> str:
    if status == 0:
        return "NO_RESPONSE"
    return f"HTTP_{status}"
