"""The official Python SDK (`WooCommerce` 3.0.0, `from woocommerce import API`), unmodified, against the mock.

Over real HTTP (MockServer on loopback): the SDK sees an `http://` URL and signs every request
with OAuth 1.0a, which the mock verifies. Over HTTPS (in-process, the requests transport
intercepted at the real host names): HTTP Basic, and the `query_string_auth=True` variant.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.platforms.woocommerce.conftest import STAGING
from woocommerce import API

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer
from clawcheck.platforms.testing import intercept_requests
from clawcheck.platforms.woocommerce import WooCommerce


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Mock, MockServer]]:
    mock = Mock(WooCommerce)
    with MockServer(mock) as server:
        yield mock, server


@pytest.fixture
def sdk(served: tuple[Mock, MockServer]) -> API:
    mock, server = served
    credentials = mock.credentials
    return API(
        url=server.base_url,
        consumer_key=credentials["WOOCOMMERCE_CONSUMER_KEY"],
        consumer_secret=credentials["WOOCOMMERCE_CONSUMER_SECRET"],
        version="wc/v3",
        timeout=10,
    )


def test_the_sdk_lists_every_page_of_orders(sdk: API, served: tuple[Mock, MockServer]) -> None:
    mock, _ = served
    seen: list[int] = []
    page, pages = 1, 1
    while page <= pages:
        response = sdk.get("orders", params={"per_page": 5, "page": page})
        assert response.status_code == 200, response.text
        pages = int(response.headers["X-WP-TotalPages"])
        seen += [order["id"] for order in response.json()]
        page += 1
    assert len(seen) == len(set(seen)) == int(response.headers["X-WP-Total"]) >= 12
    entry = mock.journal.entries()[-1]
    assert (entry.signature, entry.signature_detail) == ("valid", "HMAC-SHA256")


def test_the_sdk_reads_one_order(sdk: API) -> None:
    order = sdk.get("orders/1041").json()
    assert order["id"] == 1041
    assert order["date_created"] != order["date_created_gmt"]


def test_the_sdk_completes_an_order(sdk: API) -> None:
    meta = [{"key": "_tracking_number", "value": "JD0001042"}]
    response = sdk.put("orders/1042", {"status": "completed", "meta_data": meta})
    assert (response.status_code, response.json()["status"]) == (200, "completed")
    assert sdk.get("orders/1042").json()["status"] == "completed"
    note = sdk.post("orders/1042/notes", {"note": "Shipped, JD0001042", "customer_note": True})
    assert note.status_code == 201


def test_the_sdk_updates_stock_and_batches(sdk: API) -> None:
    product_id = sdk.get("products", params={"sku": "CC-JADE-NONE,CC-ROLLER-JADE"}).json()[0]["id"]
    assert sdk.put(f"products/{product_id}", {"stock_quantity": 77}).json()["stock_quantity"] == 77
    batch = sdk.post(
        "products/batch",
        {"update": [{"id": product_id, "stock_quantity": 78}, {"id": 33, "stock_quantity": 1}]},
    )
    assert [item["stock_quantity"] for item in batch.json()["update"]] == [78, 1]
    assert sdk.get(f"products/{product_id}").json()["stock_quantity"] == 78


def test_the_sdk_with_a_wrong_secret_gets_woocommerce_s_error(served: tuple[Mock, MockServer]) -> None:
    mock, server = served
    wrong = API(
        url=server.base_url, consumer_key=mock.credentials["WOOCOMMERCE_CONSUMER_KEY"], consumer_secret="cs_x"
    )
    response = wrong.get("orders")
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid signature - provided signature does not match."


@pytest.mark.parametrize("query_string_auth", [False, True])
def test_the_sdk_over_https_in_process(query_string_auth: bool) -> None:
    mock = Mock(WooCommerce)
    credentials = mock.credentials
    sdk = API(
        url=f"https://{STAGING}",
        consumer_key=credentials["WOOCOMMERCE_CONSUMER_KEY"],
        consumer_secret=credentials["WOOCOMMERCE_CONSUMER_SECRET"],
        version="wc/v3",
        query_string_auth=query_string_auth,
    )
    with intercept_requests(mock):
        listed = sdk.get("orders", params={"status": "processing"})
        updated = sdk.put("orders/1040", {"status": "completed"})
        stock = sdk.put("products/21", {"stock_quantity": 3})
    assert listed.status_code == 200
    assert all(o["status"] == "processing" for o in listed.json())
    assert (updated.json()["status"], stock.json()["stock_quantity"]) == ("completed", 3)
    # Over HTTPS nothing is signed: the journal has a valid key and no signature.
    assert {(e.token_state, e.signature) for e in mock.journal.entries()} == {("valid", None)}
