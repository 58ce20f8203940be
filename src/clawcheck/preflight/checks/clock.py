"""`preflight.clock_skew`: the target's clock agrees with ours.

The target's `Date` header (RFC 9110 §6.6.1, whole seconds) is compared with the local UTC
time halfway between sending the request and receiving its headers. A clock that is off
breaks token expiry, webhook signature tolerance (300 s) and every timestamp in the evidence.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from clawcheck.preflight.checks._base import Verdict, check, failed, passed, skipped, warned
from clawcheck.preflight.observe import Probe

__all__ = ["WARN_CLOCK_SKEW"]

# Beyond a minute a clock is not NTP-synchronised and will drift further: warn before it fails.
WARN_CLOCK_SKEW = 60.0
_RESOLUTION = 1.0  # seconds: an HTTP date has no fractions


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@check(
    "preflight.clock_skew",
    title="Target clock within the allowed skew",
    title_zh="目标服务器时钟偏差在允许范围内",
    requirement="the target's Date header is within ±{max_clock_skew} s of local UTC "
    "(over 60 s is a warning)",
    requirement_zh="目标 Date 响应头与本地 UTC 时间相差不超过 ±{max_clock_skew} 秒（超过 60 秒为警告）",
)
def clock_skew(probe: Probe) -> Verdict:
    seen = probe.health
    if not seen.answered:
        return skipped("not judged: the target gave no HTTP answer; see preflight.health")
    header = seen.headers.get("date")
    if not header:
        return warned(
            "the target sends no Date header, so its clock cannot be checked; HTTP servers must send one"
        )
    try:
        stamp = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return warned(f"the target's Date header {header!r} is not an HTTP date; its clock cannot be checked")
    if stamp.tzinfo is None:  # "-0000" (RFC 5322: UTC, source unknown)
        stamp = stamp.replace(tzinfo=UTC)
    local = datetime.fromtimestamp((seen.sent_at + seen.received_at) / 2, UTC)
    # Date is truncated to the second: the target's time was somewhere in [stamp, stamp + 1).
    skew = (stamp - local).total_seconds() + _RESOLUTION / 2
    limit = probe.settings.max_clock_skew
    evidence = {
        "target_date": header,
        "target_utc": _iso(stamp),
        "local_utc": _iso(local),
        "skew_s": round(skew, 1),
        "max_clock_skew_s": limit,
        "resolution_s": _RESOLUTION,
    }
    direction = "ahead of" if skew > 0 else "behind"
    off = f"the target's clock is {abs(skew):.0f} s {direction} local UTC"
    if abs(skew) > limit:
        return failed(f"{off}, beyond ±{limit:g} s; synchronise it (NTP)", **evidence)
    if abs(skew) > WARN_CLOCK_SKEW:
        return warned(f"{off}: within ±{limit:g} s, but over {WARN_CLOCK_SKEW:g} s; check NTP", **evidence)
    return passed(f"{off} (within ±{min(limit, WARN_CLOCK_SKEW):g} s)", **evidence)
