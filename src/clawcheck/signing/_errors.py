"""Why a signature did not verify: one short, stable reason per failure kind."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Reason", "SignatureError"]


class Reason(StrEnum):
    """Stable reason strings; a `StrEnum`, so `exc.reason == "missing header"` also works."""

    MISSING_HEADER = "missing header"
    MALFORMED_HEADER = "malformed header"
    NO_MATCHING_SIGNATURE = "no matching signature"
    TIMESTAMP_OUTSIDE_TOLERANCE = "timestamp outside tolerance"


class SignatureError(Exception):
    """A delivery whose signature does not verify.

    Not a `ClawcheckError`: a bad signature is an outcome of checking untrusted input
    (a receiver answers 400/401), not a harness error the user must fix.
    The message never contains a secret.
    """

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
