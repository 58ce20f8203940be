"""`POST /v2/oauth/token` (form-encoded client credentials and refresh) and `GET /healthz`."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl

from clawcheck.sandbox.errors import ApiError, validation_error
from clawcheck.sandbox.pipeline import Call, Operation, Reply

__all__ = ["RESOURCES"]

_FORM = "application/x-www-form-urlencoded"
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _form(call: Call) -> dict[str, str]:
    media = (call.headers.get("content-type") or "").partition(";")[0].strip().lower()
    if media != _FORM:
        raise validation_error(f"the token request must be {_FORM}")
    try:
        pairs = parse_qsl(call.body.raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise validation_error("the token request body is not a valid form") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise validation_error(f"form field {name!r} must be given at most once")
        fields[name] = value
    return fields


def _client(call: Call, fields: dict[str, str]) -> tuple[str, str, bool]:
    """Client id and secret from HTTP Basic, else from the form; the flag says which.

    Any other Authorization scheme (a stray Bearer token) is not client authentication and is ignored.
    """
    scheme, _, encoded = (call.headers.get("authorization") or "").strip().partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, colon, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
            if not colon:
                raise ValueError("no colon")
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ApiError(
                401,
                "AUTH_INVALID_CLIENT",
                "auth",
                "malformed HTTP Basic client credentials",
                {"WWW-Authenticate": 'Basic realm="openclaw"'},
            ) from None
        return client_id, secret, True
    client_id, secret = fields.get("client_id", ""), fields.get("client_secret", "")
    if not client_id or not secret:
        raise validation_error("fields 'client_id' and 'client_secret' (or HTTP Basic) are required")
    return client_id, secret, False


async def issue_token(call: Call) -> Reply:
    fields = _form(call)
    grant = fields.get("grant_type", "")
    if not grant:
        raise validation_error("field 'grant_type' is required")
    if grant not in ("client_credentials", "refresh_token"):
        raise validation_error(
            "grant_type must be client_credentials or refresh_token", code="UNSUPPORTED_GRANT_TYPE"
        )
    client_id, secret, basic = _client(call, fields)
    authority = call.rt.auth
    authority.check_client(client_id, secret, basic=basic)
    if grant == "client_credentials":
        return Reply(200, authority.issue().as_json(), _NO_STORE)
    refresh_token = fields.get("refresh_token", "")
    if not refresh_token:
        raise validation_error("field 'refresh_token' is required with grant_type=refresh_token")
    return Reply(200, authority.redeem(refresh_token).as_json(), _NO_STORE)


async def health(call: Call) -> Reply:
    rt = call.rt
    return Reply(200, {"status": "ok", "version": rt.config.version, "time": rt.fmt(call.now)})


RESOURCES: list[tuple[str, list[Operation]]] = [
    ("/healthz", [Operation("GET", health, protected=False)]),
    ("/v2/oauth/token", [Operation("POST", issue_token, protected=False)]),
]
