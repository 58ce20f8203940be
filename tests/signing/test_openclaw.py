"""openclaw-v1 (protocol section 2): own vectors, rotation, tolerance edges, bad headers, wrong keys."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from clawcheck.errors import ConfigError
from clawcheck.signing import SCHEMES, SignatureError, SignedMessage, sign_openclaw, verify_openclaw

# Expected values computed outside Python:
#   printf '%s' '<id>.<ts>.<body>' | openssl dgst -sha256 -hmac '<secret>'
VECTORS = [
    pytest.param(
        "c2VjcmV0",  # looks like base64 ("secret"); used as text all the same
        "evt_01HZX3K9Q2",
        1700000000,
        b'{"id":"evt_01HZX3K9Q2","type":"order.created"}',
        "48fd88db1163e34ffa050821441447a0f7d01c606bf1a04786aa690cf640f343",
        id="base64-looking-secret",
    ),
    pytest.param(
        "龙虾-rotation-2026",
        "evt_2",
        1773909000,
        '{"shop_id":"龙虾","n":1}'.encode(),
        "d4945e9568a2e03575222a8c290bffb476ce1c5b0a056062d71d941d53ff6fa7",
        id="utf8-secret-and-body",
    ),
    pytest.param(
        "s",
        "evt_3",
        0,
        b"",
        "ff463730bf91e595890eacd7744560649f2e6977e2ee85ea3f06355f8054a608",
        id="empty-body",
    ),
]
SECRET = "oc_secret_current"
OLD_SECRET = "oc_secret_previous"
EVENT = "evt_01HZX3K9Q2"
TS = 1773909000
BODY = b'{"id":"evt_01HZX3K9Q2","type":"order.created","data":{}}'


def reference(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The documented algorithm, written out independently of clawcheck."""
    message = event_id.encode() + b"." + str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def headers(signature: str, event_id: str = EVENT, timestamp: int | str = TS) -> dict[str, str]:
    return {
        "X-OpenClaw-Event-ID": event_id,
        "X-OpenClaw-Timestamp": str(timestamp),
        "X-OpenClaw-Signature": signature,
    }


def reason(secrets: list[str] | str, sent: dict[str, str], body: bytes = BODY, now: float = TS) -> str:
    with pytest.raises(SignatureError) as caught:
        verify_openclaw(secrets, sent, body, now=now)
    return caught.value.reason


@pytest.mark.parametrize(("secret", "event_id", "timestamp", "body", "expected"), VECTORS)
def test_own_vectors(secret: str, event_id: str, timestamp: int, body: bytes, expected: str) -> None:
    assert reference(secret, event_id, timestamp, body) == expected
    sent = sign_openclaw(secret, event_id, timestamp, body)
    assert sent == headers(f"v1={expected}", event_id, timestamp)
    assert verify_openclaw(secret, sent, body, now=timestamp) == SignedMessage(body, event_id, timestamp)


def test_registered_scheme_and_convenience_functions_agree() -> None:
    message = SignedMessage(BODY, EVENT, TS)
    assert SCHEMES.get("openclaw-v1").sign([SECRET], message) == sign_openclaw(SECRET, EVENT, TS, BODY)
    assert sign_openclaw([SECRET], EVENT, TS, BODY) == sign_openclaw(SECRET, EVENT, TS, BODY)


def test_rotation_sends_one_entry_per_secret_and_either_secret_verifies() -> None:
    sent = sign_openclaw([SECRET, OLD_SECRET], EVENT, TS, BODY)
    new, old = reference(SECRET, EVENT, TS, BODY), reference(OLD_SECRET, EVENT, TS, BODY)
    assert sent["X-OpenClaw-Signature"] == f"v1={new} v1={old}"
    for secret in (SECRET, OLD_SECRET, [OLD_SECRET, "unrelated"]):
        assert verify_openclaw(secret, sent, BODY, now=TS).id == EVENT
    assert reason(["neither", "of these"], sent) == "no matching signature"


def test_receiver_with_two_secrets_accepts_a_sender_with_one() -> None:
    sent = sign_openclaw(OLD_SECRET, EVENT, TS, BODY)
    assert verify_openclaw([SECRET, OLD_SECRET], sent, BODY, now=TS).timestamp == TS


@pytest.mark.parametrize("skew", [-300, -299, 0, 299, 300, 300.0])
def test_tolerance_is_inclusive_both_ways(skew: float) -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    assert verify_openclaw(SECRET, sent, BODY, now=TS + skew).timestamp == TS


@pytest.mark.parametrize("skew", [-301, 301, 300.001, -300.001, 10**6])
def test_outside_tolerance_is_rejected_both_ways(skew: float) -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    assert reason(SECRET, sent, now=TS + skew) == "timestamp outside tolerance"


def test_tolerance_is_adjustable_and_defaults_to_the_clock() -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    assert verify_openclaw(SECRET, sent, BODY, now=TS + 600, tolerance=600).id == EVENT
    with pytest.raises(SignatureError, match=r"outside tolerance.*old"):
        verify_openclaw(SECRET, sent, BODY)  # now = the real clock, long after TS
    with pytest.raises(ValueError, match="tolerance"):
        verify_openclaw(SECRET, sent, BODY, now=TS, tolerance=-1)


@pytest.mark.parametrize("missing", ["X-OpenClaw-Event-ID", "X-OpenClaw-Timestamp", "X-OpenClaw-Signature"])
def test_missing_or_empty_header(missing: str) -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    absent = {name: value for name, value in sent.items() if name != missing}
    with pytest.raises(SignatureError, match=missing) as caught:
        verify_openclaw(SECRET, absent, BODY, now=TS)
    assert caught.value.reason == "missing header"
    assert reason(SECRET, {**sent, missing: ""}) == "missing header"


def test_header_names_are_case_insensitive() -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    for spelled in (str.lower, str.upper):
        assert verify_openclaw(SECRET, {spelled(k): v for k, v in sent.items()}, BODY, now=TS).id == EVENT


def test_one_header_in_two_spellings_is_ambiguous() -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    doubled = {**sent, "x-openclaw-signature": sent["X-OpenClaw-Signature"]}
    assert reason(SECRET, doubled) == "malformed header"


GOOD = reference(SECRET, EVENT, TS, BODY)


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param("v1=", id="v1-empty"),
        pytest.param(f"v2={GOOD}", id="v2-only"),
        pytest.param(f"v1={GOOD.upper()}", id="uppercase-hex"),
        pytest.param(f"v1={GOOD[:-1]}", id="short-hex"),
        pytest.param(f"v1={GOOD}0", id="long-hex"),
        pytest.param(f"v1={GOOD[:-1]}g", id="not-hex"),
        pytest.param(GOOD, id="no-version"),
        pytest.param(f"={GOOD}", id="empty-version"),
        pytest.param(f"v1={GOOD}  v1={GOOD}", id="double-space"),
        pytest.param(f"v1={GOOD},v1={GOOD}", id="comma-separated"),
        pytest.param(f" v1={GOOD}", id="leading-space"),
        pytest.param(f"sha256={GOOD}", id="github-style"),
    ],
)
def test_malformed_signature_header(signature: str) -> None:
    assert reason(SECRET, headers(signature)) == "malformed header"


@pytest.mark.parametrize(
    "timestamp",
    ["", "-1773909000", "+1773909000", "01773909000", "1773909000.0", " 1773909000", "1_773_909_000", "१२३"],
)
def test_malformed_timestamp(timestamp: str) -> None:
    expected = "missing header" if not timestamp else "malformed header"
    assert reason(SECRET, headers(f"v1={GOOD}", timestamp=timestamp)) == expected


def test_unknown_versions_beside_v1_are_skipped() -> None:
    assert verify_openclaw(SECRET, headers(f"v2=abc v1={GOOD} v0=x"), BODY, now=TS).id == EVENT


def test_signature_over_the_body_only_is_rejected() -> None:
    body_only = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert reason(SECRET, headers(f"v1={body_only}")) == "no matching signature"


def test_signature_keyed_by_the_base64_decoded_secret_is_rejected() -> None:
    secret = base64.b64encode(b"raw key bytes").decode()
    decoded_key = base64.b64decode(secret)
    signature = hmac.new(decoded_key, f"{EVENT}.{TS}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert reason(secret, headers(f"v1={signature}")) == "no matching signature"
    assert verify_openclaw(secret, headers(f"v1={reference(secret, EVENT, TS, BODY)}"), BODY, now=TS)


@pytest.mark.parametrize(
    ("field", "value"),
    [("X-OpenClaw-Event-ID", "evt_01HZX3K9Q3"), ("X-OpenClaw-Timestamp", str(TS + 1))],
)
def test_altered_id_or_timestamp_is_a_signature_mismatch(field: str, value: str) -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    assert reason(SECRET, {**sent, field: value}) == "no matching signature"


def test_wrong_secret_and_altered_body() -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    assert reason("oc_secret_wrong", sent) == "no matching signature"
    assert reason(SECRET, sent, BODY + b" ") == "no matching signature"


def test_a_bare_string_is_one_secret_not_its_characters() -> None:
    sent = SCHEMES.get("openclaw-v1").sign(SECRET, SignedMessage(BODY, EVENT, TS))
    assert sent["X-OpenClaw-Signature"] == f"v1={GOOD}"
    assert reason("s", sign_openclaw("secret", EVENT, TS, BODY)) == "no matching signature"


@pytest.mark.parametrize("secrets", [[], [""], [SECRET, ""], ""])
def test_no_usable_secret_is_a_config_error(secrets: list[str] | str) -> None:
    with pytest.raises(ConfigError, match="secret"):
        sign_openclaw(secrets, EVENT, TS, BODY)
    with pytest.raises(ConfigError, match="secret"):
        verify_openclaw(secrets, headers(f"v1={GOOD}"), BODY, now=TS)


@pytest.mark.parametrize(
    "message",
    [
        SignedMessage(BODY, None, TS),
        SignedMessage(BODY, EVENT, None),
        SignedMessage(BODY, "evt 1", TS),
        SignedMessage(BODY, "evt\r\nX-Injected: 1", TS),
        SignedMessage(BODY, "", TS),
        SignedMessage(BODY, EVENT, -1),
    ],
)
def test_a_message_without_a_usable_id_or_timestamp_cannot_be_signed(message: SignedMessage) -> None:
    with pytest.raises(ValueError, match="openclaw-v1"):
        SCHEMES.get("openclaw-v1").sign([SECRET], message)


def test_error_messages_name_the_problem_and_never_the_secret() -> None:
    sent = sign_openclaw(SECRET, EVENT, TS, BODY)
    with pytest.raises(SignatureError) as caught:
        verify_openclaw("oc_secret_wrong", sent, BODY, now=TS)
    assert str(caught.value).startswith("no matching signature: ")
    assert "oc_secret" not in str(caught.value)
    with pytest.raises(SignatureError) as caught:
        verify_openclaw(SECRET, sent, BODY, now=TS + 301)
    assert str(caught.value) == (
        "timestamp outside tolerance: timestamp 1773909000 is 301 s old; at most 300 s is accepted"
    )
