"""The engine around a platform's routes: journal, scenarios, rate limits, clock, cursors, webhooks.

`Mock.handle(MockRequest) -> MockResponse` is the whole interface the transports use. It is
synchronous and serialised by one lock (a mock's state is small and its handlers are quick),
and it never raises: a bug in a handler becomes a 500 that the journal and the contract
tests see, never a crashed server.
"""

from __future__ import annotations

import base64
import logging
import math
import queue
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clawcheck.platforms.journal import Journal, JournalEntry, find_datetimes, masked_query
from clawcheck.platforms.model import (
    BadBody,
    Call,
    MockRequest,
    MockResponse,
    Platform,
    RateLimit,
    TokenStore,
)
from clawcheck.platforms.scenarios import Scenario, ScenarioSpec, instantiate, parse_scenarios

__all__ = ["CONTROL_PREFIX", "CursorCodec", "Delivery", "Limiter", "Mock"]

log = logging.getLogger("clawcheck.platforms")

CONTROL_PREFIX = "/_clawcheck/"
_EPSILON = 1e-6  # bucket arithmetic at Unix-epoch magnitudes loses ~1e-7 s
_MAX_BUCKETS = 10_000


class CursorCodec:
    """Opaque cursors this mock issued; anything else is a cursor the client made up or mangled.

    `awkward` (the `pagination-edges` scenario) makes every cursor carry `+`, `/` and `=`:
    a client that puts it in a URL without percent-encoding sends a different string.
    """

    def __init__(self) -> None:
        self.awkward = False
        self._issued: dict[str, int] = {}
        self._lock = threading.Lock()
        self._serial = 0

    def encode(self, offset: int) -> str:
        with self._lock:
            self._serial += 1
            raw = f"{offset}:{self._serial}".encode()
            if self.awkward:
                # 0xfb 0xff 0xbf encodes to "+/+/"; an odd length guarantees "=" padding.
                text = base64.b64encode(b"\xfb\xff\xbf" + raw + (b"" if len(raw) % 3 else b"~")).decode()
            else:
                text = base64.urlsafe_b64encode(raw).decode().rstrip("=")
            self._issued[text] = offset
            return text

    def decode(self, text: str | None) -> int | None:
        if not text:
            return None
        with self._lock:
            return self._issued.get(text)


class Limiter:
    """Token buckets per key on a monotonic clock; `take` returns None or the seconds to wait."""

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._now = monotonic
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: tuple[str, str], rule: RateLimit) -> float | None:
        capacity = max(rule.burst, 1.0)
        with self._lock:
            now = self._now()
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rule.per_second)
            if tokens >= 1.0 - _EPSILON:
                self._store(key, tokens - 1.0, now)
                return None
            self._store(key, tokens, now)
            return (1.0 - tokens) / rule.per_second

    def peek(self, key: tuple[str, str], rule: RateLimit) -> tuple[float, float]:
        """(tokens left now, seconds until the next whole token) without spending one:
        for platforms that report their bucket in headers (Shopify, Walmart)."""
        capacity = max(rule.burst, 1.0)
        with self._lock:
            now = self._now()
            tokens, last = self._buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + (now - last) * rule.per_second)
        return tokens, max(0.0, (1.0 - tokens) / rule.per_second)

    def _store(self, key: tuple[str, str], tokens: float, now: float) -> None:
        if key not in self._buckets and len(self._buckets) >= _MAX_BUCKETS:
            self._buckets.clear()  # a flood of made-up shops must not grow memory without bound
        self._buckets[key] = (tokens, now)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notification attempt (or, without a webhook URL, one notification kept in the outbox)."""

    topic: str
    at: float
    status: int | None  # None: not delivered (no URL, or the receiver was unreachable)
    secret: str  # "current" or "rotated": which secret signed it (never the secret itself)
    error: str = ""
    body: bytes = b""
    headers: Mapping[str, str] | None = None


class Mock:
    """One running imitation of one platform: state, tokens, journal, scenarios."""

    def __init__(
        self,
        platform: type[Platform],
        *,
        environment: str = "sandbox",
        scenarios: Iterable[str | ScenarioSpec] = (),
        webhook_url: str | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        enforce_rate_limits: bool = True,
    ) -> None:
        if environment not in ("sandbox", "production"):
            from clawcheck.errors import ConfigError

            raise ConfigError(f"environment must be sandbox or production, not {environment!r}")
        self.environment = environment
        self.webhook_url = webhook_url
        # Off only for schema-driven tests, which check shapes and would otherwise mostly see 429s.
        self.enforce_rate_limits = enforce_rate_limits
        self._clock = clock
        self.monotonic = monotonic
        self.skew = 0.0
        self.page_cap: int | None = None
        self.rotate_webhook_secret = False
        self.journal = Journal()
        self.cursors = CursorCodec()
        self.tokens = TokenStore(self.now, ttl=platform.token_ttl, refresh_ttl=platform.refresh_ttl)
        self.limiter = Limiter(monotonic)
        self.deliveries: list[Delivery] = []
        specs = [s if isinstance(s, ScenarioSpec) else None for s in scenarios]
        texts = [s for s in scenarios if isinstance(s, str)]
        self.scenario_specs = [s for s in specs if s is not None] + parse_scenarios(texts)
        self.scenarios: list[Scenario] = instantiate(self.scenario_specs, platform.name, platform.scenarios)
        for active in self.scenarios:
            active.install(self)
        self._lock = threading.RLock()
        self.platform = platform(self)
        self.platform.seed()
        self.credentials = self.platform.credentials()
        self.webhook_secret = self.credentials.get(platform.webhook_secret_env or "", "")
        self.rotated_webhook_secret = (
            "whsec_rotated_" + secrets.token_hex(16) if self.rotate_webhook_secret else ""
        )
        self._outbox: queue.Queue[tuple[str, bytes, dict[str, str], str] | None] = queue.Queue()
        self._sender: threading.Thread | None = None

    # -- time ------------------------------------------------------------------------

    def now(self) -> float:
        """The platform's clock (true time plus `clock-skew`)."""
        return self._clock() + self.skew

    def true_now(self) -> float:
        return self._clock()

    # -- the one entry point ---------------------------------------------------------

    def handle(self, request: MockRequest) -> MockResponse:
        if request.path.startswith(CONTROL_PREFIX):
            return self._control(request)
        started = time.perf_counter()
        host = self.platform.host(request.host)
        entry = JournalEntry(
            seq=self.journal.next_seq(),
            at=self._clock(),
            method=request.method,
            host=request.host,
            environment=host.environment if host else "any",
            path=request.path,
            query=masked_query(request.query),
        )
        try:
            entry.datetimes = find_datetimes(
                request.query, request.body, request.header("content-type") or ""
            )
            with self._lock:
                response = self._dispatch(request, entry)
        except Exception as exc:  # a handler bug must not take the server down
            log.exception("mock %s failed on %s %s", self.platform.name, request.method, request.path)
            entry.notes.append(f"mock-error: {type(exc).__name__}")
            response = self._internal_error(request, entry)
        entry.status = response.status
        entry.duration = time.perf_counter() - started + response.delay
        self.journal.add(entry)
        return response

    def _dispatch(self, request: MockRequest, entry: JournalEntry) -> MockResponse:
        call = Call(self, request, entry)
        matched = self._route(request)
        if matched is None:
            allowed = any(
                r.regex.fullmatch(request.path) and (not r.hosts or request.host in r.hosts)
                for r in self.platform.routes()
            )
            if allowed:
                return call.error(
                    405, "method_not_allowed", f"{request.method} is not allowed on {request.path}"
                )
            return call.error(404, "not_found", f"no such resource: {request.path}")
        route, params = matched
        call.route_name = entry.operation = route.name
        call.path_params = params
        if not route.public:
            refusal = self.platform.authenticate(call)
            if refusal is not None:
                return refusal
            for active in self.scenarios:
                injected = active.before(self, call)
                if injected is not None:
                    entry.injected = active.name
                    return injected
            key, rule = self._rate_key(route.name, entry)
            wait = self.limiter.take(key, rule) if self.enforce_rate_limits else None
            if wait is not None:
                entry.throttle = "limit"
                return self.throttle(call, wait)
        try:
            response: MockResponse = getattr(self.platform, route.handler_name)(call)
        except BadBody as exc:
            response = call.error(400, "bad_request", str(exc))
        for active in self.scenarios:
            active.after(self, call, response)
        return response

    def _rate_key(self, route_name: str, entry: JournalEntry) -> tuple[tuple[str, str], RateLimit]:
        limits = self.platform.rate_limit
        rule = limits.for_route(route_name)
        # An operation with its own rule has its own bucket, whatever scope that rule repeats.
        own = limits.scope == "shop+operation" or rule.scope == "shop+operation" or rule is not limits
        return (entry.shop or entry.token or "-", route_name if own else ""), rule

    def rate_state(self, call: Call) -> tuple[float, float, RateLimit]:
        """(tokens left, seconds to the next token, the rule) of this call's bucket, spending
        nothing: for platforms that report their bucket in headers (Shopify, Walmart)."""
        key, rule = self._rate_key(call.route_name, call.entry)
        tokens, wait = self.limiter.peek(key, rule)
        return tokens, wait, rule

    def _internal_error(self, request: MockRequest, entry: JournalEntry) -> MockResponse:
        """A 500 in the platform's own error shape when it can render one, else a plain one."""
        try:
            return self.platform.error(Call(self, request, entry), 500, "internal_error", "internal error")
        except Exception:
            return MockResponse.json(500, {"error": "clawcheck mock internal error"})

    def _route(self, request: MockRequest) -> tuple[Any, dict[str, str]] | None:
        for route in self.platform.routes():
            if route.hosts and request.host not in route.hosts:
                continue
            params = route.match(request.method, request.path)
            if params is not None:
                return route, params
        return None

    def throttle(self, call: Call, wait: float) -> MockResponse:
        """The platform's 429 for a wait of `wait` seconds; the journal keeps the wait."""
        response = self.platform.throttled(call, wait)
        if not call.entry.retry_after_advertised:
            call.entry.retry_after = wait
        return response

    # -- helpers the routes use through `Call` ----------------------------------------

    def page_size(self, requested: int | str | None, default: int, maximum: int) -> int:
        size = default
        if requested not in (None, ""):
            try:
                size = int(str(requested))
            except ValueError:
                size = default
        size = max(1, min(size, maximum))
        return min(size, self.page_cap) if self.page_cap else size

    def notify(self, topic: str, payload: Mapping[str, Any]) -> None:
        import json

        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        which = "rotated" if self.rotated_webhook_secret else "current"
        secret = self.rotated_webhook_secret or self.webhook_secret
        headers = {
            "content-type": "application/json",
            **self.platform.webhook_headers(secret, body, topic, self.now()),
        }
        if not self.webhook_url:
            self.deliveries.append(
                Delivery(topic, self._clock(), None, which, "no webhook URL", body, headers)
            )
            return
        self._outbox.put((topic, body, headers, which))
        if self._sender is None:
            self._sender = threading.Thread(target=self._deliver_all, name="mock-webhooks", daemon=True)
            self._sender.start()

    def _deliver_all(self) -> None:
        import httpx

        with httpx.Client(timeout=5.0) as client:
            while (item := self._outbox.get()) is not None:
                topic, body, headers, which = item
                for attempt in range(3):
                    try:
                        status: int | None = client.post(
                            self.webhook_url or "", content=body, headers=headers
                        ).status_code
                        error = ""
                    except httpx.HTTPError as exc:
                        status, error = None, type(exc).__name__
                    self.deliveries.append(
                        Delivery(topic, self._clock(), status, which, error, body, headers)
                    )
                    if (status is not None and status < 500) or attempt == 2:
                        break
                    time.sleep(0.2 * 2**attempt)
                self._outbox.task_done()

    def flush_webhooks(self, timeout: float = 10.0) -> None:
        """Wait until every queued notification has been attempted (tests, end of a run)."""
        deadline = time.monotonic() + timeout
        while self._outbox.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        if self._sender is not None:
            self._outbox.put(None)
            self._sender.join(2.0)
            self._sender = None

    # -- state -----------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.journal.clear()
            self.deliveries.clear()
            self.limiter = Limiter(self.monotonic)
            self.platform.seed()
            self.credentials = self.platform.credentials()

    def secrets(self) -> list[str]:
        """Every secret value of this mock: credentials, issued tokens, webhook secrets."""
        values = [
            *self.platform.secrets(),
            *self.tokens.values(),
            self.webhook_secret,
            self.rotated_webhook_secret,
        ]
        return [v for v in values if v]

    def adapter_env(self) -> dict[str, str]:
        """Credentials and settings an adapter gets, besides the URLs (see `server.MockServer.env`)."""
        env = {
            "CLAWCHECK_PLATFORM": self.platform.name,
            "CLAWCHECK_ENV": self.environment,
            **self.credentials,
        }
        if self.rotated_webhook_secret:
            env["CLAWCHECK_WEBHOOK_SECRET_NEW"] = self.rotated_webhook_secret
        return env

    def token_expiries(self) -> dict[str, float]:
        """Token fingerprint -> expiry in true time, for the token-refresh check."""
        return {fp: at - self.skew for fp, at in self.tokens.expiries().items()}

    # -- control API (never journaled: it is the harness talking, not the client) ------

    def _control(self, request: MockRequest) -> MockResponse:
        action = request.path[len(CONTROL_PREFIX) :].strip("/")
        if request.method == "GET" and action == "health":
            return MockResponse.json(200, {"platform": self.platform.name, "environment": self.environment})
        if request.method == "GET" and action == "journal":
            return MockResponse.json(200, self.journal.to_list())
        if request.method == "GET" and action == "deliveries":
            data = [
                {"topic": d.topic, "at": d.at, "status": d.status, "secret": d.secret, "error": d.error}
                for d in self.deliveries
            ]
            return MockResponse.json(200, data)
        if request.method == "POST" and action == "reset":
            self.reset()
            return MockResponse.json(200, {"reset": True})
        if request.method == "POST" and action == "orders":
            shop = request.param("shop")
            try:
                with self._lock:
                    order = self.platform.simulate_order(shop)
            except NotImplementedError as exc:
                return MockResponse.json(404, {"error": str(exc)})
            except Exception as exc:  # an unknown shop, say: the harness asked for something impossible
                return MockResponse.json(400, {"error": f"{type(exc).__name__}: {exc}"})
            return MockResponse.json(201, dict(order))
        return MockResponse.json(404, {"error": f"unknown control action {action!r}"})


def retry_after_header(seconds: float) -> str:
    """Whole seconds, rounded up, never 0: what a `Retry-After` header can carry."""
    return str(max(1, math.ceil(seconds - _EPSILON)))
