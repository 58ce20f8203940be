"""stripe: Stripe's webhook signature.

    Stripe-Signature: t=<timestamp>,v1=<hex>[,v1=<hex> ...]

<hex> is lowercase hex HMAC-SHA256 over `<t>.<body>`, keyed by the secret (`whsec_...`)
as it is, not decoded. Stripe has no id header (the event id is in the body).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from clawcheck.signing._common import (
    any_match,
    check_tolerance,
    hex_digest,
    hmac_sha256,
    lowered,
    message_timestamp,
    parse_timestamp,
    require,
    secret_list,
    show,
)
from clawcheck.signing._errors import Reason, SignatureError
from clawcheck.signing._model import SignedMessage, register

__all__ = ["STRIPE", "Stripe"]

SIGNATURE_HEADER = "Stripe-Signature"


def _digest(secret: str, timestamp: str, body: bytes) -> bytes:
    return hmac_sha256(secret.encode(), timestamp.encode(), b".", body)


def _parse(value: str) -> tuple[str, list[bytes]]:
    """The raw `t` and the v1 digests. Other keys (`v0` test-mode signatures, future schemes)
    are skipped, as Stripe's own libraries do."""
    timestamps: list[str] = []
    found: list[bytes] = []
    for item in value.split(","):
        name, equals, item_value = item.partition("=")
        if not equals or not name:
            raise SignatureError(
                Reason.MALFORMED_HEADER,
                f"{SIGNATURE_HEADER} item {show(item)} is not <key>=<value>; expected 't=<ts>,v1=<hex>'",
            )
        if name == "t":
            timestamps.append(item_value)
        elif name == "v1":
            found.append(hex_digest(item_value, f"{SIGNATURE_HEADER} item v1="))
    if len(timestamps) != 1:
        raise SignatureError(
            Reason.MALFORMED_HEADER,
            f"{SIGNATURE_HEADER} {show(value)} has {len(timestamps)} t= items; expected exactly one",
        )
    if not found:
        raise SignatureError(Reason.MALFORMED_HEADER, f"{SIGNATURE_HEADER} {show(value)} has no v1= item")
    return timestamps[0], found


@dataclass(frozen=True, slots=True)
class Stripe:
    name: ClassVar[str] = "stripe"

    def sign(self, secrets: Sequence[str], message: SignedMessage) -> dict[str, str]:
        timestamp = str(message_timestamp(message, self.name))
        items = [f"t={timestamp}"]
        items.extend("v1=" + _digest(s, timestamp, message.body).hex() for s in secret_list(secrets))
        return {SIGNATURE_HEADER: ",".join(items)}

    def verify(
        self,
        secrets: Sequence[str],
        headers: Mapping[str, str],
        body: bytes,
        *,
        now: float | None = None,
        tolerance: int = 300,
    ) -> SignedMessage:
        keys = secret_list(secrets)
        raw_timestamp, candidates = _parse(require(lowered(headers), SIGNATURE_HEADER))
        timestamp = parse_timestamp(raw_timestamp, f"{SIGNATURE_HEADER} t=")
        expected = (_digest(secret, raw_timestamp, body) for secret in keys)
        if not any_match(expected, candidates):
            raise SignatureError(
                Reason.NO_MATCHING_SIGNATURE,
                f"none of {len(candidates)} v1 signature(s) matches any of {len(keys)} secret(s) "
                "over t and the raw body",
            )
        check_tolerance(timestamp, now, tolerance)
        return SignedMessage(body=body, timestamp=timestamp)


STRIPE = Stripe()
register(STRIPE)
