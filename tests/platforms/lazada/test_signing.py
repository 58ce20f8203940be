"""App signing: the documented algorithm, and every signed component guarded by it."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from clawcheck.platforms.lazada.protocol import sign
from clawcheck.platforms.model import MockRequest

from .conftest import SG_HOST, Client, stock_payload


def test_sign_reproduces_the_documented_example() -> None:
    # open.lazada.com "HTTP request sample": GetOrder with App Secret "helloworld".
    params = {
        "app_key": "123456",
        "access_token": "test",
        "timestamp": "1517820392000",
        "sign_method": "sha256",
        "order_id": "1234",
    }
    expected = "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"
    assert sign("helloworld", "/order/get", params) == expected


def test_sign_ignores_the_sign_parameter_and_empty_values() -> None:
    params = {"b": "2", "a": "1"}
    base = sign("s", "/x", params)
    assert sign("s", "/x", {**params, "sign": "ANYTHING", "empty": ""}) == base
    assert base != sign("s", "/x", {**params, "c": "3"})


def test_a_correctly_signed_request_is_accepted_and_journaled_valid(client: Client) -> None:
    answer = client.orders()
    assert answer.status == 200
    assert answer.code == "0"
    entry = client.mock.journal.entries()[-1]
    assert entry.signature == "valid"
    assert [name for name, _ in entry.client_timestamps] == ["timestamp"]


@pytest.mark.parametrize("system_in_query", [False, True])
def test_form_body_parameters_are_signed_wherever_the_system_ones_travel(
    client: Client, system_in_query: bool
) -> None:
    # lazop-sdk POSTs every parameter as a form body; other clients keep the system ones in the query.
    payload = stock_payload(("13449296011", "3"))
    params = client.signed("/product/stock/sellable/update", {"payload": payload})
    body = {"payload": params.pop("payload")} if system_in_query else params
    request = MockRequest.build(
        "POST",
        "/rest/product/stock/sellable/update",
        host=SG_HOST,
        query_string=urlencode(params) if system_in_query else "",
        headers=[("content-type", "application/x-www-form-urlencoded; charset=UTF-8")],
        body=urlencode(body).encode(),
    )
    assert json.loads(client.mock.handle(request).body)["code"] == "0"
    assert client.mock.journal.entries()[-1].signature == "valid"


def test_a_form_body_without_its_content_type_is_not_read(client: Client) -> None:
    params = client.signed("/product/stock/sellable/update", {"payload": "<Request/>"})
    request = MockRequest.build(
        "POST", "/rest/product/stock/sellable/update", host=SG_HOST, body=urlencode(params).encode()
    )
    assert json.loads(client.mock.handle(request).body)["code"] == "MissingParameter"


def _tampered(params: dict[str, str], name: str) -> dict[str, str]:
    value = params[name]
    last = value[-1]
    params[name] = value[:-1] + ("1" if last != "1" else "2")
    return params


@pytest.mark.parametrize(
    "component", ["app_key", "timestamp", "sign_method", "access_token", "created_after", "sign"]
)
def test_changing_one_character_of_a_signed_component_is_refused(client: Client, component: str) -> None:
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
    answer = client.send("GET", SG_HOST, "/orders/get", _tampered(params, component))
    expected = {
        "app_key": "InvalidAppKey",
        "sign_method": "IncompleteSignature",
        "access_token": "IncompleteSignature",
    }.get(component, "IncompleteSignature")
    assert answer.status == 200
    assert answer.body["type"] == "ISV"
    assert answer.code == expected
    assert client.mock.journal.entries()[-1].signature == "invalid"


def test_a_different_api_path_breaks_the_signature(client: Client) -> None:
    params = client.signed("/order/items/get", {"order_id": "560694400001001"})
    answer = client.send("GET", SG_HOST, "/order/get", params)
    assert answer.code == "IncompleteSignature"
    assert answer.body["message"] == "The request signature does not conform to platform standards"


def test_a_lower_case_signature_is_refused(client: Client) -> None:
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
    params["sign"] = params["sign"].lower()
    assert client.send("GET", SG_HOST, "/orders/get", params).code == "IncompleteSignature"


def test_a_missing_signature_is_missing_parameter_and_journaled_missing(client: Client) -> None:
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
    del params["sign"]
    answer = client.send("GET", SG_HOST, "/orders/get", params)
    assert answer.code == "MissingParameter"
    assert "“sign”" in answer.body["message"]
    assert client.mock.journal.entries()[-1].signature == "missing"


@pytest.mark.parametrize("offset", [7300.0, -7300.0])
def test_a_timestamp_outside_7200_seconds_is_refused(client: Client, offset: float) -> None:
    client.clock.now += offset  # the client's clock is off; the mock's is not
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
    client.clock.now -= offset
    answer = client.send("GET", SG_HOST, "/orders/get", params)
    assert answer.code == "InvalidTimestamp"
    entry = client.mock.journal.entries()[-1]
    assert entry.signature == "valid"
    assert entry.client_timestamps[0][1] == pytest.approx(client.clock.now + offset, abs=1)


def test_a_timestamp_in_seconds_instead_of_milliseconds_is_refused(client: Client) -> None:
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
    params["timestamp"] = params["timestamp"][:-3]
    params["sign"] = sign(client.platform.state.app_secret, "/orders/get", params)
    assert client.send("GET", SG_HOST, "/orders/get", params).code == "InvalidTimestamp"


def test_a_signature_made_with_another_secret_is_refused(client: Client) -> None:
    params = client.signed("/orders/get", {"created_after": "2026-01-01T00:00:00+00:00"})
    params["sign"] = sign("not-the-app-secret", "/orders/get", params)
    assert client.send("GET", SG_HOST, "/orders/get", params).code == "IncompleteSignature"
