"""openclaw-v1: OpenClaw's own webhook signature (protocol section 2).

    X-OpenClaw-Event-ID:  evt_...
    X-OpenClaw-Timestamp: 1700000000
    X-OpenClaw-Signature: v1=<hex> [v1=<hex> ...]   (several during secret rotation)

<hex> is lowercase hex HMAC-SHA256, keyed by the secret's UTF-8 bytes (never base64-decoded),
over `<event id> "." <timestamp> "." <raw body>`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from clawcheck.signing._common import (
    header_bytes,
    hex_digest,
    hmac_sha256,
    message_id,
    message_timestamp,
    secret_list,
    verify_id_timestamp_body,
    versioned_signatures,
)
from clawcheck.signing._model import SignedMessage, register

__all__ = ["OPENCLAW_V1", "OpenClawV1", "sign_openclaw", "verify_openclaw"]

ID_HEADER = "X-OpenClaw-Event-ID"
TIMESTAMP_HEADER = "X-OpenClaw-Timestamp"
SIGNATURE_HEADER = "X-OpenClaw-Signature"


def _digest(secret: str, event_id: str, timestamp: str, body: bytes) -> bytes:
    return hmac_sha256(secret.encode(), header_bytes(event_id), b".", timestamp.encode(), b".", body)


def _signatures(value: str) -> list[bytes]:
    return versioned_signatures(
        value, header=SIGNATURE_HEADER, separator="=", decode=hex_digest, example="v1=<hex>"
    )


@dataclass(frozen=True, slots=True)
class OpenClawV1:
    name: ClassVar[str] = "openclaw-v1"

    def sign(self, secrets: Sequence[str], message: SignedMessage) -> dict[str, str]:
        event_id = message_id(message, self.name)
        timestamp = str(message_timestamp(message, self.name))
        keys = secret_list(secrets)
        entries = ("v1=" + _digest(key, event_id, timestamp, message.body).hex() for key in keys)
        return {ID_HEADER: event_id, TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: " ".join(entries)}

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
        return verify_id_timestamp_body(
            headers,
            body,
            keys=keys,
            names=(ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER),
            signatures=_signatures,
            digest=_digest,
            now=now,
            tolerance=tolerance,
        )


OPENCLAW_V1 = OpenClawV1()
register(OPENCLAW_V1)


def sign_openclaw(secrets: Sequence[str] | str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The X-OpenClaw-Event-ID, X-OpenClaw-Timestamp and X-OpenClaw-Signature headers."""
    return OPENCLAW_V1.sign(secret_list(secrets), SignedMessage(body=body, id=event_id, timestamp=timestamp))


def verify_openclaw(
    secrets: Sequence[str] | str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = 300,
) -> SignedMessage:
    """The verified delivery (id, timestamp, body), or `SignatureError` with a reason."""
    return OPENCLAW_V1.verify(secret_list(secrets), headers, body, now=now, tolerance=tolerance)
