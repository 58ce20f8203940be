"""OAuth2 client credentials: opaque tokens, single-use refresh tokens, expiry by the injected clock."""

from __future__ import annotations

import hmac
import math
import secrets
from dataclasses import dataclass

from clawcheck.sandbox.config import SandboxConfig
from clawcheck.sandbox.errors import ApiError
from clawcheck.sandbox.faults import ACCEPT_EXPIRED_TOKEN, ACCEPT_INVALID_TOKEN, AUTH_OPTIONAL

__all__ = ["SCOPE", "IssuedToken", "TokenAuthority"]

SCOPE = "orders inventory shipments webhooks"
_MAX_TOKENS = 100_000  # expired tokens are kept so they stay "expired", not "unknown"; bounded all the same
_BEARER_CHALLENGE = 'Bearer realm="openclaw"'


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    refresh_token: str
    expires_in: int
    scope: str = SCOPE

    def as_json(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": self.refresh_token,
            "scope": self.scope,
        }


def _auth_error(code: str, message: str, challenge: str = _BEARER_CHALLENGE) -> ApiError:
    return ApiError(401, code, "auth", message, headers={"WWW-Authenticate": challenge})


class TokenAuthority:
    """Issues and checks tokens for the one configured client."""

    __slots__ = (
        "_accept_expired",
        "_accept_unknown",
        "_access",
        "_client_id",
        "_client_secret",
        "_clock",
        "_optional",
        "_refresh",
        "_ttl",
    )

    def __init__(self, config: SandboxConfig) -> None:
        self._client_id = config.client_id.encode()
        self._client_secret = config.client_secret.encode()
        self._ttl = config.token_ttl
        self._clock = config.clock
        self._optional = config.has(AUTH_OPTIONAL.name)
        self._accept_unknown = config.has(ACCEPT_INVALID_TOKEN.name)
        self._accept_expired = config.has(ACCEPT_EXPIRED_TOKEN.name)
        self._access: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self._refresh: dict[str, None] = {}  # insertion-ordered, so the oldest is dropped first

    def check_client(self, client_id: str, client_secret: str, *, basic: bool = False) -> None:
        """Raise 401 AUTH_INVALID_CLIENT unless these are the configured credentials."""
        # Compare both in constant time so timing tells nothing about which one was wrong.
        id_ok = hmac.compare_digest(client_id.encode("utf-8", "replace"), self._client_id)
        secret_ok = hmac.compare_digest(client_secret.encode("utf-8", "replace"), self._client_secret)
        if not (id_ok and secret_ok):
            challenge = 'Basic realm="openclaw"' if basic else _BEARER_CHALLENGE
            raise _auth_error("AUTH_INVALID_CLIENT", "client authentication failed", challenge)

    def issue(self) -> IssuedToken:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        if len(self._access) >= _MAX_TOKENS:
            del self._access[next(iter(self._access))]
        if len(self._refresh) >= _MAX_TOKENS:
            del self._refresh[next(iter(self._refresh))]
        self._access[access] = self._clock() + self._ttl
        self._refresh[refresh] = None
        return IssuedToken(access, refresh, max(1, math.ceil(self._ttl)))

    def redeem(self, refresh_token: str) -> IssuedToken:
        """Exchange a refresh token, which is used up, for a fresh pair."""
        if refresh_token not in self._refresh:
            raise ApiError(400, "AUTH_INVALID_GRANT", "auth", "refresh token is unknown or already used")
        del self._refresh[refresh_token]
        return self.issue()

    def authenticate(self, authorization: str | None) -> None:
        """Raise 401 unless the Authorization header carries a live bearer token."""
        if authorization is None or not authorization.strip():
            if self._optional:
                return
            raise _auth_error("AUTH_MISSING", "missing Authorization: Bearer <token> header")
        scheme, _, token = authorization.strip().partition(" ")
        expires = self._access.get(token.strip()) if scheme.lower() == "bearer" else None
        if expires is None:
            if self._accept_unknown:
                return
            raise _auth_error("AUTH_INVALID_TOKEN", "access token is not valid")
        if self._clock() >= expires and not self._accept_expired:
            raise _auth_error("AUTH_TOKEN_EXPIRED", "access token has expired; request a new one")
