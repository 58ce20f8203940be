"""Single-item inventory: read, update, and Walmart's refusals."""

from __future__ import annotations

from typing import Any

import pytest
from tests.platforms.walmart.support import Api, body, error

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.walmart.state import SELLERS

INVENTORY = "/v3/inventory"
SKU = "EO-TENT-2P"


def put(api: Api, amount: Any, *, sku: str = SKU, unit: str = "EACH") -> Any:
    return api.call(
        "PUT",
        INVENTORY,
        query=f"sku={SKU}",
        json_body={"sku": sku, "quantity": {"unit": unit, "amount": amount}},
    )


def test_an_update_is_visible_on_read(api: Api) -> None:
    assert body(api.call("GET", INVENTORY, query=f"sku={SKU}")) == {
        "sku": SKU,
        "quantity": {"unit": "EACH", "amount": 25},
    }
    response = put(api, 3)
    assert response.status == 200
    assert body(response)["quantity"]["amount"] == 3
    assert body(api.call("GET", INVENTORY, query=f"sku={SKU}"))["quantity"]["amount"] == 3
    assert response.header("x-current-token-count") == "199"


def test_an_amount_as_digits_is_accepted(api: Api) -> None:
    assert body(put(api, "12"))["quantity"]["amount"] == 12


def test_another_sellers_sku_is_not_found(mock: Mock) -> None:
    other = Api(mock)
    app = other.platform.seller_app("sandbox", SELLERS[1].partner_id)
    other.login(app.client_id, app.client_secret)
    response = other.call("GET", INVENTORY, query=f"sku={SKU}")
    assert response.status == 404
    assert error(response)["code"] == "CONTENT_NOT_FOUND.GMP_INVENTORY_API"


def test_missing_sku_is_400(api: Api) -> None:
    response = api.call("GET", INVENTORY)
    assert response.status == 400
    assert error(response)["code"] == "MISSING_REQUEST_PARAM.GMP_INVENTORY_API"
    assert error(response)["field"] == "sku"


def test_unknown_sku_is_404(api: Api) -> None:
    assert api.call("GET", INVENTORY, query="sku=NOPE").status == 404
    assert api.call("PUT", INVENTORY, query="sku=NOPE", json_body={}).status == 404


@pytest.mark.parametrize("amount", [-1, 2**31, 10**30, "abc", "１２", True, 1.5, None, [1]])
def test_bad_amounts_are_400(api: Api, amount: Any) -> None:
    response = put(api, amount)
    assert response.status == 400
    assert error(response)["code"] == "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API"
    assert body(api.call("GET", INVENTORY, query=f"sku={SKU}"))["quantity"]["amount"] == 25


def test_body_sku_must_match_the_query(api: Api) -> None:
    response = put(api, 5, sku="EO-BOTTLE-32")
    assert response.status == 400
    assert error(response)["field"] == "sku"


def test_unit_must_be_each(api: Api) -> None:
    assert error(put(api, 5, unit="CASE"))["field"] == "quantity.unit"


@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe", b"[]", b'"text"', b"null"])
def test_malformed_bodies_are_400(api: Api, raw: bytes) -> None:
    response = api.call(
        "PUT", INVENTORY, query=f"sku={SKU}", raw=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert error(response)["code"] in {
        "MALFORMED_REQUEST_CONTENT.GMP_INVENTORY_API",
        "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API",
    }
