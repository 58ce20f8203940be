"""The registry and the other schemes' edges: header parsing, rotation, tolerance, secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

import clawcheck.signing
from clawcheck.errors import ConfigError
from clawcheck.signing import SCHEMES, Reason, Scheme, SignatureError, SignedMessage

TS = 1773909000
BODY = b'{"id":"evt_1","object":"event"}'
SW_SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
SECRETS = {"openclaw-v1": "oc_s", "standard-webhooks": SW_SECRET, "stripe": "whsec_test_secret"}
SECRETS |= {"shopify": "shpss_s", "github": "gh_s"}
MESSAGE = SignedMessage(BODY, "msg_1", TS)
# The headers each scheme reads; the id/timestamp ones only where the scheme has them.
READS = {
    "openclaw-v1": ["X-OpenClaw-Event-ID", "X-OpenClaw-Timestamp", "X-OpenClaw-Signature"],
    "standard-webhooks": ["webhook-id", "webhook-timestamp", "webhook-signature"],
    "stripe": ["Stripe-Signature"],
    "shopify": ["X-Shopify-Hmac-Sha256"],
    "github": ["X-Hub-Signature-256"],
}
TIMED = ["openclaw-v1", "standard-webhooks", "stripe"]
ROTATING = TIMED  # shopify and github carry one signature per delivery


def reason(
    scheme: str, headers: dict[str, str], body: bytes = BODY, now: float = TS, secret: str | None = None
) -> str:
    with pytest.raises(SignatureError) as caught:
        SCHEMES.get(scheme).verify([secret or SECRETS[scheme]], headers, body, now=now)
    return caught.value.reason


def signed(scheme: str, message: SignedMessage = MESSAGE) -> dict[str, str]:
    return SCHEMES.get(scheme).sign([SECRETS[scheme]], message)


def test_public_surface() -> None:
    assert sorted(clawcheck.signing.__all__) == sorted(
        ["SCHEMES", "Reason", "Scheme", "SignatureError", "SignedMessage", "sign_openclaw", "verify_openclaw"]
    )
    assert SCHEMES.names() == sorted(READS)
    assert all(SCHEMES.get(name).name == name for name in SCHEMES.names())


def test_reasons_are_short_distinct_strings() -> None:
    assert [str(r) for r in Reason] == [
        "missing header",
        "malformed header",
        "no matching signature",
        "timestamp outside tolerance",
    ]
    error = SignatureError(Reason.MISSING_HEADER, "X is absent")
    assert (error.reason, error.detail, str(error)) == (
        "missing header",
        "X is absent",
        "missing header: X is absent",
    )
    assert not isinstance(error, ConfigError)


def test_unknown_scheme_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="unknown signing scheme 'svix'; known: github, openclaw-v1"):
        SCHEMES.get("svix")


@pytest.mark.parametrize("scheme", READS)
def test_signs_exactly_the_headers_it_reads(scheme: str) -> None:
    assert list(signed(scheme)) == READS[scheme]


@pytest.mark.parametrize("scheme", READS)
def test_header_names_are_case_insensitive(scheme: str) -> None:
    for spelled in (str.lower, str.upper, str.title):
        headers = {spelled(k): v for k, v in signed(scheme).items()}
        assert SCHEMES.get(scheme).verify([SECRETS[scheme]], headers, BODY, now=TS).body == BODY


@pytest.mark.parametrize("scheme", READS)
def test_unrelated_headers_are_ignored(scheme: str) -> None:
    headers = {"Content-Type": "application/json", **signed(scheme), "X-OpenClaw-Delivery-Attempt": "2"}
    assert SCHEMES.get(scheme).verify([SECRETS[scheme]], headers, BODY, now=TS).body == BODY


@pytest.mark.parametrize(("scheme", "header"), [(s, h) for s, names in READS.items() for h in names])
def test_each_missing_header(scheme: str, header: str) -> None:
    headers = {k: v for k, v in signed(scheme).items() if k != header}
    assert reason(scheme, headers) == "missing header"


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("openclaw-v1", SignedMessage(BODY, "msg_1", TS)),
        ("standard-webhooks", SignedMessage(BODY, "msg_1", TS)),
        ("stripe", SignedMessage(BODY, None, TS)),
        ("shopify", SignedMessage(BODY)),
        ("github", SignedMessage(BODY)),
    ],
)
def test_verify_returns_what_the_scheme_signs(scheme: str, expected: SignedMessage) -> None:
    assert SCHEMES.get(scheme).verify([SECRETS[scheme]], signed(scheme), BODY, now=TS) == expected


@pytest.mark.parametrize("scheme", TIMED)
@pytest.mark.parametrize(("skew", "accepted"), [(-300, True), (300, True), (-301, False), (301, False)])
def test_tolerance_edges(scheme: str, skew: int, accepted: bool) -> None:
    if accepted:
        assert SCHEMES.get(scheme).verify([SECRETS[scheme]], signed(scheme), BODY, now=TS + skew)
    else:
        assert reason(scheme, signed(scheme), now=TS + skew) == "timestamp outside tolerance"


@pytest.mark.parametrize("scheme", ["shopify", "github"])
def test_untimed_schemes_ignore_the_clock(scheme: str) -> None:
    assert SCHEMES.get(scheme).verify([SECRETS[scheme]], signed(scheme), BODY, now=0, tolerance=0)


@pytest.mark.parametrize("scheme", ROTATING)
def test_rotation(scheme: str) -> None:
    other = (
        "whsec_" + base64.b64encode(b"another key, 24 bytes ok").decode()
        if scheme == "standard-webhooks"
        else "old"
    )
    sent = SCHEMES.get(scheme).sign([SECRETS[scheme], other], MESSAGE)
    for secret in (SECRETS[scheme], other):
        assert SCHEMES.get(scheme).verify([secret], sent, BODY, now=TS).body == BODY
    neither = "whsec_" + base64.b64encode(b"neither").decode() if scheme == "standard-webhooks" else "neither"
    assert reason(scheme, sent, secret=neither) == "no matching signature"


@pytest.mark.parametrize("scheme", ["shopify", "github"])
def test_single_signature_schemes_sign_with_one_secret_and_verify_with_any(scheme: str) -> None:
    with pytest.raises(ConfigError, match="one signature per delivery"):
        SCHEMES.get(scheme).sign([SECRETS[scheme], "old"], MESSAGE)
    assert SCHEMES.get(scheme).verify(["old", SECRETS[scheme]], signed(scheme), BODY).body == BODY


@pytest.mark.parametrize(
    ("scheme", "message"),
    [
        ("openclaw-v1", SignedMessage(BODY, None, TS)),
        ("standard-webhooks", SignedMessage(BODY, None, TS)),
        ("standard-webhooks", SignedMessage(BODY, "m", None)),
        ("stripe", SignedMessage(BODY, "evt_1", None)),
    ],
)
def test_message_missing_what_the_scheme_signs(scheme: str, message: SignedMessage) -> None:
    with pytest.raises(ValueError, match=scheme):
        signed(scheme, message)


# standard-webhooks ---------------------------------------------------------------------------


def test_standard_webhooks_independent_vector() -> None:
    key = b"0123456789abcdef0123456789abcdef"
    expected = base64.b64encode(hmac.new(key, b"msg_1.1773909000." + BODY, hashlib.sha256).digest()).decode()
    assert signed("standard-webhooks")["webhook-signature"] == f"v1,{expected}"


def test_standard_webhooks_skips_other_versions() -> None:
    good = signed("standard-webhooks")["webhook-signature"]
    headers = {**signed("standard-webhooks"), "webhook-signature": f"v1a,AAAA {good} v2,xyz"}
    assert SCHEMES.get("standard-webhooks").verify([SW_SECRET], headers, BODY, now=TS).id == "msg_1"


@pytest.mark.parametrize(
    "value",
    ["v1,", "v1a,AAAA", "v1=abc", ",AAAA", "v1,not base64!", "v1,AAAA", "{good}  {good}", "{good},{good}"],
)
def test_standard_webhooks_malformed_signature(value: str) -> None:
    good = signed("standard-webhooks")["webhook-signature"]
    headers = {**signed("standard-webhooks"), "webhook-signature": value.format(good=good)}
    assert reason("standard-webhooks", headers) == "malformed header"


@pytest.mark.parametrize("secret", ["MDEy", "whsec_", "whsec_not base64", "whsec_@@@@", "whsec_A"])
def test_standard_webhooks_unusable_secret_is_a_config_error(secret: str) -> None:
    with pytest.raises(ConfigError, match="whsec_"):
        SCHEMES.get("standard-webhooks").sign([secret], MESSAGE)
    with pytest.raises(ConfigError, match="whsec_"):
        SCHEMES.get("standard-webhooks").verify([secret], signed("standard-webhooks"), BODY, now=TS)


def test_standard_webhooks_secret_padding_may_be_left_off() -> None:
    padded = "whsec_" + base64.b64encode(b"0123456789abcdef0").decode()
    assert padded.endswith("=")
    sent = SCHEMES.get("standard-webhooks").sign([padded], MESSAGE)
    assert SCHEMES.get("standard-webhooks").verify([padded.rstrip("=")], sent, BODY, now=TS).id == "msg_1"


# stripe ---------------------------------------------------------------------------------------

STRIPE_HEX = "1ffcca4ae7f02aa1232ba57792843cdf09a6286d5f6943e1faedcc74b5366ccf"  # from openssl dgst


def test_stripe_independent_vector() -> None:
    assert signed("stripe") == {"Stripe-Signature": f"t={TS},v1={STRIPE_HEX}"}


def test_stripe_rotation_is_repeated_v1_items_and_other_schemes_are_skipped() -> None:
    sent = SCHEMES.get("stripe").sign(["old", SECRETS["stripe"]], MESSAGE)
    assert sent["Stripe-Signature"].startswith(f"t={TS},v1=")
    assert sent["Stripe-Signature"].endswith(f",v1={STRIPE_HEX}")
    headers = {"Stripe-Signature": f"t={TS},v0=deadbeef,v1={STRIPE_HEX}"}
    assert SCHEMES.get("stripe").verify([SECRETS["stripe"]], headers, BODY, now=TS).timestamp == TS


@pytest.mark.parametrize(
    "value",
    [
        f"v1={STRIPE_HEX}",
        f"t={TS},t={TS},v1={STRIPE_HEX}",
        f"t={TS}",
        f"t={TS},v0={STRIPE_HEX}",
        f"t=,v1={STRIPE_HEX}",
        f"t=0{TS},v1={STRIPE_HEX}",
        f"t={TS},v1={STRIPE_HEX.upper()}",
        f"t={TS},v1=",
        f"t={TS}, v1={STRIPE_HEX}",
        f"t={TS},{STRIPE_HEX}",
    ],
)
def test_stripe_malformed_header(value: str) -> None:
    assert reason("stripe", {"Stripe-Signature": value}) == "malformed header"


def test_stripe_key_is_used_as_is() -> None:
    # A whsec_ secret is not base64-decoded for Stripe, unlike standard-webhooks.
    assert reason("stripe", signed("stripe"), secret="test_secret") == "no matching signature"


# shopify and github ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["", "not base64!", base64.b64encode(b"short").decode(), hashlib.sha256(BODY).hexdigest()]
)
def test_shopify_malformed_header(value: str) -> None:
    expected = "missing header" if not value else "malformed header"
    assert reason("shopify", {"X-Shopify-Hmac-Sha256": value}) == expected


GITHUB_HEX = hmac.new(b"gh_s", BODY, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "value",
    [GITHUB_HEX, f"sha1={GITHUB_HEX}", f"sha256={GITHUB_HEX.upper()}", "sha256=", f"SHA256={GITHUB_HEX}"],
)
def test_github_malformed_header(value: str) -> None:
    assert reason("github", {"X-Hub-Signature-256": value}) == "malformed header"


def test_github_accepts_the_documented_form() -> None:
    headers = {"x-hub-signature-256": f"sha256={GITHUB_HEX}"}
    assert SCHEMES.get("github").verify(["gh_s"], headers, BODY) == SignedMessage(BODY)


def test_schemes_satisfy_the_protocol() -> None:
    schemes: list[Scheme] = list(SCHEMES)
    assert [scheme.name for scheme in schemes] == SCHEMES.names()
