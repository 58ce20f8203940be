"""Lazada's wire protocol: request parameters, the request signature, error bodies, date-times.

Sources: open.lazada.com "Signature algorithm" and "HTTP request sample" (the worked example
with App Secret `helloworld` is a test vector in tests/platforms/lazada), the official SDKs
(`lazop_sdk.base.sign`, Java `signApiRequest`), the API reference's common parameters.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl

from clawcheck.platforms.model import MockRequest

__all__ = [
    "API_PREFIX",
    "SIGN_METHOD",
    "SYSTEM_PARAMS",
    "TIMESTAMP_WINDOW",
    "api_name",
    "error_body",
    "form_pairs",
    "local_time",
    "merge_params",
    "new_request_id",
    "parse_iso",
    "request_params",
    "sign",
]

API_PREFIX = "/rest"
SIGN_METHOD = "sha256"
# "with less than 7200s difference from UTC time" (common parameters of every API).
TIMESTAMP_WINDOW = 7200.0
SYSTEM_PARAMS = frozenset({"app_key", "timestamp", "sign_method", "access_token", "sign"})
_FORM = "application/x-www-form-urlencoded"
_MAX_FIELDS = 1000


def api_name(path: str) -> str:
    """The API name that is signed: the path after the gateway's `/rest` (`/orders/get`)."""
    return path[len(API_PREFIX) :] if path.startswith(API_PREFIX + "/") else path


def sign(secret: str, api: str, params: Mapping[str, str]) -> str:
    """Upper-case hex HMAC-SHA256 of the API name followed by every name+value, sorted by name.

    `sign` itself is left out, and so are empty values: the official Java SDK (whose
    `signApiRequest` the signature page reproduces) skips them, where the Python SDK would
    append the bare name; the gateway is Java, so this mock follows Java.
    """
    text = api + "".join(
        f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key] != ""
    )
    digest = hmac.new(secret.encode("utf-8"), text.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return digest.hexdigest().upper()


def form_pairs(content_type: str | None, body: bytes) -> list[tuple[str, str]]:
    """The fields of a urlencoded body (the official SDKs POST every parameter this way)."""
    if not body or _FORM not in (content_type or "").lower():
        return []
    text = body.decode("utf-8", "replace")
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS)
    except ValueError:  # more fields than any real request has: treated as no parameters
        return []


def merge_params(query: Iterable[tuple[str, str]], body: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Query and body parameters as one map; the first occurrence of a name wins."""
    merged: dict[str, str] = {}
    for key, value in (*query, *body):
        merged.setdefault(key, value)
    return merged


def request_params(request: MockRequest) -> dict[str, str]:
    """Every parameter of a request, as the gateway reads them for signing and for the API."""
    body = form_pairs(request.header("content-type"), request.body) if request.method != "GET" else []
    return merge_params(request.query, body)


def new_request_id() -> str:
    """25 characters like Lazada's (`0ba2887315178178017221014`): host hex, millis, serial."""
    return f"{secrets.token_hex(4)}{int(time.time() * 1000)}{secrets.randbelow(10_000):04d}"


def error_body(
    kind: str, code: str, message: str, detail: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": kind, "code": code, "message": message, "request_id": new_request_id()}
    if detail:
        body["detail"] = detail
    return body


def local_time(epoch: float, offset_minutes: int) -> str:
    """An order date-time as Lazada renders it: venture-local, `2026-11-20 10:00:00 +0800`."""
    zone = timezone(timedelta(minutes=offset_minutes))
    return datetime.fromtimestamp(epoch, zone).strftime("%Y-%m-%d %H:%M:%S %z")


def parse_iso(text: str) -> float | None:
    """An ISO 8601 date-time with an offset (`2026-11-01T00:00:00+08:00`) as epoch seconds.

    A time without an offset is refused, as Lazada's `YYYY-MM-DDTHH:mm:ss±HH:MM` rule says;
    `Z` is accepted too (this mock is lenient there, see docs/platforms/lazada.md).
    """
    if not text or len(text) > 40 or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    try:
        return moment.timestamp()
    except (OverflowError, ValueError, OSError):
        return None
