"""Orders and order notes: `WC_REST_Orders_Controller` and `WC_REST_Order_Notes_Controller` (wc/v3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clawcheck.platforms.model import Call, MockResponse, route
from clawcheck.platforms.woocommerce.rest import (
    API,
    COLLECTION_ARGS,
    WooBase,
    filter_dates,
    wp_error,
    wp_json,
)
from clawcheck.platforms.woocommerce.store import (
    ORDER_STATUSES,
    PAID_STATUSES,
    Note,
    Order,
    gmt_text,
    local_text,
)
from clawcheck.platforms.woocommerce.wp import Arg, absint, to_bool, wp_list

__all__ = ["OrdersApi"]

_META = Arg("array", items=Arg("object", properties={"id": Arg("integer"), "key": Arg("string")}))
_ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "state",
    "postcode",
    "country",
    "email",
    "phone",
)
_ADDRESS = Arg("object", properties={name: Arg("string") for name in _ADDRESS_FIELDS})

LIST_ARGS = {
    **COLLECTION_ARGS,
    "orderby": Arg("string", enum=("date", "id", "include", "title", "slug", "modified")),
    "status": Arg("array", items=Arg("string", enum=("any", "trash", *ORDER_STATUSES))),
    "customer": Arg("integer"),
    "product": Arg("integer"),
}
ITEM_ARGS = {"context": Arg("string", enum=("view", "edit"))}
UPDATE_ARGS = {
    "status": Arg("string", enum=ORDER_STATUSES),
    "customer_note": Arg("string"),
    "transaction_id": Arg("string"),
    "set_paid": Arg("boolean"),
    "customer_id": Arg("integer"),
    "payment_method": Arg("string"),
    "payment_method_title": Arg("string"),
    "billing": _ADDRESS,
    "shipping": _ADDRESS,
    "meta_data": _META,
}
NOTE_ARGS = {
    "note": Arg("string", required=True),
    "customer_note": Arg("boolean"),
    "added_by_user": Arg("boolean"),
}
NOTES_LIST_ARGS = {
    "context": Arg("string", enum=("view", "edit")),
    "type": Arg("string", enum=("any", "customer", "internal")),
}


class OrdersApi(WooBase):
    """The order routes of a WooCommerce store."""

    @route("GET", f"{API}/orders", name="list_orders")
    def list_orders(self, call: Call) -> MockResponse:
        params = self.params(call, LIST_ARGS)
        if isinstance(params, MockResponse):
            return params
        refused = self.refuse_anonymous(
            call, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."
        )
        if refused is not None:
            return refused
        found = self._select_orders(params)
        page, headers = self.paginate(call, found, params, "orders")
        base = self.base_url(call)
        return wp_json(200, [order.to_json(base) for order in page], headers)

    def _select_orders(self, params: Mapping[str, Any]) -> list[Order]:
        orders = list(self.store.orders.values())
        statuses = [str(s) for s in wp_list(params.get("status") or "any")] or ["any"]
        if "any" not in statuses:
            orders = [o for o in orders if o.status in statuses]
        else:
            orders = [o for o in orders if o.status not in ("trash", "checkout-draft")]
        if params.get("customer") is not None:
            orders = [o for o in orders if o.customer_id == absint(params["customer"])]
        if params.get("product") is not None:
            wanted = absint(params["product"])
            orders = [o for o in orders if any(i.product_id == wanted for i in o.line_items)]
        orders = self._include_exclude(orders, params)
        search = params.get("search")
        if isinstance(search, str) and search.strip():
            orders = [o for o in orders if _matches(o, search.strip().lower())]
        orders = filter_dates(orders, params, lambda o: o.created, lambda o: o.modified)
        return _sorted(orders, params)

    @staticmethod
    def _include_exclude(orders: list[Order], params: Mapping[str, Any]) -> list[Order]:
        include = [absint(v) for v in wp_list(params.get("include", ""))]
        exclude = {absint(v) for v in wp_list(params.get("exclude", ""))}
        if include:
            orders = [o for o in orders if o.id in include]
        return [o for o in orders if o.id not in exclude]

    @route("GET", f"{API}/orders/{{id}}", name="get_order")
    def get_order(self, call: Call) -> MockResponse:
        oid = self.object_id(call)
        if oid is None:
            return self.no_route()
        params = self.params(call, ITEM_ARGS)
        if isinstance(params, MockResponse):
            return params
        order = self.store.orders.get(oid)
        # The permission callback only refuses an order that exists: unknown ids are 404 for anyone.
        if order is not None:
            refused = self.refuse_anonymous(
                call, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."
            )
            if refused is not None:
                return refused
        if order is None:
            return wp_error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return wp_json(200, order.to_json(self.base_url(call)))

    # WordPress's EDITABLE is POST, PUT and PATCH: each updates.
    @route(("PUT", "POST", "PATCH"), f"{API}/orders/{{id}}", name="update_order")
    def update_order(self, call: Call) -> MockResponse:
        return self._update_order(call)

    def _update_order(self, call: Call) -> MockResponse:
        oid = self.object_id(call)
        if oid is None:
            return self.no_route()
        params = self.params(call, UPDATE_ARGS)
        if isinstance(params, MockResponse):
            return params
        order = self.store.orders.get(oid)
        if order is not None:
            refused = self.refuse_anonymous(
                call, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."
            )
            if refused is not None:
                return refused
        if order is None:
            # The CRUD controller's update path answers 400 here, not 404.
            return wp_error(400, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        self._apply_order(order, params, call.now())
        payload = order.to_json(self.base_url(call))
        call.notify("order.updated", order.to_json(self.home_url()))
        return wp_json(200, payload)

    def _apply_order(self, order: Order, params: Mapping[str, Any], now: float) -> None:
        for name in ("customer_note", "transaction_id", "payment_method", "payment_method_title"):
            if isinstance(params.get(name), str):
                setattr(order, name, params[name])
        if params.get("customer_id") is not None:
            order.customer_id = absint(params["customer_id"])
        for name in ("billing", "shipping"):
            if isinstance(params.get(name), dict):
                address: dict[str, str] = getattr(order, name)
                address.update(
                    {k: v for k, v in params[name].items() if k in _ADDRESS_FIELDS and isinstance(v, str)}
                )
        if params.get("meta_data") is not None:
            self.upsert_meta(order.meta, wp_list(params["meta_data"]))
        status = params.get("status")
        if isinstance(status, str) and status:
            _set_status(order, status, now)
        if params.get("set_paid") is not None and to_bool(params["set_paid"]) and order.paid is None:
            _set_status(
                order, "processing" if order.status in ("pending", "failed", "on-hold") else order.status, now
            )
            order.paid = now
        order.modified = now

    # -- notes ----------------------------------------------------------------------------

    @route("POST", f"{API}/orders/{{order_id}}/notes", name="create_order_note")
    def create_order_note(self, call: Call) -> MockResponse:
        oid = self.object_id(call, "order_id")
        if oid is None:
            return self.no_route()
        params = self.params(call, NOTE_ARGS)
        if isinstance(params, MockResponse):
            return params
        refused = self.refuse_anonymous(
            call, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."
        )
        if refused is not None:
            return refused
        order = self.store.orders.get(oid)
        if order is None:
            return wp_error(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
        caller = self.caller(call)
        by_user = to_bool(params.get("added_by_user", False))
        note = Note(
            self.store.new_note_id(),
            call.now(),
            str(params["note"]),
            to_bool(params.get("customer_note", False)),
            caller.login if by_user and caller else "system",
        )
        order.notes.append(note)
        location = f"{self.base_url(call)}{API}/orders/{oid}/notes/{note.id}"
        return wp_json(201, self._note_json(call, oid, note), {"Location": location})

    @route("GET", f"{API}/orders/{{order_id}}/notes", name="list_order_notes")
    def list_order_notes(self, call: Call) -> MockResponse:
        oid = self.object_id(call, "order_id")
        if oid is None:
            return self.no_route()
        params = self.params(call, NOTES_LIST_ARGS)
        if isinstance(params, MockResponse):
            return params
        order = self.store.orders.get(oid)
        if order is not None:
            refused = self.refuse_anonymous(
                call, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."
            )
            if refused is not None:
                return refused
        if order is None:
            return wp_error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid order ID.")
        kind = params.get("type") or "any"
        notes = [n for n in order.notes if kind == "any" or n.customer_note == (kind == "customer")]
        return wp_json(200, [self._note_json(call, oid, n) for n in reversed(notes)])

    def _note_json(self, call: Call, oid: int, note: Note) -> dict[str, Any]:
        base = f"{self.base_url(call)}{API}/orders/{oid}"
        return {
            "id": note.id,
            "author": note.author,
            "date_created": local_text(note.created),
            "date_created_gmt": gmt_text(note.created),
            "note": note.note,
            "customer_note": note.customer_note,
            "_links": {
                "self": [{"href": f"{base}/notes/{note.id}"}],
                "collection": [{"href": f"{base}/notes"}],
                "up": [{"href": base}],
            },
        }


def _set_status(order: Order, status: str, now: float) -> None:
    """`WC_Order::status_transition`: a paid status stamps date_paid, `completed` date_completed."""
    order.status = status
    if status in PAID_STATUSES and order.paid is None:
        order.paid = now
    if status == "completed" and order.completed is None:
        order.completed = now


def _matches(order: Order, needle: str) -> bool:
    haystack = [
        str(order.id),
        *order.billing.values(),
        *order.shipping.values(),
        *(i.name for i in order.line_items),
    ]
    return any(needle in text.lower() for text in haystack)


def _sorted(orders: list[Order], params: Mapping[str, Any]) -> list[Order]:
    orderby = params.get("orderby") or "date"
    descending = (params.get("order") or "desc") == "desc"
    if orderby == "include":
        wanted = [absint(v) for v in wp_list(params.get("include", ""))]
        return sorted(orders, key=lambda o: wanted.index(o.id) if o.id in wanted else len(wanted))
    keys = {
        "date": lambda o: (o.created, o.id),
        "modified": lambda o: (o.modified, o.id),
    }
    key = keys.get(str(orderby), lambda o: (o.id, o.id))
    return sorted(orders, key=key, reverse=descending)
