"""What a receiver run needs: the receiver's URL and secret, the optional probe, and the bounds."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from clawcheck.errors import ConfigError

__all__ = ["PROBE_PLACEHOLDER", "SECRET_ENV", "ReceiverSettings", "resolve_settings"]

SECRET_ENV = "OPENCLAW_WEBHOOK_SECRET"
PROBE_PLACEHOLDER = "{event_id}"


@dataclass(frozen=True, slots=True)
class ReceiverSettings:
    """One receiver under test. Build it with `resolve_settings`, which checks every field."""

    url: str
    secret: str
    probe: str | None = None  # a URL template containing {event_id}
    timeout: float = 10.0  # seconds for one delivery or probe read
    burst: int = 100  # valid deliveries timed by webhook.latency_p95
    concurrency: int = 4  # how many of them are in flight at once
    copies: int = 10  # concurrent copies of one event in webhook.concurrent
    p95_ms: float = 800.0  # protocol section 2, rule 1
    settle: float = 2.0  # seconds a probe is polled for an expected count to appear

    def __repr__(self) -> str:  # the secret never reaches a log line or a traceback
        return f"ReceiverSettings(url={self.url!r}, secret='***', probe={self.probe!r})"


def _http_url(value: str, what: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{what} must be an http:// or https:// URL, got {value!r}")
    return value


def resolve_settings(
    *,
    url: str,
    secret: str | None,
    probe: str | None = None,
    env: Mapping[str, str] | None = None,
    **bounds: Any,
) -> ReceiverSettings:
    """Settings from options, the secret falling back to OPENCLAW_WEBHOOK_SECRET; bad input is ConfigError."""
    environ = os.environ if env is None else env
    if secret is None:
        secret = environ.get(SECRET_ENV)
    if secret is None:
        raise ConfigError(f"no signing secret: set {SECRET_ENV} (or pass --secret)")
    if not secret:
        raise ConfigError(f"the signing secret is empty; set {SECRET_ENV} to the receiver's secret")
    _http_url(url, "--url")
    if probe is not None:
        if PROBE_PLACEHOLDER not in probe:
            raise ConfigError(
                f"--probe {probe!r} has no {PROBE_PLACEHOLDER} placeholder; e.g. "
                f"'http://127.0.0.1:9000/probe/{PROBE_PLACEHOLDER}'"
            )
        _http_url(probe.replace(PROBE_PLACEHOLDER, "evt_x"), "--probe")
    settings = replace(ReceiverSettings(url=url, secret=secret, probe=probe), **bounds)
    for name in ("timeout", "burst", "concurrency", "copies", "p95_ms"):
        if getattr(settings, name) <= 0:
            raise ConfigError(f"{name} must be positive, got {getattr(settings, name)}")
    return settings
