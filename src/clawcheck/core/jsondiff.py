"""Where two JSON documents first differ, for messages a person can act on."""

from __future__ import annotations

from typing import Any

__all__ = ["first_difference"]

_MISSING = "<missing>"


def first_difference(a: Any, b: Any, pointer: str = "") -> tuple[str, Any, Any] | None:
    """(JSON pointer, value in a, value in b) at the first difference, or None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys(), key=str):
            found = first_difference(
                a.get(key, _MISSING), b.get(key, _MISSING), f"{pointer}/{_escape(str(key))}"
            )
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for index in range(max(len(a), len(b))):
            left = a[index] if index < len(a) else _MISSING
            right = b[index] if index < len(b) else _MISSING
            found = first_difference(left, right, f"{pointer}/{index}")
            if found:
                return found
        return None
    if type(a) is not type(b) or a != b:
        return (pointer or "/", a, b)
    return None


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
