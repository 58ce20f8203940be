"""Deterministic latency and error injection per operation, so load tests know the true distribution.

A rule applies to one operation (`GET /healthz`, `POST /v2/orders/create`) or to every one
(`*`). Each operation counts its requests from 0; request `i`

- waits `latency_ms[i % len(latency_ms)]` milliseconds before it is handled, and
- fails with `status` (500 or 503) and the error envelope (type `platform`, code
  `INJECTED_FAULT`) when `i % per < errors`.

The text form (`clawcheck sandbox --inject SPEC`, repeatable) is

    "GET /healthz latency=20*88,790*12 errors=4/1000 status=503"

where `MS*N` repeats a value N times. Nothing is random: a test computes the true
percentiles from the schedule itself (`LatencyRule.schedule`).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from starlette.types import ASGIApp, Receive, Scope, Send

from clawcheck.errors import ConfigError
from clawcheck.sandbox.errors import ApiError, ErrorRenderer

__all__ = ["INJECTED_FAULT", "InjectionMiddleware", "InjectionPlan", "LatencyRule", "parse_rule"]

INJECTED_FAULT = "INJECTED_FAULT"
WILDCARD = "*"
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_MAX_LATENCY_MS = 60_000.0
_MAX_SCHEDULE = 1_000_000


@dataclass(frozen=True, slots=True)
class LatencyRule:
    """What one operation suffers: a cyclic latency schedule (ms) and `errors` failures in every `per`."""

    operation: str  # "METHOD /path/{template}" or "*"
    latency_ms: tuple[float, ...] = (0.0,)
    errors: int = 0
    per: int = 1000
    status: int = 500

    def __post_init__(self) -> None:
        if not self.latency_ms or len(self.latency_ms) > _MAX_SCHEDULE:
            raise ConfigError(f"inject {self.operation}: the schedule needs 1 to {_MAX_SCHEDULE} values")
        for value in self.latency_ms:
            if not 0 <= value <= _MAX_LATENCY_MS:
                raise ConfigError(
                    f"inject {self.operation}: latency {value!r} ms is outside 0..{_MAX_LATENCY_MS:g} ms"
                )
        if self.per < 1 or not 0 <= self.errors <= self.per:
            raise ConfigError(f"inject {self.operation}: errors must be K/N with 0 <= K <= N and N >= 1")
        if self.status not in (500, 503):
            raise ConfigError(f"inject {self.operation}: status must be 500 or 503, got {self.status}")

    def latency_for(self, index: int) -> float:
        """Milliseconds request `index` waits."""
        return self.latency_ms[index % len(self.latency_ms)]

    def fails(self, index: int) -> bool:
        return index % self.per < self.errors

    def schedule(self, count: int) -> list[float]:
        """The injected latencies (ms) of the first `count` requests, in order."""
        return [self.latency_for(i) for i in range(count)]


def _number(text: str, what: str, spec: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"inject {spec!r}: {what} {text!r} is not a number") from None


def parse_rule(spec: str) -> LatencyRule:
    """`"GET /healthz latency=20*9,805 errors=4/1000 status=503"` or `"* latency=5"` → a rule."""
    words = spec.split()
    if not words:
        raise ConfigError("inject: empty rule; write e.g. 'GET /healthz latency=20,805 errors=4/1000'")
    if words[0] == WILDCARD:
        operation, options = WILDCARD, words[1:]
    elif len(words) >= 2 and words[0].upper() in _METHODS and words[1].startswith("/"):
        operation, options = f"{words[0].upper()} {words[1]}", words[2:]
    else:
        raise ConfigError(f"inject {spec!r}: start with 'METHOD /path' (as in the spec) or '*'")
    latency: list[float] = [0.0]
    errors, per, status = 0, 1000, 500
    for option in options:
        key, sep, value = option.partition("=")
        if not sep:
            raise ConfigError(f"inject {spec!r}: {option!r} is not key=value (latency, errors, status)")
        if key == "latency":
            latency = []
            for item in value.split(","):
                ms, star, times = item.partition("*")
                repeat = int(_number(times, "repeat count", spec)) if star else 1
                if repeat < 1:
                    raise ConfigError(f"inject {spec!r}: repeat count must be at least 1 in {item!r}")
                latency.extend([_number(ms, "latency", spec)] * repeat)
                if len(latency) > _MAX_SCHEDULE:
                    raise ConfigError(f"inject {spec!r}: the schedule has more than {_MAX_SCHEDULE} values")
        elif key == "errors":
            k, slash, n = value.partition("/")
            errors = int(_number(k, "error count", spec))
            per = int(_number(n, "error period", spec)) if slash else 1000
        elif key == "status":
            status = int(_number(value, "status", spec))
        else:
            raise ConfigError(f"inject {spec!r}: unknown key {key!r}; use latency, errors or status")
    return LatencyRule(operation, tuple(latency), errors, per, status)


@dataclass(frozen=True, slots=True)
class InjectionPlan:
    """The rules by operation; an operation without its own rule falls back to the `*` rule."""

    rules: Mapping[str, LatencyRule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))

    @classmethod
    def of(cls, rules: Iterable[LatencyRule | str]) -> InjectionPlan:
        parsed = [parse_rule(r) if isinstance(r, str) else r for r in rules]
        by_op: dict[str, LatencyRule] = {}
        for rule in parsed:
            if rule.operation in by_op:
                raise ConfigError(f"inject: two rules for {rule.operation}; give one per operation")
            by_op[rule.operation] = rule
        return cls(by_op)

    def rule_for(self, operation: str) -> LatencyRule | None:
        return self.rules.get(operation) or self.rules.get(WILDCARD)


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{pattern}$")


class InjectionMiddleware:
    """Delays and fails requests by their operation's rule; sits inside the trace middleware."""

    def __init__(
        self,
        app: ASGIApp,
        plan: InjectionPlan,
        templates: Iterable[str],
        errors: ErrorRenderer,
        trace_key: str,
    ) -> None:
        self.app = app
        self.trace_key = trace_key
        self.plan = plan
        self.errors = errors
        # Literal paths before templated ones, as the router tries them.
        ordered = sorted(templates, key=lambda t: t.count("{"))
        self._templates = [(t, _template_regex(t)) for t in ordered]
        self._counters: dict[str, int] = {}

    def operation_of(self, method: str, path: str) -> str | None:
        for template, regex in self._templates:
            if regex.match(path):
                return f"{method} {template}"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        operation = self.operation_of(scope["method"], scope["path"])
        rule = self.plan.rule_for(operation) if operation else None
        if rule is None or operation is None:
            await self.app(scope, receive, send)
            return
        index = self._counters.get(operation, 0)  # one event loop: no lock needed
        self._counters[operation] = index + 1
        delay = rule.latency_for(index)
        if delay > 0:
            await asyncio.sleep(delay / 1000.0)
        if rule.fails(index):
            error = ApiError(
                rule.status,
                INJECTED_FAULT,
                "platform",
                f"injected fault: request {index} of {operation} (errors={rule.errors}/{rule.per})",
            )
            await self.errors.response(error, scope[self.trace_key])(scope, receive, send)
            return
        await self.app(scope, receive, send)
