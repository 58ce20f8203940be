"""Helpers every scheme uses: secrets, header lookup, timestamps, HMAC and constant-time matching."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from clawcheck.errors import ConfigError
from clawcheck.signing._errors import Reason, SignatureError
from clawcheck.signing._model import SignedMessage

K = TypeVar("K", str, bytes)

__all__ = [
    "any_match",
    "b64_digest",
    "check_tolerance",
    "header_bytes",
    "header_token",
    "hex_digest",
    "hmac_sha256",
    "lowered",
    "message_id",
    "message_timestamp",
    "parse_timestamp",
    "require",
    "secret_list",
    "show",
]

_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
# Canonical decimal only: no sign, no leading zeros, no spaces or `_`, which `int()` would accept.
_TIMESTAMP = re.compile(r"0|[1-9][0-9]{0,17}")
_TOKEN = re.compile(r"[\x21-\x7e]+")


def secret_list(secrets: Sequence[str] | str, *, single: str | None = None) -> tuple[str, ...]:
    """The secrets as a tuple; a bare `str` is one secret, never a sequence of characters.

    `single` names a scheme whose header has room for one signature only.
    """
    found = (secrets,) if isinstance(secrets, str) else tuple(secrets)
    if not found:
        raise ConfigError("no signing secret given; pass at least one secret")
    if any(not secret for secret in found):
        raise ConfigError("a signing secret is empty; configure a non-empty secret")
    if single is not None and len(found) > 1:
        raise ConfigError(
            f"{single} sends one signature per delivery; sign with one secret, not {len(found)}"
        )
    return found


def show(value: str, limit: int = 80) -> str:
    """A header value quoted for an error message, cut short so a huge header stays readable."""
    return repr(value if len(value) <= limit else value[:limit] + "...")


def lowered(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers keyed by lower-case name; two spellings of one name are ambiguous, so refused."""
    result: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        if key in result:
            raise SignatureError(Reason.MALFORMED_HEADER, f"{name} is given more than once")
        result[key] = value
    return result


def require(headers: Mapping[str, str], name: str) -> str:
    """A header's value from `lowered` headers; absent or empty is 'missing header'."""
    value = headers.get(name.lower())
    if value is None:
        raise SignatureError(Reason.MISSING_HEADER, f"{name} is absent")
    if not value:
        raise SignatureError(Reason.MISSING_HEADER, f"{name} is empty")
    return value


def parse_timestamp(value: str, name: str) -> int:
    if not _TIMESTAMP.fullmatch(value):
        raise SignatureError(
            Reason.MALFORMED_HEADER, f"{name} is {show(value)}; expected Unix seconds as plain digits"
        )
    return int(value)


def check_tolerance(timestamp: int, now: float | None, tolerance: int) -> None:
    """Inclusive in both directions: |now - timestamp| <= tolerance passes."""
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0 seconds, got {tolerance}")
    clock = time.time() if now is None else now
    skew = clock - timestamp
    if abs(skew) > tolerance:
        direction = "old" if skew > 0 else "in the future"
        raise SignatureError(
            Reason.TIMESTAMP_OUTSIDE_TOLERANCE,
            f"timestamp {timestamp} is {abs(skew):.0f} s {direction}; at most {tolerance} s is accepted",
        )


def hex_digest(value: str, name: str) -> bytes:
    """A lowercase hex SHA-256 signature as bytes; anything else is malformed, not just 'wrong'."""
    if not _HEX_SHA256.fullmatch(value):
        raise SignatureError(
            Reason.MALFORMED_HEADER, f"{name} has {show(value)}; expected 64 lowercase hex digits"
        )
    return bytes.fromhex(value)


def b64_digest(value: str, name: str) -> bytes:
    """A base64 SHA-256 signature as bytes (strict alphabet, 32 bytes)."""
    try:
        digest = base64.b64decode(value, validate=True)
    except ValueError:  # binascii.Error, or non-ASCII text
        digest = b""
    if len(digest) != hashlib.sha256().digest_size:
        raise SignatureError(
            Reason.MALFORMED_HEADER, f"{name} has {show(value)}; expected the base64 of 32 bytes"
        )
    return digest


def versioned_signatures(
    value: str, *, header: str, separator: str, decode: Callable[[str, str], bytes], example: str
) -> list[bytes]:
    """The v1 digests of a space-separated list of `<version><separator><signature>` entries.

    Entries of other versions are skipped (a future version may ride alongside v1); separators
    are single spaces, so an empty entry is malformed, and so is a list without any v1 entry.
    """
    found: list[bytes] = []
    for entry in value.split(" "):
        version, sep, signature = entry.partition(separator)
        if not sep or not version:
            raise SignatureError(
                Reason.MALFORMED_HEADER,
                f"{header} entry {show(entry)} is not <version>{separator}<signature>; "
                f"expected {example!r} entries separated by single spaces",
            )
        if version == "v1":
            found.append(decode(signature, f"{header} entry v1{separator}"))
    if not found:
        raise SignatureError(Reason.MALFORMED_HEADER, f"{header} {show(value)} has no v1{separator} entry")
    return found


def verify_id_timestamp_body(
    headers: Mapping[str, str],
    body: bytes,
    *,
    keys: Sequence[K],
    names: tuple[str, str, str],
    signatures: Callable[[str], list[bytes]],
    digest: Callable[[K, str, str, bytes], bytes],
    now: float | None,
    tolerance: int,
) -> SignedMessage:
    """Verify a scheme that signs `<id> "." <timestamp> "." <body>` (OpenClaw v1, Standard Webhooks).

    `names` are the id, timestamp and signature headers; `signatures` parses the signature
    header into candidate digests; `digest` computes one for a key.
    """
    id_header, timestamp_header, signature_header = names
    found = lowered(headers)
    message_id_value = require(found, id_header)
    raw_timestamp = require(found, timestamp_header)
    candidates = signatures(require(found, signature_header))
    timestamp = parse_timestamp(raw_timestamp, timestamp_header)
    expected = (digest(k, message_id_value, raw_timestamp, body) for k in keys)
    if not any_match(expected, candidates):
        raise SignatureError(
            Reason.NO_MATCHING_SIGNATURE,
            f"none of {len(candidates)} v1 signature(s) matches any of {len(keys)} secret(s) "
            f"over {id_header}, {timestamp_header} and the raw body",
        )
    # After the signature, so an altered timestamp reads as a forgery, a stale one as stale.
    check_tolerance(timestamp, now, tolerance)
    return SignedMessage(body=body, id=message_id_value, timestamp=timestamp)


def header_bytes(value: str) -> bytes:
    """A received header value as signed bytes: UTF-8, and never an exception on odd input
    (a lone surrogate cannot match a real signature, but must fail as a mismatch)."""
    return value.encode("utf-8", "surrogatepass")


def hmac_sha256(key: bytes, *parts: bytes) -> bytes:
    # One-shot `hmac.digest` runs in OpenSSL; joining first is cheaper than several updates.
    return hmac.digest(key, b"".join(parts), "sha256")


def any_match(expected: Iterable[bytes], candidates: Sequence[bytes]) -> bool:
    """Whether any candidate equals any expected digest.

    Every pair is compared with `compare_digest` and none short-circuits, so the time taken
    does not tell which secret or which entry matched.
    """
    matched = False
    for digest in expected:
        for candidate in candidates:
            matched |= hmac.compare_digest(digest, candidate)
    return matched


def header_token(value: str, what: str) -> str:
    """A value a sender puts into a header: visible ASCII only, so it cannot split or inject headers."""
    if not _TOKEN.fullmatch(value):
        raise ValueError(f"{what} must be non-empty visible ASCII (no spaces), got {show(value)}")
    return value


def message_id(message: SignedMessage, scheme: str) -> str:
    if message.id is None:
        raise ValueError(f"{scheme} signs an id; SignedMessage.id is None")
    return header_token(message.id, f"{scheme} id")


def message_timestamp(message: SignedMessage, scheme: str) -> int:
    if message.timestamp is None:
        raise ValueError(f"{scheme} signs a timestamp; SignedMessage.timestamp is None")
    if message.timestamp < 0:
        raise ValueError(f"{scheme} timestamp must be >= 0 Unix seconds, got {message.timestamp}")
    return message.timestamp
