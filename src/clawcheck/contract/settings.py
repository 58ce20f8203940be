"""Who and what a contract run talks to, resolved once from options and the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from clawcheck.errors import ConfigError

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "ENV_CLIENT_ID",
    "ENV_CLIENT_SECRET",
    "ENV_EXPIRED_TOKEN",
    "ENV_SHOP_ID",
    "TargetSettings",
    "resolve_settings",
]

ENV_CLIENT_ID = "OPENCLAW_CLIENT_ID"
ENV_CLIENT_SECRET = "OPENCLAW_CLIENT_SECRET"
ENV_SHOP_ID = "OPENCLAW_SHOP_ID"
ENV_EXPIRED_TOKEN = "OPENCLAW_EXPIRED_TOKEN"

# The embedded sandbox's documented demo credentials (see `clawcheck sandbox --help`).
DEMO_CLIENT_ID = "clawcheck-demo"
DEMO_CLIENT_SECRET = "clawcheck-demo-secret"
# Against the embedded sandbox the run spreads over many shops so that the 10 QPS
# per-shop limit shapes only the rate-limit check, not every generated case.
EMBEDDED_SHOPS = tuple(f"shop_cc{n:02d}" for n in range(32))

_SHOP = re.compile(r"^shop_[A-Za-z0-9_-]{1,60}$")


@dataclass(frozen=True, slots=True)
class TargetSettings:
    base_url: str
    client_id: str
    client_secret: str
    shops: tuple[str, ...]
    embedded: bool = False
    rate_limit: float = 10.0  # the per-shop limit the target is expected to enforce
    max_rps: float = 8.0  # the harness's own pace per shop, below the limit
    timeout: float = 10.0
    expired_token: str | None = None
    max_token_wait: float = 15.0  # wait this long at most for a real token to expire

    def __repr__(self) -> str:  # never show the secret, even in a debugger or a traceback
        return (
            f"TargetSettings(base_url={self.base_url!r}, client_id={self.client_id!r}, shops={self.shops!r})"
        )


def resolve_settings(
    *,
    target: str | None,
    client_id: str | None = None,
    client_secret: str | None = None,
    shop_id: str | None = None,
    rate_limit: float | None = None,
    max_rps: float | None = None,
    expired_token: str | None = None,
    timeout: float = 10.0,
    embedded_url: str | None = None,
    env: Mapping[str, str] | None = None,
) -> TargetSettings:
    """Options win over environment variables; the embedded sandbox needs neither."""
    env = os.environ if env is None else env
    embedded = target is None
    base_url = embedded_url if embedded else target
    if base_url is None:
        raise ConfigError("no target: pass --target URL, or omit it to use the embedded sandbox")
    base_url = _check_url(base_url)
    client_id = client_id or env.get(ENV_CLIENT_ID) or (DEMO_CLIENT_ID if embedded else None)
    client_secret = client_secret or env.get(ENV_CLIENT_SECRET) or (DEMO_CLIENT_SECRET if embedded else None)
    if not client_id or not client_secret:
        missing = "--client-id" if not client_id else "--client-secret"
        variable = ENV_CLIENT_ID if not client_id else ENV_CLIENT_SECRET
        raise ConfigError(
            f"no client credentials for {base_url}: pass {missing} or set {variable} (the sandbox's "
            "OAuth2 client credentials)"
        )
    shops_text = shop_id or env.get(ENV_SHOP_ID)
    if shops_text:
        shops = tuple(s.strip() for s in shops_text.split(",") if s.strip())
        if not shops:
            raise ConfigError(f"--shop-id / {ENV_SHOP_ID} names no shop; give one or more, e.g. shop_demo")
    elif embedded:
        shops = EMBEDDED_SHOPS
    else:
        raise ConfigError(f"no shop for {base_url}: pass --shop-id or set {ENV_SHOP_ID} (e.g. shop_demo)")
    for shop in shops:
        if not _SHOP.match(shop):
            raise ConfigError(
                f"shop id {shop!r} is not valid: it must look like shop_<letters, digits, _ or ->"
            )
    limit = 10.0 if rate_limit is None else rate_limit
    if limit <= 0:
        raise ConfigError(f"--rate-limit must be positive, got {limit}")
    pace = max_rps if max_rps is not None else limit * 0.8
    if pace <= 0:
        raise ConfigError(f"--max-rps must be positive, got {pace}")
    return TargetSettings(
        base_url=base_url,
        client_id=client_id,
        client_secret=client_secret,
        shops=shops,
        embedded=embedded,
        rate_limit=limit,
        max_rps=pace,
        timeout=timeout,
        expired_token=expired_token or env.get(ENV_EXPIRED_TOKEN) or None,
    )


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            f"target {url!r} is not an http(s) URL; pass the API base URL, e.g. http://127.0.0.1:8080"
        )
    path = parts.path.rstrip("/")
    if path.endswith("/v2"):
        raise ConfigError(
            f"target {url!r} ends in /v2; pass the base URL without it (the spec's paths start with /v2)"
        )
    return f"{parts.scheme}://{parts.netloc}{path}"
