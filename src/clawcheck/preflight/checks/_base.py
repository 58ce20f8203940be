"""Check registration, and the verdict a check returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clawcheck.core.registry import Registry
from clawcheck.core.results import Status
from clawcheck.preflight.observe import Probe
from clawcheck.preflight.settings import PreflightSettings

__all__ = ["CHECKS", "CheckFn", "PreflightCheck", "Verdict", "check", "failed", "passed", "skipped", "warned"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a check found: the status, one line saying why, and the figures behind it."""

    status: Status
    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


def passed(message: str, **evidence: Any) -> Verdict:
    return Verdict(Status.PASS, message, evidence)


def failed(message: str, **evidence: Any) -> Verdict:
    return Verdict(Status.FAIL, message, evidence)


def warned(message: str, **evidence: Any) -> Verdict:
    return Verdict(Status.WARN, message, evidence)


def skipped(message: str, **evidence: Any) -> Verdict:
    """Not judged here (plain http, or a premise another check reports): never a pass."""
    return Verdict(Status.SKIP, message, evidence)


CheckFn = Callable[[Probe], Verdict]


@dataclass(frozen=True, slots=True)
class PreflightCheck:
    """One rule. `requirement`/`requirement_zh` are templates over the settings' fields
    (`{min_cert_days}`), for the acceptance checklist's requirement column."""

    id: str
    title: str
    title_zh: str
    requirement: str
    requirement_zh: str
    fn: CheckFn

    def requirements(self, settings: PreflightSettings) -> tuple[str, str]:
        """(English, Chinese) requirement text with this run's bounds filled in."""
        fields = {
            "min_cert_days": settings.min_cert_days,
            "max_clock_skew": f"{settings.max_clock_skew:g}",
            "timeout": f"{settings.timeout:g}",
            "environment": settings.environment_kind,
            "expected_api_version": settings.expected_api_version or "",
        }
        return self.requirement.format(**fields), self.requirement_zh.format(**fields)


CHECKS: Registry[PreflightCheck] = Registry("preflight check")


def check(
    id: str, *, title: str, title_zh: str, requirement: str, requirement_zh: str
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable id (`preflight.<rule>`)."""

    def decorator(fn: CheckFn) -> CheckFn:
        CHECKS.add(id, PreflightCheck(id, title, title_zh, requirement, requirement_zh, fn))
        return fn

    return decorator
