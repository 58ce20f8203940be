"""`signatures/<role>.json`: one side's signature over the manifest digest.

    {"signer", "role", "public_key", "fingerprint", "signed_at", "digest", "demo", "signature"}

The Ed25519 signature covers the *statement*: the canonical JSON of every other field of
the record (so the digest, and also who signed, in which role, when, and whether with a
demo key). Changing any byte of the file therefore breaks it: a changed field no longer
matches the signature, and a file not in the one pretty form clawcheck writes was edited.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from clawcheck.signoff.files import SIGNATURES_DIR
from clawcheck.signoff.keys import PublicKey
from clawcheck.signoff.manifest import canonical_json, pretty_json

__all__ = ["Role", "SignatureRecord", "parse_role", "signature_path"]

_FIELDS = ("signer", "role", "public_key", "fingerprint", "signed_at", "digest", "demo", "signature")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class Role(StrEnum):
    """The two sides of an acceptance; both must sign for it to be complete."""

    SELLER = "seller"
    PLATFORM = "platform"


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValueError(f"role {value!r} is not one of {', '.join(Role)}") from None


def signature_path(role: Role) -> str:
    """Relative to the report directory."""
    return f"{SIGNATURES_DIR}/{role}.json"


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    signer: str
    role: Role
    public_key: str  # ed25519:<base64>
    fingerprint: str  # SHA256:<base64>
    signed_at: str  # ISO 8601 UTC with Z
    digest: str  # the manifest digest, sha256 hex
    signature: str  # base64 Ed25519 signature over `statement()`
    demo: bool = False

    def statement(self) -> bytes:
        """What the signature covers: every field but the signature, as canonical JSON."""
        fields = self.to_dict()
        del fields["signature"]
        return canonical_json(fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "signer": self.signer,
            "role": str(self.role),
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "signed_at": self.signed_at,
            "digest": self.digest,
            "demo": self.demo,
            "signature": self.signature,
        }

    def to_bytes(self) -> bytes:
        return pretty_json(self.to_dict())

    @classmethod
    def from_bytes(cls, data: bytes) -> SignatureRecord:
        """Strict parse of a signature file (ValueError saying what is wrong)."""
        try:
            raw = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ValueError("not UTF-8") from exc
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON (line {exc.lineno}: {exc.msg})") from exc
        if not isinstance(raw, dict) or set(raw) != set(_FIELDS):
            raise ValueError(f"not a signature record (expected the fields {', '.join(_FIELDS)})")
        if not all(isinstance(raw[name], str) for name in _FIELDS if name != "demo"):
            raise ValueError("a field that must be a string is not one")
        if not isinstance(raw["demo"], bool):
            raise ValueError("demo must be true or false")
        if not _SHA256_HEX.match(raw["digest"]):
            raise ValueError("digest is not sha256 hex")
        record = cls(
            signer=raw["signer"],
            role=parse_role(raw["role"]),
            public_key=raw["public_key"],
            fingerprint=raw["fingerprint"],
            signed_at=raw["signed_at"],
            digest=raw["digest"],
            signature=raw["signature"],
            demo=raw["demo"],
        )
        if record.to_bytes() != data:
            raise ValueError("edited after signing (not in the form clawcheck writes)")
        return record

    @classmethod
    def read(cls, path: Path) -> SignatureRecord:
        return cls.from_bytes(path.read_bytes())

    def check(self) -> PublicKey:
        """The signer's key, if the record is self-consistent and its signature verifies; else ValueError."""
        try:
            key = PublicKey.parse(self.public_key)
        except ValueError as exc:
            raise ValueError(f"public_key is not a clawcheck public key ({exc})") from None
        if key.fingerprint != self.fingerprint:
            raise ValueError(f"fingerprint {self.fingerprint} is not the fingerprint of its public key")
        try:
            signature = base64.b64decode(self.signature, validate=True)
        except binascii.Error:
            raise ValueError("the signature is not base64") from None
        if base64.b64encode(signature).decode("ascii") != self.signature or not key.verify(
            signature, self.statement()
        ):
            raise ValueError("the signature does not verify (the record was changed after signing)")
        return key
