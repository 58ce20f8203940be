"""Ed25519 keys for sign-off: create, load, fingerprint, and the throw-away demo key.

    NAME.key   PKCS8 PEM private key, mode 0600, optionally encrypted with a passphrase
    NAME.pub   one line: `ed25519:<base64 of the 32 raw public key bytes>`

A fingerprint is `SHA256:` + unpadded base64 of sha256(raw public key): short enough to
read out over the phone when the seller and the platform exchange `.pub` files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from clawcheck.errors import ConfigError

__all__ = [
    "KEY_SUFFIX",
    "PUBLIC_KEY_PREFIX",
    "PUB_SUFFIX",
    "KeyPair",
    "PublicKey",
    "SigningKey",
    "demo_key",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "load_trusted_keys",
]

PUBLIC_KEY_PREFIX = "ed25519:"
KEY_SUFFIX = ".key"
PUB_SUFFIX = ".pub"
_RAW_PUBLIC_LENGTH = 32


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key as written in `.pub` files and signature records."""

    raw: bytes

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        """`ed25519:<base64>` → PublicKey; ValueError when it is anything else."""
        body = text.strip()
        if not body.startswith(PUBLIC_KEY_PREFIX):
            raise ValueError(f"expected {PUBLIC_KEY_PREFIX}<base64>")
        encoded = body.removeprefix(PUBLIC_KEY_PREFIX)
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise ValueError("the key is not base64") from exc
        # Only one spelling per key: otherwise two texts would name the same key.
        if len(raw) != _RAW_PUBLIC_LENGTH or base64.b64encode(raw).decode("ascii") != encoded:
            raise ValueError(f"expected {_RAW_PUBLIC_LENGTH} key bytes in canonical base64")
        return cls(raw)

    @property
    def text(self) -> str:
        return PUBLIC_KEY_PREFIX + base64.b64encode(self.raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.raw).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True, repr=False)
class SigningKey:
    """A private key ready to sign; `demo` keys mark every signature they make as demo."""

    private: Ed25519PrivateKey
    demo: bool = False

    @property
    def public(self) -> PublicKey:
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return PublicKey(raw)

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def __repr__(self) -> str:  # never the key material
        return f"SigningKey({self.fingerprint}{', demo' if self.demo else ''})"


@dataclass(frozen=True, slots=True)
class KeyPair:
    """What `generate_keypair` wrote."""

    private_path: Path
    public_path: Path
    public: PublicKey
    encrypted: bool

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


def demo_key() -> SigningKey:
    """A fresh throw-away key for the embedded default run; never stored, never trusted."""
    return SigningKey(Ed25519PrivateKey.generate(), demo=True)


def generate_keypair(path_prefix: Path | str, *, passphrase: bytes | str | None = None) -> KeyPair:
    """Write `<prefix>.key` (0600, encrypted when a passphrase is given) and `<prefix>.pub`.

    Refuses to overwrite either file: a lost private key cannot be recovered, and a
    replaced `.pub` would silently untrust every signature made with the old one.
    """
    prefix = Path(path_prefix)
    private_path = prefix.with_name(prefix.name + KEY_SUFFIX)
    public_path = prefix.with_name(prefix.name + PUB_SUFFIX)
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise ConfigError(f"{path} already exists; pick another name or move the old key away first")
    passphrase = _bytes(passphrase)
    if passphrase is not None and not passphrase:
        raise ConfigError(
            "the passphrase is empty; set a non-empty one, or drop --passphrase-env for an unencrypted key"
        )
    private = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    public = SigningKey(private).public
    try:
        prefix.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _create(private_path, pem, private=True)
        try:
            _create(public_path, (public.text + "\n").encode("ascii"), private=False)
        except BaseException:
            private_path.unlink(missing_ok=True)
            raise
    except FileExistsError as exc:
        raise ConfigError(
            f"{exc.filename} already exists; pick another name or move the old key away first"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"cannot write {exc.filename or prefix}: {exc.strerror}; pass a writable --dir"
        ) from None
    return KeyPair(private_path, public_path, public, encrypted=passphrase is not None)


def _create(path: Path, data: bytes, *, private: bool) -> None:
    # O_EXCL: never overwrite, even if the file appeared since the check above.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        if private:
            os.fchmod(fd, 0o600)  # exactly 0600 whatever the umask
        handle.write(data)


def load_private_key(path: Path | str, passphrase: bytes | str | None = None) -> SigningKey:
    """Read a NAME.key; every failure is one ConfigError line that never contains the passphrase."""
    passphrase = _bytes(passphrase)
    key_path = Path(path)
    try:
        data = key_path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"key file {key_path} does not exist; create one with `clawcheck keys new`"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read key file {key_path}: {exc.strerror}") from None
    if b"PRIVATE KEY-----" not in data:
        raise ConfigError(
            f"{key_path} is not a PEM private key; pass the NAME.key written by `clawcheck keys new`"
        )
    encrypted = b"BEGIN ENCRYPTED PRIVATE KEY" in data
    if encrypted and not passphrase:
        raise ConfigError(f"{key_path} is encrypted; pass its passphrase with --passphrase-env VAR")
    if not encrypted and passphrase:
        raise ConfigError(f"{key_path} is not encrypted; drop --passphrase-env")
    try:
        private = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except ValueError:
        if encrypted:
            raise ConfigError(f"wrong passphrase for {key_path}; check the passphrase variable") from None
        raise ConfigError(
            f"{key_path} is not a readable PEM private key; pass the NAME.key written by `clawcheck keys new`"
        ) from None
    except (TypeError, UnsupportedAlgorithm) as exc:
        raise ConfigError(
            f"{key_path} cannot be loaded ({type(exc).__name__}); create a key with `clawcheck keys new`"
        ) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise ConfigError(
            f"{key_path} is not an Ed25519 key; clawcheck signs with Ed25519 keys from `clawcheck keys new`"
        )
    return SigningKey(private)


def _bytes(passphrase: bytes | str | None) -> bytes | None:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase


def load_public_key(path: Path | str) -> PublicKey:
    pub_path = Path(path)
    try:
        text = pub_path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        raise ConfigError(
            f"cannot read public key {pub_path}; pass a NAME.pub written by `clawcheck keys new`"
        ) from None
    try:
        return PublicKey.parse(text)
    except ValueError as exc:
        raise ConfigError(
            f"{pub_path} is not a clawcheck public key ({exc}); pass a NAME.pub from `clawcheck keys new`"
        ) from None


def load_trusted_keys(directory: Path | str) -> dict[str, Path]:
    """Every `*.pub` of a directory, by fingerprint; an unreadable one is bad input, not ignored."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ConfigError(
            f"trusted keys directory {folder} does not exist; pass the folder holding the .pub files"
        )
    trusted: dict[str, Path] = {}
    for path in sorted(folder.glob("*" + PUB_SUFFIX)):
        trusted.setdefault(load_public_key(path).fingerprint, path)
    if not trusted:
        raise ConfigError(f"no .pub files in {folder}; copy the seller's and the platform's NAME.pub there")
    return trusted
