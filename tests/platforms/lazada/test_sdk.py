"""The official Python SDK (`lazop-sdk` on PyPI, module `lazop_sdk`), unmodified, against the mock.

`LazopClient(server_url, app_key, app_secret)` takes the gateway URL as its first argument, so
the SDK is pointed at the mock's loopback listener (`<listener>/rest`) through its public API
and talks real HTTP (it is built on `requests`). Nothing leaves the machine.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from clawcheck.platforms import build_mock
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer

from .conftest import SG, stock_payload


@pytest.fixture(scope="module")
def lazop(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The SDK, imported with HOME in a temporary directory: on import it creates ~/logs and a log file."""
    if "lazop_sdk" in sys.modules:
        return sys.modules["lazop_sdk"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        return pytest.importorskip("lazop_sdk")


@pytest.fixture
def served() -> Iterator[tuple[Mock, MockServer]]:
    mock = build_mock("lazada")
    with MockServer(mock) as server:
        yield mock, server


def _client(lazop: ModuleType, mock: Mock, server: MockServer, host: str = "api.lazada.sg") -> Any:
    return lazop.LazopClient(
        server.url_for(host) + "/rest",
        mock.credentials["LAZADA_APP_KEY"],
        mock.credentials["LAZADA_APP_SECRET"],
    )


def _execute(
    lazop: ModuleType, client: Any, api: str, params: dict[str, str], token: str | None, method: str = "POST"
) -> dict[str, Any]:
    request = lazop.LazopRequest(api, method)
    for key, value in params.items():
        request.add_api_param(key, value)
    response = client.execute(request, token)
    assert response.code == "0", f"{response.code}: {response.message}"
    body: dict[str, Any] = response.body
    return body


def test_the_sdk_lists_orders_through_every_page_and_reads_one(
    lazop: ModuleType, served: tuple[Mock, MockServer]
) -> None:
    mock, server = served
    client, token = _client(lazop, mock, server), mock.credentials["LAZADA_ACCESS_TOKEN"]
    seen: list[int] = []
    while True:
        params = {"created_after": "2026-01-01T00:00:00+00:00", "offset": str(len(seen)), "limit": "3"}
        data = _execute(lazop, client, "/orders/get", params, token, "GET")["data"]
        seen += [o["order_id"] for o in data["orders"]]
        if len(seen) >= data["countTotal"]:
            break
    assert len(set(seen)) == 7
    order = _execute(lazop, client, "/order/get", {"order_id": str(seen[0])}, token, "GET")["data"]
    assert order["order_id"] == seen[0]
    assert {e.signature for e in mock.journal.entries()} == {"valid"}


def test_the_sdk_updates_stock_with_an_xml_payload(
    lazop: ModuleType, served: tuple[Mock, MockServer]
) -> None:
    mock, server = served
    client, token = _client(lazop, mock, server), mock.credentials["LAZADA_ACCESS_TOKEN"]
    _execute(
        lazop,
        client,
        "/product/stock/sellable/update",
        {"payload": stock_payload(("13449296012", "55"))},
        token,
    )
    product = _execute(lazop, client, "/product/item/get", {"item_id": "2807246101"}, token, "GET")["data"]
    assert next(s["quantity"] for s in product["skus"] if s["SkuId"] == 13449296012) == 55


def test_the_sdk_packs_and_marks_ready_to_ship(lazop: ModuleType, served: tuple[Mock, MockServer]) -> None:
    mock, server = served
    client, token = _client(lazop, mock, server), mock.credentials["LAZADA_ACCESS_TOKEN"]
    orders = _execute(
        lazop,
        client,
        "/orders/get",
        {"created_after": "2026-01-01T00:00:00+00:00", "status": "pending"},
        token,
        "GET",
    )
    order_id = orders["data"]["orders"][0]["order_id"]
    items = _execute(lazop, client, "/order/items/get", {"order_id": str(order_id)}, token, "GET")["data"]
    pack = {
        "pack_order_list": [{"order_id": order_id, "order_item_list": [i["order_item_id"] for i in items]}],
        "delivery_type": "dropship",
        "shipping_allocate_type": "TFS",
    }
    packed = _execute(lazop, client, "/order/fulfill/pack", {"packReq": json.dumps(pack)}, token)["result"]
    package_id = packed["data"]["pack_order_list"][0]["order_item_list"][0]["package_id"]
    rts = {"readyToShipReq": json.dumps({"packages": [{"package_id": package_id}]})}
    assert (
        _execute(lazop, client, "/order/package/rts", rts, token)["result"]["data"]["packages"][0][
            "item_err_code"
        ]
        == "0"
    )
    order = _execute(lazop, client, "/order/get", {"order_id": str(order_id)}, token, "GET")["data"]
    assert order["statuses"] == ["ready_to_ship"]


def test_the_sdk_refreshes_a_token_on_the_auth_host(
    lazop: ModuleType, served: tuple[Mock, MockServer]
) -> None:
    mock, server = served
    client = _client(lazop, mock, server, "auth.lazada.com")
    body = _execute(
        lazop,
        client,
        "/auth/token/refresh",
        {"refresh_token": mock.credentials["LAZADA_REFRESH_TOKEN"]},
        None,
    )
    assert body["country_user_info"][0]["seller_id"] == SG
    api = _client(lazop, mock, server)
    assert _execute(
        lazop, api, "/order/items/get", {"order_id": "560694400001001"}, body["access_token"], "GET"
    )["data"]
