"""Lazada Open Platform (LazOP) imitated: seller auth, app signing, orders, fulfilment, stock.

Every API is `https://<venture gateway>/rest/<api>`, token exchange is on `auth.lazada.com`.
Requests carry `app_key`, `timestamp` (ms), `sign_method=sha256`, `access_token` and `sign`
(see `protocol.sign`), in the query or, as the official SDKs send them, the form body.
Lazada answers errors with HTTP 200 and `{"type", "code", "message", "request_id"}`; so does
this mock, flow control (`ApiCallLimit`) included. Sources and guesses: docs/platforms/lazada.md.
"""

from __future__ import annotations

import functools
import hmac
import json
import math
import secrets
from collections.abc import Callable, Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

from clawcheck.platforms.engine import retry_after_header
from clawcheck.platforms.lazada.catalog import (
    AUTH_HOST,
    VENTURES,
    LazadaState,
    Order,
    OrderItem,
    Seller,
    build_state,
    new_order,
    order_id_for,
    package_for,
)
from clawcheck.platforms.lazada.payloads import PayloadError, as_id, parse_json_object, parse_sku_payload
from clawcheck.platforms.lazada.protocol import (
    SIGN_METHOD,
    SYSTEM_PARAMS,
    TIMESTAMP_WINDOW,
    api_name,
    error_body,
    form_pairs,
    merge_params,
    new_request_id,
    request_params,
    sign,
)
from clawcheck.platforms.lazada.render import order_item_json, order_json, product_json, token_json
from clawcheck.platforms.lazada.rules import (
    MAX_BATCH,
    Refusal,
    batch_failure,
    clip,
    item_result,
    missing,
    order_query,
    plan_stock,
)
from clawcheck.platforms.model import (
    GENERIC_SCENARIOS,
    Call,
    ClientRequest,
    Host,
    MockResponse,
    Platform,
    RateLimit,
    Token,
    route,
)
from clawcheck.platforms.registry import register

__all__ = ["Lazada"]

DAY = 86400.0
API_HOSTS = tuple(venture.host for venture in VENTURES.values())
_CODE_LIFETIME = 1800.0  # "The authorization code is valid for half an hour and can only be used once"
# The engine's generic refusals, as Lazada's gateway words them.
_ENGINE_CODES = {
    "not_found": ("InvalidApiPath", "The specified API path is invalid"),
    "method_not_allowed": ("UnsupportedHTTPMethod", "The HTTP method is not supported by this API"),
    "bad_request": ("InvalidParameter", "The request parameters are invalid"),
    "service_unavailable": (
        "ServiceUnavailable",
        "The service is temporarily unavailable, please retry later",
    ),
    "internal_error": ("InternalError", "The request processing has failed due to some unknown error"),
}


ApiBody = Callable[["Lazada", Call, dict[str, str]], "dict[str, Any] | MockResponse"]


def _api(body: ApiBody) -> Callable[[Lazada, Call], MockResponse]:
    """Run an API with the request's parameters; its dict gets `code: "0"` and a `request_id`."""

    @functools.wraps(body)
    def run(self: Lazada, call: Call) -> MockResponse:
        try:
            answer = body(self, call, request_params(call.request))
        except Refusal as refusal:
            return call.json(200, error_body("ISV", refusal.code, refusal.message, refusal.detail))
        if isinstance(answer, MockResponse):
            return answer
        return call.json(200, {**answer, "code": "0", "request_id": new_request_id()})

    return run


def _timestamp(text: str) -> float | None:
    """The `timestamp` system parameter (epoch milliseconds) in seconds."""
    if not (text.isascii() and text.isdigit()) or not 10 <= len(text) <= 16:
        return None
    return int(text) / 1000


@register
class Lazada(Platform):
    name = "lazada"
    title = "Lazada Open Platform (LazOP)"
    spec = "lazada.yaml"
    # Lazada has no sandbox host: "Test"-status apps and test sellers use the same gateways.
    hosts: ClassVar[tuple[Host, ...]] = (
        *(Host(venture.host, environment="any") for venture in VENTURES.values()),
        Host(AUTH_HOST, environment="any", role="auth"),
    )
    # Not published per seller; "API level QPS limiting flow, please retry in the next second".
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10.0, burst=10.0, scope="shop")
    token_ttl = 30 * DAY  # apps in "Online" status (Test status: 7 days)
    refresh_ttl = 180 * DAY  # Online status (Test status: 30 days)
    # Pushes are signed with the App Secret, which also signs every API call: Lazada has no
    # notification-only secret to rotate.
    scenarios = GENERIC_SCENARIOS - {"webhook-secret-rotated"}
    webhook_secret_env = "LAZADA_APP_SECRET"

    state: LazadaState

    # -- seed and credentials ---------------------------------------------------------

    def seed(self) -> None:
        self.state = build_state(self.now())
        for seller in self.state.sellers.values():
            self._issue(seller)
            self.new_auth_code(seller.seller_id)

    def _issue(self, seller: Seller) -> Token:
        token = self.tokens.issue(seller.seller_id)
        seller.access_token, seller.refresh_token = token.access, token.refresh or ""
        self.state.refresh_deadlines[seller.refresh_token] = token.refresh_expires_at or math.inf
        return token

    def new_auth_code(self, seller_id: str) -> str:
        """A code as the app's callback URL receives it after the seller authorizes the app."""
        code = f"0_{self.state.app_key}_{secrets.token_urlsafe(18)}"
        self.state.auth_codes[code] = (seller_id, self.now() + _CODE_LIFETIME)
        return code

    def credentials(self) -> dict[str, str]:
        records = [self._token_record(seller) for seller in self.state.sellers.values()]
        primary = records[0]
        return {
            "LAZADA_APP_KEY": self.state.app_key,
            "LAZADA_APP_SECRET": self.state.app_secret,
            "LAZADA_SELLER_ID": str(primary["seller_id"]),
            "LAZADA_COUNTRY": str(primary["country"]),
            "LAZADA_ACCESS_TOKEN": str(primary["access_token"]),
            "LAZADA_REFRESH_TOKEN": str(primary["refresh_token"]),
            "LAZADA_ACCESS_EXPIRES_AT": str(primary["expires_at"]),
            "LAZADA_SELLER_TOKENS": json.dumps(records, separators=(",", ":")),
        }

    def _token_record(self, seller: Seller) -> dict[str, str | int]:
        """What an adapter keeps per authorized seller; the expiry in true Unix time."""
        token = self.tokens.check(seller.access_token).token
        expires = token.expires_at if token and token.expires_at is not None else self.now()
        return {
            "seller_id": seller.seller_id,
            "country": seller.country,
            "access_token": seller.access_token,
            "refresh_token": seller.refresh_token,
            "expires_at": int(expires - self.mock.skew),
        }

    # -- auth -------------------------------------------------------------------------

    def authenticate(self, call: Call) -> MockResponse | None:
        params = request_params(call.request)
        token = params.get("access_token", "")
        checked = call.tokens.check(token) if token else None
        call.identify(shop=checked.shop if checked else None, token=token or None)
        refusal = self._verify_app(call, params)
        if refusal is not None:
            return refusal
        if checked is None:
            call.token_state("missing")
            return self._gateway(missing("access_token"))
        call.token_state(checked.state)
        if checked.state != "valid":
            return self._gateway(
                Refusal("IllegalAccessToken", "The specified access token is invalid or expired")
            )
        return None

    def _verify_app(self, call: Call, params: Mapping[str, str]) -> MockResponse | None:
        """The gateway's checks of every call, token exchange included: app, signature, time."""
        self._judge_signature(call, params)
        for name in ("app_key", "sign_method", "timestamp", "sign"):
            if not params.get(name):
                return self._gateway(missing(name))
        if params["app_key"] != self.state.app_key:
            return self._gateway(Refusal("InvalidAppKey", "The specified app key is invalid"))
        if call.entry.signature != "valid":
            return self._gateway(
                Refusal("IncompleteSignature", "The request signature does not conform to platform standards")
            )
        stamp = _timestamp(params["timestamp"])
        if stamp is None or abs(stamp - call.now()) > TIMESTAMP_WINDOW:
            return self._gateway(
                Refusal("InvalidTimestamp", "The specified timestamp is invalid or out of range")
            )
        return None

    def _judge_signature(self, call: Call, params: Mapping[str, str]) -> None:
        stamp = _timestamp(params.get("timestamp", ""))
        if stamp is not None:
            call.client_timestamp("timestamp", stamp)
        given = params.get("sign", "")
        method = params.get("sign_method", "")
        if not given:
            call.signature("missing")
        elif method != SIGN_METHOD:
            call.signature("invalid", f"sign_method {clip(method)!r} is not {SIGN_METHOD}")
        elif params.get("app_key") != self.state.app_key:
            call.signature("invalid", "unknown app_key")
        else:
            expected = sign(self.state.app_secret, api_name(call.request.path), params)
            if hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("ascii")):
                call.signature("valid")
            else:
                call.signature("invalid", "HMAC-SHA256 mismatch")

    @staticmethod
    def _gateway(refusal: Refusal) -> MockResponse:
        return MockResponse.json(200, error_body("ISV", refusal.code, refusal.message))

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        if code == "method_not_allowed" and not self._path_served_on_host(call):
            code = "not_found"  # the engine's 405 ignores that the path lives on another host
        lazada_code, text = _ENGINE_CODES.get(code, (code, message))
        if status >= 500:
            return call.json(status, error_body("SYSTEM", lazada_code, text))
        return call.json(200, error_body("ISV", lazada_code, text))

    def _path_served_on_host(self, call: Call) -> bool:
        request = call.request
        return any(
            route.regex.fullmatch(request.path) and (not route.hosts or request.host in route.hosts)
            for route in self.routes()
        )

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        seconds = int(retry_after_header(retry_after))
        call.advertise_wait(seconds)
        message = f"Api access frequency exceeds the limit. this ban will last {seconds} seconds"
        return call.json(200, error_body("ISV", "ApiCallLimit", message))

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        """Sign as the official SDK does: system parameters in the query, `sign` over everything."""
        parts = urlsplit(request.url)
        api = api_name(parts.path or "/")
        system = {
            "app_key": self.state.app_key,
            "timestamp": str(int(now * 1000)),
            "sign_method": SIGN_METHOD,
        }
        if not api.startswith("/auth/"):
            system["access_token"] = self._seller_for_host(parts.hostname or "").access_token
        query = [*system.items(), *((k, v) for k, v in request.query if k not in SYSTEM_PARAMS)]
        content_type = next((v for k, v in request.headers.items() if k.lower() == "content-type"), None)
        body = form_pairs(content_type, request.body) if request.method.upper() != "GET" else []
        query.append(("sign", sign(self.state.app_secret, api, merge_params(query, body))))
        request.query = query
        return request

    def _seller_for_host(self, host: str) -> Seller:
        sellers = list(self.state.sellers.values())
        return next((s for s in sellers if s.venture.host == host), sellers[0])

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        """Lazada Push Mechanism: `Authorization` = hex HMAC-SHA256(App Secret, App Key + body)."""
        digest = hmac.new(secret.encode("utf-8"), self.state.app_key.encode("utf-8") + body, "sha256")
        return {"Authorization": digest.hexdigest()}

    # -- system: token exchange on auth.lazada.com ---------------------------------------

    @route("POST", "/rest/auth/token/create", name="generate_access_token", public=True, hosts=(AUTH_HOST,))
    def generate_access_token(self, call: Call) -> MockResponse:
        params = request_params(call.request)
        refusal = self._verify_app(call, params)
        if refusal is not None:
            return refusal
        code = params.get("code", "")
        if not code:
            return self._gateway(missing("code"))
        found = self.state.auth_codes.pop(code, None)
        if found is None or call.now() >= found[1]:
            return self._gateway(Refusal("InvalidCode", "Invalid authorization code"))
        seller = self.state.sellers[found[0]]
        call.identify(shop=seller.seller_id)
        token = self._issue(seller)
        return self._token_answer(call, seller, token, self.state.refresh_deadlines[seller.refresh_token])

    @route("POST", "/rest/auth/token/refresh", name="refresh_access_token", public=True, hosts=(AUTH_HOST,))
    def refresh_access_token(self, call: Call) -> MockResponse:
        params = request_params(call.request)
        refusal = self._verify_app(call, params)
        if refusal is not None:
            return refusal
        value = params.get("refresh_token", "")
        if not value:
            return self._gateway(missing("refresh_token"))
        # The refresh token's lifetime is not reset by a refresh (seller-authorization guide).
        deadline = self.state.refresh_deadlines.get(value)
        fresh = call.tokens.refresh(value, rotate=True) if deadline and call.now() < deadline else None
        if fresh is None or deadline is None:
            return self._gateway(
                Refusal("IllegalRefreshToken", "The specified refresh token is invalid or expired")
            )
        seller = self.state.sellers[fresh.shop]
        call.identify(shop=seller.seller_id)
        del self.state.refresh_deadlines[value]
        seller.access_token, seller.refresh_token = fresh.access, fresh.refresh or ""
        self.state.refresh_deadlines[seller.refresh_token] = deadline
        return self._token_answer(call, seller, fresh, deadline)

    def _token_answer(self, call: Call, seller: Seller, token: Token, deadline: float) -> MockResponse:
        expires_in = token.expires_in(call.now()) or 0
        refresh_in = max(0, math.floor(deadline - call.now())) if math.isfinite(deadline) else 0
        body = token_json(seller, token.access, token.refresh or "", expires_in, refresh_in)
        return call.json(200, {**body, "code": "0", "request_id": new_request_id()})

    # -- orders ---------------------------------------------------------------------------

    def _seller(self, call: Call) -> Seller:
        return self.state.sellers[call.entry.shop or ""]

    def _order_of(self, call: Call, params: Mapping[str, str]) -> Order:
        text = params.get("order_id", "")
        if not text:
            raise missing("order_id")
        order = self.state.orders.get(as_id(text) or 0)
        if order is None or order.seller_id != call.entry.shop:
            raise Refusal("16", f'E016: "{clip(text)}" Invalid Order ID')
        return order

    @route("GET", "/rest/orders/get", name="get_orders", hosts=API_HOSTS)
    @_api
    def get_orders(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        query = order_query(params)
        found = sorted(
            (o for o in self.state.seller_orders(self._seller(call).seller_id) if query.matches(o)),
            key=query.sort_key,
            reverse=query.descending,
        )
        size = call.page_size(query.limit, 100, 100)
        page = found[query.offset : query.offset + size]
        return {
            "data": {"count": len(page), "countTotal": len(found), "orders": [order_json(o) for o in page]}
        }

    @route("GET", "/rest/order/get", name="get_order", hosts=API_HOSTS)
    @_api
    def get_order(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        return {"data": order_json(self._order_of(call, params))}

    @route("GET", "/rest/order/items/get", name="get_order_items", hosts=API_HOSTS)
    @_api
    def get_order_items(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        order = self._order_of(call, params)
        seller = self._seller(call)
        return {"data": [order_item_json(order, item, seller) for item in order.items]}

    # -- fulfilment -----------------------------------------------------------------------

    @route("POST", "/rest/order/fulfill/pack", name="pack", hosts=API_HOSTS)
    @_api
    def pack(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        if not params.get("packReq"):
            raise missing("packReq")
        try:
            request = parse_json_object(params["packReq"])
        except PayloadError:
            return batch_failure("700004", "PARAM_ILLEGAL")
        orders = request.get("pack_order_list")
        if not isinstance(orders, list) or not orders or not request.get("shipping_allocate_type"):
            return batch_failure("700017", "PARAM_IS_NULL")
        if len(orders) > MAX_BATCH:
            return batch_failure("700022", "BATCH_SIZE_OUT_OF_LIMIT")
        if request.get("delivery_type") != "dropship" or request.get("shipping_allocate_type") not in (
            "TFS",
            "NTFS",
        ):
            return batch_failure("700004", "PARAM_ILLEGAL")
        if request["shipping_allocate_type"] == "NTFS":  # the seeded sellers are all local (TFS) sellers
            return batch_failure("700016", "NOT_AVAILABLE_NTFS_3PL")
        results = [self._pack_order(call, entry) for entry in orders]
        return {
            "result": {
                "success": True,
                "errorCode": None,
                "errorMsg": None,
                "data": {"pack_order_list": results},
            }
        }

    def _pack_order(self, call: Call, entry: Any) -> dict[str, Any]:
        fields = entry if isinstance(entry, dict) else {}
        order_id = as_id(fields.get("order_id"))
        listed = fields.get("order_item_list")
        item_ids = list(dict.fromkeys(as_id(v) for v in listed)) if isinstance(listed, list) else []
        order = self.state.orders.get(order_id or 0)
        if order is None or order.seller_id != call.entry.shop:
            return {
                "order_id": order_id or 0,
                "order_item_list": [item_result(i, "700021", "ORDER_NOT_FOUND") for i in item_ids],
            }
        items = {item.order_item_id: item for item in order.items}
        packable = [items[i] for i in item_ids if i in items and items[i].status == "pending"]
        if packable:
            package_for(self.state, order, packable, "packed")
            self._move(call, order, packable, "packed")
        results = []
        for item_id in item_ids:
            item = items.get(item_id or 0)
            if item is None:
                results.append(item_result(item_id, "700025", "ORDER_ITEM_NOT_FOUND"))
            elif item in packable:
                results.append(
                    {
                        **item_result(item_id, "0", "success"),
                        "tracking_number": item.tracking_code,
                        "shipment_provider": item.shipment_provider,
                        "package_id": item.package_id,
                    }
                )
            else:
                results.append(item_result(item_id, "700026", "FO_ITEM_NOT_ALLOW_TO_PACK"))
        return {"order_id": order.order_id, "order_item_list": results}

    @route("POST", "/rest/order/package/rts", name="ready_to_ship", hosts=API_HOSTS)
    @_api
    def ready_to_ship(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        if not params.get("readyToShipReq"):
            raise missing("readyToShipReq")
        try:
            packages = parse_json_object(params["readyToShipReq"]).get("packages")
        except PayloadError:
            return batch_failure("700004", "PARAM_ILLEGAL")
        if not isinstance(packages, list) or not packages:
            return batch_failure("700017", "PARAM_IS_NULL")
        if len(packages) > MAX_BATCH:
            return batch_failure("700022", "BATCH_SIZE_OUT_OF_LIMIT")
        results = [self._ship_package(call, entry) for entry in packages]
        return {
            "result": {"success": True, "errorCode": None, "errorMsg": None, "data": {"packages": results}}
        }

    def _ship_package(self, call: Call, entry: Any) -> dict[str, Any]:
        raw = entry.get("package_id") if isinstance(entry, dict) else None
        package_id = raw[:64] if isinstance(raw, str) else ""
        package = self.state.packages.get(package_id)
        if package is None or package.seller_id != call.entry.shop:
            return {
                "package_id": package_id,
                "item_err_code": "600001",
                "msg": "package not found",
                "retry": False,
            }
        if package.status != "packed":
            return {
                "package_id": package_id,
                "item_err_code": "700000",
                "msg": "PACKAGE_STATUS_NOT_ALLOW_TO_OP",
                "retry": False,
            }
        package.status = "ready_to_ship"
        order = self.state.orders[package.order_id]
        self._move(
            call, order, [i for i in order.items if i.order_item_id in package.item_ids], "ready_to_ship"
        )
        return {"package_id": package_id, "item_err_code": "0", "msg": "success", "retry": False}

    def _move(self, call: Call, order: Order, items: list[OrderItem], status: str) -> None:
        """Items change status; the order is updated and each item's change is pushed."""
        now = call.now()
        order.updated = now
        for item in items:
            item.status, item.updated = status, now
            self._push(order, item, now)

    def _push(self, order: Order, item: OrderItem, now: float) -> None:
        payload = {
            "seller_id": order.seller_id,
            "message_type": 0,
            "data": {
                "order_status": item.status,
                "trade_order_id": str(order.order_id),
                "trade_order_line_id": str(item.order_item_id),
                "status_update_time": int(now),
            },
            "timestamp": int(now * 1000),
            "site": VENTURES[order.country].site,
        }
        self.mock.notify("order_status", payload)

    # -- products and stock ---------------------------------------------------------------

    @route("GET", "/rest/product/item/get", name="get_product_item", hosts=API_HOSTS)
    @_api
    def get_product_item(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        text = params.get("item_id", "")
        if not text:
            raise missing("item_id")
        product = self.state.products.get(as_id(text) or 0)
        if product is None or product.seller_id != call.entry.shop:
            raise Refusal("208", "E208: Item not exist")
        return {"data": product_json(self.state, product, self._seller(call).country)}

    @route("POST", "/rest/product/price_quantity/update", name="update_price_quantity", hosts=API_HOSTS)
    @_api
    def update_price_quantity(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        return self._update_skus(call, params, sellable=False)

    @route("POST", "/rest/product/stock/sellable/update", name="update_sellable_quantity", hosts=API_HOSTS)
    @_api
    def update_sellable_quantity(self, call: Call, params: dict[str, str]) -> dict[str, Any]:
        return self._update_skus(call, params, sellable=True)

    def _update_skus(self, call: Call, params: Mapping[str, str], *, sellable: bool) -> dict[str, Any]:
        if not params.get("payload"):
            raise missing("payload")
        try:
            updates = parse_sku_payload(params["payload"])
        except PayloadError:
            raise Refusal("5", "E005: Invalid Request Format") from None
        # All or nothing: the mock applies no SKU of a request that has a bad one.
        for change in plan_stock(self.state, call.entry.shop or "", updates, sellable=sellable):
            change.apply(call.now())
        return {}

    # -- the control API's new orders ----------------------------------------------------

    def simulate_order(self, shop: str | None = None) -> Mapping[str, Any]:
        """A buyer's new paid order: one unit of the seller's first SKU in stock, pushed."""
        sellers = list(self.state.sellers.values())
        seller = self.state.sellers.get(shop or "", sellers[0])
        skus = [
            sku
            for product in self.state.products.values()
            if product.seller_id == seller.seller_id
            for sku in product.skus
            if sku.sellable > 0
        ]
        if not skus:
            raise NotImplementedError(f"seller {seller.seller_id} has nothing in stock to order")
        now = self.now()
        index = sellers.index(seller)
        order = new_order(
            self.state,
            seller,
            order_id_for(index, len(self.state.orders) + 1),
            now,
            "MIXEDCARD",
            [(skus[0].sku_id, "pending")],
        )
        skus[0].sellable -= 1  # the unit moves from sellable to occupied
        self.state.orders[order.order_id] = order
        self._push(order, order.items[0], now)
        return {"order_id": order.order_id, "seller_id": seller.seller_id, "status": "pending"}
