"""Redactor: structural masking of known names, literal scrubbing of known secrets."""

from __future__ import annotations

import pytest

from clawcheck.core.redact import MASK, Redactor

SECRET = "s3cr3t-client-secret"
TOKEN = "tok_AbCdEf0123456789"


def test_without_secrets_text_is_unchanged() -> None:
    assert Redactor().text("nothing to hide s3cr3t") == "nothing to hide s3cr3t"


def test_literal_secret_is_scrubbed_everywhere_in_text() -> None:
    redactor = Redactor([SECRET])
    assert redactor.text(f"a {SECRET} b {SECRET}") == f"a {MASK} b {MASK}"


def test_secret_inside_a_url_is_scrubbed() -> None:
    redactor = Redactor([TOKEN])
    url = f"https://openclaw.test/v2/orders?access_token={TOKEN}&limit=1"
    assert redactor.text(url) == f"https://openclaw.test/v2/orders?access_token={MASK}&limit=1"


def test_a_longer_secret_containing_a_shorter_one_is_masked_whole() -> None:
    short, long = "abcdef123", "xx-abcdef123-yy"
    for order in ((short, long), (long, short)):
        redactor = Redactor(order)
        assert redactor.text(f"{long} and {short}") == f"{MASK} and {MASK}"


def test_secrets_added_later_are_scrubbed_too() -> None:
    redactor = Redactor([SECRET])
    redactor.add(TOKEN)
    assert redactor.text(f"{SECRET}/{TOKEN}") == f"{MASK}/{MASK}"


@pytest.mark.parametrize("short", ["a", "abc", "12345"])
def test_secrets_under_six_characters_are_not_scrubbed(short: str) -> None:
    redactor = Redactor([short])
    assert redactor.text(f"value {short} here") == f"value {short} here"


def test_a_six_character_secret_is_scrubbed() -> None:
    assert Redactor(["123456"]).text("pin 123456") == f"pin {MASK}"


def test_empty_secrets_are_ignored() -> None:
    redactor = Redactor(["", SECRET])
    redactor.add("")
    assert redactor.text("plain") == "plain"


def test_regex_characters_in_secrets_are_literal() -> None:
    secret = "a.b*c+d?(e)[f]"
    redactor = Redactor([secret])
    assert redactor.text(f"x {secret} axbbc") == f"x {MASK} axbbc"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Authorization", f"Bearer {TOKEN}", f"Bearer {MASK}"),
        ("authorization", "Basic dXNlcjpwYXNz", f"Basic {MASK}"),
        ("Authorization", TOKEN, MASK),
        ("Proxy-Authorization", "Bearer abc", f"Bearer {MASK}"),
        ("Cookie", "session=abc; other=1", MASK),
        ("Set-Cookie", "session=abc; HttpOnly", MASK),
        ("X-Api-Key", "key with spaces", MASK),
        ("X-Shopify-Access-Token", "shpat_123", MASK),
    ],
)
def test_sensitive_headers_are_masked(name: str, value: str, expected: str) -> None:
    assert Redactor().headers({name: value}) == {name: expected}


def test_other_headers_keep_their_names_and_are_scrubbed_literally() -> None:
    redactor = Redactor([TOKEN])
    headers = {"X-OpenClaw-Shop-Id": "shop_demo", "Location": f"/v2/x?t={TOKEN}"}
    assert redactor.headers(headers) == {"X-OpenClaw-Shop-Id": "shop_demo", "Location": f"/v2/x?t={MASK}"}


def test_data_masks_sensitive_fields_at_any_depth() -> None:
    data = {
        "access_token": TOKEN,
        "Refresh_Token": "r-123",
        "token_type": "Bearer",
        "nested": {"client_secret": "x", "list": [{"secret": "whsec_1", "password": "p"}, "plain"]},
        "tuple": ({"api_key": "k"},),
        "count": 3,
        "flag": True,
        "none": None,
    }
    assert Redactor().data(data) == {
        "access_token": MASK,
        "Refresh_Token": MASK,
        "token_type": "Bearer",
        "nested": {"client_secret": MASK, "list": [{"secret": MASK, "password": MASK}, "plain"]},
        "tuple": [{"api_key": MASK}],
        "count": 3,
        "flag": True,
        "none": None,
    }


def test_data_keeps_empty_sensitive_fields_visible() -> None:
    # An empty or null secret is evidence in itself (a target that forgot to return it).
    assert Redactor().data({"secret": "", "token": None}) == {"secret": "", "token": None}


def test_data_scrubs_literal_secrets_in_any_string_value() -> None:
    redactor = Redactor([SECRET])
    data = {"message": f"client {SECRET} rejected", "items": [f"x{SECRET}x"]}
    assert redactor.data(data) == {"message": f"client {MASK} rejected", "items": [f"x{MASK}x"]}


def test_data_returns_a_copy() -> None:
    data = {"access_token": TOKEN, "inner": {"a": 1}}
    copied = Redactor().data(data)
    assert data == {"access_token": TOKEN, "inner": {"a": 1}}
    assert copied["inner"] is not data["inner"]
