"""Garbage in, SP-API's 4xx out: never a 500, never a traceback."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawcheck.platforms.model import MockRequest

from .conftest import LWA, NA_SANDBOX, US, Api, body, listing_path, make_mock

ORDER = "113-4829316-7720215"
SHIP = f"/orders/v0/orders/{ORDER}/shipmentConfirmation"
PATHS = [
    "/orders/v0/orders",
    f"/orders/v0/orders/{ORDER}",
    f"/orders/v0/orders/{ORDER}/orderItems",
    SHIP,
    listing_path("NW-TENT-2P"),
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def shared() -> Api:
    return Api(make_mock())  # rate limits still apply: a 429 is a fine answer to garbage


@pytest.mark.parametrize(
    ("method", "path", "query", "raw"),
    [
        ("GET", "/orders/v0/orders", [], b""),
        ("GET", "/orders/v0/orders", [("MarketplaceIds", US)], b""),
        ("GET", "/orders/v0/orders", [("MarketplaceIds", US), ("CreatedAfter", "yesterday")], b""),
        ("GET", "/orders/v0/orders", [("MarketplaceIds", US), ("CreatedAfter", "9999999-01-01")], b""),
        (
            "GET",
            "/orders/v0/orders",
            [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01"), ("MaxResultsPerPage", "1e400")],
            b"",
        ),
        (
            "GET",
            "/orders/v0/orders",
            [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01"), ("MaxResultsPerPage", "0")],
            b"",
        ),
        (
            "GET",
            "/orders/v0/orders",
            [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01"), ("CreatedBefore", "2099-01-01")],
            b"",
        ),
        (
            "GET",
            "/orders/v0/orders",
            [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01"), ("LastUpdatedAfter", "2020-01-01")],
            b"",
        ),
        (
            "GET",
            "/orders/v0/orders",
            [("MarketplaceIds", US), ("CreatedAfter", "2020-01-01"), ("OrderStatuses", "Lost")],
            b"",
        ),
        (
            "GET",
            "/orders/v0/orders",
            [("MarketplaceIds", ",".join(["ATVPDKIKX0DER"] * 51)), ("CreatedAfter", "2020-01-01")],
            b"",
        ),
        ("GET", "/orders/v0/orders", [("MarketplaceIds", US), ("NextToken", "made-up")], b""),
        ("GET", "/orders/v0/orders/not-an-order", [], b""),
        ("GET", "/orders/v0/orders/999-9999999-9999999/orderItems", [], b""),
        ("GET", f"/orders/v0/orders/{ORDER}/orderItems", [("NextToken", "%%%")], b""),
        ("POST", SHIP, [], b""),
        ("POST", SHIP, [], b"{not json"),
        ("POST", SHIP, [], b"\xff\xfe"),
        ("POST", SHIP, [], b"[]"),
        ("POST", SHIP, [], json.dumps({"marketplaceId": US, "packageDetail": []}).encode()),
        (
            "POST",
            SHIP,
            [],
            json.dumps({"marketplaceId": US, "packageDetail": {"orderItems": [1, None]}}).encode(),
        ),
        ("PATCH", listing_path("NW-TENT-2P"), [("marketplaceIds", US)], b"null"),
        (
            "PATCH",
            listing_path("NW-TENT-2P"),
            [("marketplaceIds", US)],
            b'{"productType": "X", "patches": []}',
        ),
        (
            "PATCH",
            listing_path("NW-TENT-2P"),
            [("marketplaceIds", US)],
            b'{"productType": "X", "patches": [{"op": "move", "path": "/a"}]}',
        ),
        (
            "PATCH",
            listing_path("NW-TENT-2P"),
            [("marketplaceIds", US)],
            b'{"productType": "X", "patches": [{"op": "add", "path": "/attributes/a/b", "value": []}]}',
        ),
        (
            "PATCH",
            listing_path("NW-TENT-2P"),
            [("marketplaceIds", US)],
            b'{"productType": "X", "patches": [{"op": "add", "path": "/attributes/a", "value": 3}]}',
        ),
        ("PATCH", listing_path("NW-TENT-2P"), [], b"{}"),
        ("GET", listing_path("NW-TENT-2P"), [("marketplaceIds", US), ("includedData", "everything")], b""),
        ("DELETE", f"/orders/v0/orders/{ORDER}", [], b""),
        ("GET", "/nothing/here", [], b""),
    ],
)
def test_hand_picked_garbage_gets_a_documented_4xx(
    method: str, path: str, query: list[tuple[str, str]], raw: bytes
) -> None:
    api = Api(make_mock())
    headers = {"x-amz-access-token": api.token(), "content-type": "application/json"}
    response = api.send(method, path, query, raw=raw, headers=headers)
    assert 400 <= response.status < 500, response.body
    assert "errors" in body(response)


@pytest.mark.parametrize(
    "form",
    [
        b"",
        b"grant_type=refresh_token",
        b"\xff=\xfe",
        b"grant_type=refresh_token&client_id=x&client_secret=y&refresh_token=z",
    ],
)
def test_garbage_at_the_token_endpoint_gets_an_oauth_error(form: bytes) -> None:
    api = Api(make_mock())
    response = api.send("POST", "/auth/o2/token", raw=form, host=LWA)
    assert 400 <= response.status < 500
    assert "error" in body(response)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(PATHS),
    method=st.sampled_from(["GET", "POST", "PATCH", "PUT"]),
    query=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "MarketplaceIds",
                    "marketplaceIds",
                    "CreatedAfter",
                    "NextToken",
                    "MaxResultsPerPage",
                    "includedData",
                    "x",
                ]
            ),
            st.text(max_size=30),
        ),
        max_size=5,
    ),
    payload=JSON,
)
def test_generated_requests_never_get_a_server_error(
    shared: Api, path: str, method: str, query: list[tuple[str, str]], payload: object
) -> None:
    request = MockRequest.build(
        method,
        path,
        host=NA_SANDBOX,
        query_string=urlencode(query),
        headers=[("x-amz-access-token", shared.token()), ("content-type", "application/json")],
        body=json.dumps(payload).encode(),
    )
    response = shared.mock.handle(request)
    assert response.status < 500, response.body
    assert not any("mock-error" in note for note in shared.mock.journal.entries()[-1].notes)
