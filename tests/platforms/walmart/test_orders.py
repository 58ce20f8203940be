"""Orders: listing with Walmart's nextCursor, filters, one order, acknowledge, ship, notifications."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote

import pytest
from tests.platforms.walmart.support import Api, Clock, body, error, make_mock

from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest
from clawcheck.platforms.walmart.state import SELLERS

ORDERS = "/v3/orders"


def orders_of(response: Any) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = body(response)["list"]["elements"]["order"]
    return orders


def ids(response: Any) -> list[str]:
    return [o["purchaseOrderId"] for o in orders_of(response)]


def walk(api: Api, query: str, path: str = ORDERS) -> list[str]:
    """Every purchase order id, following nextCursor verbatim as Walmart asks."""
    response = api.call("GET", path, query=query)
    found = ids(response)
    while cursor := body(response)["list"]["meta"].get("nextCursor"):
        assert cursor.startswith("?")
        response = api.call("GET", path, query=cursor[1:])
        assert response.status == 200, response.body
        found += ids(response)
    return found


def statuses(order: dict[str, Any]) -> list[str]:
    return [
        status["status"]
        for line in order["orderLines"]["orderLine"]
        for status in line["orderLineStatuses"]["orderLineStatus"]
    ]


def open_order(api: Api, status: str = "Created") -> dict[str, Any]:
    return next(o for o in orders_of(api.call("GET", ORDERS)) if set(statuses(o)) == {status})


def shipment(
    lines: list[tuple[str, int]], *, ship_ms: Any = None, number: str = "1Z999", mode: str = ""
) -> Any:
    shipped = [
        {
            "lineNumber": line,
            "orderLineStatuses": {
                "orderLineStatus": [
                    {
                        "status": "Shipped",
                        "statusQuantity": {"unitOfMeasurement": "EACH", "amount": str(units)},
                        "trackingInfo": {
                            "shipDateTime": ship_ms if ship_ms is not None else 1_700_000_000_000,
                            "carrierName": {"carrier": "UPS"},
                            "methodCode": "Standard",
                            "trackingNumber": number,
                        },
                    }
                ]
            },
        }
        for line, units in lines
    ]
    body_: dict[str, Any] = {"orderShipment": {"orderLines": {"orderLine": shipped}}}
    if mode:
        body_["orderShipment"]["processMode"] = mode
    return body_


class TestListing:
    def test_lists_the_sellers_orders_newest_first(self, api: Api) -> None:
        response = api.call("GET", ORDERS)
        assert response.status == 200
        data = body(response)["list"]
        assert data["meta"] == {"totalCount": 7, "limit": 100}
        dates = [o["orderDate"] for o in data["elements"]["order"]]
        assert dates == sorted(dates, reverse=True)
        assert response.header("x-current-token-count") == "4999"
        assert int(response.header("x-next-replenishment-time") or 0) > 0

    def test_sellers_see_only_their_own_orders(self, mock: Mock) -> None:
        counts = []
        for seller in SELLERS:
            app = Api(mock)
            platform_app = app.platform.seller_app("sandbox", seller.partner_id)
            app.login(platform_app.client_id, platform_app.client_secret)
            counts.append(body(app.call("GET", ORDERS))["list"]["meta"]["totalCount"])
        assert counts == [7, 3, 2]

    def test_next_cursor_walks_every_page_once(self, api: Api, mock: Mock) -> None:
        everything = ids(api.call("GET", ORDERS))
        assert walk(api, "limit=2") == everything
        assert sum("cursor" in e.notes for e in mock.journal.entries()) == 3

    def test_next_cursor_has_walmarts_shape(self, api: Api) -> None:
        meta = body(api.call("GET", ORDERS, query="limit=3"))["list"]["meta"]
        fields = parse_qs(meta["nextCursor"][1:])
        assert fields["hasMoreElements"] == ["true"]
        assert fields["soIndex"] == ["7"]
        assert fields["poIndex"] == ["3"]
        assert fields["partnerId"] == [SELLERS[0].partner_id]
        assert fields["createdEndDate"][0].endswith("Z")

    def test_filters_travel_in_the_cursor(self, api: Api) -> None:
        assert len(walk(api, "limit=1&status=Created")) == 3

    def test_next_cursor_sent_as_a_parameter_is_ignored(self, api: Api, mock: Mock) -> None:
        first = api.call("GET", ORDERS, query="limit=2")
        cursor = body(first)["list"]["meta"]["nextCursor"]
        again = api.call("GET", ORDERS, query="limit=2&nextCursor=" + quote(cursor, safe=""))
        assert ids(again) == ids(first)  # Walmart's silent first page
        assert "bad_cursor" in mock.journal.entries()[-1].notes

    def test_a_cursor_this_mock_never_issued_is_400(self, api: Api, mock: Mock) -> None:
        response = api.call("GET", ORDERS, query="limit=2&cursor=bm9wZQ")
        assert response.status == 400
        assert error(response)["code"] == "INVALID_REQUEST_PARAM.GMP_ORDER_API"
        assert "bad_cursor" in mock.journal.entries()[-1].notes

    def test_another_sellers_cursor_is_refused(self, api: Api, mock: Mock) -> None:
        cursor = body(api.call("GET", ORDERS, query="limit=2"))["list"]["meta"]["nextCursor"]
        other = Api(mock)
        app = other.platform.seller_app("sandbox", SELLERS[1].partner_id)
        other.login(app.client_id, app.client_secret)
        response = other.call("GET", ORDERS, query=cursor[1:])
        assert response.status == 400
        assert error(response)["field"] == "partnerId"

    def test_no_match_is_404_content_not_found(self, api: Api) -> None:
        start, end = (datetime.now(UTC) - timedelta(days=days) for days in (6, 5))
        window = f"createdStartDate={start:%Y-%m-%d}&createdEndDate={end:%Y-%m-%d}"
        response = api.call("GET", ORDERS, query=window)
        assert response.status == 404
        assert body(response) == {
            "errors": {
                "error": [
                    {
                        "code": "CONTENT_NOT_FOUND.GMP_ORDER_API",
                        "description": "Failed when called getAllOrders. Orders not found for given search "
                        "parameters",
                        "info": "Requested content could not be found.",
                        "severity": "INFO",
                        "category": "APPLICATION",
                        "causes": [],
                        "errorIdentifiers": {},
                    }
                ]
            }
        }

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("limit=201", "limit"),
            ("limit=0", "limit"),
            ("limit=abc", "limit"),
            ("limit=%C2%B2", "limit"),
            ("status=Open", "status"),
            ("createdStartDate=yesterday", "createdStartDate"),
            ("createdStartDate=99999-01-01", "createdStartDate"),
            ("productInfo=yes", "productInfo"),
            ("shipNodeType=Moon", "shipNodeType"),
        ],
    )
    def test_bad_parameters_are_400(self, api: Api, query: str, field: str) -> None:
        response = api.call("GET", ORDERS, query=query)
        assert response.status == 400
        assert error(response)["code"] == "INVALID_REQUEST_PARAM.GMP_ORDER_API"
        assert error(response)["field"] == field

    def test_dates_with_an_offset_are_read_as_instants(self, api: Api) -> None:
        start = (datetime.now(UTC) - timedelta(hours=10)).astimezone(UTC)
        utc = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        shifted = start.astimezone(UTC).replace(tzinfo=None).isoformat() + "+00:00"
        assert ids(api.call("GET", ORDERS, query=f"createdStartDate={utc}")) == ids(
            api.call("GET", ORDERS, query=f"createdStartDate={quote(shifted)}")
        )
        assert len(ids(api.call("GET", ORDERS, query=f"createdStartDate={utc}"))) == 2

    def test_sku_and_status_filters(self, api: Api) -> None:
        assert len(ids(api.call("GET", ORDERS, query="status=Shipped"))) == 1
        assert len(ids(api.call("GET", ORDERS, query="sku=EO-TENT-2P"))) == 2
        assert api.call("GET", ORDERS, query="shipNodeType=WFSFulfilled").status == 404

    def test_released_orders_are_those_with_created_lines(self, api: Api) -> None:
        released = walk(api, "limit=2", "/v3/orders/released")
        assert len(released) == 3
        assert api.call("GET", "/v3/orders/released", query="status=Created").status == 400

    def test_product_info_adds_image_and_weight(self, api: Api) -> None:
        item = orders_of(api.call("GET", ORDERS, query="productInfo=true"))[0]["orderLines"]["orderLine"][0][
            "item"
        ]
        assert {"imageUrl", "weight"} <= set(item)


class TestOneOrder:
    def test_reads_an_order(self, api: Api) -> None:
        first = orders_of(api.call("GET", ORDERS))[0]
        response = api.call("GET", f"{ORDERS}/{first['purchaseOrderId']}")
        assert response.status == 200
        assert body(response)["order"] == first

    def test_unknown_or_foreign_order_is_404(self, api: Api, mock: Mock) -> None:
        foreign = next(o for o in api.platform.state.orders.values() if o.partner_id != SELLERS[0].partner_id)
        for po_id in ("1234567890123", foreign.purchase_order_id):
            response = api.call("GET", f"{ORDERS}/{po_id}")
            assert response.status == 404
            assert error(response)["code"] == "CONTENT_NOT_FOUND.GMP_ORDER_API"


class TestAcknowledgeAndShip:
    def test_acknowledge_moves_created_lines(self, api: Api) -> None:
        order = open_order(api)
        response = api.call("POST", f"{ORDERS}/{order['purchaseOrderId']}/acknowledge")
        assert response.status == 200
        assert set(statuses(body(response)["order"])) == {"Acknowledged"}
        assert order["purchaseOrderId"] not in walk(api, "", "/v3/orders/released")
        again = api.call("POST", f"{ORDERS}/{order['purchaseOrderId']}/acknowledge")
        assert again.status == 200  # re-acknowledging is allowed

    def test_shipped_or_cancelled_orders_cannot_be_acknowledged(self, api: Api) -> None:
        for status in ("Shipped", "Cancelled"):
            order = open_order(api, status)
            response = api.call("POST", f"{ORDERS}/{order['purchaseOrderId']}/acknowledge")
            assert response.status == 400
            assert error(response)["code"] == "INVALID_REQUEST_CONTENT.GMP_ORDER_API"

    def test_shipping_shows_in_the_next_listing(self, api: Api) -> None:
        order = open_order(api)
        po_id = order["purchaseOrderId"]
        lines = [
            (line["lineNumber"], int(line["orderLineQuantity"]["amount"]))
            for line in order["orderLines"]["orderLine"]
        ]
        response = api.call("POST", f"{ORDERS}/{po_id}/shipping", json_body=shipment(lines))
        assert response.status == 200, response.body
        listed = next(o for o in orders_of(api.call("GET", ORDERS)) if o["purchaseOrderId"] == po_id)
        assert set(statuses(listed)) == {"Shipped"}
        tracking = listed["orderLines"]["orderLine"][0]["orderLineStatuses"]["orderLineStatus"][0][
            "trackingInfo"
        ]
        assert tracking["trackingNumber"] == "1Z999"
        assert tracking["carrierName"]["carrier"] == "UPS"
        assert po_id in ids(api.call("GET", ORDERS, query="status=Shipped"))

    def test_shipping_twice_needs_partial_update(self, api: Api) -> None:
        po_id = open_order(api, "Acknowledged")["purchaseOrderId"]
        line = api.platform.state.orders[po_id].lines[0]
        units = line.quantity
        assert (
            api.call("POST", f"{ORDERS}/{po_id}/shipping", json_body=shipment([("1", units)])).status == 200
        )
        refused = api.call("POST", f"{ORDERS}/{po_id}/shipping", json_body=shipment([("1", units)]))
        assert refused.status == 400
        assert error(refused)["field"] == "statusQuantity.amount"
        update = shipment([("1", units)], number="NEW-123", mode="PARTIAL_UPDATE")
        assert api.call("POST", f"{ORDERS}/{po_id}/shipping", json_body=update).status == 200
        tracking = line.statuses[-1].tracking
        assert tracking is not None
        assert tracking.number == "NEW-123"

    def test_partial_quantity_splits_the_line(self, api: Api) -> None:
        order = next(o for o in api.platform.state.orders.values() if o.lines[0].quantity == 3)
        response = api.call(
            "POST", f"{ORDERS}/{order.purchase_order_id}/shipping", json_body=shipment([("1", 1)])
        )
        assert response.status == 200
        entries = body(response)["order"]["orderLines"]["orderLine"][0]["orderLineStatuses"][
            "orderLineStatus"
        ]
        assert [(e["status"], e["statusQuantity"]["amount"]) for e in entries] == [
            ("Acknowledged", "2"),
            ("Shipped", "1"),
        ]

    def test_a_bad_line_refuses_the_whole_shipment(self, api: Api) -> None:
        order = next(
            o for o in api.platform.state.orders.values() if len(o.lines) == 2 and o.has_status("Created")
        )
        before = order.to_json()
        response = api.call(
            "POST", f"{ORDERS}/{order.purchase_order_id}/shipping", json_body=shipment([("1", 1), ("9", 1)])
        )
        assert response.status == 400
        assert error(response)["field"] == "lineNumber"
        assert order.to_json() == before

    def test_cancelled_lines_cannot_ship(self, api: Api) -> None:
        po_id = open_order(api, "Cancelled")["purchaseOrderId"]
        assert api.call("POST", f"{ORDERS}/{po_id}/shipping", json_body=shipment([("1", 1)])).status == 400

    def test_iso_ship_time_is_accepted_and_journaled(self, api: Api, mock: Mock) -> None:
        po_id = open_order(api)["purchaseOrderId"]
        local = "2026-03-01T10:00:00+08:00"
        response = api.call(
            "POST", f"{ORDERS}/{po_id}/shipping", json_body=shipment([("1", 1)], ship_ms=local)
        )
        assert response.status == 200
        assert any(value == local for _, value in mock.journal.entries()[-1].datetimes)

    def test_a_ship_time_in_the_future_is_recorded_as_a_client_timestamp(self, api: Api, mock: Mock) -> None:
        po_id = open_order(api)["purchaseOrderId"]
        ahead = int((datetime.now(UTC) + timedelta(hours=8)).timestamp() * 1000)
        api.call("POST", f"{ORDERS}/{po_id}/shipping", json_body=shipment([("1", 1)], ship_ms=ahead))
        assert mock.journal.entries()[-1].client_timestamps == [("shipDateTime", ahead / 1000)]


class TestNotifications:
    def test_a_new_order_is_listed_and_notified_with_an_hmac(self, clock: Clock) -> None:
        mock = make_mock(clock=clock)
        api = Api(mock)
        api.login()
        created = body(mock.handle(MockRequest.build("POST", "/_clawcheck/orders", host=api.host)))
        assert ids(api.call("GET", ORDERS))[0] == created["purchaseOrderId"]
        delivery = mock.deliveries[-1]
        assert delivery.topic == "PO_CREATED"
        secret = mock.credentials["WALMART_WEBHOOK_SECRET"].encode()
        expected = base64.b64encode(hmac.new(secret, delivery.body, hashlib.sha256).digest()).decode()
        assert delivery.headers is not None
        assert delivery.headers["X-Walmart-Signature"] == expected
        payload = json.loads(delivery.body)
        assert payload["source"]["eventType"] == "PO_CREATED"
        assert payload["payload"]["purchaseOrderId"] == created["purchaseOrderId"]
        assert payload["source"]["eventTime"].endswith("Z")

    def test_a_rotated_secret_signs_with_the_new_secret(self, clock: Clock) -> None:
        mock = make_mock(scenarios=["webhook-secret-rotated"], clock=clock)
        mock.handle(MockRequest.build("POST", "/_clawcheck/orders", host="sandbox.walmartapis.com"))
        delivery = mock.deliveries[-1]
        secret = mock.adapter_env()["CLAWCHECK_WEBHOOK_SECRET_NEW"].encode()
        expected = base64.b64encode(hmac.new(secret, delivery.body, hashlib.sha256).digest()).decode()
        assert delivery.secret == "rotated"
        assert delivery.headers is not None
        assert delivery.headers["X-Walmart-Signature"] == expected

    def test_an_unknown_seller_cannot_get_an_order(self, mock: Mock) -> None:
        response = mock.handle(
            MockRequest.build(
                "POST", "/_clawcheck/orders", host="sandbox.walmartapis.com", query_string="shop=x"
            )
        )
        assert response.status == 404
