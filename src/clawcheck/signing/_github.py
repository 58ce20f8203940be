"""github: GitHub's webhook signature.

    X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256 of the raw body>

Keyed by the webhook secret as it is. No id or timestamp is signed (X-GitHub-Delivery is
not covered), so there is no tolerance check, and one signature per delivery.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from clawcheck.signing._common import any_match, hex_digest, hmac_sha256, lowered, require, secret_list, show
from clawcheck.signing._errors import Reason, SignatureError
from clawcheck.signing._model import SignedMessage, register

__all__ = ["GITHUB", "GitHub"]

SIGNATURE_HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


@dataclass(frozen=True, slots=True)
class GitHub:
    name: ClassVar[str] = "github"

    def sign(self, secrets: Sequence[str], message: SignedMessage) -> dict[str, str]:
        (secret,) = secret_list(secrets, single=self.name)
        return {SIGNATURE_HEADER: PREFIX + hmac_sha256(secret.encode(), message.body).hex()}

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
        value = require(lowered(headers), SIGNATURE_HEADER)
        if not value.startswith(PREFIX):
            raise SignatureError(
                Reason.MALFORMED_HEADER, f"{SIGNATURE_HEADER} is {show(value)}; expected 'sha256=<hex>'"
            )
        candidate = hex_digest(value.removeprefix(PREFIX), SIGNATURE_HEADER)
        if not any_match((hmac_sha256(k.encode(), body) for k in keys), [candidate]):
            raise SignatureError(
                Reason.NO_MATCHING_SIGNATURE,
                f"{SIGNATURE_HEADER} matches none of {len(keys)} secret(s) over the raw body",
            )
        return SignedMessage(body=body)


GITHUB = GitHub()
register(GITHUB)
