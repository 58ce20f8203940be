"""Every body the mock answers on the happy path matches specs/platforms/lazada.yaml.

The schema-driven contract test mostly reaches the error paths (random dates and ids are
refused); this walks the success paths with real data and validates each body against the
200 schema of its operation.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT7

from .conftest import AUTH, Client, stock_payload

SPEC = Path(__file__).parents[3] / "specs" / "platforms" / "lazada.yaml"


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable` as JSON Schema's type union, everywhere."""
    if isinstance(node, dict):
        converted = {k: _json_schema(v) for k, v in node.items()}
        if converted.pop("nullable", False) and "type" in converted:
            converted["type"] = [converted["type"], "null"]
        return converted
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    return node


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def _validate(spec: dict[str, Any], path: str, method: str, body: dict[str, Any]) -> None:
    document = _json_schema(copy.deepcopy(spec))
    registry = Registry().with_resource("urn:lazada", DRAFT7.create_resource(document))
    response = document["paths"][path][method]["responses"]["200"]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = {
        **response["content"]["application/json"]["schema"],
        "$schema": "http://json-schema.org/draft-07/schema#",
    }
    schema = json.loads(json.dumps(schema).replace('"#/components', '"urn:lazada#/components'))
    validator = jsonschema.Draft7Validator(schema, registry=registry)
    errors = [e.message for e in validator.iter_errors(body)]
    assert not errors, errors[:3]


def test_success_bodies_match_the_spec(client: Client, spec: dict[str, Any]) -> None:
    orders = client.orders(limit="3")
    _validate(spec, "/rest/orders/get", "get", orders.body)
    order_id = str(orders.data["orders"][0]["order_id"])
    _validate(spec, "/rest/order/get", "get", client.get("/order/get", order_id=order_id).body)
    items = client.get("/order/items/get", order_id=order_id)
    _validate(spec, "/rest/order/items/get", "get", items.body)
    pack = {
        "pack_order_list": [
            {"order_id": int(order_id), "order_item_list": [i["order_item_id"] for i in items.data]}
        ],
        "delivery_type": "dropship",
        "shipping_allocate_type": "TFS",
    }
    packed = client.post("/order/fulfill/pack", packReq=json.dumps(pack))
    _validate(spec, "/rest/order/fulfill/pack", "post", packed.body)
    package_id = packed.body["result"]["data"]["pack_order_list"][0]["order_item_list"][0]["package_id"]
    rts = client.post(
        "/order/package/rts", readyToShipReq=json.dumps({"packages": [{"package_id": package_id}]})
    )
    _validate(spec, "/rest/order/package/rts", "post", rts.body)
    _validate(
        spec, "/rest/product/item/get", "get", client.get("/product/item/get", item_id="2807246101").body
    )
    update = client.post("/product/stock/sellable/update", payload=stock_payload(("13449296011", "3")))
    _validate(spec, "/rest/product/stock/sellable/update", "post", update.body)
    refresh = client.auth(
        "/auth/token/refresh", refresh_token=client.platform.state.sellers["1000200101"].refresh_token
    )
    _validate(spec, "/rest/auth/token/refresh", "post", refresh.body)
    code = client.platform.new_auth_code("1000200202")
    _validate(
        spec,
        "/rest/auth/token/create",
        "post",
        client.send(
            "POST",
            AUTH,
            "/auth/token/create",
            client.signed("/auth/token/create", {"code": code}, token=None),
            as_form=True,
        ).body,
    )


def test_error_bodies_match_the_spec(client: Client, spec: dict[str, Any]) -> None:
    failures = [
        client.orders(limit="0").body,
        client.post("/product/stock/sellable/update", payload=stock_payload(("1", "-1"))).body,
        client.post("/order/fulfill/pack", packReq="{}").body,
    ]
    _validate(spec, "/rest/orders/get", "get", failures[0])
    _validate(spec, "/rest/product/stock/sellable/update", "post", failures[1])
    _validate(spec, "/rest/order/fulfill/pack", "post", failures[2])


def test_the_validation_above_does_reject_a_wrong_body(spec: dict[str, Any]) -> None:
    with pytest.raises(AssertionError):
        _validate(spec, "/rest/orders/get", "get", {"code": "0", "request_id": "x", "data": {"count": "1"}})
    error_claiming_success = {"code": "0", "type": "ISV", "message": "m", "request_id": "x"}
    with pytest.raises(AssertionError):
        _validate(spec, "/rest/orders/get", "get", error_claiming_success)
