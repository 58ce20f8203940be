"""Distribution-free confidence intervals: a quantile from order statistics, a rate by Wilson.

Quantile (no assumption about the shape of the latency distribution): among n
samples the number below the true q-quantile is Binomial(n, q), so the order
statistics X(l) ≤ X(u) bracket it with probability Σ_{i=l}^{u-1} C(n,i) qⁱ(1-q)ⁿ⁻ⁱ.
`quantile_ranks` picks the largest l and smallest u leaving at most α/2 on each
side; u may be n + 1 (no upper bound from the sample: too few samples).
"""

from __future__ import annotations

import math

__all__ = ["CONFIDENCE", "Z_95", "quantile_ranks", "wilson_interval"]

CONFIDENCE = 0.95
Z_95 = 1.959963984540054
_SPAN_SD = 12.0  # binomial mass beyond 12 standard deviations is below 1e-30: ignored


def _log_pmf(n: int, p: float, i: int) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
    )


def quantile_ranks(n: int, q: float, confidence: float = CONFIDENCE) -> tuple[int, int]:
    """1-based ranks (l, u) with P(X(l) ≤ ξ_q ≤ X(u)) ≥ confidence; l may be 0, u may be n + 1 (unbounded)."""
    if n < 1:
        return 0, n + 1
    if not 0 < q < 1 or not 0 < confidence < 1:
        raise ValueError("q and confidence must lie strictly between 0 and 1")
    alpha = (1 - confidence) / 2
    mean, sd = n * q, math.sqrt(n * q * (1 - q))
    low = max(0, math.floor(mean - _SPAN_SD * sd) - 1)
    high = min(n, math.ceil(mean + _SPAN_SD * sd) + 1)
    pmf = {i: math.exp(_log_pmf(n, q, i)) for i in range(low, high + 1)}
    # Lower rank l: the largest l with P(B ≤ l - 1) ≤ alpha.
    lower, below = 0, 0.0
    for i in range(low, high + 1):
        if below + pmf[i] > alpha:
            lower = i  # P(B ≤ i - 1) = below ≤ alpha
            break
        below += pmf[i]
    # Upper rank u: the smallest u with P(B ≥ u) ≤ alpha.
    upper, above = n + 1, 0.0
    for i in range(high, low - 1, -1):
        if above + pmf[i] > alpha:
            upper = i + 1  # P(B ≥ i + 1) = above ≤ alpha
            break
        above += pmf[i]
    return lower, upper


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) without samples."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)
