"""Data files shipped with clawcheck: inside the wheel, or in the source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_file"]

# src/clawcheck/core/bundled.py -> the checkout's root is three levels up.
_CHECKOUT = Path(__file__).resolve().parents[3]


def bundled_file(packaged: str, checkout: str) -> Path:
    """`clawcheck/_data/<packaged>` of an installed wheel (see pyproject's force-include),
    else `<checkout>` relative to the root of a source checkout (editable install)."""
    candidate = resources.files("clawcheck") / "_data" / packaged
    if isinstance(candidate, Path) and candidate.is_file():
        return candidate
    return _CHECKOUT / checkout
