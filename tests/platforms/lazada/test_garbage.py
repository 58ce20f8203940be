"""Garbage in, Lazada's error out: no input makes the mock answer 5xx or anything but its JSON."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawcheck.platforms.model import MockRequest

from .conftest import AUTH, SG_HOST, Client

APIS = [
    ("GET", "/orders/get"),
    ("GET", "/order/get"),
    ("GET", "/order/items/get"),
    ("POST", "/order/fulfill/pack"),
    ("POST", "/order/package/rts"),
    ("POST", "/product/price_quantity/update"),
    ("POST", "/product/stock/sellable/update"),
    ("GET", "/product/item/get"),
]
NAMES = [
    "order_id", "offset", "limit", "status", "sort_by", "sort_direction", "created_after",
    "created_before", "update_after", "update_before", "item_id", "payload", "packReq",
    "readyToShipReq", "code", "refresh_token",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "[]", "{}", "null", "2026-13-45T99:99:99+99:99"]),
    st.recursive(
        st.none() | st.integers() | st.text(max_size=8), lambda inner: st.lists(inner, max_size=3)
    ).map(json.dumps),
)
FAST = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _judge(status: int, body: bytes) -> None:
    assert status < 500
    answer = json.loads(body)
    assert isinstance(answer, dict)
    assert isinstance(answer["code"], str)
    if answer["code"] != "0":
        assert set(answer) >= {"type", "code", "message", "request_id"}


@FAST
@given(
    api=st.sampled_from(APIS),
    params=st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=10), VALUES, max_size=6),
)
def test_signed_garbage_reaching_every_api_gets_a_lazada_answer(
    client: Client, api: tuple[str, str], params: dict[str, str]
) -> None:
    method, name = api
    signed = client.signed(
        name, {k: v for k, v in params.items() if k not in {"sign", "app_key", "timestamp"}}
    )
    request = MockRequest.build(
        method,
        "/rest" + name,
        host=SG_HOST,
        query_string=urlencode(signed) if method == "GET" else "",
        headers=[("content-type", "application/x-www-form-urlencoded")],
        body=urlencode(signed).encode() if method == "POST" else b"",
    )
    client.clock.advance(0.2)
    response = client.mock.handle(request)
    _judge(response.status, response.body)
    assert not any(n.startswith("mock-error") for n in client.mock.journal.entries()[-1].notes)


@FAST
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]),
    host=st.sampled_from([SG_HOST, AUTH, "api.lazada.co.th"]),
    path=st.sampled_from(["/rest" + api for _, api in APIS] + ["/rest/auth/token/create", "/", "/rest/nope"]),
    query=st.text(max_size=80),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(["application/x-www-form-urlencoded", "application/json", "text/xml", ""]),
)
def test_unsigned_garbage_of_any_shape_gets_a_lazada_answer(
    client: Client, method: str, host: str, path: str, query: str, body: bytes, content_type: str
) -> None:
    headers = [("content-type", content_type)] if content_type else []
    request = MockRequest.build(method, path, host=host, query_string=query, headers=headers, body=body)
    response = client.mock.handle(request)
    _judge(response.status, response.body)


def _pack(orders: object) -> dict[str, str]:
    request = {"pack_order_list": orders, "delivery_type": "dropship", "shipping_allocate_type": "TFS"}
    return {"packReq": json.dumps(request)}


def _skus(body: str) -> dict[str, str]:
    return {"payload": f"<Request><Product><Skus><Sku>{body}</Sku></Skus></Product></Request>"}


MALFORMED = [
    ("/order/fulfill/pack", {"packReq": "[" * 5000 + "]" * 5000}),
    ("/order/fulfill/pack", _pack([{"order_id": 10**40, "order_item_list": [True, None, "x", -5]}])),
    ("/order/fulfill/pack", _pack(["x", 1, None])),
    (
        "/order/package/rts",
        {"readyToShipReq": json.dumps({"packages": [{"package_id": ["x"]}, 5, {"package_id": "A" * 9999}]})},
    ),
    ("/order/package/rts", {"readyToShipReq": "x" * (600 * 1024)}),
    (
        "/product/stock/sellable/update",
        {"payload": "<Request>" + "<a>" * 50_000 + "</a>" * 50_000 + "</Request>"},
    ),
    (
        "/product/stock/sellable/update",
        _skus(f"<SkuId>{'9' * 400}</SkuId><SellableQuantity>1</SellableQuantity>"),
    ),
    ("/product/price_quantity/update", _skus(f"<SkuId>13449296011</SkuId><Quantity>{'9' * 14}</Quantity>")),
    ("/product/price_quantity/update", _skus(f"<SkuId>13449296011</SkuId><Price>1{'0' * 500}</Price>")),
]


@pytest.mark.parametrize(("api", "params"), MALFORMED)
def test_hand_picked_malformed_parameters_are_refused_cleanly(
    client: Client, api: str, params: dict[str, str]
) -> None:
    answer = client.post(api, **params)
    assert answer.status == 200
    if answer.code == "0":
        assert answer.body["result"]["success"] in {True, False}
    else:
        assert answer.body["type"] == "ISV"


def test_a_body_that_is_not_utf8_is_read_as_far_as_it_goes(client: Client) -> None:
    request = MockRequest.build(
        "POST",
        "/rest/order/fulfill/pack",
        host=SG_HOST,
        headers=[("content-type", "application/x-www-form-urlencoded")],
        body=b"packReq=\xff\xfe&app_key=\xc3",
    )
    response = client.mock.handle(request)
    _judge(response.status, response.body)
