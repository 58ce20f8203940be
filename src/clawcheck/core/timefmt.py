"""Date-time rules of the protocol: ISO 8601, UTC, with a `Z`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = ["find_non_utc", "is_utc_z", "looks_like_datetime"]

# A date-time as JSON Schema's `format: date-time` would admit, plus the zone-less form
# that local-time bugs produce; a plain date (`2026-03-19`) is not a date-time.
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?P<sep>[Tt ])\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)


def looks_like_datetime(value: str) -> bool:
    return _DATETIME.match(value) is not None


def is_utc_z(value: str) -> bool:
    match = _DATETIME.match(value)
    # The protocol fixes one spelling: `T` between date and time, `Z` for UTC.
    return match is not None and match.group("sep") == "T" and match.group("zone") == "Z"


def find_non_utc(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield (JSON pointer, value) for every date-time string not written in UTC with `Z`."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from find_non_utc(value, f"{pointer}/{_escape(str(key))}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from find_non_utc(value, f"{pointer}/{index}")
    elif isinstance(data, str) and looks_like_datetime(data) and not is_utc_z(data):
        yield pointer or "/", data


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
