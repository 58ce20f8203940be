"""Malformed input never gets a 5xx: it gets WordPress's own 4xx error object."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.platforms.woocommerce.conftest import API, STAGING, FakeClock, adapter_key, oauth_query

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest
from clawcheck.platforms.woocommerce import WooCommerce

PATHS = (
    "/orders",
    "/orders/1040",
    "/orders/{x}",
    "/orders/1040/notes",
    "/orders/{x}/notes",
    "/products",
    "/products/21",
    "/products/{x}",
    "/products/batch",
)
NAMES = (
    "page",
    "per_page",
    "status",
    "after",
    "dates_are_gmt",
    "include",
    "sku",
    "orderby",
    "offset",
    "status[]",
    "a[b][c]",
)


@pytest.fixture(scope="module")
def loose() -> Mock:
    return Mock(WooCommerce, enforce_rate_limits=False)


def answer(
    mock: Mock, method: str, path: str, query: list[tuple[str, str]], body: bytes, content_type: str
) -> Any:
    key = adapter_key(mock)
    token = base64.b64encode(f"{key.consumer_key}:{key.consumer_secret}".encode()).decode()
    headers = [("authorization", f"Basic {token}"), ("host", STAGING)]
    if content_type:
        headers.append(("content-type", content_type))
    request = MockRequest(method, "https", STAGING, API + path, tuple(query), dict(headers), body)
    response = mock.handle(request)
    assert response.status < 500, (method, path, query, body[:200], response.body[:300])
    if response.status >= 400:
        error = json.loads(response.body)
        assert set(error) >= {"code", "message", "data"}, error
    return response


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    st.dictionaries(
        st.sampled_from(
            ["status", "meta_data", "stock_quantity", "manage_stock", "note", "update", "billing", "sku"]
        ),
        json_values,
        max_size=4,
    ).map(lambda d: (json.dumps(d).encode(), "application/json")),
    st.binary(max_size=64).map(lambda b: (b, "application/json")),
    st.text(max_size=40).map(lambda t: (t.encode(), "application/x-www-form-urlencoded")),
    st.just((b"", "")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from(["GET", "PUT", "POST", "PATCH", "DELETE"]),
    path=st.sampled_from(PATHS),
    segment=st.text(min_size=1, max_size=12).filter(lambda s: "/" not in s),
    query=st.lists(st.tuples(st.sampled_from(NAMES) | st.text(max_size=8), st.text(max_size=30)), max_size=5),
    body=bodies,
)
def test_generated_requests_never_get_a_server_error(
    loose: Mock, method: str, path: str, segment: str, query: list[tuple[str, str]], body: tuple[bytes, str]
) -> None:
    answer(loose, method, path.replace("{x}", segment), query, *body)


@pytest.mark.parametrize(
    ("method", "path", "query", "body"),
    [
        ("GET", "/orders", [("per_page", "9" * 5000)], b""),
        ("GET", "/orders", [("page", "1e400")], b""),
        ("GET", "/orders", [("page", "99999999999999999999")], b""),
        ("GET", "/orders/" + "9" * 5000, [], b""),
        ("GET", "/orders", [("after", "2025-02-30T00:00:00")], b""),
        ("GET", "/orders", [("after", "2025-01-01T00:00:00+99:99")], b""),
        ("GET", "/orders", [("status[a]", "x")], b""),
        ("PUT", "/products/21", [], b'{"stock_quantity": 1e308}'),
        ("PUT", "/products/21", [], b'{"stock_quantity": 1000000000000000000000000000000}'),
        ("PUT", "/products/21", [], b'{"low_stock_amount": "", "backorders": "yes", "sku": ""}'),
        ("PUT", "/orders/1040", [], b'{"meta_data": "text", "billing": [], "status": ["completed"]}'),
        ("PUT", "/orders/1040", [], b'{"meta_data": [{"id": "x", "key": 5}, 3, null]}'),
        ("PUT", "/orders/1040", [], b"[" * 600 + b"]" * 600),  # deeper than json_decode's 512
        ("PUT", "/orders/1040", [], b'"just a string"'),
        ("PUT", "/orders/1040", [], b"\xff\xfe"),
        ("POST", "/products/batch", [], b'{"update": "abc", "delete": [{"x": 1}], "create": [1]}'),
        ("POST", "/products/batch", [], b'{"update": [1, null, {"id": "21", "stock_quantity": "x"}]}'),
        ("POST", "/orders/1040/notes", [], b'{"note": 5}'),
        ("POST", "/orders/1040/notes", [], b"note=hello&customer_note=maybe"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_hand_picked_malformed_requests(
    loose: Mock, method: str, path: str, query: list[tuple[str, str]], body: bytes
) -> None:
    content_type = "application/x-www-form-urlencoded" if body.startswith(b"note=") else "application/json"
    response = answer(loose, method, path, query, body, content_type)
    assert response.status in (200, 201, 400, 404)


def test_garbage_oauth_parameters_are_refused_cleanly(clock: FakeClock) -> None:
    mock = Mock(WooCommerce, clock=clock.time, monotonic=clock.monotonic)
    url = f"http://{STAGING}{API}/orders"
    good = oauth_query(adapter_key(mock), "GET", url, timestamp=clock.now)
    for name, value in [
        ("oauth_timestamp", "soon"),
        ("oauth_timestamp", "1e400"),
        ("oauth_signature", "%%%"),
        ("oauth_nonce", "0"),
    ]:
        query = [(k, value if k == name else v) for k, v in good]
        request = MockRequest("GET", "http", STAGING, API + "/orders", tuple(query), {"host": STAGING}, b"")
        response = mock.handle(request)
        assert response.status == 401, (name, value, response.body)
