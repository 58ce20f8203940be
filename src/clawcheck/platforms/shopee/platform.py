"""The Shopee Open Platform API v2, imitated: HMAC-signed query auth, rotating refresh tokens,
cursor-paginated orders, logistics (ship_order) with push notifications, and seller stock.

Order of Shopee's checks, as the gateway applies them: partner_id, timestamp window, the
presence of access_token and shop_id, the signature, then the token itself. A signature is
verified before the token is looked up, so a tampered token is `error_sign`, not an auth error.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

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
from clawcheck.platforms.shopee.state import (
    DAY,
    Item,
    Order,
    RefreshRecord,
    Shop,
    ShopeeState,
    item_base_info,
    model_list,
    new_order,
    new_token_value,
    order_detail,
    seed_state,
)
from clawcheck.platforms.shopee.wire import (
    INT64_MAX,
    PUBLIC_PATHS,
    TIMESTAMP_WINDOW,
    ShopeeError,
    base_string,
    body_object,
    bool_param,
    id_list,
    int_field,
    not_found,
    push_authorization,
    required_int,
    sign,
    str_field,
    wrong_parameters,
)

__all__ = ["PARTNERS", "Partner", "Shopee"]

ORDER_STATUSES = frozenset(
    {"UNPAID", "PENDING", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
     "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED", "INVOICE_PENDING"}
)  # fmt: skip
SHIPPABLE = frozenset({"READY_TO_SHIP", "RETRY_SHIP"})
MAX_WINDOW = 15 * DAY  # get_order_list: "diff in 15days"
OLD_TOKEN_GRACE = 300.0  # "After a new access_token is generated, the old one is still valid for 5 minutes."
CODE_LIFETIME = 600.0  # the authorization code: "valid for only once and expires after 10 minutes"
MAX_STOCK = 999_999
TRACKING_FIELDS = ("plp_number", "first_mile_tracking_number", "last_mile_tracking_number")
RATE_LIMITED = "Too many requests. You have reached the rate limit. Please try again later."
INVALID_TOKEN = "Invalid access_token."
# The engine's generic codes, in Shopee's terms.
ENGINE_CODES = {
    "not_found": (404, "error_not_found"),
    "method_not_allowed": (404, "error_not_found"),
    "bad_request": (400, "error_param"),
}


@dataclass(frozen=True, slots=True)
class Partner:
    """An App's credentials: a test partner_id and key work only on sandbox hosts, live ones only live."""

    partner_id: int
    key: str


PARTNERS = {
    "sandbox": Partner(1007820, "4c4a6d6b5a3271796b3854784e665a614d7a5a6e4d48517a6257565a4f56706b"),
    "production": Partner(2006314, "6a6f4d6b33527a45594e6d54714b70566b62724c5a73476e51644a6a78665541"),
}

Handler = Callable[[Any, Call], MockResponse]


def refusals(handler: Handler) -> Handler:
    """Render a `ShopeeError` raised anywhere in a route as Shopee's error body."""

    @functools.wraps(handler)
    def answer(platform: Shopee, call: Call) -> MockResponse:
        try:
            return handler(platform, call)
        except ShopeeError as refusal:
            return platform.refuse(call, refusal)

    return answer


@register
class Shopee(Platform):
    name = "shopee"
    title = "Shopee Open Platform API v2"
    spec = "shopee.yaml"
    # The first host of each environment is the one documented today; the rest are regional
    # (Chinese Mainland, Brazil) and the legacy sandbox host older SDKs still default to.
    hosts = (
        Host("openplatform.sandbox.test-stable.shopee.sg", environment="sandbox"),
        Host("partner.shopeemobile.com", environment="production"),
        Host("partner.test-stable.shopeemobile.com", environment="sandbox"),
        Host("openplatform.sandbox.test-stable.shopee.cn", environment="sandbox"),
        Host("openplatform.shopee.cn", environment="production"),
        Host("openplatform.shopee.com.br", environment="production"),
    )
    # Shopee publishes no number; 10 requests per second per shop is the common working figure.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10.0, burst=10.0, scope="shop")
    token_ttl = 4 * 3600.0
    refresh_ttl = float(30 * DAY)
    # Pushes are signed with the partner key itself: there is no separate webhook secret to rotate.
    scenarios = GENERIC_SCENARIOS - {"webhook-secret-rotated"}
    webhook_secret_env = "SHOPEE_PARTNER_KEY"
    # error_rate_limit advertises no wait; a well-behaved client backs off at least a second.
    default_backoff = 1.0

    state: ShopeeState

    @property
    def partner(self) -> Partner:
        return PARTNERS[self.mock.environment]

    # -- seed and credentials ----------------------------------------------------------

    def seed(self) -> None:
        now = self.now()
        self.state = seed_state(now)
        for shop_id in self.state.shops:
            self.issue(shop_id)
            self.state.codes[new_token_value()] = (shop_id, now + CODE_LIFETIME)

    def issue(self, shop_id: int) -> Token:
        token = self.tokens.issue(str(shop_id), access=new_token_value(), refresh_value=new_token_value())
        refresh = token.refresh or ""
        self.state.refresh[refresh] = RefreshRecord(shop_id, token.access, token.refresh_expires_at)
        self.state.current[shop_id] = (token.access, refresh)
        return token

    def first_shop(self) -> int:
        return next(iter(self.state.shops))

    def credentials(self) -> dict[str, str]:
        shop_id = self.first_shop()
        access, refresh = self.state.current[shop_id]
        code = next((c for c, (owner, _) in self.state.codes.items() if owner == shop_id), "")
        return {
            "SHOPEE_PARTNER_ID": str(self.partner.partner_id),
            "SHOPEE_PARTNER_KEY": self.partner.key,
            "SHOPEE_SHOP_ID": str(shop_id),
            "SHOPEE_ACCESS_TOKEN": access,
            "SHOPEE_REFRESH_TOKEN": refresh,
            "SHOPEE_AUTH_CODE": code,
        }

    def secrets(self) -> list[str]:
        return [*super().secrets(), *self.state.codes]

    # -- authentication ------------------------------------------------------------------

    def authenticate(self, call: Call) -> MockResponse | None:
        try:
            self.verify_shop_call(call)
        except ShopeeError as refusal:
            return self.refuse(call, refusal)
        return None

    def verify_shop_call(self, call: Call) -> None:
        params = call.request.params()
        partner_id = self.check_partner(call, params)
        timestamp = self.check_timestamp(call, params)
        token = params.get("access_token", "")
        call.identify(token=token or None)
        if not token:
            call.token_state("missing")
            raise ShopeeError(400, "error_param", "There is no access_token in query.")
        shop_id = self.check_shop_id(call, params)
        expected = base_string(partner_id, call.request.path, timestamp, token, shop_id)
        self.check_sign(call, params, expected)
        self.check_token(call, token, shop_id)

    def verify_public_call(self, call: Call) -> None:
        params = call.request.params()
        partner_id = self.check_partner(call, params)
        timestamp = self.check_timestamp(call, params)
        self.check_sign(call, params, base_string(partner_id, call.request.path, timestamp))

    def check_partner(self, call: Call, params: Mapping[str, str]) -> str:
        text = params.get("partner_id", "").strip()
        if not text:
            raise ShopeeError(400, "error_param", "There is no partner_id in query.")
        host = self.host(call.request.host)
        foreign = host is not None and host.environment != self.mock.environment
        if text != str(self.partner.partner_id) or foreign:
            # A test partner_id is unknown to the live hosts and a live one to the sandbox hosts.
            call.signature("invalid", "unknown partner_id: the signature cannot be verified")
            raise ShopeeError(403, "invalid_partner_id", "partner_id is invalid")
        return text

    def check_timestamp(self, call: Call, params: Mapping[str, str]) -> str:
        text = params.get("timestamp", "").strip()
        if not text:
            raise ShopeeError(400, "error_param", "There is no timestamp in query.")
        if not ascii_digits(text) or len(text) > 12:
            raise ShopeeError(400, "error_param", "Invalid timestamp")
        call.client_timestamp("timestamp", int(text))
        if abs(call.now() - int(text)) > TIMESTAMP_WINDOW:
            raise ShopeeError(400, "error_param", "Timestamp is expired")
        return text

    def check_shop_id(self, call: Call, params: Mapping[str, str]) -> str:
        text = params.get("shop_id", "").strip()
        if not text:
            raise ShopeeError(400, "error_param", "There is no shop_id in query.")
        if not ascii_digits(text) or int(text) > INT64_MAX:
            raise ShopeeError(400, "error_param", "shop_id is invalid")
        call.identify(shop=text)
        return text

    def check_sign(self, call: Call, params: Mapping[str, str], expected_base: str) -> None:
        given = params.get("sign", "")
        if not given:
            call.signature("missing")
            raise ShopeeError(400, "error_param", "There is no sign in query.")
        if not secrets.compare_digest(given.encode(), sign(self.partner.key, expected_base).encode()):
            call.signature("invalid", "HMAC-SHA256 over partner_id+path+timestamp[+access_token+shop_id]")
            raise ShopeeError(403, "error_sign", "Wrong sign.")
        call.signature("valid")

    def check_token(self, call: Call, token: str, shop_id: str) -> None:
        checked = call.tokens.check(token)
        state = checked.state
        replaced = self.state.superseded.get(token)
        if state == "valid" and replaced is not None and call.now() >= replaced + OLD_TOKEN_GRACE:
            state = "expired"
        if state == "valid" and checked.shop != shop_id:
            state = "invalid"  # a token is bound to the shop it was issued for
        call.token_state(state)
        if state == "expired":
            # Sic: Shopee's code for an expired access token is spelt "acceess".
            raise ShopeeError(403, "invalid_acceess_token", INVALID_TOKEN)
        if state != "valid":
            raise ShopeeError(403, "error_auth", INVALID_TOKEN)

    # -- Shopee's answers ----------------------------------------------------------------

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        if code in ENGINE_CODES:
            status, code = ENGINE_CODES[code]
            message = f"Wrong parameters, detail: {message}."
        elif status >= 500:
            code, message = "error_server", "System error. Please try again later."
        return self.render_error(call, status, code, message)

    def refuse(self, call: Call, refusal: ShopeeError) -> MockResponse:
        return self.render_error(call, refusal.status, refusal.code, refusal.message)

    def render_error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        return call.json(status, {"request_id": request_id(), "error": code, "message": message})

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        # No Retry-After, no wait in the body: the client has to back off on its own.
        return self.render_error(call, 429, "error_rate_limit", RATE_LIMITED)

    def ok(self, call: Call, response: Any = None, warnings: list[str] | None = None) -> MockResponse:
        data: dict[str, Any] = {"request_id": request_id(), "error": "", "message": ""}
        if warnings:
            data["warning"] = warnings
        if response is not None:
            data["response"] = response
        return call.json(200, data)

    # -- how a correct client signs --------------------------------------------------------

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        common = {"partner_id", "timestamp", "sign", "access_token", "shop_id"}
        query = [(k, v) for k, v in request.query if k not in common]
        partner_id, timestamp = str(self.partner.partner_id), str(int(now))
        query += [("partner_id", partner_id), ("timestamp", timestamp)]
        if request.path in PUBLIC_PATHS:
            base = base_string(partner_id, request.path, timestamp)
        else:
            shop_id = self.first_shop()
            access = self.state.current[shop_id][0]
            query += [("access_token", access), ("shop_id", str(shop_id))]
            base = base_string(partner_id, request.path, timestamp, access, str(shop_id))
        request.query = [*query, ("sign", sign(self.partner.key, base))]
        return request

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        # Shopee signs the callback URL with the body; the engine posts to mock.webhook_url.
        return {"Authorization": push_authorization(secret, self.mock.webhook_url or "", body)}

    def simulate_order(self, shop: str | None = None) -> Mapping[str, Any]:
        known = shop is not None and ascii_digits(shop) and int(shop) in self.state.shops
        shop_id = int(shop or 0) if known else self.first_shop()
        order = new_order(self.state, shop_id, self.now())
        self.push_status(order)
        return {"order_sn": order.order_sn, "shop_id": shop_id, "order_status": order.status}

    # -- routes: auth (public APIs) ------------------------------------------------------

    @route("POST", "/api/v2/auth/token/get", name="get_access_token", public=True)
    @refusals
    def get_access_token(self, call: Call) -> MockResponse:
        self.verify_public_call(call)
        body = body_object(call.request.json())
        code = str_field(body, "code")
        self.check_body_partner(body)
        shop_id = self.body_shop(call, body, alternative="main_account_id")
        owner = self.state.codes.get(code)
        if owner is None or owner[0] != shop_id or call.now() >= owner[1]:
            raise ShopeeError(403, "invalid_code", "Invalid code.")
        del self.state.codes[code]  # single use
        token = self.issue(shop_id)
        return call.json(200, self.token_body(call, token))

    @route("POST", "/api/v2/auth/access_token/get", name="refresh_access_token", public=True)
    @refusals
    def refresh_access_token(self, call: Call) -> MockResponse:
        self.verify_public_call(call)
        body = body_object(call.request.json())
        value = str_field(body, "refresh_token")
        partner_id = self.check_body_partner(body)
        shop_id = self.body_shop(call, body, alternative="merchant_id")
        record = self.state.refresh.get(value)
        if record is None or not self.refreshable(record, shop_id, call.now()):
            raise ShopeeError(403, "error_auth", "Invalid refresh_token.")
        record.used = True  # "can only be used once"
        self.tokens.revoke(value)
        self.state.superseded[record.access] = call.now()
        token = self.issue(shop_id)
        return call.json(200, {**self.token_body(call, token), "partner_id": partner_id, "shop_id": shop_id})

    @staticmethod
    def refreshable(record: RefreshRecord, shop_id: int, now: float) -> bool:
        alive = record.expires_at is None or now < record.expires_at
        return alive and not record.used and record.shop_id == shop_id

    def check_body_partner(self, body: Mapping[str, Any]) -> int:
        partner_id = int_field(body, "partner_id")
        if partner_id != self.partner.partner_id:
            raise ShopeeError(403, "invalid_partner_id", "partner_id is invalid")
        return self.partner.partner_id

    def body_shop(self, call: Call, body: Mapping[str, Any], *, alternative: str) -> int:
        shop_id = int_field(body, "shop_id", required=False)
        if shop_id is None:
            if body.get(alternative) is not None:
                raise wrong_parameters(f"{alternative} authorization is not imitated; use shop_id")
            raise wrong_parameters(f"shop_id or {alternative} is required")
        call.identify(shop=str(shop_id))
        return shop_id

    def token_body(self, call: Call, token: Token) -> dict[str, Any]:
        return {
            "request_id": request_id(),
            "error": "",
            "message": "",
            "access_token": token.access,
            "refresh_token": token.refresh or "",
            "expire_in": token.expires_in(call.now()) or 0,
        }

    # -- routes: order -------------------------------------------------------------------

    @route("GET", "/api/v2/order/get_order_list", name="get_order_list")
    @refusals
    def get_order_list(self, call: Call) -> MockResponse:
        params = call.request.params()
        field = params.get("time_range_field", "")
        if field not in ("create_time", "update_time"):
            raise wrong_parameters("time_range_field must be create_time or update_time")
        time_from, time_to = required_int(params, "time_from"), required_int(params, "time_to")
        if time_from > time_to or time_to - time_from > MAX_WINDOW:
            raise ShopeeError(
                400,
                "order.order_list_invalid_time",
                "Start time must be earlier than end time and diff in 15days.",
            )
        requested = required_int(params, "page_size", minimum=1, maximum=100)
        status = params.get("order_status", "")
        if status and status not in ORDER_STATUSES:
            raise wrong_parameters("order_status is invalid")
        with_status = "order_status" in split_fields(params.get("response_optional_fields", ""))
        bool_param(params, "request_order_status_pending")
        start = self.cursor_offset(call, params.get("cursor", ""))
        size = call.page_size(requested, requested, 100)
        matches = sorted(
            (
                o
                for o in self.state.shop_orders(self.shop(call).shop_id)
                if time_from <= getattr(o, field) <= time_to and (not status or o.status == status)
            ),
            key=lambda o: (getattr(o, field), o.order_sn),
            reverse=True,  # newest first
        )
        page = matches[start : start + size]
        more = start + size < len(matches)
        listed = [{"order_sn": o.order_sn} for o in page]
        if with_status:
            for entry, order in zip(listed, page, strict=True):
                entry["order_status"] = order.status
        next_cursor = call.encode_cursor(start + size) if more else ""
        return self.ok(call, {"more": more, "next_cursor": next_cursor, "order_list": listed})

    @staticmethod
    def cursor_offset(call: Call, cursor: str) -> int:
        if not cursor:
            return 0
        offset = call.decode_cursor(cursor)
        if offset is None:
            raise wrong_parameters("cursor is invalid")
        return offset

    @route("GET", "/api/v2/order/get_order_detail", name="get_order_detail")
    @refusals
    def get_order_detail(self, call: Call) -> MockResponse:
        params = call.request.params()
        wanted = id_list(params, "order_sn_list")
        fields = split_fields(params.get("response_optional_fields", ""))
        bool_param(params, "request_order_status_pending")
        shop_id = self.shop(call).shop_id
        found = [o for sn in wanted if (o := self.state.orders.get(sn)) is not None and o.shop_id == shop_id]
        if not found:
            raise not_found("the order is not found")
        missing = [f"order_sn {sn} is not found" for sn in wanted if sn not in {o.order_sn for o in found}]
        detail = [order_detail(o, self.state, fields) for o in found]
        return self.ok(call, {"order_list": detail}, missing)

    # -- routes: logistics ---------------------------------------------------------------

    @route("GET", "/api/v2/logistics/get_shipping_parameter", name="get_shipping_parameter")
    @refusals
    def get_shipping_parameter(self, call: Call) -> MockResponse:
        params = call.request.params()
        order = self.order(call, params.get("order_sn", ""), params.get("package_number", ""))
        require_shippable(order)
        shop = self.shop(call)
        response: dict[str, Any] = {"info_needed": info_needed(shop)}
        if shop.ship_method == "pickup":
            response["pickup"] = {"address_list": [pickup_address(shop, call.now())]}
        elif shop.ship_method == "dropoff":
            response["dropoff"] = {"branch_list": [dropoff_branch(shop)]}
        return self.ok(call, response)

    @route("POST", "/api/v2/logistics/ship_order", name="ship_order")
    @refusals
    def ship_order(self, call: Call) -> MockResponse:
        body = body_object(call.request.json())
        package = str_field(body, "package_number", required=False)
        order = self.order(call, str_field(body, "order_sn", limit=64), package)
        require_shippable(order)
        shop = self.shop(call)
        tracking = check_ship_block(shop, body, call.now())
        order.status, order.logistics_status = "PROCESSED", "LOGISTICS_REQUEST_CREATED"
        order.update_time = int(call.now())
        order.tracking_number = tracking or self.state.next_tracking_number(shop.region)
        self.push_status(order)
        self.push_tracking(order)
        return self.ok(call)

    @route("GET", "/api/v2/logistics/get_tracking_number", name="get_tracking_number")
    @refusals
    def get_tracking_number(self, call: Call) -> MockResponse:
        params = call.request.params()
        order = self.order(call, params.get("order_sn", ""), params.get("package_number", ""))
        response: dict[str, Any] = {"tracking_number": order.tracking_number}
        for name in split_fields(params.get("response_optional_fields", "")):
            if name in TRACKING_FIELDS:
                response[name] = ""
        if not order.tracking_number:
            response["hint"] = "The tracking number is not available before the shipment is arranged."
        return self.ok(call, response)

    def push_status(self, order: Order) -> None:
        self.mock.notify(
            "order_status_push",
            {
                "data": {
                    "items": [],
                    "ordersn": order.order_sn,
                    "status": order.status,
                    "completed_scenario": "",
                    "update_time": order.update_time,
                },
                "shop_id": order.shop_id,
                "code": 3,
                "timestamp": int(self.now()),
            },
        )

    def push_tracking(self, order: Order) -> None:
        self.mock.notify(
            "order_trackingno_push",
            {
                "data": {
                    "ordersn": order.order_sn,
                    "forder_id": order.package_number,
                    "package_number": order.package_number,
                    "tracking_no": order.tracking_number,
                },
                "shop_id": order.shop_id,
                "code": 4,
                "timestamp": int(self.now()),
            },
        )

    # -- routes: product -----------------------------------------------------------------

    @route("GET", "/api/v2/product/get_item_base_info", name="get_item_base_info")
    @refusals
    def get_item_base_info(self, call: Call) -> MockResponse:
        params = call.request.params()
        wanted = [int(i) for i in id_list(params, "item_id_list", numeric=True)]
        bool_param(params, "need_tax_info")
        bool_param(params, "need_complaint_policy")
        shop = self.shop(call)
        mine = {i.item_id: i for i in self.state.items.values() if i.shop_id == shop.shop_id}
        found = [mine[i] for i in wanted if i in mine]
        if not found:
            raise not_found("item_id is not found")
        missing = [f"item_id {i} is not found" for i in wanted if i not in {item.item_id for item in found}]
        return self.ok(call, {"item_list": [item_base_info(item, shop) for item in found]}, missing)

    @route("GET", "/api/v2/product/get_model_list", name="get_model_list")
    @refusals
    def get_model_list(self, call: Call) -> MockResponse:
        item = self.item(call, required_int(call.request.params(), "item_id"))
        return self.ok(call, model_list(item, self.shop(call)))

    @route("POST", "/api/v2/product/update_stock", name="update_stock")
    @refusals
    def update_stock(self, call: Call) -> MockResponse:
        body = body_object(call.request.json())
        item = self.item(call, int_field(body, "item_id") or 0)
        stock_list = body.get("stock_list")
        if not isinstance(stock_list, list) or not 1 <= len(stock_list) <= 50:
            raise wrong_parameters("stock_list must hold 1 to 50 entries")
        shop = self.shop(call)
        success: list[dict[str, Any]] = []
        failure: list[dict[str, Any]] = []
        for entry in stock_list:
            for model_id, location, stock in stock_entries(entry):
                reason = apply_stock(item, shop, model_id, location, stock)
                if reason:
                    failed = {"model_id": model_id, "failed_reason": reason}
                    failure.append({**failed, "location_id": location} if location else failed)
                else:
                    success.append({"model_id": model_id, "location_id": shop.location_id, "stock": stock})
        if success:
            item.update_time = int(call.now())
        return self.ok(call, {"failure_list": failure, "success_list": success})

    # -- lookups in the caller's shop ----------------------------------------------------

    def shop(self, call: Call) -> Shop:
        # authenticate() has bound the call to a shop whose token is valid.
        return self.state.shops[int(call.entry.shop or 0)]

    def order(self, call: Call, order_sn: str, package_number: str) -> Order:
        if not order_sn.strip():
            raise wrong_parameters("order_sn is required")
        order = self.state.orders.get(order_sn.strip())
        if order is None or order.shop_id != self.shop(call).shop_id:
            raise not_found("the order is not found")
        if package_number and package_number != order.package_number:
            raise not_found("the package is not found")
        return order

    def item(self, call: Call, item_id: int) -> Item:
        item = self.state.items.get(item_id)
        if item is None or item.shop_id != self.shop(call).shop_id:
            raise not_found("item_id is not found")
        return item


# -- helpers -------------------------------------------------------------------------------


def request_id() -> str:
    return secrets.token_hex(16)


def ascii_digits(text: str) -> bool:
    """Only 0-9: `str.isdigit` also accepts other scripts' digits, which Shopee would not."""
    return text.isascii() and text.isdigit()


def split_fields(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def require_shippable(order: Order) -> None:
    if order.status not in SHIPPABLE:
        raise wrong_parameters(f"the order is {order.status}; shipment is arranged for READY_TO_SHIP orders")


def info_needed(shop: Shop) -> dict[str, list[str]]:
    needed = {"pickup": ["address_id", "pickup_time_id"], "dropoff": ["branch_id"]}
    return {shop.ship_method: needed.get(shop.ship_method, ["tracking_number"])}


def pickup_slots(now: float) -> list[dict[str, Any]]:
    """The next three days, each one slot; the id is the slot's Unix time as a string."""
    today = int(now) // DAY * DAY
    slots = []
    for days in (1, 2, 3):
        date = today + days * DAY
        slots.append({"date": date, "time_text": "09:00-12:00", "pickup_time_id": str(date)})
    return slots


def pickup_address(shop: Shop, now: float) -> dict[str, Any]:
    return {
        "address_id": shop.address_id,
        "region": shop.region,
        "state": shop.city,
        "city": shop.city,
        "district": "",
        "town": "",
        "address": "1 Clawcheck Road",
        "zipcode": "018956",
        "address_flag": ["default_address", "pickup_address"],
        "time_slot_list": pickup_slots(now),
    }


def dropoff_branch(shop: Shop) -> dict[str, Any]:
    return {
        "branch_id": shop.branch_id,
        "region": shop.region,
        "state": shop.city,
        "city": shop.city,
        "address": "Lot 12, Jalan Clawcheck",
        "zipcode": "50450",
        "district": "",
        "town": "",
    }


def check_ship_block(shop: Shop, body: Mapping[str, Any], now: float) -> str:
    """Validate the block get_shipping_parameter asked for; returns a seller-given tracking number."""
    block = body.get(shop.ship_method)
    if not isinstance(block, dict):
        raise wrong_parameters(f"{shop.ship_method} is required for this order")
    if shop.ship_method == "pickup":
        if int_field(block, "address_id") != shop.address_id:
            raise wrong_parameters("pickup.address_id is invalid")
        offered = {slot["pickup_time_id"] for slot in pickup_slots(now) + pickup_slots(now - DAY)}
        if str_field(block, "pickup_time_id") not in offered:
            raise wrong_parameters("pickup.pickup_time_id is invalid")
        return str_field(block, "tracking_number", required=False)
    if shop.ship_method == "dropoff":
        if int_field(block, "branch_id") != shop.branch_id:
            raise wrong_parameters("dropoff.branch_id is invalid")
        return str_field(block, "tracking_number", required=False)
    return str_field(block, "tracking_number")


def stock_entries(entry: Any) -> list[tuple[int, str, int]]:
    """(model_id, location_id, stock) for each seller_stock of one stock_list entry."""
    if not isinstance(entry, dict):
        raise wrong_parameters("every stock_list entry must be an object")
    model_id = int_field(entry, "model_id", required=False) or 0
    seller_stock = entry.get("seller_stock")
    if not isinstance(seller_stock, list) or not seller_stock:
        raise wrong_parameters("seller_stock is required")
    found = []
    for stock in seller_stock:
        if not isinstance(stock, dict):
            raise wrong_parameters("every seller_stock entry must be an object")
        location = str_field(stock, "location_id", required=False)
        found.append((model_id, location, int_field(stock, "stock") or 0))
    return found


def apply_stock(item: Item, shop: Shop, model_id: int, location: str, stock: int) -> str:
    """Set one stock; the failed_reason when it cannot be set."""
    if location and location != shop.location_id:
        return "location_id is invalid"
    if stock > MAX_STOCK:
        return f"stock should not exceed {MAX_STOCK}"
    if not item.models:
        if model_id:
            return "model_id is invalid: the item has no models"
        item.stock = stock
        return ""
    model = item.model(model_id)
    if model is None:
        return "model_id is invalid"
    model.stock = stock
    return ""
