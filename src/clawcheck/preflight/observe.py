"""What the preflight learns from the target, each fact fetched once and shared by the checks.

    probe = Probe(settings, facts)
    probe.health          one GET of the health path (status, headers, JSON body, timing)
    probe.handshake       the negotiated TLS version (https targets)
    probe.certificate     the verified leaf certificate (https targets)

Observations are lazy: a run restricted to `preflight.environment_host` never opens a socket.
They never raise: a failure is part of the observation, for the checks to judge.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx

from clawcheck.core.redact import Redactor
from clawcheck.preflight.settings import PreflightSettings, Target
from clawcheck.preflight.specinfo import SpecFacts
from clawcheck.preflight.tlsprobe import (
    CertificateView,
    Handshake,
    describe_error,
    inspect_certificate,
    negotiate,
    observing_context,
)

__all__ = ["BODY_LIMIT", "HealthObservation", "Probe", "fetch_health"]

BODY_LIMIT = 64 * 1024  # a health body is tiny; a web page behind a wrong base URL is not read whole
_EVIDENCE_TEXT = 2000


@dataclass(frozen=True, slots=True)
class HealthObservation:
    """One GET of the health path. `status_code` is None when no HTTP answer came (see `error`)."""

    url: str  # without userinfo
    sent_at: float  # local epoch seconds when the request left
    received_at: float  # ... and when the response headers arrived (or the request failed)
    elapsed_s: float = 0.0  # request start to body read
    status_code: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    text: str = ""  # the body as read (at most BODY_LIMIT bytes), decoded leniently
    body: Any = None  # the parsed JSON body, None unless the body is JSON
    error: str | None = None  # one line: why no (complete) answer came

    @property
    def answered(self) -> bool:
        return self.status_code is not None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def is_json(self) -> bool:
        kind = self.content_type
        return kind == "application/json" or kind.endswith("+json")

    def evidence(self) -> dict[str, Any]:
        data: dict[str, Any] = {"request": f"GET {self.url}", "elapsed_ms": round(self.elapsed_s * 1000, 1)}
        if self.status_code is not None:
            data["status_code"] = self.status_code
            data["headers"] = Redactor().headers(self.headers)  # set-cookie and the like
            data["body"] = self.body if self.body is not None else self.text[:_EVIDENCE_TEXT]
        if self.error is not None:
            data["error"] = self.error
        return data


def _root_cause(exc: BaseException) -> BaseException:
    """httpx wraps the socket's OSError (through httpcore); the innermost one says it best."""
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        inner = current.__cause__ or current.__context__
        if inner is None:
            break
        current = inner
    return current


def _describe(exc: httpx.HTTPError, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection closed without a valid HTTP answer"
    root = _root_cause(exc)
    if isinstance(root, OSError):
        return describe_error(root, timeout)
    return describe_error(exc, timeout)


def fetch_health(
    target: Target, path: str, timeout: float, *, clock: Callable[[], float] = time.time
) -> HealthObservation:
    """GET `path` once, no redirects, no proxy from the environment, no credentials."""
    url, shown = target.url(path), target.display_url(path)
    started, sent_at = time.perf_counter(), clock()
    received_at = sent_at
    try:
        with (
            httpx.Client(
                timeout=httpx.Timeout(timeout),
                verify=observing_context(),
                trust_env=False,  # straight to the target, as the TLS handshakes go
                follow_redirects=False,
            ) as http,
            http.stream("GET", url, headers={"Accept": "application/json"}) as response,
        ):
            received_at = clock()
            raw = bytearray()
            for chunk in response.iter_bytes():
                raw += chunk
                if len(raw) >= BODY_LIMIT:
                    break
    except httpx.HTTPError as exc:
        return HealthObservation(
            shown, sent_at, clock(), time.perf_counter() - started, error=_describe(exc, timeout)
        )
    text = bytes(raw[:BODY_LIMIT]).decode(response.encoding or "utf-8", errors="replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    headers = {name.lower(): value for name, value in response.headers.items()}
    return HealthObservation(
        url=shown,
        sent_at=sent_at,
        received_at=received_at,
        elapsed_s=time.perf_counter() - started,
        status_code=response.status_code,
        headers=headers,
        text=text,
        body=body,
    )


class Probe:
    """The observations of one run; each is made on first use and then reused."""

    def __init__(
        self, settings: PreflightSettings, facts: SpecFacts, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.settings = settings
        self.facts = facts
        self.target = settings.target()
        self.clock = clock  # epoch seconds; the clock-skew and certificate checks compare with it

    @cached_property
    def health(self) -> HealthObservation:
        return fetch_health(self.target, self.facts.health_path, self.settings.timeout, clock=self.clock)

    @cached_property
    def handshake(self) -> Handshake:
        return negotiate(self.target, self.settings.timeout)

    @cached_property
    def certificate(self) -> CertificateView:
        return inspect_certificate(self.target, self.settings.timeout, self.settings.ca_file)

    def made(self) -> dict[str, Any]:
        """The observations made so far (for the run's metrics)."""
        return {
            name: self.__dict__[name]
            for name in ("health", "handshake", "certificate")
            if name in self.__dict__
        }
