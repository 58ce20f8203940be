from __future__ import annotations

from collections.abc import Callable

from clawcheck.core.registry import Registry
from clawcheck.core.results import SuiteResult

__all__ = ["FORMATS", "Renderer", "render"]

Renderer = Callable[[SuiteResult], str]
FORMATS: Registry[Renderer] = Registry("report format")


def render(name: str, result: SuiteResult) -> str:
    return FORMATS.get(name)(result)
