"""Output formats. Each is one registered renderer of a `SuiteResult`; no runner knows any format."""

from __future__ import annotations

from clawcheck.reporting import console, jsonfmt, junit  # noqa: F401  (each registers itself)
from clawcheck.reporting._registry import FORMATS, Renderer, render

__all__ = ["FORMATS", "Renderer", "render"]
