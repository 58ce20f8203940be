"""Named, composable fault scenarios: what real sandboxes cannot make happen on demand.

A scenario is written `name` or `name:key=value,key=value` (`rate-limit-burst:every=5,window=2`);
several compose (`--scenario a --scenario b`, or `a+b`). Each is one registered class:
`install` tunes the mock before it is seeded, `before` may answer instead of the platform
(after authentication, so the journal knows the shop), `after` may shape the response.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from clawcheck.core.registry import Registry
from clawcheck.errors import ConfigError
from clawcheck.platforms.model import Call, MockResponse

if TYPE_CHECKING:
    from clawcheck.platforms.engine import Mock

__all__ = ["SCENARIOS", "Scenario", "ScenarioSpec", "parse_scenarios"]


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    name: str
    params: Mapping[str, float]

    def __str__(self) -> str:
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(f"{k}={v:g}" for k, v in self.params.items())


class Scenario:
    """One fault. Instances are per mock (they may count requests)."""

    name: ClassVar[str]
    title: ClassVar[str]
    defaults: ClassVar[Mapping[str, float]] = {}

    def __init__(self, params: Mapping[str, float]) -> None:
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            known = ", ".join(self.defaults) or "none"
            raise ConfigError(
                f"scenario {self.name!r} has no parameter {unknown[0]!r}; its parameters: {known}"
            )
        self.params = {**self.defaults, **params}

    def install(self, mock: Mock) -> None:
        """Tune the mock before the platform is seeded (token lifetimes, clock, pages)."""

    def before(self, mock: Mock, call: Call) -> MockResponse | None:
        """Answer instead of the platform (non-public routes, after authentication)."""
        return None

    def after(self, mock: Mock, call: Call, response: MockResponse) -> None:
        """Shape the platform's response."""

    @classmethod
    def describe(cls) -> str:
        params = ", ".join(f"{k}={v:g}" for k, v in cls.defaults.items())
        return f"{cls.title}" + (f" (parameters: {params})" if params else "")


SCENARIOS: Registry[type[Scenario]] = Registry("scenario")


def scenario(cls: type[Scenario]) -> type[Scenario]:
    return SCENARIOS.add(cls.name, cls)


def parse_scenarios(texts: Iterable[str]) -> list[ScenarioSpec]:
    """`["a+b:x=1", "c"]` -> specs; unknown names and malformed parameters are `ConfigError`."""
    specs: list[ScenarioSpec] = []
    for text in texts:
        for part in filter(None, (p.strip() for p in text.split("+"))):
            name, _, rest = part.partition(":")
            SCENARIOS.get(name)  # unknown name: ConfigError listing the known ones
            params: dict[str, float] = {}
            for item in filter(None, (p.strip() for p in rest.split(","))):
                key, sep, value = item.partition("=")
                try:
                    params[key.strip()] = float(value)
                    if not sep or not math.isfinite(params[key.strip()]) or params[key.strip()] < 0:
                        raise ValueError
                except ValueError:
                    raise ConfigError(
                        f"scenario parameter {item!r} of {name!r} must be key=<non-negative number>"
                    ) from None
            specs.append(ScenarioSpec(name, params))
    names = [s.name for s in specs]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"scenario {name!r} is given twice; give it once with all its parameters")
    return specs


class _Every:
    """Counts requests so that every n-th one is picked: deterministic, hence reproducible."""

    def __init__(self, every: float) -> None:
        self.every = max(1, round(every))
        self.count = 0

    def pick(self) -> bool:
        self.count += 1
        return self.count % self.every == 0


@scenario
class TokenExpiry(Scenario):
    name = "token-expiry"
    title = "access tokens expire mid-run: they live `ttl` seconds instead of the platform's lifetime"
    defaults: ClassVar[Mapping[str, float]] = {"ttl": 3.0}

    def install(self, mock: Mock) -> None:
        mock.tokens.ttl_override = self.params["ttl"]


@scenario
class RateLimitBurst(Scenario):
    name = "rate-limit-burst"
    title = "every `every`-th request opens a `window`-second throttle for its shop: 429s with the wait"
    defaults: ClassVar[Mapping[str, float]] = {"every": 8, "window": 1.5}

    def __init__(self, params: Mapping[str, float]) -> None:
        super().__init__(params)
        self._counters: dict[str, _Every] = {}
        self._until: dict[str, float] = {}

    def before(self, mock: Mock, call: Call) -> MockResponse | None:
        key = call.entry.shop or call.entry.token or "-"
        now = mock.monotonic()
        until = self._until.get(key, 0.0)
        if now >= until:
            counter = self._counters.setdefault(key, _Every(self.params["every"]))
            if not counter.pick():
                return None
            until = self._until[key] = now + self.params["window"]
        call.entry.throttle = "scenario"
        return mock.throttle(call, until - now)


@scenario
class ServerErrors(Scenario):
    name = "server-errors"
    title = "every `every`-th request is answered `status` (5xx) with the platform's error body"
    defaults: ClassVar[Mapping[str, float]] = {"every": 5, "status": 503}

    def __init__(self, params: Mapping[str, float]) -> None:
        super().__init__(params)
        status = round(self.params["status"])
        if not 500 <= status <= 599:
            raise ConfigError(f"scenario server-errors: status must be 5xx, not {status}")
        self._every = _Every(self.params["every"])

    def before(self, mock: Mock, call: Call) -> MockResponse | None:
        if not self._every.pick():
            return None
        status = round(self.params["status"])
        return call.error(
            status, "service_unavailable" if status == 503 else "internal_error", "injected by clawcheck"
        )


@scenario
class Slow(Scenario):
    name = "slow"
    title = "every `every`-th response is delayed `delay` seconds"
    defaults: ClassVar[Mapping[str, float]] = {"every": 4, "delay": 1.0}

    def __init__(self, params: Mapping[str, float]) -> None:
        super().__init__(params)
        self._every = _Every(self.params["every"])

    def after(self, mock: Mock, call: Call, response: MockResponse) -> None:
        if self._every.pick():
            response.delay = self.params["delay"]
            call.note(f"delayed {self.params['delay']:g}s")


@scenario
class ClockSkew(Scenario):
    name = "clock-skew"
    title = "the platform's clock runs `seconds` ahead of true time (negative: use `behind`)"
    defaults: ClassVar[Mapping[str, float]] = {"seconds": 120, "behind": 0}

    def install(self, mock: Mock) -> None:
        mock.skew = -self.params["seconds"] if self.params["behind"] else self.params["seconds"]


@scenario
class PaginationEdges(Scenario):
    name = "pagination-edges"
    title = "pages of at most `page` items, and cursors full of `+`, `/` and `=` that must be URL-encoded"
    defaults: ClassVar[Mapping[str, float]] = {"page": 2}

    def install(self, mock: Mock) -> None:
        mock.page_cap = max(1, round(self.params["page"]))
        mock.cursors.awkward = True


@scenario
class WebhookSecretRotated(Scenario):
    name = "webhook-secret-rotated"
    title = "notifications are signed with a rotated secret (adapters get it as CLAWCHECK_WEBHOOK_SECRET_NEW)"

    def install(self, mock: Mock) -> None:
        mock.rotate_webhook_secret = True


def instantiate(
    specs: Iterable[ScenarioSpec], platform_name: str, applicable: frozenset[str]
) -> list[Scenario]:
    active: list[Scenario] = []
    for spec in specs:
        if spec.name not in applicable:
            raise ConfigError(
                f"scenario {spec.name!r} does not apply to {platform_name}; "
                f"its scenarios: {', '.join(sorted(applicable)) or 'none'}"
            )
        active.append(SCENARIOS.get(spec.name)(spec.params))
    return active
