"""TikTok Shop Open API (Partner API, 202309 versions), imitated.

What a client meets: the auth host's unsigned token exchange and refresh (app secret in the
query; `*_expire_in` are absolute Unix times; access tokens live 7 days), then signed Open API
calls (`app_key`, `timestamp`, `sign` in the query, `x-tts-access-token` header, `shop_cipher`
for shop-level calls; see `signing.py`), the `{code, message, request_id, data}` envelope,
cursor pagination (`page_token` / `next_page_token`), per shop and endpoint rate limits
answered with 429 / 36009002 and no wait hint, and ORDER_STATUS_CHANGE webhooks signed with
HMAC-SHA256(app_secret, app_key + body). Sources and guesses: docs/platforms/tiktok.md.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, ClassVar
from urllib.parse import unquote

from clawcheck.platforms.model import (
    GENERIC_SCENARIOS,
    Call,
    ClientRequest,
    Host,
    MockResponse,
    Platform,
    RateLimit,
    TokenCheck,
    route,
)
from clawcheck.platforms.registry import register
from clawcheck.platforms.tiktok import errors as E
from clawcheck.platforms.tiktok.errors import Problem, Refused, invalid_param
from clawcheck.platforms.tiktok.parsing import json_body, order_ids, order_query, stock_changes, unix_seconds
from clawcheck.platforms.tiktok.signing import sign_request, webhook_signature
from clawcheck.platforms.tiktok.state import (
    PROVIDERS,
    SHOP_PROVIDERS,
    LineItem,
    Order,
    Product,
    Shop,
    TikTokState,
    TrackingEvent,
    build_state,
)
from clawcheck.platforms.tiktok.views import order_json, product_json, shop_json, token_json

__all__ = ["API_HOSTS", "AUTH_HOSTS", "TikTokShop"]

API_HOSTS = ("open-api-sandbox.tiktokglobalshop.com", "open-api.tiktokglobalshop.com")
AUTH_HOSTS = ("auth-sandbox.tiktok-shops.com", "auth.tiktok-shops.com")

# The accepted `timestamp` window around the platform clock (common-errors, 36009004).
TIMESTAMP_MAX_AGE = 300.0
TIMESTAMP_MAX_LEAD = 30.0
# App-level endpoints refuse a `shop_cipher`; every other one needs it.
SHOPLESS_ROUTES = frozenset({"get_authorized_shops"})
# Query parameters a correct client computes itself (the contract test's generated values are replaced).
_AUTH_PARAMS = frozenset({"app_key", "timestamp", "sign", "shop_cipher", "access_token"})
ORDER_STATUS_CHANGE = 1

# The engine's generic error codes, as TikTok answers them.
_ENGINE_ERRORS = {
    "not_found": E.PATH_INVALID,
    "method_not_allowed": E.METHOD_INVALID,
    "service_unavailable": E.INTERNAL,
    "internal_error": E.INTERNAL,
}

Handler = Callable[["TikTokShop", Call], MockResponse]


def refusals(handler: Handler) -> Handler:
    """Answer a `Refused` raised while reading the request with TikTok's error envelope."""

    @functools.wraps(handler)
    def answer(self: TikTokShop, call: Call) -> MockResponse:
        try:
            return handler(self, call)
        except Refused as refused:
            return self.fail(call, refused.problem)

    return answer


@register
class TikTokShop(Platform):
    name = "tiktok"
    title = "TikTok Shop Open API (Partner API, 202309 versions)"
    spec = "tiktok.yaml"
    hosts = (
        Host(API_HOSTS[0], environment="sandbox"),
        Host(API_HOSTS[1], environment="production"),
        Host(AUTH_HOSTS[0], environment="sandbox", role="auth"),
        Host(AUTH_HOSTS[1], environment="production", role="auth"),
    )
    # "About 50 QPS per app and endpoint" is TikTok's published starting point (the real limit is
    # dynamic); modelled per shop and endpoint, since the harness judges clients per shop.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=50.0, burst=50.0, scope="shop+operation")
    token_ttl = 7 * 86400.0
    refresh_ttl = 365 * 86400.0
    # The webhook key IS the app secret: rotating it would re-key every signed call as well.
    scenarios = GENERIC_SCENARIOS - {"webhook-secret-rotated"}
    webhook_secret_env = "TIKTOK_APP_SECRET"

    state: TikTokState

    # -- setup -----------------------------------------------------------------------

    def seed(self) -> None:
        state = build_state(self.now())
        for seller in state.sellers.values():
            token = self.tokens.issue(seller.open_id)
            state.access[seller.open_id] = token.access
            state.refresh[seller.open_id] = token.refresh or ""
            state.expiries[seller.open_id] = (int(token.expires_at or 0), int(token.refresh_expires_at or 0))
            state.auth_codes[f"TTP_{secrets.token_urlsafe(18)}"] = seller.open_id
        self.state = state

    @property
    def main_seller(self) -> str:
        """The seller whose credentials adapters get: the cross-border one with two shops."""
        return next(iter(self.state.sellers))

    def credentials(self) -> dict[str, str]:
        seller = self.main_seller
        shop = self._shops_of(seller)[0]
        access_expiry, refresh_expiry = self.state.expiries[seller]
        return {
            "TIKTOK_APP_KEY": self.state.app_key,
            "TIKTOK_APP_SECRET": self.state.app_secret,
            "TIKTOK_ACCESS_TOKEN": self.state.access[seller],
            # Absolute Unix times, as the token response gave them (what an integration stores).
            "TIKTOK_ACCESS_TOKEN_EXPIRE_IN": str(access_expiry),
            "TIKTOK_REFRESH_TOKEN": self.state.refresh[seller],
            "TIKTOK_REFRESH_TOKEN_EXPIRE_IN": str(refresh_expiry),
            "TIKTOK_SHOP_CIPHER": shop.cipher,
            "TIKTOK_SHIPPING_PROVIDER_ID": SHOP_PROVIDERS[shop.region],
            "TIKTOK_AUTH_CODE": next(
                code for code, owner in self.state.auth_codes.items() if owner == seller
            ),
        }

    def secrets(self) -> list[str]:
        return [*super().secrets(), *self.state.auth_codes]

    # -- auth ------------------------------------------------------------------------

    def authenticate(self, call: Call) -> MockResponse | None:
        request = call.request
        params = request.params()
        token = request.header("x-tts-access-token") or ""
        call.identify(token=token or None)
        checked = call.tokens.check(token) if token else None
        call.token_state(checked.state if checked else "missing")
        shop = self.state.shop_by_cipher(params.get("shop_cipher") or "")
        if shop is not None and call.route_name not in SHOPLESS_ROUTES:
            call.identify(shop=shop.id)
        stamp = unix_seconds(params.get("timestamp"))
        if stamp is not None:
            call.client_timestamp("timestamp", stamp)
        problem = (
            self._credential_problem(call, params, stamp)
            or self._timestamp_problem(call, stamp)
            or _token_problem(checked)
            or self._shop_problem(call, params, shop, checked)
        )
        return self.fail(call, problem) if problem else None

    def _credential_problem(self, call: Call, params: Mapping[str, str], stamp: int | None) -> Problem | None:
        """In TikTok's order: app_key, the signature's presence, the timestamp's form, the signature."""
        if params.get("app_key") != self.state.app_key:
            call.signature("invalid", "unknown app_key: the signature cannot be verified")
            return E.APP_KEY_INVALID
        given = params.get("sign")
        if not given:
            call.signature("missing")
            return E.SIGN_MISSING
        request = call.request
        expected = sign_request(
            self.state.app_secret, request.path, request.query, request.body, request.header("content-type")
        )
        valid = hmac.compare_digest(given.encode(), expected.encode())
        if valid:
            call.signature("valid")
        else:
            call.signature(
                "invalid", "HMAC-SHA256 of app_secret + path + sorted query + body + app_secret differs"
            )
        if stamp is None or stamp < 0:
            return _timestamp_form(params)
        return None if valid else E.SIGN_INVALID

    def _timestamp_problem(self, call: Call, stamp: int | None) -> Problem | None:
        now = call.now()
        if stamp is None or stamp < now - TIMESTAMP_MAX_AGE:  # None was refused with its form already
            return E.TIMESTAMP_OLD
        if stamp > now + TIMESTAMP_MAX_LEAD:
            return E.TIMESTAMP_AHEAD
        return None

    def _shop_problem(
        self, call: Call, params: Mapping[str, str], shop: Shop | None, checked: TokenCheck | None
    ) -> Problem | None:
        cipher = params.get("shop_cipher")
        if call.route_name in SHOPLESS_ROUTES:
            return E.CIPHER_UNEXPECTED if cipher is not None else None
        if not cipher:
            return E.CIPHER_MISSING
        if shop is None or checked is None or shop.seller != checked.shop:
            return E.CIPHER_INVALID
        return None

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        path = unquote(request.path)
        if path.startswith("/api/v2/token/"):
            return request  # unsigned: the app secret travels in the query
        seller = self.main_seller
        query = [(k, v) for k, v in request.query if k not in _AUTH_PARAMS]
        query += [("app_key", self.state.app_key), ("timestamp", str(int(now)))]
        if not path.startswith("/authorization/"):
            query.append(("shop_cipher", self._shops_of(seller)[0].cipher))
        content_type = next((v for k, v in request.headers.items() if k.lower() == "content-type"), None)
        query.append(("sign", sign_request(self.state.app_secret, path, query, request.body, content_type)))
        request.query = query
        request.headers["x-tts-access-token"] = self.state.access[seller]
        return request

    # -- the platform's answers ----------------------------------------------------

    def fail(self, call: Call, problem: Problem) -> MockResponse:
        body = {
            "code": problem.code,
            "message": problem.message,
            "request_id": _request_id(call),
            "data": None,
        }
        return call.json(problem.status, body)

    def ok(self, call: Call, data: Any, message: str = "Success") -> MockResponse:
        return call.json(200, {"code": 0, "message": message, "request_id": _request_id(call), "data": data})

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        if code in _ENGINE_ERRORS:
            return self.fail(call, replace(_ENGINE_ERRORS[code], status=status))
        if code == "bad_request":
            return self.fail(call, invalid_param(message))
        return self.fail(call, Problem(status, int(code) if code.isdigit() else 36009004, message))

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        # TikTok documents no wait hint (no Retry-After): clients back off on their own.
        return self.fail(call, E.TOO_MANY_REQUESTS)

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        return {"Authorization": webhook_signature(self.state.app_key, secret, body)}

    # -- auth host -------------------------------------------------------------------

    @route("GET", "/api/v2/token/get", name="token_get", public=True, hosts=AUTH_HOSTS)
    @refusals
    def token_get(self, call: Call) -> MockResponse:
        params = call.request.params()
        self._check_app(params, "authorized_code")
        seller = self.state.auth_codes.pop(params.get("auth_code") or "", None)  # single use
        if seller is None:
            raise Refused(E.AUTH_CODE_INVALID)
        token = call.tokens.issue(seller)
        return self.ok(call, token_json(token, self.state.sellers[seller]), message="success")

    @route("GET", "/api/v2/token/refresh", name="token_refresh", public=True, hosts=AUTH_HOSTS)
    @refusals
    def token_refresh(self, call: Call) -> MockResponse:
        params = call.request.params()
        self._check_app(params, "refresh_token")
        # Whether TikTok rotates refresh tokens is undocumented; rotating is the strict reading.
        fresh = call.tokens.refresh(params.get("refresh_token"), rotate=True)
        if fresh is None or fresh.shop not in self.state.sellers:
            raise Refused(E.REFRESH_TOKEN_INVALID)
        return self.ok(call, token_json(fresh, self.state.sellers[fresh.shop]), message="success")

    def _check_app(self, params: Mapping[str, str], grant_type: str) -> None:
        if params.get("app_key") != self.state.app_key:
            raise Refused(replace(E.APP_KEY_INVALID, status=200))
        if not hmac.compare_digest((params.get("app_secret") or "").encode(), self.state.app_secret.encode()):
            raise Refused(E.APP_SECRET_INVALID)
        if params.get("grant_type") != grant_type:
            raise Refused(replace(invalid_param(f"grant_type must be {grant_type}"), status=200))

    # -- Open API: authorization -----------------------------------------------------

    @route("GET", "/authorization/202309/shops", name="get_authorized_shops", hosts=API_HOSTS)
    def get_authorized_shops(self, call: Call) -> MockResponse:
        seller = call.tokens.check(call.request.header("x-tts-access-token")).shop or ""
        return self.ok(call, {"shops": [shop_json(s) for s in self._shops_of(seller)]})

    # -- Open API: orders -----------------------------------------------------------

    @route("POST", "/order/202309/orders/search", name="get_order_list", hosts=API_HOSTS)
    @refusals
    def get_order_list(self, call: Call) -> MockResponse:
        shop = self._shop(call)
        query = order_query(call, json_body(call, required=False))
        found = [
            o
            for o in self.state.orders.values()
            if o.shop == shop.id
            and (query.status is None or o.status == query.status)
            and (query.shipping_type is None or o.shipping_type == query.shipping_type)
            and query.admits(o.create_time, o.update_time)
        ]
        found.sort(key=lambda o: (getattr(o, query.sort_field), o.id), reverse=query.descending)
        page = found[query.offset : query.offset + query.size]
        end = query.offset + query.size
        data = {
            "orders": [order_json(o, shop) for o in page],
            "next_page_token": call.encode_cursor(end) if end < len(found) else "",
            "total_count": len(found),
        }
        return self.ok(call, data)

    @route("GET", "/order/202309/orders", name="get_order_detail", hosts=API_HOSTS)
    @refusals
    def get_order_detail(self, call: Call) -> MockResponse:
        shop = self._shop(call)
        orders = [self._order(shop, order_id) for order_id in order_ids(call)]
        return self.ok(call, {"orders": [order_json(o, shop) for o in orders]})

    # -- Open API: fulfillment ------------------------------------------------------

    @route("POST", "/fulfillment/202309/packages/{package_id}/ship", name="ship_package", hosts=API_HOSTS)
    @refusals
    def ship_package(self, call: Call) -> MockResponse:
        shop = self._shop(call)
        package_id = call.path_params["package_id"]
        order = next(
            (o for o in self.state.orders.values() if o.shop == shop.id and o.package_id == package_id), None
        )
        if order is None:
            raise Refused(E.NOT_SELLERS)
        body = json_body(call, required=True)
        shipment = body.get("self_shipment")
        handover = body.get("handover_method")
        if shipment is None and handover not in ("PICKUP", "DROP_OFF"):
            raise Refused(invalid_param("self_shipment, or handover_method PICKUP or DROP_OFF, is required"))
        tracking, provider = _self_shipment(shipment) if shipment is not None else ("", "")
        if order.status != "AWAITING_SHIPMENT":
            raise Refused(E.PACKAGE_NOT_SHIPPABLE)
        now = int(call.now())
        order.rts_time = order.update_time = now
        if tracking:
            order.status, order.tracking_number, order.provider_id = "IN_TRANSIT", tracking, provider
            order.events.insert(0, TrackingEvent("Seller has shipped your package", now * 1000))
        else:
            order.status, order.shipping_type = "AWAITING_COLLECTION", "TIKTOK"
            order.events.insert(
                0, TrackingEvent("Package is waiting to be collected by the carrier", now * 1000)
            )
        self._announce(order)
        return self.ok(call, {})

    @route(
        "GET", "/fulfillment/202309/orders/{order_id}/tracking", name="get_order_tracking", hosts=API_HOSTS
    )
    @refusals
    def get_order_tracking(self, call: Call) -> MockResponse:
        order = self._order(self._shop(call), call.path_params["order_id"])
        events = [{"description": e.description, "update_time_millis": e.at_millis} for e in order.events]
        return self.ok(call, {"tracking": events})

    # -- Open API: products ----------------------------------------------------------

    @route("GET", "/product/202309/products/{product_id}", name="get_product", hosts=API_HOSTS)
    @refusals
    def get_product(self, call: Call) -> MockResponse:
        shop = self._shop(call)
        return self.ok(call, product_json(self._product(shop, call.path_params["product_id"]), shop.currency))

    @route(
        "POST",
        "/product/202309/products/{product_id}/inventory/update",
        name="update_inventory",
        hosts=API_HOSTS,
    )
    @refusals
    def update_inventory(self, call: Call) -> MockResponse:
        shop = self._shop(call)
        product = self._product(shop, call.path_params["product_id"])
        changes = stock_changes(json_body(call, required=True), product, shop)
        for change in changes:
            change.sku.inventory.update(change.quantities)
        product.update_time = int(call.now())
        return self.ok(call, {})

    # -- control API: a new buyer order ------------------------------------------------

    def simulate_order(self, shop: str | None = None) -> Mapping[str, Any]:
        target = self.state.shops.get(shop or "") or self.state.shop_by_cipher(shop or "")
        target = target or self._shops_of(self.main_seller)[0]
        product = next(p for p in self.state.products.values() if p.shop == target.id)
        now = int(self.now())
        order = Order(
            id=self.state.next_id(576461413038785800),
            shop=target.id,
            status="AWAITING_SHIPMENT",
            create_time=now,
            update_time=now,
            buyer="Test Buyer",
            city_line="1 Test Street, Testville",
            postal_code="00000",
            package_id=self.state.next_id(1152321127278713200),
            lines=[LineItem(self.state.next_id(577086512123755300), product, product.skus[0])],
            paid_time=now,
        )
        self.state.orders[order.id] = order
        self._announce(order)
        return order_json(order, target)

    # -- helpers ---------------------------------------------------------------------

    def _shops_of(self, seller: str) -> list[Shop]:
        return [s for s in self.state.shops.values() if s.seller == seller]

    def _shop(self, call: Call) -> Shop:
        return self.state.shops[call.entry.shop or ""]  # authenticate() resolved and identified it

    def _order(self, shop: Shop, order_id: str) -> Order:
        order = self.state.orders.get(order_id)
        if order is None or order.shop != shop.id:
            raise Refused(E.NOT_SELLERS)
        return order

    def _product(self, shop: Shop, product_id: str) -> Product:
        product = self.state.products.get(product_id)
        if product is None or product.shop != shop.id:
            raise Refused(E.PRODUCT_MISSING)
        return product

    def _announce(self, order: Order) -> None:
        """ORDER_STATUS_CHANGE (type 1), as TikTok pushes it to the app's webhook URL."""
        payload = {
            "type": ORDER_STATUS_CHANGE,
            "tts_notification_id": self.state.next_id(7_300_000_000_000_000_000),
            "shop_id": order.shop,
            "timestamp": int(self.now()),
            "data": {
                "order_id": order.id,
                "order_status": order.status,
                "is_on_hold_order": False,
                "update_time": order.update_time,
            },
        }
        self.mock.notify("ORDER_STATUS_CHANGE", payload)


def _token_problem(checked: TokenCheck | None) -> Problem | None:
    if checked is None or checked.state == "invalid":
        return E.TOKEN_INVALID
    if checked.state == "expired":
        return E.TOKEN_EXPIRED
    return None


def _timestamp_form(params: Mapping[str, str]) -> Problem:
    if not params.get("timestamp"):
        return invalid_param("timestamp is required")
    return E.TIMESTAMP_NEGATIVE


def _self_shipment(shipment: Any) -> tuple[str, str]:
    if not isinstance(shipment, dict):
        raise Refused(invalid_param("self_shipment must be an object"))
    tracking, provider = shipment.get("tracking_number"), shipment.get("shipping_provider_id")
    if not isinstance(tracking, str) or not tracking.strip() or len(tracking) > 64:
        raise Refused(invalid_param("self_shipment.tracking_number is required (at most 64 characters)"))
    if not isinstance(provider, str) or provider not in PROVIDERS:
        raise Refused(invalid_param("self_shipment.shipping_provider_id is not a known shipping provider"))
    return tracking.strip(), provider


def _request_id(call: Call) -> str:
    """yyyyMMddHHmmss (UTC) and 20 upper-case hex digits, as TikTok's request ids look."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(call.now())) + secrets.token_hex(10).upper()
