"""What a mock platform is made of: requests and responses, hosts, limits, routes, tokens, calls.

A platform is one `Platform` subclass: its hosts, its rate-limit rule, its auth, its error
and 429 shapes, and its routes (methods decorated with `@route`). The engine (`engine.py`)
owns everything around the routes: the journal, the scenarios, rate limiting, the clock,
tokens and webhooks. Transports (`asgi.py` for real HTTP, `testing.py` for respx) only
convert to and from `MockRequest` / `MockResponse`, so both serve the same definition.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from urllib.parse import parse_qsl, urlencode

if TYPE_CHECKING:
    from clawcheck.platforms.engine import Mock
    from clawcheck.platforms.journal import JournalEntry

__all__ = [
    "BadBody",
    "Call",
    "ClientRequest",
    "Environment",
    "Host",
    "MockRequest",
    "MockResponse",
    "Platform",
    "RateLimit",
    "Route",
    "Token",
    "TokenCheck",
    "TokenState",
    "TokenStore",
    "fingerprint",
    "route",
]

Environment = Literal["sandbox", "production", "any"]
TokenState = Literal["valid", "expired", "invalid", "missing"]
SignatureState = Literal["valid", "invalid", "missing"]


class BadBody(ValueError):
    """The request body is not what the route can parse (invalid JSON, not a form)."""


def fingerprint(secret: str) -> str:
    """A short, stable, non-reversible name for a token: what journals and reports show."""
    return "fp-" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:12]


# -- the wire ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MockRequest:
    """One request as the platform received it, whatever the transport."""

    method: str
    scheme: str
    host: str  # the real platform host name it reached, e.g. sandbox.walmartapis.com
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    raw_path: str = ""  # percent-encoded as sent (OAuth 1.0a signs it); "" when unknown

    @classmethod
    def build(
        cls,
        method: str,
        url_path: str,
        *,
        host: str,
        scheme: str = "https",
        query_string: str = "",
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        raw_path: str = "",
    ) -> MockRequest:
        merged: dict[str, str] = {}
        for name, value in headers:
            key = name.lower()
            # Repeated headers fold into one, comma-separated, as HTTP allows.
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        query = tuple(parse_qsl(query_string, keep_blank_values=True, errors="replace"))
        return cls(method.upper(), scheme, host, url_path, query, merged, body, raw_path)

    def param(self, name: str) -> str | None:
        for key, value in self.query:
            if key == name:
                return value
        return None

    def params(self) -> dict[str, str]:
        """Every query parameter once (the first value), as most platforms read them."""
        found: dict[str, str] = {}
        for key, value in self.query:
            found.setdefault(key, value)
        return found

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadBody(f"the body is not valid JSON: {exc}") from None
        except RecursionError:
            raise BadBody("the body is JSON nested too deeply") from None

    def form(self) -> dict[str, str]:
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadBody("the form body is not UTF-8") from None
        return dict(parse_qsl(text, keep_blank_values=True))

    @property
    def url(self) -> str:
        query = f"?{urlencode(self.query)}" if self.query else ""
        return f"{self.scheme}://{self.host}{self.path}{query}"


@dataclass(slots=True)
class MockResponse:
    """What the platform answers; `delay` is applied by the transport (the `slow` scenario)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def json(cls, status: int, data: Any, headers: Mapping[str, str] | None = None) -> MockResponse:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(status, body, {"content-type": "application/json", **(headers or {})})

    @classmethod
    def text(
        cls,
        status: int,
        text: str,
        *,
        content_type: str = "text/plain; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> MockResponse:
        return cls(status, text.encode("utf-8"), {"content-type": content_type, **(headers or {})})

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None


@dataclass(slots=True)
class ClientRequest:
    """A request as a correct client prepares it, before `Platform.authorize` signs it."""

    method: str
    url: str  # scheme://host/path, without the query
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def path(self) -> str:
        rest = self.url.split("://", 1)[-1]
        slash = rest.find("/")
        return rest[slash:] if slash >= 0 else "/"


# -- the platform's shape ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Host:
    """One real host of the platform. `any`: the same host serves sandbox and production."""

    name: str
    environment: Environment = "any"
    role: str = "api"  # "api", "auth", ...: documentation for users and adapters


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A token bucket: `per_second` refill, `burst` capacity; per shop, or per shop and route."""

    per_second: float
    burst: float = 1.0
    scope: Literal["shop", "shop+operation"] = "shop"
    per_operation: Mapping[str, RateLimit] = field(default_factory=dict)

    def for_route(self, route_name: str) -> RateLimit:
        return self.per_operation.get(route_name, self)


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    pattern: str
    name: str
    handler_name: str
    public: bool = False  # no `authenticate` (token exchange, health)
    hosts: tuple[str, ...] = ()  # empty: served on every host of the platform
    regex: re.Pattern[str] = field(default=re.compile(""), compare=False)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.method:
            return None
        found = self.regex.fullmatch(path)
        return found.groupdict() if found else None


_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _compile(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for found in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[position : found.start()]))
        parts.append(f"(?P<{found.group(1)}>[^/]+)")
        position = found.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("".join(parts))


Handler = Callable[[Any, "Call"], MockResponse]


def route(
    method: str | tuple[str, ...],
    pattern: str,
    *,
    name: str,
    public: bool = False,
    hosts: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    """Mark a `Platform` method as the handler of `METHOD pattern` (`{param}` segments).

    Several methods (`("PUT", "POST", "PATCH")`) share one handler and one operation name,
    as WordPress's EDITABLE does.
    """
    methods = (method,) if isinstance(method, str) else method
    regex = _compile(pattern)

    def decorate(handler: Handler) -> Handler:
        handler.__clawcheck_routes__ = tuple(  # type: ignore[attr-defined]
            Route(m.upper(), pattern, name, handler.__name__, public, hosts, regex) for m in methods
        )
        return handler

    return decorate


# -- tokens ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    access: str
    refresh: str | None
    expires_at: float | None  # platform-clock seconds; None: never expires
    refresh_expires_at: float | None
    shop: str

    def expires_in(self, now: float) -> int | None:
        return None if self.expires_at is None else max(0, round(self.expires_at - now))


@dataclass(frozen=True, slots=True)
class TokenCheck:
    state: Literal["valid", "expired", "invalid"]
    shop: str | None = None
    token: Token | None = None


class TokenStore:
    """Access and refresh tokens of one mock: issued, checked, refreshed, revoked.

    Lifetimes come from the platform (`token_ttl`, `refresh_ttl`) unless a scenario
    shortens them (`ttl_override`). Thread-safe: the servers of all hosts share it.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        ttl: float | None,
        refresh_ttl: float | None,
        prefix: str = "",
    ) -> None:
        self._clock = clock
        self.ttl = ttl
        self.refresh_ttl = refresh_ttl
        self.ttl_override: float | None = None
        self._prefix = prefix
        self._access: dict[str, Token] = {}
        self._refresh: dict[str, Token] = {}
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def issue(
        self,
        shop: str,
        *,
        ttl: float | None = None,
        refresh: bool = True,
        access: str | None = None,
        refresh_value: str | None = None,
    ) -> Token:
        """A new token for `shop`; `access`/`refresh_value` fix the values (seeded credentials).

        `ttl=math.inf` issues a token that never expires, whatever the platform's default.
        """
        now = self._clock()
        lifetime = self.ttl_override if self.ttl_override is not None else (ttl if ttl else self.ttl)
        if lifetime is not None and math.isinf(lifetime):
            lifetime = None
        token = Token(
            access=access or f"{self._prefix}{secrets.token_urlsafe(24)}",
            refresh=(refresh_value or f"{self._prefix}r-{secrets.token_urlsafe(24)}") if refresh else None,
            expires_at=None if lifetime is None else now + lifetime,
            refresh_expires_at=None if self.refresh_ttl is None or not refresh else now + self.refresh_ttl,
            shop=shop,
        )
        with self._lock:
            self._access[token.access] = token
            if token.refresh:
                self._refresh[token.refresh] = token
        return token

    def check(self, access: str | None) -> TokenCheck:
        if not access:
            return TokenCheck("invalid")
        with self._lock:
            token = self._access.get(access)
            revoked = access in self._revoked
        if token is None or revoked:
            return TokenCheck("invalid", token.shop if token else None, token)
        if token.expires_at is not None and self._clock() >= token.expires_at:
            return TokenCheck("expired", token.shop, token)
        return TokenCheck("valid", token.shop, token)

    def refresh(
        self,
        refresh_value: str | None,
        *,
        rotate: bool = True,
        revoke_old: bool = False,
        keep_refresh_expiry: bool = False,
    ) -> Token | None:
        """A new access token for a live refresh token; None when it is unknown, used or expired.

        `rotate`: the refresh token is single-use and a new one comes back (Shopee, TikTok);
        otherwise the same refresh token keeps working (Amazon LWA).
        """
        if not refresh_value:
            return None
        with self._lock:
            old = self._refresh.get(refresh_value)
            if old is None or refresh_value in self._revoked:
                return None
            if old.refresh_expires_at is not None and self._clock() >= old.refresh_expires_at:
                return None
            if rotate:
                self._revoked.add(refresh_value)
            if revoke_old:
                self._revoked.add(old.access)
        fresh = self.issue(old.shop, refresh=rotate, refresh_value=None)
        if rotate and keep_refresh_expiry:
            # Lazada: a refresh does not extend the refresh token's life.
            fresh = Token(fresh.access, fresh.refresh, fresh.expires_at, old.refresh_expires_at, old.shop)
            with self._lock:
                self._access[fresh.access] = fresh
                if fresh.refresh:
                    self._refresh[fresh.refresh] = fresh
        if not rotate:
            # Keep the same refresh token pointing at the shop, with its original lifetime.
            fresh = Token(fresh.access, refresh_value, fresh.expires_at, old.refresh_expires_at, old.shop)
            with self._lock:
                self._access[fresh.access] = fresh
        return fresh

    def revoke(self, value: str) -> None:
        with self._lock:
            self._revoked.add(value)

    def expiries(self) -> dict[str, float]:
        """Fingerprint -> expiry (platform clock) of every access token that expires."""
        with self._lock:
            return {fingerprint(v): t.expires_at for v, t in self._access.items() if t.expires_at is not None}

    def values(self) -> list[str]:
        """Every token value issued: the secrets that must never reach output."""
        with self._lock:
            return [*self._access, *self._refresh]


# -- one request in flight ---------------------------------------------------------------


class Call:
    """Everything a route handler needs for one request, and what it tells the journal."""

    __slots__ = ("entry", "mock", "path_params", "request", "route_name")

    def __init__(
        self,
        mock: Mock,
        request: MockRequest,
        entry: JournalEntry,
        route_name: str = "",
        path_params: Mapping[str, str] | None = None,
    ) -> None:
        self.mock = mock
        self.request = request
        self.entry = entry
        self.route_name = route_name
        self.path_params: dict[str, str] = dict(path_params or {})

    @property
    def platform(self) -> Platform:
        return self.mock.platform

    @property
    def tokens(self) -> TokenStore:
        return self.mock.tokens

    def now(self) -> float:
        """The platform's clock: real time plus any `clock-skew` offset."""
        return self.mock.now()

    # What the journal learns about the client.
    def identify(self, *, shop: str | None = None, token: str | None = None) -> None:
        if shop is not None:
            self.entry.shop = shop
        if token:
            self.entry.token = fingerprint(token)

    def token_state(self, state: TokenState) -> None:
        self.entry.token_state = state

    def signature(self, state: SignatureState, detail: str = "") -> None:
        self.entry.signature = state
        self.entry.signature_detail = detail

    def client_timestamp(self, name: str, epoch_seconds: float) -> None:
        self.entry.client_timestamps.append((name, float(epoch_seconds)))

    def advertise_wait(self, seconds: float) -> None:
        self.entry.retry_after = float(seconds)
        self.entry.retry_after_advertised = True

    def note(self, text: str) -> None:
        self.entry.notes.append(text)

    # Pagination, shaped by the `pagination-edges` scenario.
    def page_size(self, requested: int | str | None, default: int, maximum: int) -> int:
        return self.mock.page_size(requested, default, maximum)

    def encode_cursor(self, offset: int) -> str:
        return self.mock.cursors.encode(offset)

    def decode_cursor(self, text: str | None) -> int | None:
        """The offset of a cursor this mock issued; None otherwise (noted as `bad_cursor`)."""
        offset = self.mock.cursors.decode(text)
        if text:
            self.note("cursor" if offset is not None else "bad_cursor")
        return offset

    # Output.
    def notify(self, topic: str, payload: Mapping[str, Any]) -> None:
        self.mock.notify(topic, payload)

    def error(self, status: int, code: str, message: str) -> MockResponse:
        return self.mock.platform.error(self, status, code, message)

    def json(self, status: int, data: Any, headers: Mapping[str, str] | None = None) -> MockResponse:
        return MockResponse.json(status, data, headers)


# -- the platform ------------------------------------------------------------------------

GENERIC_SCENARIOS = frozenset(
    {
        "token-expiry",
        "rate-limit-burst",
        "server-errors",
        "slow",
        "clock-skew",
        "pagination-edges",
        "webhook-secret-rotated",
    }
)


class Platform:
    """One marketplace's API, imitated. Subclass, fill in the class attributes, add routes."""

    name: ClassVar[str]
    title: ClassVar[str]
    spec: ClassVar[str]  # file name under specs/platforms/
    hosts: ClassVar[tuple[Host, ...]]
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10.0, burst=10.0)
    token_ttl: ClassVar[float | None] = None
    refresh_ttl: ClassVar[float | None] = None
    scenarios: ClassVar[frozenset[str]] = GENERIC_SCENARIOS
    webhook_secret_env: ClassVar[str | None] = None
    # Wait the engine assumes after a 429 that advertises none (`Call.advertise_wait` not called).
    default_backoff: ClassVar[float] = 1.0

    _routes: ClassVar[tuple[Route, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: list[Route] = []
        for klass in reversed(cls.__mro__):
            for value in vars(klass).values():
                found.extend(getattr(value, "__clawcheck_routes__", ()))
        cls._routes = tuple(found)

    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self.state: Any = None

    @property
    def tokens(self) -> TokenStore:
        return self.mock.tokens

    def now(self) -> float:
        return self.mock.now()

    @classmethod
    def routes(cls) -> tuple[Route, ...]:
        return cls._routes

    @classmethod
    def host(cls, name: str) -> Host | None:
        for host in cls.hosts:
            if host.name == name:
                return host
        return None

    # -- what each platform provides -------------------------------------------------

    def seed(self) -> None:
        """Build `self.state` and issue the initial tokens; called at start and on reset."""
        raise NotImplementedError

    def credentials(self) -> dict[str, str]:
        """Environment variables an adapter needs (ids, keys, secrets, initial tokens)."""
        raise NotImplementedError

    def authenticate(self, call: Call) -> MockResponse | None:
        """Refuse (the platform's error response) or accept (None) a non-public request."""
        raise NotImplementedError

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        raise NotImplementedError

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        """The platform's own 429; call `call.advertise_wait` when it tells the client a wait."""
        raise NotImplementedError

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        """Authenticate/sign a request as a correct client would (contract tests use it)."""
        raise NotImplementedError

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        """The platform's notification signature headers; platforms without webhooks keep this."""
        raise NotImplementedError(f"{self.name} sends no notifications")

    def simulate_order(self, shop: str | None = None) -> Mapping[str, Any]:
        """A new buyer order (control API `POST /_clawcheck/orders`); optional."""
        raise NotImplementedError(f"{self.name} cannot simulate orders")

    def secrets(self) -> list[str]:
        """Secret values of this mock (keys, tokens), scrubbed from anything written."""
        return [v for k, v in self.credentials().items() if _looks_secret(k)]


def _looks_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in ("secret", "token", "key", "password"))
