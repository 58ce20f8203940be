"""SLAs per operation from the spec's `x-sla`, overrides, and the verdict rules.

Rules (stated in docs/load.md, applied per operation and per aspect):

- **P95** (`sla.p95`): at least `MIN_P95_SAMPLES` samples, else *inconclusive*. The
  95 % distribution-free confidence interval of the P95 comes from order statistics
  (`stats.quantile_ranks`), read from the HDR histogram conservatively (the lower
  bound at its bucket's lowest value, the upper bound at its bucket's highest). *pass*
  when the upper bound ≤ the threshold, *fail* when the lower bound > it,
  *inconclusive* when the interval straddles it.
- **Success rate** (`sla.success_rate`): the 95 % Wilson interval of the observed rate.
  *pass* when its lower bound ≥ the target, *fail* when its upper bound < the
  target, *inconclusive* otherwise (too few samples to tell).
- **Overall**: *fail* if any verdict fails, else *inconclusive* if any is, else *pass*.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from clawcheck.errors import ConfigError
from clawcheck.load.histogram import LatencyHistogram, nearest_rank
from clawcheck.load.stats import CONFIDENCE, quantile_ranks, wilson_interval
from clawcheck.spec.loader import LoadedSpec, bundled_spec_path, load_spec
from clawcheck.spec.operations import iter_operations

__all__ = [
    "DEFAULT_SLA",
    "MIN_P95_SAMPLES",
    "Outcome",
    "Sla",
    "SpecOperation",
    "Verdict",
    "overall",
    "p95_verdict",
    "parse_override",
    "spec_operations",
    "success_verdict",
]

MIN_P95_SAMPLES = 100
P95 = 0.95


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True, slots=True)
class Sla:
    p95_ms: float = 800.0
    success_rate: float = 0.995


DEFAULT_SLA = Sla()


@dataclass(frozen=True, slots=True)
class SpecOperation:
    """What load testing needs of one spec operation."""

    name: str  # "POST /v2/orders/create"
    sla: Sla
    priority: int | None  # x-priority (1 first); None when unmarked
    declared: frozenset[int]  # response statuses the spec declares


@dataclass(frozen=True, slots=True)
class Verdict:
    aspect: str  # "p95" or "success_rate"
    operation: str | None
    outcome: Outcome
    samples: int
    observed: float | None
    threshold: float
    interval: tuple[float, float] | None
    rule: str

    def to_dict(self) -> dict[str, Any]:
        low, high = self.interval if self.interval else (None, None)
        return {
            "verdict": str(self.outcome),
            "samples": self.samples,
            "observed": self.observed,
            "threshold": self.threshold,
            "ci_low": _finite(low),
            "ci_high": _finite(high),
            "confidence": CONFIDENCE,
            "rule": self.rule,
        }


def _finite(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def spec_operations(spec: LoadedSpec | Path | None = None) -> dict[str, SpecOperation]:
    """Every operation of the spec with its SLA, priority and declared statuses, in document order."""
    loaded = spec if isinstance(spec, LoadedSpec) else load_spec(spec or bundled_spec_path())
    found: dict[str, SpecOperation] = {}
    for op in iter_operations(loaded):
        raw_sla = op.node.get("x-sla")
        sla = DEFAULT_SLA
        if isinstance(raw_sla, dict):
            sla = Sla(
                float(raw_sla.get("p95_ms", DEFAULT_SLA.p95_ms)),
                float(raw_sla.get("success_rate", DEFAULT_SLA.success_rate)),
            )
        priority = op.node.get("x-priority")
        responses = op.node.get("responses")
        declared = frozenset(
            int(code) for code in (responses if isinstance(responses, dict) else {}) if str(code).isdigit()
        )
        found[op.label] = SpecOperation(
            op.label, sla, priority if isinstance(priority, int) else None, declared
        )
    return found


def parse_override(text: str, operations: Mapping[str, SpecOperation]) -> dict[str, SpecOperation]:
    """Apply `"p95_ms=500"` (every operation) or `"POST /v2/orders/create success_rate=0.999"`.

    Overrides may only tighten an SLA: a looser value is a ConfigError naming the spec's.
    """
    words = text.split()
    targets: Iterable[str] = operations
    if len(words) >= 2 and "=" not in words[0]:
        name = f"{words[0].upper()} {words[1]}"
        if name not in operations:
            raise ConfigError(f"--sla {text!r}: the spec has no operation {name}")
        targets, words = (name,), words[2:]
    if not words:
        raise ConfigError(f"--sla {text!r}: give p95_ms=MS and/or success_rate=FRACTION")
    changes: dict[str, float] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key not in ("p95_ms", "success_rate"):
            raise ConfigError(f"--sla {text!r}: {word!r} is not p95_ms=MS or success_rate=FRACTION")
        try:
            changes[key] = float(value)
        except ValueError:
            raise ConfigError(f"--sla {text!r}: {value!r} is not a number") from None
    rate = changes.get("success_rate")
    if rate is not None and not 0 < rate < 1:
        raise ConfigError(f"--sla {text!r}: success_rate must lie between 0 and 1, e.g. 0.999")
    p95 = changes.get("p95_ms")
    if p95 is not None and not p95 > 0:
        raise ConfigError(f"--sla {text!r}: p95_ms must be positive")
    result = dict(operations)
    for name in targets:
        op = operations[name]
        if p95 is not None and p95 > op.sla.p95_ms:
            raise ConfigError(
                f"--sla {text!r} loosens {name}: the spec's x-sla p95_ms is {op.sla.p95_ms:g}; "
                "an override may only tighten it"
            )
        if rate is not None and rate < op.sla.success_rate:
            raise ConfigError(
                f"--sla {text!r} loosens {name}: the spec's x-sla success_rate is {op.sla.success_rate:g}; "
                "an override may only tighten it"
            )
        sla = Sla(
            p95 if p95 is not None else op.sla.p95_ms, rate if rate is not None else op.sla.success_rate
        )
        result[name] = replace(op, sla=sla)
    return result


def p95_verdict(operation: str | None, histogram: LatencyHistogram, threshold_ms: float) -> Verdict:
    n = histogram.count
    rule = (
        f"n >= {MIN_P95_SAMPLES}; {CONFIDENCE:.0%} order-statistic CI of the P95: pass if its upper "
        f"bound <= {threshold_ms:g} ms, fail if its lower bound > {threshold_ms:g} ms"
    )
    if n == 0:
        return Verdict("p95", operation, Outcome.INCONCLUSIVE, 0, None, threshold_ms, None, rule)
    lower_rank, upper_rank = quantile_ranks(n, P95)
    point, low_bucket, high_bucket = histogram.at_ranks(
        [nearest_rank(P95, n), max(lower_rank, 1), upper_rank]
    )
    low = low_bucket.lowest_ms if lower_rank >= 1 else 0.0
    high = high_bucket.highest_ms if upper_rank <= n else math.inf
    if n < MIN_P95_SAMPLES:
        outcome = Outcome.INCONCLUSIVE
    elif high <= threshold_ms:
        outcome = Outcome.PASS
    elif low > threshold_ms:
        outcome = Outcome.FAIL
    else:
        outcome = Outcome.INCONCLUSIVE
    return Verdict("p95", operation, outcome, n, point.highest_ms, threshold_ms, (low, high), rule)


def success_verdict(operation: str | None, successes: int, n: int, target: float) -> Verdict:
    rule = (
        f"{CONFIDENCE:.0%} Wilson interval: pass if its lower bound >= {target:g}, "
        f"fail if its upper bound < {target:g}"
    )
    if n == 0:
        return Verdict("success_rate", operation, Outcome.INCONCLUSIVE, 0, None, target, None, rule)
    low, high = wilson_interval(successes, n)
    if low >= target:
        outcome = Outcome.PASS
    elif high < target:
        outcome = Outcome.FAIL
    else:
        outcome = Outcome.INCONCLUSIVE
    return Verdict("success_rate", operation, outcome, n, successes / n, target, (low, high), rule)


def overall(verdicts: Iterable[Verdict]) -> Outcome:
    outcomes = [v.outcome for v in verdicts]
    if Outcome.FAIL in outcomes:
        return Outcome.FAIL
    if not outcomes or Outcome.INCONCLUSIVE in outcomes:
        return Outcome.INCONCLUSIVE
    return Outcome.PASS
