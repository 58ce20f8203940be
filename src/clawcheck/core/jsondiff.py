"""Where two JSON documents first differ, for messages a person can act on."""

from __future__ import annotations

from typing import Any

__all__ = ["MISSING", "first_difference"]

MISSING = "<missing>"  # how an absent key or item is shown in the result
_ABSENT = object()  # internal, so that a real "<missing>" string still differs from absence


def first_difference(a: Any, b: Any, pointer: str = "") -> tuple[str, Any, Any] | None:
    """(JSON pointer, value in a, value in b) at the first difference, or None when equal."""
    found = _diff(a, b, pointer)
    if found is None:
        return None
    where, left, right = found
    return where, MISSING if left is _ABSENT else left, MISSING if right is _ABSENT else right


def _diff(a: Any, b: Any, pointer: str) -> tuple[str, Any, Any] | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys(), key=str):
            found = _diff(a.get(key, _ABSENT), b.get(key, _ABSENT), f"{pointer}/{_escape(str(key))}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for index in range(max(len(a), len(b))):
            left = a[index] if index < len(a) else _ABSENT
            right = b[index] if index < len(b) else _ABSENT
            found = _diff(left, right, f"{pointer}/{index}")
            if found:
                return found
        return None
    # 1, 1.0 and True are different JSON values even though Python compares them equal.
    if type(a) is not type(b) or a != b:
        return (pointer or "/", a, b)
    return None


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
