"""Date-times in and out: RFC 3339 parsing with offsets, rendering in UTC with `Z`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["Clock", "TimeFormat", "from_epoch", "parse_rfc3339"]

Clock = Callable[[], float]

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_PLUS_EIGHT = timezone(timedelta(hours=8))


def from_epoch(seconds: float) -> datetime:
    """An aware UTC datetime truncated to milliseconds, which is what the API shows."""
    stamp = datetime.fromtimestamp(seconds, UTC)
    return stamp.replace(microsecond=stamp.microsecond - stamp.microsecond % 1000)


def parse_rfc3339(text: str) -> datetime | None:
    """An RFC 3339 date-time normalised to UTC, or None when it is not one."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    try:
        offset = timedelta(0)
        if not zulu:
            hours, minutes = int(off_h), int(off_m)
            if hours > 23 or minutes > 59:
                return None
            offset = timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
        micro = int((fraction or "").ljust(6, "0")[:6])
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro)
        return (local - offset).replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # 2026-02-30, hour 24, or out of datetime's range
        return None


class TimeFormat:
    """Renders aware datetimes; the `local-time` fault swaps UTC `Z` for `+08:00`."""

    __slots__ = ("_local",)

    def __init__(self, *, local_time: bool = False) -> None:
        self._local = local_time

    def __call__(self, stamp: datetime) -> str:
        if self._local:
            try:
                return _render(stamp.astimezone(_PLUS_EIGHT), "+08:00")
            except OverflowError:  # 9999-12-31 cannot move east; fall back to UTC
                pass
        return _render(stamp, "Z")


def _render(stamp: datetime, suffix: str) -> str:
    micro = stamp.microsecond
    if micro == 0:
        fraction = ""
    elif micro % 1000 == 0:
        fraction = f".{micro // 1000:03d}"
    else:
        fraction = f".{micro:06d}"
    return (
        f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}T"
        f"{stamp.hour:02d}:{stamp.minute:02d}:{stamp.second:02d}{fraction}{suffix}"
    )
