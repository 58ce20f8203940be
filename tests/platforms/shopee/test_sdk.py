"""pyshopee2 (PyPI `pyshopee` 1.4.0, the v2 client of JimCurryWang/python-shopee), unmodified,
against the mock over real HTTP.

It is pointed at the mock through its public `host` attribute (set from `BASE_TEST_URL` in
`__init__`); nothing else is changed. Its `test_env=True` default host is the legacy sandbox
host `partner.test-stable.shopeemobile.com`, which the mock serves as sandbox. pyshopee2 imports
selenium at import time (for its browser-driven `get_code`), so both must be installed; without
them these tests skip.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.shopee import Shopee
from clawcheck.platforms.testing import in_process

pyshopee2 = pytest.importorskip("pyshopee2", reason="pyshopee (and selenium, which it imports) not installed")

LEGACY_SANDBOX = "partner.test-stable.shopeemobile.com"


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Mock, MockServer]]:
    # pyshopee2 does not pace itself; its callers must. Pacing is not what these tests are about.
    mock = Mock(Shopee, enforce_rate_limits=False)
    with MockServer(mock) as server:
        yield mock, server


def sdk_client(mock: Mock, base_url: str | None = None) -> Any:
    platform = mock.platform
    shop_id = int(mock.credentials["SHOPEE_SHOP_ID"])
    access, refresh = platform.state.current[shop_id]
    client = pyshopee2.Client(
        shop_id,
        platform.partner.partner_id,
        platform.partner.key,
        "https://seller.example/callback",
        test_env=True,
        access_token=access,
        refresh_token=refresh,
    )
    if base_url:
        client.host = base_url  # the SDK's public base-URL attribute
    return client


@pytest.fixture
def sdk(served: tuple[Mock, MockServer]) -> Any:
    mock, server = served
    return sdk_client(mock, server.url_for(LEGACY_SANDBOX))


def list_all(sdk: Any, **extra: Any) -> list[dict[str, Any]]:
    now = int(time.time())
    window = {
        "time_range_field": "create_time",
        "time_from": now - 14 * 86400,
        "time_to": now,
        "page_size": 2,
    }
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = sdk.order.get_order_list(**window, cursor=cursor, **extra)
        assert page["error"] == "", page
        found += page["response"]["order_list"]
        if not page["response"]["more"]:
            return found
        cursor = page["response"]["next_cursor"]


def test_list_and_read_orders(sdk: Any, served: tuple[Mock, MockServer]) -> None:
    orders = list_all(sdk, response_optional_fields="order_status")
    mock, _ = served
    shop_id = int(mock.credentials["SHOPEE_SHOP_ID"])
    assert {o["order_sn"] for o in orders} == {o.order_sn for o in mock.platform.state.shop_orders(shop_id)}
    detail = sdk.order.get_order_detail(
        order_sn_list=orders[0]["order_sn"], response_optional_fields="item_list"
    )
    assert detail["response"]["order_list"][0]["item_list"]
    entries = mock.journal.entries()
    assert {(e.host, e.environment, e.signature, e.token_state) for e in entries} == {
        (LEGACY_SANDBOX, "sandbox", "valid", "valid")
    }


def test_update_and_read_stock(sdk: Any) -> None:
    stock_list = [{"model_id": 0, "seller_stock": [{"stock": 321}]}]
    result = sdk.product.update_stock(item_id=800123456, stock_list=stock_list)
    assert result["response"]["failure_list"] == []
    item = sdk.product.get_item_base_info(item_id_list="800123456")["response"]["item_list"][0]
    assert item["stock_info_v2"]["seller_stock"][0]["stock"] == 321


def test_ship_an_order_and_see_it_processed(sdk: Any) -> None:
    ready = [o["order_sn"] for o in list_all(sdk, order_status="READY_TO_SHIP")]
    sn = ready[0]
    info = sdk.logistics.get_shipping_parameter(order_sn=sn)["response"]
    address = info["pickup"]["address_list"][0]
    pickup = {
        "address_id": address["address_id"],
        "pickup_time_id": address["time_slot_list"][0]["pickup_time_id"],
    }
    shipped = sdk.logistics.ship_order(order_sn=sn, pickup=pickup)
    assert shipped["error"] == ""
    assert sdk.logistics.get_tracking_number(order_sn=sn)["response"]["tracking_number"]
    statuses = {
        o["order_sn"]: o["order_status"] for o in list_all(sdk, response_optional_fields="order_status")
    }
    assert statuses[sn] == "PROCESSED"


def test_refresh_rotates_the_pair(sdk: Any, served: tuple[Mock, MockServer]) -> None:
    old_refresh = sdk.refresh_token
    access, lifetime, refresh = sdk.get_access_token(
        sdk.shop_id, sdk.partner_id, sdk.partner_key, old_refresh
    )
    assert (lifetime, len(access)) == (14400, 32)
    assert refresh != old_refresh
    assert list_all(sdk)  # with the new access token
    mock, _ = served
    assert mock.journal.entries()[-1].token_state == "valid"


def test_the_sdk_does_not_encode_cursors(capsys: pytest.CaptureFixture[str]) -> None:
    """A finding, not a mock limit: pyshopee2 puts query values into the URL unencoded, so a
    cursor with `+` (pagination-edges) arrives as a different string and Shopee refuses it."""
    with in_process("shopee", scenarios=["pagination-edges"]) as mock:
        sdk = sdk_client(mock)  # its own default host, answered in-process by the mock
        with pytest.raises(AssertionError, match="'error': 400"):  # pyshopee2 drops non-2xx bodies
            list_all(sdk)
    assert "bad_cursor" in mock.journal.entries()[-1].notes
    capsys.readouterr()  # pyshopee2 prints every URL it calls
