"""WooCommerce's request authentication primitives: PHP's view of a query, and the string to sign."""

from __future__ import annotations

import base64
import hashlib
import hmac

from woocommerce.oauth import OAuth

from clawcheck.platforms.woocommerce import oauth


def test_php_params_keep_the_last_duplicate_and_build_arrays() -> None:
    parsed = oauth.php_params(
        [("page", "1"), ("page", "2"), ("status[]", "processing"), ("status[]", "on-hold"), ("a.b c", "x")]
    )
    assert parsed == {"page": "2", "status": {"0": "processing", "1": "on-hold"}, "a_b_c": "x"}


def test_php_params_nest_and_drop_nameless_keys() -> None:
    parsed = oauth.php_params([("filter[period][from]", "w"), ("[x]", "dropped"), ("a[b", "1")])
    assert parsed == {"filter": {"period": {"from": "w"}}, "a_b": "1"}


def test_array_merge_renumbers_integer_keys_as_php_does() -> None:
    merged = oauth.array_merge({"5": "a", "05": "b", "page": "1"}, {"7": "c", "page": "2"})
    assert merged == {"0": "a", "05": "b", "page": "2", "1": "c"}


def test_authorization_header_parameters() -> None:
    header = 'OAuth oauth_consumer_key="ck_1", oauth_nonce="n%20x", oauth_timestamp=17, realm="x"'
    assert oauth.oauth_header_params(header) == {
        "oauth_consumer_key": "ck_1",
        "oauth_nonce": "n x",
        "oauth_timestamp": "17",
    }
    assert oauth.oauth_header_params("Bearer abc") == {}


def test_basic_credentials_split_at_the_first_colon() -> None:
    header = "Basic " + base64.b64encode(b"ck_1:cs:with:colons").decode()
    found = oauth.basic_credentials(header)
    assert found is not None
    assert (found.user, found.password) == ("ck_1", "cs:with:colons")
    assert oauth.basic_credentials("Basic !!!") is None


def test_string_to_sign_is_woocommerce_s() -> None:
    params = oauth.php_params(
        [
            ("per_page", "5"),
            ("after", "2026-01-01T00:00:00Z"),
            ("oauth_signature", "ignored"),
            ("search", "a b"),
        ]
    )
    text = oauth.string_to_sign("get", "http://127.0.0.1:8000/wp-json/wc/v3/orders", params)
    assert text == (
        "GET&http%3A%2F%2F127.0.0.1%3A8000%2Fwp-json%2Fwc%2Fv3%2Forders&"
        "after%3D2026-01-01T00%253A00%253A00Z%26per_page%3D5%26search%3Da%2520b"
    )


def test_nested_parameters_sign_with_bracketed_names() -> None:
    params = oauth.php_params([("status[]", "processing")])
    assert (
        oauth.string_to_sign("GET", "http://h/x", params)
        == "GET&http%3A%2F%2Fh%2Fx&status%255B0%255D%3Dprocessing"
    )


def test_signature_matches_the_official_python_sdk() -> None:
    """The WooCommerce SDK's OAuth class (v3.0.0) and the mock agree on the same request."""
    url = "http://127.0.0.1:8000/wp-json/wc/v3/orders"
    sdk = OAuth(
        url + "?per_page=5&page=2",
        "ck_abc",
        "cs_secret",
        version="wc/v3",
        method="GET",
        oauth_timestamp=1700000000,
    )
    signed_url = sdk.get_oauth_url()
    query = signed_url.split("?", 1)[1]
    from urllib.parse import parse_qsl

    pairs = parse_qsl(query)
    params = oauth.php_params(pairs)
    text = oauth.string_to_sign("GET", url, params)
    assert oauth.signature("cs_secret", "HMAC-SHA256", text) == dict(pairs)["oauth_signature"]


def test_signature_methods() -> None:
    expected = base64.b64encode(hmac.new(b"cs&", b"text", hashlib.sha1).digest()).decode()
    assert oauth.signature("cs", "HMAC-SHA1", "text") == expected
    assert oauth.signature("cs", "PLAINTEXT", "text") is None


def test_php_empty() -> None:
    assert oauth.is_php_empty(None)
    assert oauth.is_php_empty("")
    assert oauth.is_php_empty("0")
    assert oauth.is_php_empty({})
    assert not oauth.is_php_empty("00")
    assert not oauth.is_php_empty({"0": "a"})
