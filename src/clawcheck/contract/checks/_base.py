"""Check registration and the values checks receive."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from clawcheck.contract.exchange import Exchange, SentRequest
from clawcheck.core.registry import Registry

if TYPE_CHECKING:
    from clawcheck.contract.client import TargetClient
    from clawcheck.contract.settings import TargetSettings

__all__ = [
    "CHECKS",
    "Check",
    "CheckFailed",
    "CheckInput",
    "CheckKind",
    "NotVerifiable",
    "OperationInfo",
    "Prober",
    "ScenarioInput",
    "check",
]


class CheckKind(StrEnum):
    RESPONSE = "response"
    PROBE = "probe"
    SCENARIO = "scenario"


class CheckFailed(AssertionError):
    """The target broke the rule; `exchange` is the request that shows it (for the curl evidence)."""

    def __init__(self, message: str, exchange: Exchange | None = None, **evidence: Any) -> None:
        super().__init__(message)
        self.message = message
        self.exchange = exchange
        self.evidence = evidence


class NotVerifiable(Exception):
    """The rule cannot be observed against this target; reported as skip with the reason."""


@dataclass(frozen=True, slots=True)
class OperationInfo:
    """What the spec says about one operation, as far as checks care."""

    label: str  # "POST /v2/orders/create"
    method: str
    path: str
    operation_id: str
    requires_auth: bool
    state_changing: bool  # a POST that takes an Idempotency-Key
    body_schema: Mapping[str, Any] | None = None
    sla: Mapping[str, float] = field(default_factory=dict)
    # Statuses the spec allows for schema-valid input refused on meaning (`x-semantic-rejections`).
    semantic_rejections: tuple[str, ...] = ()


class Prober(Protocol):
    """What probe checks may do besides looking: send more requests like the one under test."""

    def resend(self, original: Exchange, request: SentRequest) -> Exchange: ...

    def reads(self, exchange: Exchange) -> list[Exchange]: ...

    def mutated_body(self, exchange: Exchange) -> bytes | None: ...

    def fresh_token(self) -> str: ...


@dataclass(frozen=True, slots=True)
class CheckInput:
    exchange: Exchange
    operation: OperationInfo
    prober: Prober | None = None


@dataclass(frozen=True, slots=True)
class ScenarioInput:
    client: TargetClient
    settings: TargetSettings
    # Response checks for every exchange a scenario makes, so its 429s and 401s are judged too.
    observe: Callable[[Exchange], None]


CheckFn = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    title: str
    title_zh: str
    kind: CheckKind
    fn: CheckFn
    description: str = ""


CHECKS: Registry[Check] = Registry("check")


def check(id: str, *, title: str, title_zh: str, kind: CheckKind) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable id (`area.rule`)."""

    def decorator(fn: CheckFn) -> CheckFn:
        doc = (fn.__doc__ or "").strip().splitlines()
        CHECKS.add(id, Check(id, title, title_zh, kind, fn, doc[0] if doc else ""))
        return fn

    return decorator
