"""Response times in an HDR histogram: microsecond unit, 3 significant digits, 1 µs to 1 hour.

Every value is kept within 0.1 % of what was recorded, whatever the range, and
histograms add up exactly: a histogram merged from workers' encoded histograms
holds the same counts as one process recording every sample.

Order statistics come back as a bucket (`lowest`, `highest`): a verdict compares
the end that makes it conservative (a P95 passes only if its bucket's highest
value is within the threshold).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hdrh.histogram import HdrHistogram

__all__ = ["HIGHEST_US", "LOWEST_US", "SIGNIFICANT_DIGITS", "Bucket", "LatencyHistogram"]

LOWEST_US = 1
HIGHEST_US = 3_600_000_000  # one hour
SIGNIFICANT_DIGITS = 3


@dataclass(frozen=True, slots=True)
class Bucket:
    """The range of values (µs) that the histogram cannot tell apart, holding one order statistic."""

    lowest: int
    highest: int

    @property
    def highest_ms(self) -> float:
        return self.highest / 1000.0

    @property
    def lowest_ms(self) -> float:
        return self.lowest / 1000.0


class LatencyHistogram:
    """A response-time histogram in microseconds; `record_ms` for Locust's millisecond floats."""

    __slots__ = ("_h",)

    def __init__(self) -> None:
        self._h = HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)

    # -- recording ---------------------------------------------------------------------------------

    def record_us(self, value_us: int) -> None:
        self._h.record_value(_clamp(value_us))

    def record_ms(self, value_ms: float) -> None:
        self.record_us(round(value_ms * 1000.0))

    def record_corrected_us(self, value_us: int, expected_interval_us: int) -> None:
        """Record, adding the samples a stalled closed-model user did not send (coordinated omission)."""
        self._h.record_corrected_value(_clamp(value_us), max(0, expected_interval_us))

    # -- reading -------------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        count: int = self._h.get_total_count()
        return count

    @property
    def max_us(self) -> int:
        if not self.count:
            return 0
        value: int = self._h.get_highest_equivalent_value(self._h.get_max_value())
        return value

    def at_ranks(self, ranks: Sequence[int]) -> list[Bucket]:
        """The buckets holding the order statistics of the given 1-based ranks (clamped to 1..count)."""
        total = self.count
        if not total:
            return [Bucket(0, 0) for _ in ranks]
        wanted = sorted({min(max(r, 1), total) for r in ranks})
        found: dict[int, Bucket] = {}
        h = self._h
        seen = 0
        position = 0
        for index in range(h.counts_len):
            count = h.get_count_at_index(index)
            if not count:
                continue
            seen += count
            while position < len(wanted) and wanted[position] <= seen:
                value = h.get_value_from_index(index)
                found[wanted[position]] = Bucket(
                    h.get_lowest_equivalent_value(value), h.get_highest_equivalent_value(value)
                )
                position += 1
            if position == len(wanted):
                break
        return [found[min(max(r, 1), total)] for r in ranks]

    def percentile(self, fraction: float) -> Bucket:
        """Nearest-rank percentile: the order statistic of rank ceil(fraction × count)."""
        return self.at_ranks([nearest_rank(fraction, self.count)])[0]

    def percentiles_ms(self, fractions: Iterable[float]) -> dict[str, float]:
        """{"p50": ms, ...}: each the highest value of its bucket (never below the true value)."""
        fractions = list(fractions)
        buckets = self.at_ranks([nearest_rank(f, self.count) for f in fractions])
        return {_label(f): b.highest_ms for f, b in zip(fractions, buckets, strict=True)}

    # -- exchange ------------------------------------------------------------------------------------

    def encode(self) -> str:
        """Base64 compressed HdrHistogram V2 (the format every HdrHistogram implementation reads)."""
        if not self.count:
            return ""
        encoded = self._h.encode()
        return encoded.decode("ascii") if isinstance(encoded, bytes) else str(encoded)

    @classmethod
    def decode(cls, encoded: str) -> LatencyHistogram:
        histogram = cls()
        if encoded:
            histogram._h.decode_and_add(encoded)
        return histogram

    def add(self, other: LatencyHistogram) -> None:
        if other.count:
            self._h.add(other._h)

    def counts(self) -> list[tuple[int, int]]:
        """(bucket lowest value µs, count) for every non-empty bucket, ascending: for exact comparisons."""
        h = self._h
        return [
            (h.get_value_from_index(i), h.get_count_at_index(i))
            for i in range(h.counts_len)
            if h.get_count_at_index(i)
        ]


def nearest_rank(fraction: float, count: int) -> int:
    """ceil(fraction × count), at least 1, computed without floating-point surprises (0.95 × 100 = 95)."""
    scaled = round(fraction * 1_000_000)
    return max(1, -(-scaled * count // 1_000_000))


def _label(fraction: float) -> str:
    text = f"{fraction * 100:g}".replace(".", "_")
    return f"p{text}"


def _clamp(value_us: int) -> int:
    return min(max(int(value_us), LOWEST_US), HIGHEST_US)
