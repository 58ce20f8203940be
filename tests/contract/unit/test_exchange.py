"""Exchange and SentRequest: what every check reads."""

from __future__ import annotations

import pytest

from clawcheck.contract.exchange import Exchange, SentRequest

from .helpers import TOKEN, exchange, request


def test_request_header_lookup_is_case_insensitive() -> None:
    sent = request(key="k-1")
    assert sent.header("idempotency-key") == "k-1"
    assert sent.header("AUTHORIZATION") == f"Bearer {TOKEN}"
    assert sent.header("X-Missing") is None


def test_request_path_drops_the_query() -> None:
    assert SentRequest("GET", "http://h:1/base/v2/orders?limit=1", {}).path == "/base/v2/orders"


def test_with_headers_replaces_removes_and_converts_underscores() -> None:
    sent = request(key="k-1", headers={"X-Extra": "1"})
    changed = sent.with_headers(authorization=None, Idempotency_Key="k-2", X_New="n")
    assert changed.header("Authorization") is None
    assert changed.header("Idempotency-Key") == "k-2"
    assert changed.headers["X-New"] == "n"
    assert changed.header("X-Extra") == "1"
    assert [k for k in changed.headers if k.lower() == "idempotency-key"] == ["Idempotency-Key"]
    assert (changed.method, changed.url, changed.body) == (sent.method, sent.url, sent.body)
    assert sent.header("Authorization") == f"Bearer {TOKEN}"  # the original is untouched


@pytest.mark.parametrize(
    ("body", "parsed"), [(None, None), (b"", None), (b"{bad", None), (b'{"a": 1}', {"a": 1})]
)
def test_request_json(body: bytes | None, parsed: object) -> None:
    assert SentRequest("POST", "http://h/x", {}, body).json() == parsed


def test_request_curl_hides_the_token() -> None:
    curl = request("POST", "/v2/orders/create", body={"a": 1}).curl()
    assert TOKEN not in curl
    assert "$OPENCLAW_TOKEN" in curl


@pytest.mark.parametrize(
    ("raw", "content_type", "parsed", "is_json"),
    [
        (b'{"a": 1}', "application/json", {"a": 1}, True),
        (b'{"a": 1}', "application/problem+json; charset=utf-8", {"a": 1}, True),
        (b'{"a": 1}', None, {"a": 1}, True),
        (b'{"a": 1}', "text/html", None, False),
        (b"<html>", "application/json", None, False),
        (b"", "application/json", None, False),
        (b"null", "application/json", None, True),
    ],
)
def test_response_json(raw: bytes, content_type: str | None, parsed: object, is_json: bool) -> None:
    ex = exchange(200, raw, content_type=content_type)
    assert ex.json() == parsed
    assert ex.is_json is is_json
    assert ex.json() == parsed  # cached, same answer


def test_response_header_lookup_is_case_insensitive() -> None:
    ex = exchange(429, {}, headers={"Retry-After": "2"})
    assert ex.header("RETRY-AFTER") == "2"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"error": {"code": "ORDER_NOT_FOUND"}}, "ORDER_NOT_FOUND"),
        ({"code": "FLAT_CODE", "message": "m"}, "FLAT_CODE"),
        ({"error": {"code": 404}}, None),
        ({"error": "ORDER_NOT_FOUND"}, None),
        ([], None),
        ({}, None),
    ],
)
def test_error_code_is_read_leniently(body: object, code: str | None) -> None:
    ex = exchange(404, body)
    assert ex.error_code() == code
    assert ex.summary() == (f"404 {code}" if code else "404")


def test_exchanges_compare_without_the_parse_cache() -> None:
    a, b = exchange(200, {"x": 1}), exchange(200, {"x": 1})
    a.json()
    assert isinstance(a, Exchange)
    assert a == b
