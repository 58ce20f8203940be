"""The registry of checklist formats: each one file name and one function of a `ReportView`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clawcheck.core.registry import Registry
from clawcheck.report.view import ReportView

__all__ = ["RENDERERS", "Renderer", "renderer"]

RenderFunction = Callable[[ReportView], bytes]


@dataclass(frozen=True, slots=True)
class Renderer:
    """One format: `render(view)` returns the bytes of `filename` inside the report directory."""

    name: str
    filename: str
    render: RenderFunction


RENDERERS: Registry[Renderer] = Registry("report format")


def renderer(name: str, filename: str) -> Callable[[RenderFunction], RenderFunction]:
    """Register the decorated function as format `name`, written to `filename`."""

    def decorator(function: RenderFunction) -> RenderFunction:
        RENDERERS.add(name, Renderer(name, filename, function))
        return function

    return decorator
