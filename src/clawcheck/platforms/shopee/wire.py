"""Shopee's wire rules: the sign base strings, the push signature, the error codes, parameter parsing.

Kept apart from the routes so that tests, the adapter's documentation and the platform all
read one definition of what Shopee signs.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "INT64_MAX",
    "PUBLIC_PATHS",
    "TIMESTAMP_WINDOW",
    "ShopeeError",
    "base_string",
    "body_object",
    "bool_param",
    "id_list",
    "int_field",
    "int_param",
    "not_found",
    "push_authorization",
    "required_int",
    "sign",
    "str_field",
    "wrong_parameters",
]

# The two public APIs of this subset: signed without access_token and shop_id.
PUBLIC_PATHS = frozenset({"/api/v2/auth/token/get", "/api/v2/auth/access_token/get"})
# "Each API request needs to be requested within 5 minutes of a timestamp."
TIMESTAMP_WINDOW = 300.0
INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def base_string(partner_id: str, path: str, timestamp: str, access_token: str = "", shop_id: str = "") -> str:
    """`partner_id + api_path + timestamp` (public), plus `access_token + shop_id` (shop APIs)."""
    return f"{partner_id}{path}{timestamp}{access_token}{shop_id}"


def sign(partner_key: str, base: str) -> str:
    """Lower-case hex HMAC-SHA256 of the base string, keyed by the partner key."""
    return hmac.new(partner_key.encode("utf-8"), base.encode("utf-8"), hashlib.sha256).hexdigest()


def push_authorization(partner_key: str, callback_url: str, body: bytes) -> str:
    """The push `Authorization` header: hex HMAC-SHA256 of `callback_url + "|" + raw body`."""
    message = callback_url.encode("utf-8") + b"|" + body
    return hmac.new(partner_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ShopeeError(Exception):
    """A refusal in Shopee's terms; routes raise it, the platform renders it."""

    status: int
    code: str
    message: str


def wrong_parameters(detail: str) -> ShopeeError:
    """Shopee's generic `error_param` wording: "Wrong parameters, detail: ..."."""
    return ShopeeError(400, "error_param", f"Wrong parameters, detail: {detail}.")


def not_found(detail: str) -> ShopeeError:
    return ShopeeError(404, "error_not_found", f"Wrong parameters, detail: {detail}.")


def _integer(text: str, name: str, minimum: int, maximum: int) -> int:
    if not _INTEGER.fullmatch(text):
        raise wrong_parameters(f"{name} must be an integer")
    value = int(text)
    if not minimum <= value <= maximum:
        raise wrong_parameters(f"{name} must be between {minimum} and {maximum}")
    return value


def int_param(
    params: Mapping[str, str], name: str, *, minimum: int = 0, maximum: int = INT64_MAX
) -> int | None:
    """An optional integer query parameter (None when absent or empty)."""
    text = params.get(name, "").strip()
    return _integer(text, name, minimum, maximum) if text else None


def required_int(params: Mapping[str, str], name: str, *, minimum: int = 0, maximum: int = INT64_MAX) -> int:
    value = int_param(params, name, minimum=minimum, maximum=maximum)
    if value is None:
        raise wrong_parameters(f"{name} is required")
    return value


def bool_param(params: Mapping[str, str], name: str) -> bool:
    text = params.get(name, "").strip().lower()
    if text in ("", "false", "0"):
        return False
    if text in ("true", "1"):
        return True
    raise wrong_parameters(f"{name} must be true or false")


def id_list(params: Mapping[str, str], name: str, *, limit: int = 50, numeric: bool = False) -> list[str]:
    """A required comma-separated list of 1 to `limit` ids, duplicates dropped, order kept."""
    items = [part.strip() for part in params.get(name, "").split(",") if part.strip()]
    if not items:
        raise wrong_parameters(f"{name} is required")
    if len(items) > limit:
        raise wrong_parameters(f"{name} can contain at most {limit} values")
    if numeric:
        items = [str(_integer(item, name, 0, INT64_MAX)) for item in items]
    return list(dict.fromkeys(items))


def body_object(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise wrong_parameters("the request body must be a JSON object")
    return raw


def int_field(
    data: Mapping[str, Any], name: str, *, required: bool = True, minimum: int = 0, maximum: int = INT64_MAX
) -> int | None:
    """An integer in a JSON body; a bool, a float or a string is refused as Shopee's typed API does."""
    value = data.get(name)
    if value is None:
        if required:
            raise wrong_parameters(f"{name} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong_parameters(f"{name} must be an integer")
    if not minimum <= value <= maximum:
        raise wrong_parameters(f"{name} must be between {minimum} and {maximum}")
    return value


def str_field(data: Mapping[str, Any], name: str, *, required: bool = True, limit: int = 256) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise wrong_parameters(f"{name} is required")
        return ""
    if not isinstance(value, str):
        raise wrong_parameters(f"{name} must be a string")
    if len(value) > limit:
        raise wrong_parameters(f"{name} is longer than {limit} characters")
    return value
