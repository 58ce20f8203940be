"""Fail fast on an unusable target, before a single case is generated (within ~10 s)."""

from __future__ import annotations

import httpx

from clawcheck.contract.client import TargetClient, Token
from clawcheck.errors import TargetNotOpenClaw, TargetUnreachable

__all__ = ["HEALTH_PATH", "preflight"]

HEALTH_PATH = "/healthz"


def preflight(client: TargetClient) -> Token:
    """Check that the target is up, speaks OpenClaw JSON and accepts the credentials."""
    url = client.url(HEALTH_PATH)
    try:
        response = client.http.get(url, timeout=httpx.Timeout(5.0, connect=3.0))
    except httpx.TimeoutException as exc:
        raise TargetUnreachable(
            f"{url} did not answer within 5 s; is the target up and --target right?"
        ) from exc
    except httpx.HTTPError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "refused" in reason or "Errno 111" in reason:
            reason = "connection refused"
        raise TargetUnreachable(
            f"cannot connect to {client.settings.base_url}: {reason}; start one with `clawcheck sandbox` "
            "or check --target"
        ) from exc
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type:
        shown = content_type.split(";")[0] or "no content type"
        raise TargetNotOpenClaw(
            f"GET {url} answered {response.status_code} {shown}, not OpenClaw JSON; --target must be the "
            "OpenClaw API base URL (e.g. http://127.0.0.1:8080), not a web page or proxy"
        )
    if response.status_code >= 400 and response.status_code != 503:
        raise TargetNotOpenClaw(
            f"GET {url} answered {response.status_code}; an OpenClaw API serves its health at {HEALTH_PATH}"
        )
    return client.request_token()
