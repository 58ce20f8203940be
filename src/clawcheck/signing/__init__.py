"""Webhook signing and verification, one registered scheme per module.

    SCHEMES["openclaw-v1" | "standard-webhooks" | "stripe" | "shopify" | "github"]
        .sign(secrets, SignedMessage) -> headers
        .verify(secrets, headers, body, now=, tolerance=) -> SignedMessage | SignatureError

Errors: `SignatureError(reason)` for a delivery that does not verify (untrusted input);
`clawcheck.errors.ConfigError` for an unusable secret; `ValueError` for a message a scheme
cannot sign (no id or timestamp where it needs one).
"""

from __future__ import annotations

# Each scheme module registers itself; this order is the order of SCHEMES.
from clawcheck.signing import (  # noqa: F401
    _github,
    _openclaw,
    _shopify,
    _standard_webhooks,
    _stripe,
)
from clawcheck.signing._errors import Reason, SignatureError
from clawcheck.signing._model import SCHEMES, Scheme, SignedMessage
from clawcheck.signing._openclaw import sign_openclaw, verify_openclaw

__all__ = [
    "SCHEMES",
    "Reason",
    "Scheme",
    "SignatureError",
    "SignedMessage",
    "sign_openclaw",
    "verify_openclaw",
]
