"""The values and the protocol every signing scheme shares, and the one registry of schemes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from clawcheck.core.registry import Registry

__all__ = ["SCHEMES", "Scheme", "SignedMessage"]


@dataclass(frozen=True, slots=True)
class SignedMessage:
    """What a sender signs, and what a verifier returns once the signature holds."""

    body: bytes
    id: str | None = None  # event/message id where the scheme has one
    timestamp: int | None = None  # Unix seconds where the scheme has one


class Scheme(Protocol):
    """One webhook signing scheme: signs as a sender does, verifies as a receiver must."""

    # Read-only, so frozen dataclasses satisfy it; callers only ever read it.
    @property
    def name(self) -> str: ...

    def sign(self, secrets: Sequence[str], message: SignedMessage) -> dict[str, str]:
        """Headers to send; several secrets give several signatures in the same header."""
        ...

    def verify(
        self,
        secrets: Sequence[str],
        headers: Mapping[str, str],
        body: bytes,
        *,
        now: float | None = None,
        tolerance: int = 300,
    ) -> SignedMessage:
        """The verified message, or `SignatureError` with a reason."""
        ...


SCHEMES: Registry[Scheme] = Registry("signing scheme")


def register(scheme: Scheme) -> Scheme:
    """Add a scheme under its own name, so the registry key and `scheme.name` cannot differ."""
    return SCHEMES.add(scheme.name, scheme)
