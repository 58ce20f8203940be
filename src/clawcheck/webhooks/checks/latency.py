"""Rule 2.1, "fast": the P95 of a bounded burst of valid deliveries is within the SLA."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from clawcheck.webhooks.checks._base import CheckFailed, CheckKind, check
from clawcheck.webhooks.context import Context

__all__ = ["BUDGET_S", "nearest_rank"]

PERCENTILE = 95
BUDGET_S = 60.0  # the burst stops sending after this long, whatever its size


def nearest_rank(samples: Sequence[float], percentile: int) -> tuple[float, int]:
    """The nearest-rank percentile and its rank: the ceil(p/100 * n)-th smallest sample (1-based).

    Exact, from every sample; no interpolation. For 100 samples, P95 is the 95th smallest.
    """
    if not samples:
        raise ValueError("no samples")
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {percentile}")
    ordered = sorted(samples)
    rank = -(-percentile * len(ordered) // 100)  # integer ceil: no float rounding at the edges
    return ordered[rank - 1], rank


@check(
    "webhook.latency_p95",
    title="The P95 of a burst of valid deliveries is within 800 ms",
    title_zh="有效投递的 P95 响应时间不超过 800 毫秒",
    kind=CheckKind.LOAD,
    rule="2.1",
)
def latency_p95(ctx: Context) -> str:
    ctx.require_accepted()
    settings = ctx.settings
    exchanges = ctx.sender.burst(
        lambda n: ctx.delivery(note=f"burst delivery {n + 1} of {settings.burst}"),
        count=settings.burst,
        concurrency=settings.concurrency,
        budget=BUDGET_S,
    )
    samples = [e.elapsed * 1000 for e in exchanges]
    p95, rank = nearest_rank(samples, PERCENTILE)
    rule = f"nearest rank: the {rank}th of {len(samples)} sorted samples"
    ctx.metrics["latency_ms"] = {
        "samples": len(samples),
        "planned": settings.burst,
        "concurrency": settings.concurrency,
        "p95": round(p95, 3),
        "p95_rule": rule,
        "median": round(statistics.median(samples), 3),
        "max": round(max(samples), 3),
    }
    cut = (
        f"; the {BUDGET_S:g} s budget ran out after {len(samples)} of {settings.burst}"
        if (len(samples) < settings.burst)
        else ""
    )
    refused = [e for e in exchanges if not e.accepted]
    if refused:
        raise CheckFailed(
            f"{len(refused)} of {len(exchanges)} valid deliveries in the burst were not answered 2xx "
            f"(first: {refused[0].answer()}){cut}; every valid delivery must get 2xx",
            refused[0],
            latency_ms=ctx.metrics["latency_ms"],
        )
    if p95 > settings.p95_ms or cut:
        slowest = max(exchanges, key=lambda e: e.elapsed)
        raise CheckFailed(
            f"P95 {p95:.1f} ms over {len(samples)} valid deliveries (concurrency {settings.concurrency}; "
            f"{rule}) exceeds {settings.p95_ms:g} ms{cut}",
            slowest,
            latency_ms=ctx.metrics["latency_ms"],
        )
    return (
        f"P95 {p95:.1f} ms <= {settings.p95_ms:g} ms over {len(samples)} valid deliveries at concurrency "
        f"{settings.concurrency} ({rule}; median {statistics.median(samples):.1f} ms, "
        f"max {max(samples):.1f} ms)"
    )
