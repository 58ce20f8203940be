"""Properties over random input: verify(sign(x)) holds for every scheme and secret, any flipped
body bit breaks it, and no header value makes a verifier raise anything but SignatureError."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clawcheck.signing import SCHEMES, SignatureError, SignedMessage

ROTATING = {"openclaw-v1", "standard-webhooks", "stripe"}
HAS_ID = {"openclaw-v1", "standard-webhooks"}
HAS_TIMESTAMP = {"openclaw-v1", "standard-webhooks", "stripe"}

bodies = st.binary(max_size=2048)
ids = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=64)
timestamps = st.integers(min_value=0, max_value=2**40)
text_secrets = st.text(min_size=1, max_size=64)
whsec_secrets = st.binary(min_size=1, max_size=64).map(lambda key: "whsec_" + base64.b64encode(key).decode())


def secrets(scheme: str) -> st.SearchStrategy[list[str]]:
    one = whsec_secrets if scheme == "standard-webhooks" else text_secrets
    return st.lists(one, min_size=1, max_size=3 if scheme in ROTATING else 1, unique=True)


def messages(body: st.SearchStrategy[bytes] = bodies) -> st.SearchStrategy[SignedMessage]:
    return st.builds(SignedMessage, body=body, id=ids, timestamp=timestamps)


def expected(scheme: str, message: SignedMessage) -> SignedMessage:
    """What the scheme covers of `message`: fields it does not sign come back as None."""
    return SignedMessage(
        message.body,
        message.id if scheme in HAS_ID else None,
        message.timestamp if scheme in HAS_TIMESTAMP else None,
    )


@pytest.mark.parametrize("scheme", SCHEMES.names())
@given(data=st.data())
def test_verify_accepts_what_sign_produced_with_each_secret_alone(scheme: str, data: st.DataObject) -> None:
    keys = data.draw(secrets(scheme), label="secrets")
    message = data.draw(messages(), label="message")
    headers = SCHEMES.get(scheme).sign(keys, message)
    for secret in keys:
        verified = SCHEMES.get(scheme).verify([secret], headers, message.body, now=message.timestamp)
        assert verified == expected(scheme, message)


@pytest.mark.parametrize("scheme", SCHEMES.names())
@given(data=st.data())
def test_any_single_bit_flip_in_the_body_is_rejected(scheme: str, data: st.DataObject) -> None:
    keys = data.draw(secrets(scheme), label="secrets")
    message = data.draw(messages(st.binary(min_size=1, max_size=2048)), label="message")
    at = data.draw(st.integers(0, len(message.body) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    flipped = bytearray(message.body)
    flipped[at] ^= 1 << bit
    headers = SCHEMES.get(scheme).sign(keys, message)
    with pytest.raises(SignatureError) as caught:
        SCHEMES.get(scheme).verify(keys, headers, bytes(flipped), now=message.timestamp)
    assert caught.value.reason == "no matching signature"


# Any text at all, lone surrogates included: header values are untrusted input.
any_text = st.text(st.characters(exclude_categories=()), max_size=100)


@pytest.mark.parametrize("scheme", SCHEMES.names())
@given(data=st.data())
def test_arbitrary_header_values_fail_only_as_signature_errors(scheme: str, data: st.DataObject) -> None:
    keys = data.draw(secrets(scheme), label="secrets")
    message = data.draw(messages(), label="message")
    headers = SCHEMES.get(scheme).sign(keys, message)
    name = data.draw(st.sampled_from(sorted(headers)), label="header")
    value = data.draw(
        any_text | st.builds(lambda keep, tail: headers[name][:keep] + tail, st.integers(0, 80), any_text),
        label="value",
    )
    reason: str
    try:
        SCHEMES.get(scheme).verify(keys, {**headers, name: value}, message.body, now=message.timestamp)
    except SignatureError as error:
        reason = error.reason
    else:
        reason = "accepted"  # e.g. the value drawn was the signed one
    assert reason in {"accepted", "missing header", "malformed header", "no matching signature"}
