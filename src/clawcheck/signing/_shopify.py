"""shopify: Shopify's webhook signature.

    X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body>

Keyed by the app's client secret as it is. No id and no timestamp are signed, so there is
no tolerance check, and one signature per delivery: rotation is on the verifying side only.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from clawcheck.signing._common import any_match, b64_digest, hmac_sha256, lowered, require, secret_list
from clawcheck.signing._errors import Reason, SignatureError
from clawcheck.signing._model import SignedMessage, register

__all__ = ["SHOPIFY", "Shopify"]

SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"


@dataclass(frozen=True, slots=True)
class Shopify:
    name: ClassVar[str] = "shopify"

    def sign(self, secrets: Sequence[str], message: SignedMessage) -> dict[str, str]:
        (secret,) = secret_list(secrets, single=self.name)
        return {SIGNATURE_HEADER: base64.b64encode(hmac_sha256(secret.encode(), message.body)).decode()}

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
        candidate = b64_digest(require(lowered(headers), SIGNATURE_HEADER), SIGNATURE_HEADER)
        if not any_match((hmac_sha256(k.encode(), body) for k in keys), [candidate]):
            raise SignatureError(
                Reason.NO_MATCHING_SIGNATURE,
                f"{SIGNATURE_HEADER} matches none of {len(keys)} secret(s) over the raw body",
            )
        return SignedMessage(body=body)


SHOPIFY = Shopify()
register(SHOPIFY)
