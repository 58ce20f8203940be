"""Date-times in UTC with a `Z`: an offset is a violation even where JSON Schema allows it."""

from __future__ import annotations

from clawcheck.contract.checks._base import CheckFailed, CheckInput, CheckKind, check
from clawcheck.core.timefmt import find_non_utc


@check(
    "datetime.utc",
    title="Date-times are ISO 8601 UTC with Z",
    title_zh="时间字段为 UTC（Z 结尾）",
    kind=CheckKind.RESPONSE,
)
def utc_datetimes(ctx: CheckInput) -> bool:
    """Every date-time string in a JSON body ends in `Z` (no `+08:00`, no zone-less local time)."""
    body = ctx.exchange.json()
    if body is None:
        return False
    offenders = list(find_non_utc(body))
    if offenders:
        shown = ", ".join(f"{pointer} = {value!r}" for pointer, value in offenders[:3])
        more = f" (and {len(offenders) - 3} more)" if len(offenders) > 3 else ""
        raise CheckFailed(f"date-times not in UTC with Z: {shown}{more}", ctx.exchange)
    return True
