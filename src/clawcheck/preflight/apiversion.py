"""API version strings as OpenClaw writes them, and whether one satisfies another.

`2.0.0`, `v2`, `V2.1`, `2.x` and `2.1.0-beta.1` all parse; what counts is the leading
run of numbers: `v2` is (2,), `2.1.0-beta.1` is (2, 1, 0). A wildcard (`x`, `*`) ends the
run, so `2.x` is (2,) and asks for major 2 only.
"""

from __future__ import annotations

import re

__all__ = ["major", "parse_version", "satisfies"]

_VERSION = re.compile(r"[vV]?(?P<numbers>\d+(?:\.\d+)*)(?:\.[xX*])?(?:[-+][0-9A-Za-z.+-]*)?")


def parse_version(text: str) -> tuple[int, ...] | None:
    """The version's leading numbers, or None when `text` is not a version at all."""
    match = _VERSION.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    return tuple(int(part) for part in match["numbers"].split("."))


def major(text: str) -> int | None:
    parsed = parse_version(text)
    return parsed[0] if parsed else None


def satisfies(reported: tuple[int, ...], wanted: tuple[int, ...]) -> bool:
    """`reported` matches every number `wanted` gives: 2.1.3 satisfies 2.1 and 2, not 2.2."""
    return reported[: len(wanted)] == wanted
