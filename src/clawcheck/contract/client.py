"""The harness's own HTTP client for a target: tokens, per-shop pacing, polite retries.

The harness is a well-behaved OpenClaw client itself: it paces each shop below the
rate limit, waits `Retry-After` after a 429 and refreshes its token before expiry,
so a verdict is about the target, never about the harness hammering it.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from clawcheck.contract.exchange import Exchange, SentRequest
from clawcheck.contract.settings import TargetSettings
from clawcheck.core.redact import Redactor
from clawcheck.errors import CredentialsRejected, TargetNotOpenClaw, TargetUnreachable

__all__ = ["Pacer", "TargetClient", "Token"]

TOKEN_PATH = "/v2/oauth/token"
# At most this many polite retries of one request after 429 or an expired token.
_MAX_RETRIES = 3
# A Retry-After beyond this is not waited out in a contract run; the run records it instead.
_MAX_RETRY_AFTER = 10.0


@dataclass(frozen=True, slots=True)
class Token:
    access_token: str
    refresh_token: str | None
    expires_in: float
    obtained_at: float  # time.monotonic()

    @property
    def expires_at(self) -> float:
        return self.obtained_at + self.expires_in

    def __repr__(self) -> str:
        return f"Token(expires_in={self.expires_in})"


class Pacer:
    """A token bucket per key (shop): `wait(key)` blocks until one request may go."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        # At least one whole token, so a rate below 1/s still lets requests through (slowly).
        self.capacity = max(rate, 1.0)
        self._clock = clock
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}  # key -> (tokens, updated)

    def wait(self, key: str) -> None:
        while True:
            with self._lock:
                now = self._clock()
                tokens, updated = self._state.get(key, (self.capacity, now))
                tokens = min(self.capacity, tokens + (now - updated) * self.rate)
                if tokens >= 1:
                    self._state[key] = (tokens - 1, now)
                    return
                self._state[key] = (tokens, now)
                delay = (1 - tokens) / self.rate
            time.sleep(delay)


class TargetClient:
    """Talks to one target on behalf of a run. Thread-safe."""

    def __init__(self, settings: TargetSettings, redactor: Redactor | None = None) -> None:
        self.settings = settings
        self.redactor = redactor or Redactor()
        self.redactor.add(settings.client_secret)
        if settings.expired_token:
            self.redactor.add(settings.expired_token)
        self.http = httpx.Client(
            timeout=httpx.Timeout(settings.timeout, connect=min(5.0, settings.timeout)),
            follow_redirects=False,
            headers={"User-Agent": "clawcheck"},
        )
        self.pacer = Pacer(settings.max_rps)
        self._token: Token | None = None
        self._token_lock = threading.Lock()
        self._shops = itertools.cycle(settings.shops)
        self._shop_lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    def url(self, path: str) -> str:
        return f"{self.settings.base_url}{path}"

    def next_shop(self) -> str:
        with self._shop_lock:
            return next(self._shops)

    # -- tokens -------------------------------------------------------------------------------------------

    def request_token(self, form: Mapping[str, str] | None = None) -> Token:
        """POST the token endpoint; client credentials by default. Raises the mapped TargetError."""
        data = dict(form or {"grant_type": "client_credentials"})
        data.setdefault("client_id", self.settings.client_id)
        data.setdefault("client_secret", self.settings.client_secret)
        url = self.url(TOKEN_PATH)
        try:
            response = self.http.post(url, data=data)
        except httpx.TimeoutException as exc:
            raise TargetUnreachable(f"{url} did not answer within {self.settings.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise TargetUnreachable(f"cannot reach {url}: {_reason(exc)}") from exc
        body = _json_or_none(response)
        if response.status_code in {400, 401, 403}:
            code = _error_code(body) or response.status_code
            raise CredentialsRejected(
                f"the target refused client id {self.settings.client_id!r} ({response.status_code} {code}); "
                "check --client-id/--client-secret or OPENCLAW_CLIENT_ID/OPENCLAW_CLIENT_SECRET"
            )
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            raise TargetNotOpenClaw(
                f"POST {url} answered {response.status_code} "
                f"{response.headers.get('content-type', '')} without "
                "an access_token; is --target the OpenClaw API base URL?"
            )
        token = Token(
            access_token=str(body["access_token"]),
            refresh_token=str(body["refresh_token"]) if body.get("refresh_token") else None,
            expires_in=float(body.get("expires_in") or 7200),
            obtained_at=time.monotonic(),
        )
        self.redactor.add(token.access_token, token.refresh_token or "")
        return token

    def token(self) -> str:
        """A token with some life left in it, refreshed ahead of expiry."""
        with self._token_lock:
            token = self._token
            if token is None or time.monotonic() > token.expires_at - _refresh_margin(token.expires_in):
                token = self._renew(token)
                self._token = token
            return token.access_token

    def invalidate(self, access_token: str) -> None:
        with self._token_lock:
            if self._token is not None and self._token.access_token == access_token:
                self._token = None

    def _renew(self, current: Token | None) -> Token:
        if current is not None and current.refresh_token:
            try:
                return self.request_token(
                    {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
                )
            except CredentialsRejected:
                pass  # a refresh token may be single-use or expired; fall back to client credentials
        return self.request_token()

    def auth_headers(self, shop: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}", "X-OpenClaw-Shop-Id": shop}

    # -- requests ------------------------------------------------------------------------------------------

    def send(self, operation: str, request: SentRequest, *, shop: str | None = None) -> Exchange:
        """Send one request as it is (no retries); paced per shop."""
        if shop is not None:
            self.pacer.wait(shop)
        started = time.perf_counter()
        try:
            response = self.http.request(
                request.method, request.url, headers=_wire_headers(request.headers), content=request.body
            )
        except httpx.TimeoutException as exc:
            raise TargetUnreachable(
                f"{request.method} {request.url} did not answer within {self.settings.timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise TargetUnreachable(f"cannot reach {request.url}: {_reason(exc)}") from exc
        return Exchange(
            operation=operation,
            request=request,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=response.content,
            elapsed=time.perf_counter() - started,
        )

    def send_politely(
        self, operation: str, request: SentRequest, *, shop: str | None = None, reauth: bool = True
    ) -> list[Exchange]:
        """Send, then retry after a 429 (waiting Retry-After) or an expired token; every attempt returned."""
        attempts: list[Exchange] = []
        for _ in range(_MAX_RETRIES + 1):
            exchange = self.send(operation, request, shop=shop)
            attempts.append(exchange)
            if exchange.status == 429:
                time.sleep(retry_after_seconds(exchange))
                continue
            if reauth and exchange.status == 401 and exchange.error_code() == "AUTH_TOKEN_EXPIRED":
                sent = request.header("Authorization") or ""
                self.invalidate(sent.partition(" ")[2])
                request = request.with_headers(Authorization=f"Bearer {self.token()}")
                continue
            break
        return attempts

    def get_json(self, path: str, *, shop: str) -> tuple[Exchange, Any]:
        request = SentRequest("GET", self.url(path), self.auth_headers(shop))
        exchange = self.send_politely(f"GET {path}", request, shop=shop)[-1]
        return exchange, exchange.json()


def retry_after_seconds(exchange: Exchange) -> float:
    """How long the target asked us to wait; 1 s when it did not say (and a check will say so)."""
    value = exchange.header("retry-after")
    try:
        seconds = float(value) if value is not None else 1.0
    except ValueError:
        seconds = 1.0
    if math.isnan(seconds):
        seconds = 1.0
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER)


def _wire_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    # Generated negative cases put non-ASCII text in headers; send the bytes a client would.
    wire = []
    for name, value in headers.items():
        try:
            encoded = value.encode("latin-1")
        except UnicodeEncodeError:
            encoded = value.encode("utf-8")
        wire.append((name.encode("latin-1"), encoded))
    return wire


def _refresh_margin(expires_in: float) -> float:
    # Renew with a fifth of the lifetime left (at most 60 s), so a request never carries a token
    # that expires in flight; short sandbox TTLs get proportionally short margins.
    return min(60.0, expires_in / 5)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _error_code(body: Any) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = body["error"].get("code")
        return str(code) if code else None
    return None


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    return text.splitlines()[0]
