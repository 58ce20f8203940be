"""WooCommerce's request authentication, byte for byte: PHP query parsing and OAuth 1.0a one-legged.

Transcribed from `includes/class-wc-rest-authentication.php` (woocommerce/woocommerce). The server
signs what PHP sees, not what the client wrote: `$_GET` as `parse_str` builds it (last duplicate
wins, `a.b` becomes `a_b`, `a[]` becomes an array), merged with `$_POST` by `array_merge` (which
renumbers integer keys), plus the `Authorization: OAuth` header parameters. A client that signs
anything else is refused, here as on a real store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote_plus

__all__ = [
    "OAUTH_PARAMS",
    "TIMESTAMP_WINDOW",
    "BasicCredentials",
    "PhpValue",
    "array_merge",
    "basic_credentials",
    "is_php_empty",
    "oauth_header_params",
    "php_params",
    "rfc3986",
    "signature",
    "string_to_sign",
]

# PHP arrays are ordered maps; a query value is a string or such a map.
PhpValue = str | dict[str, "PhpValue"]

OAUTH_PARAMS = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
TIMESTAMP_WINDOW = 15 * 60  # seconds either side of the server clock; also how long a nonce is remembered
_MAX_NESTING = 64  # PHP's max_input_nesting_level
_PHP_INT = re.compile(r"^(0|-?[1-9][0-9]{0,18})$")
_HEADER_PARAM = re.compile(r'(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))')
_HASHES = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}


def rfc3986(text: str) -> str:
    """`wc_rest_urlencode_rfc3986`: PHP's rawurlencode (only A-Z a-z 0-9 - _ . ~ stay as they are)."""
    return quote(text, safe="")


def is_php_empty(value: PhpValue | None) -> bool:
    """PHP `empty()` on a request value: missing, "", "0" and an empty array are all empty."""
    return value is None or value in ("", "0") or value == {}


# -- what PHP makes of a query string ------------------------------------------------------


def php_params(pairs: Iterable[tuple[str, str]]) -> dict[str, PhpValue]:
    """`$_GET` for these decoded (name, value) pairs, as PHP's `parse_str` builds it."""
    result: dict[str, PhpValue] = {}
    for name, value in pairs:
        path = _key_path(name)
        if path:
            _assign(result, path, value)
    return result


def _key_path(name: str) -> list[str]:
    """`a[b][]` -> ["a", "b", ""]; PHP turns spaces and dots of the base name into `_`."""
    name = name.lstrip(" ")
    opening = name.find("[")
    if opening == 0:
        return []  # PHP drops a variable whose name starts with `[`
    closing = name.find("]", opening) if opening > 0 else -1
    if opening <= 0 or closing < 0:
        # No well-formed `[...]`: the whole name is the key, a lone `[` becomes `_` too.
        base = name.replace("[", "_", 1) if opening > 0 else name
        return [_php_base(base)] if base else []
    path = [_php_base(name[:opening])]
    rest = name[opening:]
    while rest.startswith("[") and len(path) <= _MAX_NESTING:
        end = rest.find("]")
        if end < 0:
            break
        path.append(rest[1:end])
        rest = rest[end + 1 :]
    return path


def _php_base(base: str) -> str:
    return base.replace(" ", "_").replace(".", "_")


def _assign(target: dict[str, PhpValue], path: list[str], value: str) -> None:
    node = target
    for depth, key in enumerate(path):
        if key == "":
            key = str(_next_index(node))
        if depth == len(path) - 1:
            node[key] = value
            return
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child


def _next_index(node: Mapping[str, PhpValue]) -> int:
    numbers = [int(k) for k in node if _PHP_INT.match(k)]
    return max(numbers) + 1 if numbers else 0


def array_merge(*arrays: Mapping[str, PhpValue]) -> dict[str, PhpValue]:
    """PHP `array_merge`: later string keys win; integer keys are renumbered from zero."""
    merged: dict[str, PhpValue] = {}
    counter = 0
    for array in arrays:
        for key, value in array.items():
            if _PHP_INT.match(key):
                merged[str(counter)] = value
                counter += 1
            else:
                merged[key] = value
    return merged


def oauth_header_params(header: str | None) -> dict[str, PhpValue]:
    """`WC_REST_Authentication::parse_header`: the `oauth_*` parameters of `Authorization: OAuth ...`."""
    text = (header or "").strip()
    if not text.startswith("OAuth "):
        return {}
    found: dict[str, PhpValue] = {}
    for match in _HEADER_PARAM.finditer(text):
        quoted, bare = match.group(3), match.group(4)
        found[match.group(1)] = unquote_plus(quoted if quoted else (bare or ""))
    return found


@dataclass(frozen=True, slots=True)
class BasicCredentials:
    user: str
    password: str


def basic_credentials(header: str | None) -> BasicCredentials | None:
    """`PHP_AUTH_USER` / `PHP_AUTH_PW` from an `Authorization: Basic` header, or None."""
    scheme, _, encoded = (header or "").strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    user, colon, password = decoded.partition(":")
    return BasicCredentials(user, password) if colon else None


# -- the signature -------------------------------------------------------------------------


def string_to_sign(method: str, base_url: str, params: Mapping[str, PhpValue]) -> str:
    """`check_oauth_signature`: METHOD & rawurlencode(url) & the sorted, doubly encoded pairs."""
    unsigned = {k: v for k, v in params.items() if k != "oauth_signature"}
    ordered = dict(sorted(unsigned.items(), key=lambda item: item[0].encode("utf-8", "surrogatepass")))
    normalized = {rfc3986(key): _encode_values(value) for key, value in ordered.items()}
    pairs = "%26".join(_join_with_equals_sign(normalized))
    return f"{method.upper()}&{rfc3986(base_url)}&{pairs}"


def _encode_values(value: PhpValue) -> PhpValue:
    if isinstance(value, dict):
        return {key: _encode_values(item) for key, item in value.items()}
    return rfc3986(value)


def _join_with_equals_sign(params: Mapping[str, PhpValue], prefix: str = "") -> list[str]:
    joined: list[str] = []
    for key, value in params.items():
        name = f"{prefix}%5B{key}%5D" if prefix else key
        if isinstance(value, dict):
            joined.extend(_join_with_equals_sign(value, name))
        else:
            joined.append(rfc3986(f"{name}={value}"))
    return joined


def signature(consumer_secret: str, method_name: str, text: str) -> str | None:
    """base64(HMAC(consumer_secret + "&", text)); None for a method WooCommerce does not accept."""
    digest = _HASHES.get(method_name)
    if digest is None:
        return None
    key = (consumer_secret + "&").encode("utf-8")
    return base64.b64encode(hmac.new(key, text.encode("utf-8", "surrogatepass"), digest).digest()).decode()
