"""Products and their stock: `WC_REST_Products_Controller` (wc/v3), with the batch endpoint."""

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
from clawcheck.platforms.woocommerce.store import Product
from clawcheck.platforms.woocommerce.wp import INT_MAX, Arg, absint, to_bool, validate_args, wp_list

__all__ = ["ProductsApi"]

BATCH_LIMIT = 100  # the `woocommerce_rest_batch_items_limit` default
_STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
_META = Arg("array", items=Arg("object", properties={"id": Arg("integer"), "key": Arg("string")}))

LIST_ARGS = {
    **COLLECTION_ARGS,
    "orderby": Arg(
        "string",
        enum=(
            "date",
            "id",
            "include",
            "title",
            "slug",
            "modified",
            "menu_order",
            "price",
            "popularity",
            "rating",
        ),
    ),
    "sku": Arg("string"),
    "stock_status": Arg("string", enum=_STOCK_STATUSES),
    "status": Arg("string", enum=("any", "future", "trash", "draft", "pending", "private", "publish")),
}
ITEM_ARGS = {"context": Arg("string", enum=("view", "edit"))}
UPDATE_ARGS = {
    "sku": Arg("string"),
    "regular_price": Arg("string"),
    "manage_stock": Arg("boolean"),
    "stock_quantity": Arg("integer"),
    "inventory_delta": Arg("integer"),
    "stock_status": Arg("string", enum=_STOCK_STATUSES),
    "backorders": Arg("string", enum=("no", "notify", "yes")),
    "low_stock_amount": Arg("integer", nullable=True),
    "meta_data": _META,
}


class ProductsApi(WooBase):
    """The product routes of a WooCommerce store."""

    @route("GET", f"{API}/products", name="list_products")
    def list_products(self, call: Call) -> MockResponse:
        params = self.params(call, LIST_ARGS)
        if isinstance(params, MockResponse):
            return params
        refused = self.refuse_anonymous(
            call, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."
        )
        if refused is not None:
            return refused
        found = self._select_products(params)
        page, headers = self.paginate(call, found, params, "products")
        base = self.base_url(call)
        return wp_json(200, [product.to_json(base) for product in page], headers)

    def _select_products(self, params: Mapping[str, Any]) -> list[Product]:
        products = list(self.store.products.values())
        skus = {s.lower() for s in str(params.get("sku") or "").split(",") if s.strip()}
        if skus:
            # `_sku IN (...)` under MySQL's case-insensitive collation.
            products = [p for p in products if p.sku.lower() in skus]
        if params.get("stock_status"):
            products = [p for p in products if p.stock_status == params["stock_status"]]
        if params.get("status") not in (None, "any", "publish"):
            products = []  # every seeded product is published
        include = [absint(v) for v in wp_list(params.get("include", ""))]
        exclude = {absint(v) for v in wp_list(params.get("exclude", ""))}
        if include:
            products = [p for p in products if p.id in include]
        products = [p for p in products if p.id not in exclude]
        search = params.get("search")
        if isinstance(search, str) and search.strip():
            needle = search.strip().lower()
            products = [p for p in products if needle in p.name.lower() or needle in p.sku.lower()]
        products = filter_dates(products, params, lambda p: p.created, lambda p: p.modified)
        orderby = str(params.get("orderby") or "date")
        keys = {
            "date": lambda p: (p.created, p.id),
            "modified": lambda p: (p.modified, p.id),
            "title": lambda p: (p.name.lower(), p.id),
            "slug": lambda p: (p.slug, p.id),
            "price": lambda p: (float(p.regular_price or 0), p.id),
        }
        key = keys.get(orderby, lambda p: (p.id, p.id))
        return sorted(products, key=key, reverse=(params.get("order") or "desc") == "desc")

    # The batch route first: `/products/batch` must not be read as the product "batch".
    @route(("POST", "PUT", "PATCH"), f"{API}/products/batch", name="batch_products")
    def batch_products(self, call: Call) -> MockResponse:
        return self._batch(call)

    @route("GET", f"{API}/products/{{id}}", name="get_product")
    def get_product(self, call: Call) -> MockResponse:
        pid = self.object_id(call)
        if pid is None:
            return self.no_route()
        params = self.params(call, ITEM_ARGS)
        if isinstance(params, MockResponse):
            return params
        product = self.store.products.get(pid)
        if product is not None:
            refused = self.refuse_anonymous(
                call, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."
            )
            if refused is not None:
                return refused
        if product is None:
            return wp_error(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        return wp_json(200, product.to_json(self.base_url(call)))

    @route(("PUT", "POST", "PATCH"), f"{API}/products/{{id}}", name="update_product")
    def update_product(self, call: Call) -> MockResponse:
        return self._update_product(call)

    def _update_product(self, call: Call) -> MockResponse:
        pid = self.object_id(call)
        if pid is None:
            return self.no_route()
        params = self.params(call, UPDATE_ARGS)
        if isinstance(params, MockResponse):
            return params
        product = self.store.products.get(pid)
        if product is not None:
            refused = self.refuse_anonymous(
                call, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."
            )
            if refused is not None:
                return refused
        if product is None:
            return wp_error(400, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        problem = self._apply_product(product, params, call.now())
        if problem is not None:
            return wp_error(400, problem[0], problem[1])
        call.notify("product.updated", product.to_json(self.home_url()))
        return wp_json(200, product.to_json(self.base_url(call)))

    def _apply_product(
        self, product: Product, params: Mapping[str, Any], now: float
    ) -> tuple[str, str] | None:
        """Set what the request carries, as `prepare_object_for_database` does; an error stops it."""
        sku = params.get("sku")
        if isinstance(sku, str) and sku != product.sku:
            if sku and any(
                p.sku.lower() == sku.lower() for p in self.store.products.values() if p is not product
            ):
                return "product_invalid_sku", "Invalid or duplicated SKU."
            product.sku = sku
        if isinstance(params.get("regular_price"), str):
            product.regular_price = params["regular_price"]
        if params.get("backorders") is not None:
            product.backorders = str(params["backorders"])
        if "low_stock_amount" in params:
            amount = params["low_stock_amount"]
            product.low_stock_amount = None if amount in (None, "") else _stock_amount(amount)
        _apply_stock(product, params)
        if params.get("meta_data") is not None:
            self.upsert_meta(product.meta, wp_list(params["meta_data"]))
        product.sync_stock_status()
        product.modified = now
        return None

    # -- batch ----------------------------------------------------------------------------

    def _batch(self, call: Call) -> MockResponse:
        # The route's args are the product schema, checked against the top level only.
        params = self.params(call, UPDATE_ARGS)
        if isinstance(params, MockResponse):
            return params
        refused = self.refuse_anonymous(
            call,
            "woocommerce_rest_cannot_batch",
            "Sorry, you are not allowed to batch manipulate this resource.",
        )
        if refused is not None:
            return refused
        sections = {name: params.get(name) for name in ("create", "update", "delete")}
        lists = {name: value for name, value in sections.items() if isinstance(value, list) and value}
        if sum(len(items) for items in lists.values()) > BATCH_LIMIT:
            return wp_error(
                413,
                "woocommerce_rest_request_entity_too_large",
                f"Unable to accept more than {BATCH_LIMIT} items for this request.",
            )
        result: dict[str, list[Any]] = {}
        for name, items in lists.items():
            result[name] = [self._batch_item(call, name, item) for item in items]
        # PHP encodes an empty result array as `[]`, not `{}`.
        return wp_json(200, result or [])

    def _batch_item(self, call: Call, section: str, item: Any) -> dict[str, Any]:
        if section != "update":
            ident = absint(item) if section == "delete" else 0
            return _item_error(
                ident, "clawcheck_not_imitated", f"The clawcheck mock does not {section} products.", 501
            )
        raw_id = item.get("id") if isinstance(item, dict) else None
        shown = absint(raw_id) if raw_id is not None else 0
        product = self.store.products.get(shown) if isinstance(item, dict) else None
        if product is None or not isinstance(item, dict):
            return _item_error(shown, "woocommerce_rest_product_invalid_id", "Invalid ID.", 400)
        problem = validate_args(UPDATE_ARGS, item)
        if problem is not None:
            names = list(problem.get("invalid", problem.get("params", [])))
            return _item_error(shown, "rest_invalid_param", f"Invalid parameter(s): {', '.join(names)}", 400)
        applied = self._apply_product(product, item, call.now())
        if applied is not None:
            return _item_error(shown, applied[0], applied[1], 400)
        call.notify("product.updated", product.to_json(self.home_url()))
        return product.to_json(self.base_url(call))


def _apply_stock(product: Product, params: Mapping[str, Any]) -> None:
    """With stock management the quantity is stored (and drives the status); without, the status is."""
    if params.get("manage_stock") is not None:
        product.manage_stock = to_bool(params["manage_stock"])
    wanted_status = params.get("stock_status")
    if product.manage_stock:
        if params.get("stock_quantity") is not None:
            product.stock_quantity = _stock_amount(params["stock_quantity"])
        elif params.get("inventory_delta") is not None:
            product.stock_quantity = _stock_amount(
                (product.stock_quantity or 0) + int(_stock_amount(params["inventory_delta"]))
            )
        elif product.stock_quantity is None:
            product.stock_quantity = 0
    else:
        product.stock_quantity = None
        if isinstance(wanted_status, str):
            product.stock_status = wanted_status


def _stock_amount(value: Any) -> int:
    """`wc_stock_amount`: intval, clamped where PHP's integers end."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    if number != number or abs(number) == float("inf"):
        return 0
    return max(-INT_MAX, min(INT_MAX, int(number)))


def _item_error(ident: int, code: str, message: str, status: int) -> dict[str, Any]:
    return {"id": ident, "error": {"code": code, "message": message, "data": {"status": status}}}
