"""Interop with the reference libraries as published on PyPI (dev extra): `standardwebhooks`
both ways, and Stripe's own `stripe.WebhookSignature.verify_header` on what we sign.

Shopify and GitHub publish no small standalone verifier; their public vectors
(test_vectors.py) show equivalence with the documented algorithm instead.
Both libraries read the real clock, so the messages here are stamped with it.
"""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime

import pytest
import stripe
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from clawcheck.signing import SCHEMES, SignatureError, SignedMessage

SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SW_OTHER = "whsec_" + base64.b64encode(b"a second key for rotation").decode()
BODY = '{"id":"evt_1","type":"order.created","shop_id":"龙虾"}'.encode()


def now() -> int:
    return int(time.time())


def test_standardwebhooks_verifies_what_we_sign() -> None:
    headers = SCHEMES.get("standard-webhooks").sign([SW_SECRET], SignedMessage(BODY, "msg_1", now()))
    assert Webhook(SW_SECRET).verify(BODY, headers) == {
        "id": "evt_1",
        "type": "order.created",
        "shop_id": "龙虾",
    }


def test_standardwebhooks_verifies_our_rotated_signatures_with_either_secret() -> None:
    headers = SCHEMES.get("standard-webhooks").sign(
        [SW_OTHER, SW_SECRET], SignedMessage(BODY, "msg_1", now())
    )
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (SW_SECRET, SW_OTHER):
        assert Webhook(secret).verify(BODY, headers, json_parse=False) is None  # None means verified


def test_standardwebhooks_rejects_our_signature_under_another_secret() -> None:
    headers = SCHEMES.get("standard-webhooks").sign([SW_OTHER], SignedMessage(BODY, "msg_1", now()))
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(SW_SECRET).verify(BODY, headers)


def test_we_verify_what_standardwebhooks_signs() -> None:
    stamp = now()
    signature = Webhook(SW_SECRET).sign("msg_2", datetime.fromtimestamp(stamp, tz=UTC), BODY.decode())
    headers = {"webhook-id": "msg_2", "webhook-timestamp": str(stamp), "webhook-signature": signature}
    verified = SCHEMES.get("standard-webhooks").verify([SW_SECRET], headers, BODY)
    assert verified == SignedMessage(BODY, "msg_2", stamp)
    with pytest.raises(SignatureError, match="no matching signature"):
        SCHEMES.get("standard-webhooks").verify([SW_OTHER], headers, BODY)


STRIPE_SECRET = "whsec_test_secret"


def test_stripe_library_verifies_what_we_sign() -> None:
    headers = SCHEMES.get("stripe").sign([STRIPE_SECRET], SignedMessage(BODY, timestamp=now()))
    assert (
        stripe.WebhookSignature.verify_header(BODY, headers["Stripe-Signature"], STRIPE_SECRET, 300) is True
    )


def test_stripe_library_verifies_our_rotated_signatures_with_either_secret() -> None:
    headers = SCHEMES.get("stripe").sign(["whsec_old", STRIPE_SECRET], SignedMessage(BODY, timestamp=now()))
    for secret in ("whsec_old", STRIPE_SECRET):
        assert stripe.WebhookSignature.verify_header(BODY, headers["Stripe-Signature"], secret, 300) is True


def test_stripe_library_rejects_our_signature_under_another_secret() -> None:
    headers = SCHEMES.get("stripe").sign(["whsec_other"], SignedMessage(BODY, timestamp=now()))
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(BODY, headers["Stripe-Signature"], STRIPE_SECRET, 300)


def test_we_verify_what_the_stripe_library_signs() -> None:
    stamp = now()
    header = stripe.WebhookSignature.generate_signature_header(BODY.decode(), STRIPE_SECRET, stamp)
    verified = SCHEMES.get("stripe").verify([STRIPE_SECRET], {"Stripe-Signature": header}, BODY)
    assert verified == SignedMessage(BODY, None, stamp)
