"""Check registration and the outcomes a check can raise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from clawcheck.core.registry import Registry
from clawcheck.webhooks.sender import Exchange

if TYPE_CHECKING:
    from clawcheck.webhooks.context import Context

__all__ = ["CHECKS", "Check", "CheckFailed", "CheckFn", "CheckKind", "NotVerifiable", "check"]


class CheckKind(StrEnum):
    WIRE = "wire"  # judged on the receiver's answers alone
    PROCESSING = "processing"  # needs the probe: `skip` without one, never `pass`
    LOAD = "load"  # a bounded burst of valid deliveries, timed


class CheckFailed(AssertionError):
    """The receiver broke the rule. `exchange` is the delivery to reproduce (the curl evidence);
    `exchanges` are the others the check sent, listed in the evidence."""

    def __init__(
        self,
        message: str,
        exchange: Exchange | None = None,
        *,
        exchanges: Sequence[Exchange] = (),
        **evidence: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.exchange = exchange
        self.exchanges = tuple(exchanges)
        self.evidence = evidence


class NotVerifiable(Exception):
    """The rule cannot be judged against this receiver (no probe, or a premise that failed
    in another check); reported as `skip` with the reason, never as `pass`."""


CheckFn = Callable[["Context"], str]  # returns the pass message


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    title: str
    title_zh: str
    kind: CheckKind
    rule: str  # the rule of protocol section 2 it checks: "2.1" ... "2.6"
    fn: CheckFn


CHECKS: Registry[Check] = Registry("webhook check")


def check(id: str, *, title: str, title_zh: str, kind: CheckKind, rule: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable id (`webhook.rule`)."""

    def decorator(fn: CheckFn) -> CheckFn:
        CHECKS.add(id, Check(id, title, title_zh, kind, rule, fn))
        return fn

    return decorator
