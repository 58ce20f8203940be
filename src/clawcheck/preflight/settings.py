"""What a preflight run needs: the target's base URL, the environment it claims to be, and the bounds.

Every field is checked when `PreflightSettings` is built, so a bad value is one `ConfigError`
line before anything is sent.
"""

from __future__ import annotations

import math
import ssl
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

from clawcheck.errors import ConfigError
from clawcheck.preflight.apiversion import parse_version

__all__ = ["DEFAULT_PORTS", "EnvironmentKind", "PreflightSettings", "Target"]

DEFAULT_PORTS = {"http": 80, "https": 443}


class EnvironmentKind(StrEnum):
    SANDBOX = "sandbox"
    PRODUCTION = "production"


@dataclass(frozen=True, slots=True)
class Target:
    """The parts of the base URL the checks use. `display` never carries `user:password@`."""

    scheme: str  # http | https
    host: str  # lower case, IPv6 without brackets
    port: int
    base_url: str  # as given, without a trailing slash (httpx sends its userinfo as basic auth)
    display: str  # base_url without userinfo: what reports show
    password: str  # userinfo password, "" without one: scrubbed from every record

    @property
    def tls(self) -> bool:
        return self.scheme == "https"

    def url(self, path: str) -> str:
        return self.base_url + path

    def display_url(self, path: str) -> str:
        return self.display + path


@dataclass(frozen=True, slots=True)
class PreflightSettings:
    """One target under preflight. Build it directly: `__post_init__` checks every field."""

    base_url: str  # the OpenClaw v2 API base URL, e.g. https://api.sandbox.openclaw.example
    environment_kind: str  # "sandbox" | "production": what the run claims the target is
    expected_api_version: str | None = "v2"  # "v2", "2", "2.x", "2.1"; None: only the spec's major
    timeout: float = 10.0  # seconds for the health request and for each TLS handshake
    min_cert_days: int = 14  # the certificate must stay valid at least this many more days
    max_clock_skew: float = 300.0  # seconds between the target's Date header and local UTC
    ca_file: str | None = None  # extra trusted CAs (PEM), for a private CA or tests

    def __post_init__(self) -> None:
        self.target()  # raises ConfigError for an unusable URL
        if self.environment_kind not in tuple(EnvironmentKind):
            raise ConfigError(
                f"environment kind must be 'sandbox' or 'production', got {self.environment_kind!r}"
            )
        if self.expected_api_version is not None and parse_version(self.expected_api_version) is None:
            raise ConfigError(
                f"expected API version {self.expected_api_version!r} is not a version; "
                "write e.g. 'v2' or '2.1'"
            )
        if not (math.isfinite(self.timeout) and self.timeout > 0):
            raise ConfigError(f"preflight timeout must be a positive number of seconds, got {self.timeout}")
        if isinstance(self.min_cert_days, bool) or not isinstance(self.min_cert_days, int):
            raise ConfigError(f"min_cert_days must be a whole number of days, got {self.min_cert_days!r}")
        if self.min_cert_days < 0:
            raise ConfigError(f"min_cert_days must be 0 or more, got {self.min_cert_days}")
        if not (math.isfinite(self.max_clock_skew) and self.max_clock_skew >= 0):
            raise ConfigError(
                f"max_clock_skew must be 0 or more seconds, got {self.max_clock_skew}; 300 is the usual bound"
            )
        if self.ca_file is not None:
            _check_ca_file(self.ca_file)

    @property
    def environment(self) -> EnvironmentKind:
        return EnvironmentKind(self.environment_kind)

    def target(self) -> Target:
        return _target(self.base_url)

    def __repr__(self) -> str:  # a password in the URL never reaches a log line or a traceback
        return (
            f"PreflightSettings(base_url={self.target().display!r}, "
            f"environment_kind={self.environment_kind!r}, expected_api_version={self.expected_api_version!r})"
        )


def _target(base_url: str) -> Target:
    if not isinstance(base_url, str) or not base_url.strip():
        raise ConfigError("the target base URL is empty; pass the OpenClaw API base URL, e.g. https://host")
    text = base_url.strip().rstrip("/")
    parts = urlsplit(text)
    display = _without_userinfo(parts)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ConfigError(f"the target must be an http:// or https:// URL with a host, got {display!r}")
    if parts.query or parts.fragment:
        raise ConfigError(f"the target base URL {display!r} has a query or fragment; pass the API base only")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise ConfigError(
            f"the target {display!r} has an invalid port; write e.g. https://host:8443"
        ) from None
    return Target(
        scheme=scheme,
        host=parts.hostname.lower(),
        port=port,
        base_url=text,
        display=display,
        password=parts.password or "",
    )


def _check_ca_file(path: str) -> None:
    if not Path(path).is_file():
        raise ConfigError(f"CA file {path} not found; pass a PEM file of trusted CA certificates")
    try:
        ssl.create_default_context(cafile=path)
    except ssl.SSLError:
        raise ConfigError(
            f"CA file {path} holds no PEM certificate; pass PEM-encoded CA certificates"
        ) from None


def _without_userinfo(parts: SplitResult) -> str:
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
