"""standard-webhooks: the Standard Webhooks specification (standardwebhooks.com), symmetric v1.

    webhook-id:        msg_...
    webhook-timestamp: 1614265330
    webhook-signature: v1,<base64> [v1,<base64> ...]

The secret is `whsec_` + base64; the HMAC-SHA256 key is the decoded bytes, the message
`<id>.<timestamp>.<body>`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from clawcheck.errors import ConfigError
from clawcheck.signing._common import (
    b64_digest,
    header_bytes,
    hmac_sha256,
    message_id,
    message_timestamp,
    secret_list,
    verify_id_timestamp_body,
    versioned_signatures,
)
from clawcheck.signing._model import SignedMessage, register

__all__ = ["STANDARD_WEBHOOKS", "StandardWebhooks"]

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
PREFIX = "whsec_"


def key(secret: str) -> bytes:
    """The HMAC key inside a `whsec_` secret. Configuration, not input: errors are ConfigError."""
    if not secret.startswith(PREFIX):
        raise ConfigError(f"a standard-webhooks secret starts with {PREFIX!r} followed by base64")
    encoded = secret.removeprefix(PREFIX)
    try:
        # Padding may be left off, as the reference library allows; the alphabet stays strict.
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except ValueError:  # binascii.Error, or non-ASCII text
        decoded = b""
    if not decoded:
        raise ConfigError(f"a standard-webhooks secret is {PREFIX!r} followed by non-empty base64")
    return decoded


def _digest(secret: bytes, msg_id: str, timestamp: str, body: bytes) -> bytes:
    return hmac_sha256(secret, header_bytes(msg_id), b".", timestamp.encode(), b".", body)


def _signatures(value: str) -> list[bytes]:
    return versioned_signatures(
        value, header=SIGNATURE_HEADER, separator=",", decode=b64_digest, example="v1,<base64>"
    )


@dataclass(frozen=True, slots=True)
class StandardWebhooks:
    name: ClassVar[str] = "standard-webhooks"

    def sign(self, secrets: Sequence[str], message: SignedMessage) -> dict[str, str]:
        msg_id = message_id(message, self.name)
        timestamp = str(message_timestamp(message, self.name))
        keys = [key(secret) for secret in secret_list(secrets)]
        entries = (
            "v1," + base64.b64encode(_digest(k, msg_id, timestamp, message.body)).decode() for k in keys
        )
        return {ID_HEADER: msg_id, TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: " ".join(entries)}

    def verify(
        self,
        secrets: Sequence[str],
        headers: Mapping[str, str],
        body: bytes,
        *,
        now: float | None = None,
        tolerance: int = 300,
    ) -> SignedMessage:
        keys = [key(secret) for secret in secret_list(secrets)]
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


STANDARD_WEBHOOKS = StandardWebhooks()
register(STANDARD_WEBHOOKS)
