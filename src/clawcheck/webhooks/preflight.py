"""Fail fast on input that cannot be tested, before any check runs (within about 10 s).

- `--url` that does not answer (or only a gateway's 502/503/504): `TargetUnreachable`;
- `--url` that answers a POST with 404, 405 or a redirect: `TargetError`;
- `--probe` that does not answer `200 {"event_id": <id>, "processed": 0}` for a fresh id: `ConfigError`.

(An empty secret and a template without `{event_id}` are refused earlier, by `resolve_settings`.)
"""

from __future__ import annotations

import httpx

from clawcheck.core.redact import Redactor
from clawcheck.errors import ConfigError, TargetError, TargetUnreachable
from clawcheck.webhooks.probe import Probe, ProbeError
from clawcheck.webhooks.sender import new_event_id
from clawcheck.webhooks.settings import ReceiverSettings

__all__ = ["PREFLIGHT_TIMEOUT_S", "preflight"]

PREFLIGHT_TIMEOUT_S = 4.0  # per request; the receiver and the probe together stay under 10 s


def preflight(settings: ReceiverSettings) -> None:
    """Raise a one-line ClawcheckError when the receiver or the probe cannot be tested."""
    redactor = Redactor([settings.secret])
    timeout = httpx.Timeout(PREFLIGHT_TIMEOUT_S, connect=PREFLIGHT_TIMEOUT_S)
    with httpx.Client(timeout=timeout, follow_redirects=False) as http:
        _receiver(http, settings.url, redactor)
        if settings.probe is not None:
            _probe(http, settings, redactor)


def _receiver(http: httpx.Client, url: str, redactor: Redactor) -> None:
    # An unsigned delivery: harmless (a conforming receiver refuses it with 400/401), and it tells
    # a webhook endpoint from a wrong path (404, 405) or a redirect (which OpenClaw does not follow).
    try:
        response = http.post(url, content=b"{}", headers={"Content-Type": "application/json"})
    except httpx.TimeoutException as exc:
        raise TargetUnreachable(
            f"{url} did not answer within {PREFLIGHT_TIMEOUT_S:g} s; is the receiver up and --url right?"
        ) from exc
    except httpx.HTTPError as exc:
        reason = (str(exc).splitlines() or [""])[0] or type(exc).__name__
        if "refused" in reason or "Errno 111" in reason:
            reason = "connection refused"
        raise TargetUnreachable(
            redactor.text(f"cannot connect to {url}: {reason}; start the receiver or check --url")
        ) from exc
    status = response.status_code
    if status in (502, 503, 504):
        raise TargetUnreachable(
            redactor.text(
                f"POST {url} answered {status} from a gateway: the receiver behind it is not reachable; "
                "start it or check --url"
            )
        )
    if status in (404, 405):
        raise TargetError(
            redactor.text(
                f"POST {url} answered {status}: no webhook endpoint there; --url must be the URL "
                "OpenClaw posts deliveries to"
            )
        )
    if 300 <= status < 400:
        where = response.headers.get("location", "elsewhere")
        raise TargetError(
            redactor.text(
                f"POST {url} answered {status}, a redirect to {where}; OpenClaw does not follow "
                "redirects, so pass the final URL as --url"
            )
        )


def _probe(http: httpx.Client, settings: ReceiverSettings, redactor: Redactor) -> None:
    event_id = new_event_id()
    try:
        processed = Probe(settings, http=http).count(event_id)
    except ProbeError as exc:
        raise ConfigError(
            redactor.text(f"--probe is not usable: {exc} (for an event never sent; it must answer 0)")
        ) from exc
    if processed != 0:
        raise ConfigError(
            f"--probe says event {event_id}, never sent, was processed {processed} times; a probe must "
            "answer processed 0 for an event it has not seen"
        )
