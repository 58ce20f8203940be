"""The public vectors (data/webhook-signatures.json): reproduced exactly, accepted, and every
one-byte change of body, id, timestamp or secret rejected as 'no matching signature'."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from clawcheck.signing import SCHEMES, SignatureError, SignedMessage

DATA = Path(__file__).parent / "data" / "webhook-signatures.json"
POSITIONS = (0, 1, "middle", -1)


@dataclass(frozen=True)
class Vector:
    scheme: str
    source: str
    secret: str
    body: bytes
    header: str
    expected: str
    id: str | None = None
    timestamp: int | None = None

    @property
    def message(self) -> SignedMessage:
        return SignedMessage(body=self.body, id=self.id, timestamp=self.timestamp)

    def headers(self) -> dict[str, str]:
        """The headers a sender puts on the wire, with the vector's signature."""
        headers = SCHEMES.get(self.scheme).sign([self.secret], self.message)
        headers[self.header] = self.expected
        return headers

    def verify(self, secret: str, headers: dict[str, str], body: bytes) -> SignedMessage:
        return SCHEMES.get(self.scheme).verify([secret], headers, body, now=self.timestamp)


def load() -> list[Vector]:
    document = json.loads(DATA.read_text(encoding="utf-8"))
    return [
        Vector(**{**entry, "body": entry["body"].encode()})  # bodies are UTF-8 text in the file
        for entry in document["vectors"]
    ]


VECTORS = load()
IDS = [vector.scheme for vector in VECTORS]


def index(position: int | str, length: int) -> int:
    return length // 2 if position == "middle" else int(position) % length


def test_the_file_names_its_sources_and_covers_the_schemes() -> None:
    document = json.loads(DATA.read_text(encoding="utf-8"))
    assert "shared/vectors/webhook-signatures.json" in document["copied_from"]
    assert document["about"]
    assert all(entry["source"] for entry in document["vectors"])
    assert {vector.scheme for vector in VECTORS} == {"standard-webhooks", "github", "shopify"}


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_signer_reproduces_expected(vector: Vector) -> None:
    headers = SCHEMES.get(vector.scheme).sign([vector.secret], vector.message)
    assert headers[vector.header] == vector.expected


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_verifier_accepts(vector: Vector) -> None:
    assert vector.verify(vector.secret, vector.headers(), vector.body) == vector.message


def assert_no_match(vector: Vector, secret: str, headers: dict[str, str], body: bytes) -> None:
    with pytest.raises(SignatureError) as caught:
        vector.verify(secret, headers, body)
    assert caught.value.reason == "no matching signature"


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_any_changed_body_byte_is_rejected(vector: Vector, position: int | str) -> None:
    body = bytearray(vector.body)
    at = index(position, len(body))
    body[at] ^= 0x01
    assert_no_match(vector, vector.secret, vector.headers(), bytes(body))


def changed_char(text: str, at: int, alphabet: str) -> str:
    """`text` with the character at `at` replaced by the next one in `alphabet`."""
    old = text[at]
    new = alphabet[(alphabet.index(old) + 1) % len(alphabet)] if old in alphabet else alphabet[0]
    return text[:at] + new + text[at + 1 :]


BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
VISIBLE = "".join(chr(code) for code in range(0x21, 0x7F))


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_any_changed_secret_character_is_rejected(vector: Vector, position: int | str) -> None:
    if vector.scheme == "standard-webhooks":
        # Only the key after `whsec_` is secret material; a broken prefix is a ConfigError.
        prefix, key = vector.secret[:6], vector.secret[6:]
        secret = prefix + changed_char(key, index(position, len(key)), BASE64)
    else:
        secret = changed_char(vector.secret, index(position, len(vector.secret)), VISIBLE)
    assert secret != vector.secret
    assert_no_match(vector, secret, vector.headers(), vector.body)


WITH_ID = [vector for vector in VECTORS if vector.id is not None]
WITH_TIMESTAMP = [vector for vector in VECTORS if vector.timestamp is not None]


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("vector", WITH_ID, ids=[vector.scheme for vector in WITH_ID])
def test_any_changed_id_byte_is_rejected(vector: Vector, position: int | str) -> None:
    assert vector.id is not None
    headers = vector.headers()
    (name,) = (name for name, value in headers.items() if value == vector.id)
    headers[name] = changed_char(vector.id, index(position, len(vector.id)), VISIBLE)
    assert_no_match(vector, vector.secret, headers, vector.body)


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("vector", WITH_TIMESTAMP, ids=[vector.scheme for vector in WITH_TIMESTAMP])
def test_any_changed_timestamp_digit_is_rejected(vector: Vector, position: int | str) -> None:
    # Still a canonical number: the signature, not the format, must catch it.
    original = str(vector.timestamp)
    digits = "123456789" if index(position, len(original)) == 0 else "0123456789"
    headers = vector.headers()
    (name,) = (name for name, value in headers.items() if value == original)
    headers[name] = changed_char(original, index(position, len(original)), digits)
    assert_no_match(vector, vector.secret, headers, vector.body)
