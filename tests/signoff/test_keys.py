"""Key pairs: files and modes, no overwriting, passphrases, and keys that are not keys."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from clawcheck.errors import ConfigError
from clawcheck.signoff import PublicKey, demo_key, generate_keypair, load_private_key, load_public_key
from clawcheck.signoff.keys import load_trusted_keys

PASSPHRASE = b"correct horse battery staple"


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    # A umask of 0 would make a naive open() create the key world-readable.
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("permissive_umask")
def test_private_key_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    pair = generate_keypair(tmp_path / "li")
    assert stat.S_IMODE(pair.private_path.stat().st_mode) == 0o600
    assert pair.private_path.name == "li.key"
    assert pair.public_path.name == "li.pub"


def test_public_key_file_is_one_line_and_fingerprint_matches(tmp_path: Path) -> None:
    pair = generate_keypair(tmp_path / "li")
    text = pair.public_path.read_text(encoding="ascii")
    assert re.fullmatch(r"ed25519:[A-Za-z0-9+/]{43}=\n", text)
    assert load_public_key(pair.public_path) == pair.public
    assert re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", pair.fingerprint)
    assert load_private_key(pair.private_path).fingerprint == pair.fingerprint


def test_private_key_is_pkcs8_pem(tmp_path: Path) -> None:
    pair = generate_keypair(tmp_path / "li")
    assert pair.private_path.read_text(encoding="ascii").startswith("-----BEGIN PRIVATE KEY-----\n")


@pytest.mark.parametrize("existing", ["li.key", "li.pub"])
def test_refuses_to_overwrite_either_file(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("old\n", encoding="ascii")
    with pytest.raises(ConfigError, match=r"li\.(key|pub) already exists"):
        generate_keypair(tmp_path / "li")
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]
    assert (tmp_path / existing).read_text(encoding="ascii") == "old\n"


def test_encrypted_key_needs_its_passphrase(tmp_path: Path) -> None:
    pair = generate_keypair(tmp_path / "li", passphrase=PASSPHRASE)
    assert pair.encrypted
    assert pair.private_path.read_text(encoding="ascii").startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert load_private_key(pair.private_path, PASSPHRASE).fingerprint == pair.fingerprint
    assert load_private_key(pair.private_path, PASSPHRASE.decode()).fingerprint == pair.fingerprint


def test_wrong_passphrase_is_one_line_without_the_passphrase(tmp_path: Path) -> None:
    pair = generate_keypair(tmp_path / "li", passphrase=PASSPHRASE)
    with pytest.raises(ConfigError) as caught:
        load_private_key(pair.private_path, b"wrong horse")
    message = str(caught.value)
    assert message.startswith(f"wrong passphrase for {pair.private_path}")
    assert "\n" not in message
    assert "horse" not in message


def test_encrypted_key_without_passphrase_says_how(tmp_path: Path) -> None:
    pair = generate_keypair(tmp_path / "li", passphrase=PASSPHRASE)
    with pytest.raises(ConfigError, match="is encrypted; pass its passphrase with --passphrase-env"):
        load_private_key(pair.private_path)


def test_passphrase_for_a_plain_key_is_refused(tmp_path: Path) -> None:
    pair = generate_keypair(tmp_path / "li")
    with pytest.raises(ConfigError, match="is not encrypted; drop --passphrase-env"):
        load_private_key(pair.private_path, PASSPHRASE)


def test_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="passphrase is empty"):
        generate_keypair(tmp_path / "li", passphrase=b"")
    assert not list(tmp_path.iterdir())


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; create one with `clawcheck keys new`"):
        load_private_key(tmp_path / "nobody.key")


@pytest.mark.parametrize(
    "content",
    [b"not a key at all\n", b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n"],
    ids=["text", "broken-pem"],
)
def test_a_file_that_is_not_a_key(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.key"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=r"x\.key is not a (readable )?PEM private key"):
        load_private_key(path)


def test_a_key_of_another_algorithm(tmp_path: Path) -> None:
    path = tmp_path / "ec.key"
    pem = generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(pem)
    with pytest.raises(ConfigError, match="is not an Ed25519 key"):
        load_private_key(path)


@pytest.mark.parametrize(
    "text",
    [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb",
        "ed25519:not base64!",
        "ed25519:" + "A" * 40,  # base64, but not 32 bytes
        "ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=",  # 32 bytes, non-canonical padding bits
    ],
    ids=["ssh-format", "not-base64", "wrong-length", "non-canonical"],
)
def test_public_key_text_must_be_exact(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected|base64"):
        PublicKey.parse(text)


def test_a_bad_pub_file_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "x.pub").write_text("hello\n", encoding="ascii")
    with pytest.raises(ConfigError, match=r"x\.pub is not a clawcheck public key"):
        load_public_key(tmp_path / "x.pub")
    with pytest.raises(ConfigError, match=r"x\.pub is not a clawcheck public key"):
        load_trusted_keys(tmp_path)


def test_trusted_keys_need_a_folder_with_pub_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_trusted_keys(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match=r"no \.pub files"):
        load_trusted_keys(tmp_path)
    pair = generate_keypair(tmp_path / "li")
    assert load_trusted_keys(tmp_path) == {pair.fingerprint: pair.public_path}


def test_demo_keys_are_fresh_and_marked() -> None:
    first, second = demo_key(), demo_key()
    assert first.demo
    assert second.demo
    assert first.fingerprint != second.fingerprint
    assert repr(first) == f"SigningKey({first.fingerprint}, demo)"
