"""Request signing exactly as TikTok verifies it, and every signed part really signed."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from tests.platforms.tiktok.support import SEARCH, SHOPS, UK_PRODUCT, UK_SKU, Caller, refusal

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.tiktok.signing import is_multipart, sign_request, string_to_sign, webhook_signature

SECRET = "e59af819cc"


def test_string_to_sign_wraps_path_sorted_pairs_and_body_in_the_secret() -> None:
    query = [("timestamp", "1696909648"), ("shop_cipher", "ROW_x"), ("app_key", "68xu9ks5p4i8")]
    body = b'{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}'
    expected = (
        b"e59af819cc/event/202309/webhooks"
        b"app_key68xu9ks5p4i8shop_cipherROW_xtimestamp1696909648" + body + b"e59af819cc"
    )
    assert string_to_sign(SECRET, "/event/202309/webhooks", query, body, "application/json") == expected
    digest = hmac.new(SECRET.encode(), expected, hashlib.sha256).hexdigest()
    assert sign_request(SECRET, "/event/202309/webhooks", query, body) == digest


def test_sign_and_access_token_are_left_out_and_multipart_bodies_are_not_signed() -> None:
    base = [("app_key", "k"), ("timestamp", "1")]
    with_extras = [*base, ("sign", "whatever"), ("access_token", "tok")]
    assert sign_request(SECRET, "/p", with_extras) == sign_request(SECRET, "/p", base)
    multipart = "multipart/form-data; boundary=xyz"
    assert is_multipart(multipart)
    assert sign_request(SECRET, "/p", base, b"--xyz--", multipart) == sign_request(SECRET, "/p", base)
    assert sign_request(SECRET, "/p", base, b"{}", "application/json") != sign_request(SECRET, "/p", base)


def test_webhook_signature_is_hmac_of_app_key_and_raw_body() -> None:
    body = b'{"type":1}'
    assert (
        webhook_signature("key", SECRET, body)
        == hmac.new(SECRET.encode(), b"key" + body, hashlib.sha256).hexdigest()
    )


def test_a_correctly_signed_call_is_accepted_and_journaled_valid(mock: Mock, caller: Caller) -> None:
    caller.data("GET", SHOPS, cipher=None)
    entry = mock.journal.entries()[-1]
    assert (entry.signature, entry.token_state) == ("valid", "valid")
    assert entry.client_timestamps == [("timestamp", float(int(mock.now())))]


def _bump(text: str) -> str:
    """The same text with its last character changed."""
    last = text[-1]
    return text[:-1] + ("1" if last == "0" else "0" if last.isdigit() else "A" if last != "A" else "B")


SPOILERS = {
    "timestamp": lambda p, b: ({**p, "timestamp": str(int(p["timestamp"]) - 1)}, b),
    "shop_cipher": lambda p, b: ({**p, "shop_cipher": _bump(p["shop_cipher"])}, b),
    "query parameter": lambda p, b: ({**p, "page_size": "3"}, b),
    "added parameter": lambda p, b: ({**p, "sort_order": "ASC"}, b),
    "body": lambda p, b: (p, b.replace(b"AWAITING_SHIPMENT", b"AWAITING_SHIPMENU")),
    "sign": lambda p, b: ({**p, "sign": _bump(p["sign"])}, b),
}


@pytest.mark.parametrize("part", sorted(SPOILERS))
def test_one_changed_character_in_any_signed_part_is_refused(mock: Mock, caller: Caller, part: str) -> None:
    response = caller.send(
        "POST",
        SEARCH,
        query={"page_size": "2"},
        body={"order_status": "AWAITING_SHIPMENT"},
        spoil=SPOILERS[part],
    )
    assert refusal(response) == (401, 106001, "Invalid credentials. The `sign` query parameter is invalid.")
    entry = mock.journal.entries()[-1]
    assert entry.signature == "invalid"
    assert entry.status == 401


def test_a_changed_path_is_refused(mock: Mock, caller: Caller) -> None:
    signed = caller.signed_query(
        f"/product/202309/products/{UK_PRODUCT}", {}, b"", cipher=caller.cipher, timestamp=None
    )
    response = caller.http.get(
        f"{caller.base}/product/202309/products/{_bump(UK_PRODUCT)}",
        params=signed,
        headers={"x-tts-access-token": caller.token},
    )
    assert refusal(response)[:2] == (401, 106001)
    assert mock.journal.entries()[-1].signature == "invalid"


def test_a_changed_app_key_cannot_be_verified(mock: Mock, caller: Caller) -> None:
    response = caller.send(
        "GET", SHOPS, cipher=None, spoil=lambda p, b: ({**p, "app_key": _bump(p["app_key"])}, b)
    )
    assert refusal(response) == (400, 36009004, "Invalid credentials. Invalid `app_key` query parameter.")
    assert mock.journal.entries()[-1].signature == "invalid"


def test_a_missing_signature_is_its_own_error(mock: Mock, caller: Caller) -> None:
    response = caller.send(
        "GET", SHOPS, cipher=None, spoil=lambda p, b: ({k: v for k, v in p.items() if k != "sign"}, b)
    )
    status, code, message = refusal(response)
    assert (status, code) == (401, 36009004)
    assert message.startswith("Missing credentials.")
    assert mock.journal.entries()[-1].signature == "missing"


def test_the_access_token_is_not_signed_and_a_query_access_token_is_ignored(caller: Caller) -> None:
    spoil = lambda p, b: ({**p, "access_token": "anything"}, b)  # noqa: E731
    assert caller.send("GET", SHOPS, cipher=None, spoil=spoil).status_code == 200


def test_the_exact_body_bytes_are_signed(caller: Caller) -> None:
    body = {"skus": [{"id": UK_SKU, "inventory": [{"quantity": 9}]}]}
    spaced = json.dumps(body, indent=2).encode()
    path = f"/product/202309/products/{UK_PRODUCT}/inventory/update"
    assert caller.send("POST", path, raw=spaced).status_code == 200
    compact = lambda p, b: (p, json.dumps(json.loads(b), separators=(",", ":")).encode())  # noqa: E731
    assert refusal(caller.send("POST", path, raw=spaced, spoil=compact))[:2] == (401, 106001)
