"""Walmart Marketplace API (US), imitated: OAuth client credentials, orders, inventory.

What makes Walmart Walmart, and what this mock holds clients to:
- Two hosts, `sandbox.walmartapis.com` and `marketplace.walmartapis.com`; an app's client
  id/secret and every token it gets work on the host of their environment only.
- `POST /v3/token` with HTTP Basic gives a 900-second access token, sent back in
  `WM_SEC.ACCESS_TOKEN` (not `Authorization: Bearer`). Solution providers refresh with a
  365-day refresh token (`grant_type=refresh_token` plus `WM_PARTNER.ID`), not rotated.
- `WM_SVC.NAME` and `WM_QOS.CORRELATION_ID` on every call, else 400 from the gateway.
- No request signing (Walmart dropped its RSA digital signature for OAuth in 2019).
- Token buckets per seller and per API, advertised on every response in
  `x-current-token-count` / `x-next-replenishment-time` (epoch ms); no `Retry-After`.
- `list.meta.nextCursor` is a query string to append verbatim to `/v3/orders`.
- Gateway errors are `{"error": [...]}`, service errors `{"errors": {"error": [...]}}`.
Sources and inferred details: docs/platforms/walmart.md.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import math
import secrets
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

from clawcheck.platforms.model import (
    GENERIC_SCENARIOS,
    Call,
    ClientRequest,
    Host,
    MockResponse,
    Platform,
    RateLimit,
    route,
)
from clawcheck.platforms.registry import register
from clawcheck.platforms.walmart.errors import GATEWAY, Refusal, error_body, service_of
from clawcheck.platforms.walmart.orders import apply_shipment, check_shipment, inventory_json, matches, merged
from clawcheck.platforms.walmart.parse import (
    MAX_LIMIT,
    OrderQuery,
    parse_flag,
    parse_inventory,
    parse_order_query,
    parse_shipment,
)
from clawcheck.platforms.walmart.state import (
    SELLERS,
    App,
    Order,
    Seller,
    WalmartState,
    build_order,
    make_apps,
    seed_state,
)

if TYPE_CHECKING:
    from clawcheck.platforms.engine import Mock

__all__ = ["PRODUCTION_HOST", "SANDBOX_HOST", "Walmart"]

SANDBOX_HOST = "sandbox.walmartapis.com"
PRODUCTION_HOST = "marketplace.walmartapis.com"
TOKEN_HEADER = "wm_sec.access_token"
REQUIRED_HEADERS = ("WM_SVC.NAME", "WM_QOS.CORRELATION_ID")
NOTIFICATION_HEADER = "X-Walmart-Signature"  # the subscription's authDetails.authHeaderName
PRIMARY = SELLERS[0]
SCOPES = (
    "reports",
    "item",
    "shipping",
    "price",
    "lagtime",
    "feeds",
    "returns",
    "orders",
    "rules",
    "inventory",
)
FUTURE_SLACK_MS = 300_000  # a shipDateTime further ahead than this cannot be a real ship time

Handler = Callable[["Walmart", Call], MockResponse]
# The engine's own refusals (no route matched) and the gateway codes Walmart answers them with.
_GATEWAY_CODES = {"not_found": "URI_NOT_FOUND", "method_not_allowed": "METHOD_NOT_ALLOWED"}


def _per_minute(count: int) -> RateLimit:
    """Walmart's buckets hold a minute's allowance and refill continuously."""
    return RateLimit(per_second=count / 60.0, burst=float(count), scope="shop+operation")


def refusals(handler: Handler) -> Handler:
    """Turn a `Refusal` raised anywhere in a route into Walmart's error response."""

    @functools.wraps(handler)
    def wrapped(self: Walmart, call: Call) -> MockResponse:
        try:
            return handler(self, call)
        except Refusal as refusal:
            return self.refuse(call, refusal)

    return wrapped


def _accepts_json(accept: str | None) -> bool:
    if not accept:
        return True
    for part in accept.split(","):
        media = part.split(";", 1)[0].strip().lower()
        if media in ("*/*", "application/*", "application/json") or media.endswith("+json"):
            return True
    return False


def _basic(header: str | None) -> tuple[str, str] | None:
    """(client id, secret) of an `Authorization: Basic` header; None when it is not one."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except ValueError:  # not base64 (binascii.Error), not ASCII, not UTF-8
        return None
    client_id, colon, secret = decoded.partition(":")
    return (client_id, secret) if colon else None


def _set_header(headers: dict[str, str], name: str, value: str) -> None:
    for key in [k for k in headers if k.lower() == name.lower()]:
        del headers[key]
    headers[name] = value


@register
class Walmart(Platform):
    name = "walmart"
    title = "Walmart Marketplace API (US)"
    spec = "walmart.yaml"
    hosts = (
        Host(SANDBOX_HOST, environment="sandbox"),
        Host(PRODUCTION_HOST, environment="production"),
    )
    # Per seller and per API. Orders 5000/min, ship 60/min and inventory 200/min are Walmart's
    # published figures; the others are inferred (docs/platforms/walmart.md).
    rate_limit: ClassVar[RateLimit] = RateLimit(
        per_second=2.0,
        burst=120.0,
        scope="shop+operation",
        per_operation={
            "get_all_orders": _per_minute(5000),
            "get_released_orders": _per_minute(5000),
            "get_an_order": _per_minute(5000),
            "acknowledge_order": _per_minute(60),
            "ship_order": _per_minute(60),
            "get_inventory": _per_minute(200),
            "update_inventory": _per_minute(200),
        },
    )
    token_ttl = 900.0
    refresh_ttl = 365 * 86400.0
    # Walmart checks no client clock (no signed timestamps), so a skewed platform clock tests nothing.
    scenarios = GENERIC_SCENARIOS - {"clock-skew"}
    webhook_secret_env = "WALMART_WEBHOOK_SECRET"

    def __init__(self, mock: Mock) -> None:
        super().__init__(mock)
        self.state: WalmartState = WalmartState()
        # Apps, refresh tokens and the webhook secret outlive a reset, as the TokenStore does.
        self.apps: dict[str, App] = make_apps()
        self.token_env: dict[str, str] = {}  # access or refresh token -> environment it belongs to
        self.token_issued: dict[str, float] = {}  # access token -> issue time (platform clock)
        self.refresh_tokens: dict[tuple[str, str], str] = {}  # (environment, partnerId) -> token
        self.webhook_secret = "whsec_" + secrets.token_hex(24)
        self._contract_token: str | None = None
        for environment in ("sandbox", "production"):
            for seller in SELLERS:
                grant = self.tokens.issue(seller.partner_id, refresh=True)
                self._remember(grant.access, environment)
                self.token_env[grant.refresh or ""] = environment
                self.refresh_tokens[(environment, seller.partner_id)] = grant.refresh or ""

    # -- the platform's shape ------------------------------------------------------------

    def seed(self) -> None:
        self.state = seed_state(self._now_ms())

    def credentials(self) -> dict[str, str]:
        environment = self.mock.environment
        own = self._app(environment, "seller", PRIMARY.partner_id)
        provider = self._app(environment, "solution_provider")
        return {
            "WALMART_CLIENT_ID": own.client_id,
            "WALMART_CLIENT_SECRET": own.client_secret,
            "WALMART_PARTNER_ID": PRIMARY.partner_id,
            "WALMART_SP_CLIENT_ID": provider.client_id,
            "WALMART_SP_CLIENT_SECRET": provider.client_secret,
            "WALMART_REFRESH_TOKEN": self.refresh_tokens[(environment, PRIMARY.partner_id)],
            "WALMART_WEBHOOK_SECRET": self.webhook_secret,
        }

    def secrets(self) -> list[str]:
        return [
            *super().secrets(),
            *(app.client_secret for app in self.apps.values()),
            *self.refresh_tokens.values(),
        ]

    def seller_app(self, environment: str, partner_id: str) -> App:
        """The seller's own app on `environment` (tests use other sellers' and environments')."""
        return self._app(environment, "seller", partner_id)

    def _app(self, environment: str, kind: str, partner_id: str = "") -> App:
        return next(
            app
            for app in self.apps.values()
            if app.environment == environment and app.kind == kind and app.partner_id == partner_id
        )

    def _environment(self, call: Call) -> str:
        host = self.host(call.request.host)
        return host.environment if host else "any"

    def _now_ms(self, call: Call | None = None) -> int:
        return math.floor((call.now() if call else self.now()) * 1000)

    def _remember(self, access: str, environment: str) -> None:
        self.token_env[access] = environment
        self.token_issued[access] = self.now()

    # -- authentication --------------------------------------------------------------

    def authenticate(self, call: Call) -> MockResponse | None:
        request = call.request
        token = request.header(TOKEN_HEADER)
        if not token:
            call.token_state("missing")
            if (request.header("authorization") or "").lower().startswith("bearer"):
                call.note("access token sent as Authorization: Bearer, not WM_SEC.ACCESS_TOKEN")
            return self._unauthorized(call)
        call.identify(token=token)
        checked = call.tokens.check(token)
        if checked.shop:
            call.identify(shop=checked.shop)
        if checked.state != "valid":
            call.token_state(checked.state)
            return self._unauthorized(call)
        issued_for, environment = self.token_env.get(token), self._environment(call)
        if issued_for != environment:
            call.token_state("invalid")
            call.note(f"a {issued_for} token on the {environment} host")
            return self._unauthorized(call)
        call.token_state("valid")
        refusal = self._header_refusal(call)
        if refusal is None and not _accepts_json(request.header("accept")):
            refusal = Refusal(
                406, "INVALID_ACCEPT_TYPE", "Accept must admit application/json", "Accept", GATEWAY
            )
        return None if refusal is None else self.refuse(call, refusal)

    def _header_refusal(self, call: Call) -> Refusal | None:
        for name in REQUIRED_HEADERS:
            if not (call.request.header(name) or "").strip():
                return Refusal(400, "INVALID_REQUEST_HEADER", f"{name} set blank or null", name, GATEWAY)
        return None

    def _unauthorized(self, call: Call) -> MockResponse:
        return self.refuse(call, Refusal(401, "UNAUTHORIZED", "Unauthorized", "UNAUTHORIZED", GATEWAY))

    # -- errors and throttling ---------------------------------------------------------

    def refuse(self, call: Call, refusal: Refusal) -> MockResponse:
        service = refusal.service or service_of(call.route_name)
        body = error_body(f"{refusal.code}.{service}", refusal.description, field=refusal.field)
        # Service answers come after the rate limiter took a token: they report the bucket too.
        headers = self._bucket_headers(call) if service != GATEWAY else {}
        return call.json(refusal.status, body, headers)

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        """The engine's generic errors (unknown path, bad body, injected 5xx) in Walmart's words."""
        service = service_of(call.route_name)
        if code in _GATEWAY_CODES:
            base, service = _GATEWAY_CODES[code], GATEWAY
        elif code == "bad_request":
            base = "MALFORMED_REQUEST_CONTENT"
        elif status == 503:
            base, service = "SYSTEM_ERROR", GATEWAY
        elif status == 504:
            base = "DOWNSTREAM_SYSTEM_TIME_OUT"
        elif status >= 500:
            base = "SYSTEM_ERROR"
        else:
            base = code.upper()
        return call.json(status, error_body(f"{base}.{service}", message))

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        wait = max(retry_after, 0.001)
        call.advertise_wait(wait)
        headers = {
            "x-current-token-count": "0",
            "x-next-replenishment-time": str(math.ceil((call.now() + wait) * 1000)),
        }
        body = error_body(f"REQUEST_THRESHOLD_VIOLATED.{GATEWAY}", "Too Many Requests")
        return call.json(429, body, headers)

    def _bucket_headers(self, call: Call) -> dict[str, str]:
        """`x-current-token-count` / `x-next-replenishment-time` of this seller's bucket for this API
        (a bucket the engine never filled, rate limits off, reports full)."""
        tokens, _, rule = self.mock.rate_state(call)
        whole = math.floor(tokens + 1e-9)
        until = 0.0 if whole >= rule.burst else (whole + 1 - tokens) / rule.per_second
        return {
            "x-current-token-count": str(whole),
            "x-next-replenishment-time": str(math.ceil((call.now() + until) * 1000)),
        }

    def _ok(self, call: Call, data: Any) -> MockResponse:
        return call.json(200, data, self._bucket_headers(call))

    # -- what a correct client sends (contract tests) ---------------------------------

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        headers = request.headers
        _set_header(headers, "WM_SVC.NAME", "Walmart Marketplace")
        _set_header(headers, "WM_QOS.CORRELATION_ID", str(uuid.uuid4()))
        _set_header(headers, "Accept", "application/json")
        if request.path == "/v3/token":
            app = self._app(self.mock.environment, "seller", PRIMARY.partner_id)
            basic = base64.b64encode(f"{app.client_id}:{app.client_secret}".encode()).decode()
            _set_header(headers, "Authorization", f"Basic {basic}")
        else:
            _set_header(headers, "WM_SEC.ACCESS_TOKEN", self._contract_access())
        return request

    def _contract_access(self) -> str:
        token = self._contract_token
        checked = self.tokens.check(token)
        if token is None or checked.token is None or (checked.token.expires_in(self.now()) or 0) < 60:
            token = self.tokens.issue(PRIMARY.partner_id, refresh=False).access
            self._remember(token, self.mock.environment)
            self._contract_token = token
        return token

    # -- notifications -----------------------------------------------------------------

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        """authMethod HMAC: HMAC-SHA256 of the complete body keyed with the subscription's clientSecret."""
        digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
        return {NOTIFICATION_HEADER: base64.b64encode(digest).decode()}

    def simulate_order(self, shop: str | None = None) -> Mapping[str, Any]:
        seller = next((s for s in SELLERS if s.partner_id == (shop or PRIMARY.partner_id)), None)
        if seller is None:
            known = ", ".join(s.partner_id for s in SELLERS)
            raise NotImplementedError(f"walmart has no seller {shop!r}; its sellers: {known}")
        now_ms = self._now_ms()
        address = self.state.orders_of(seller.partner_id)[-1].address
        order = build_order(self.state, seller.partner_id, now_ms, address, ((self.state.next_po, 1),))
        self.state.orders[order.purchase_order_id] = order
        self.mock.notify("PO_CREATED", order.notification("PO_CREATED", now_ms))
        return order.to_json()

    # -- Authentication API ------------------------------------------------------------

    @route("POST", "/v3/token", name="token", public=True)
    @refusals
    def token(self, call: Call) -> MockResponse:
        refusal = self._header_refusal(call)
        if refusal is not None:
            raise refusal
        app = self._client(call)
        form = call.request.form()
        grant = form.get("grant_type") or call.request.param("grant_type") or "client_credentials"
        if grant == "client_credentials" and app.kind == "seller":
            call.identify(shop=app.partner_id)
            issued = call.tokens.issue(app.partner_id, refresh=False)
            self._remember(issued.access, app.environment)
            return self._token_answer(call, issued.access)
        if grant == "refresh_token" and app.kind == "solution_provider":
            return self._refresh(call, app, form.get("refresh_token") or "")
        if grant == "authorization_code":
            raise Refusal(400, "INVALID_REQUEST_PARAM", "Invalid authorization code", "code", GATEWAY)
        raise Refusal(
            400, "INVALID_REQUEST_PARAM", f"grant_type {grant!r} is not allowed", "grant_type", GATEWAY
        )

    def _client(self, call: Call) -> App:
        """The app of the Basic credentials; another environment's app is as unknown as none."""
        given = _basic(call.request.header("authorization"))
        app = self.apps.get(given[0]) if given else None
        if app is not None and given is not None and hmac.compare_digest(app.client_secret, given[1]):
            if app.environment == self._environment(call):
                return app
            call.note(f"{app.environment} credentials on the {self._environment(call)} host")
        raise Refusal(
            400, "INVALID_REQUEST_HEADER", "Incorrect Authorization header", "Authorization", GATEWAY
        )

    def _refresh(self, call: Call, app: App, refresh_token: str) -> MockResponse:
        partner = (call.request.header("WM_PARTNER.ID") or "").strip()
        if not partner:
            raise Refusal(
                400, "INVALID_REQUEST_HEADER", "WM_PARTNER.ID set blank or null", "WM_PARTNER.ID", GATEWAY
            )
        known = self.token_env.get(refresh_token) == app.environment
        fresh = call.tokens.refresh(refresh_token, rotate=False) if known else None
        if fresh is None or fresh.shop != partner:
            raise Refusal(400, "INVALID_REQUEST_PARAM", "Invalid refresh_token", "refresh_token", GATEWAY)
        call.identify(shop=fresh.shop)
        self._remember(fresh.access, app.environment)
        return self._token_answer(call, fresh.access)

    def _token_answer(self, call: Call, access: str) -> MockResponse:
        checked = call.tokens.check(access)
        expires = checked.token.expires_in(call.now()) if checked.token else None
        return call.json(200, {"access_token": access, "token_type": "Bearer", "expires_in": expires or 0})

    @route("GET", "/v3/token/detail", name="token_detail")
    @refusals
    def token_detail(self, call: Call) -> MockResponse:
        access = call.request.header(TOKEN_HEADER) or ""
        token = call.tokens.check(access).token
        expires = token.expires_at if token and token.expires_at is not None else call.now()
        issued = self.token_issued.get(access, expires - (self.token_ttl or 0))
        return self._ok(
            call,
            {
                "expire_at": str(math.floor(expires * 1000)),
                "issued_at": str(math.floor(issued * 1000)),
                "is_valid": True,
                "is_channel_match": True,
                "scopes": dict.fromkeys(SCOPES, "full_access"),
            },
        )

    # -- Orders API --------------------------------------------------------------------

    @route("GET", "/v3/orders", name="get_all_orders")
    @refusals
    def get_all_orders(self, call: Call) -> MockResponse:
        return self._list_orders(call, released=False)

    @route("GET", "/v3/orders/released", name="get_released_orders")
    @refusals
    def get_released_orders(self, call: Call) -> MockResponse:
        return self._list_orders(call, released=True)

    def _list_orders(self, call: Call, *, released: bool) -> MockResponse:
        params = call.request.params()
        if "nextCursor" in params:
            # Walmart ignores `?nextCursor=...` and serves the first page again; the journal
            # notes the cursor as one this platform never issued in that form.
            call.decode_cursor(params["nextCursor"])
        query = parse_order_query(params, self._now_ms(call), released=released)
        seller = self._seller(call)
        for name, expected in (("partnerId", seller.partner_id), ("sellerId", seller.seller_id)):
            if params.get(name, expected) != expected:
                raise Refusal(400, "INVALID_REQUEST_PARAM", f"{name} does not match the caller", name)
        offset = self._cursor_offset(call, params.get("cursor"))
        found = [o for o in self.state.orders_of(seller.partner_id) if matches(o, query, released)]
        size = call.page_size(query.limit, 100, MAX_LIMIT)
        page = found[offset : offset + size]
        if not page:
            operation = "getAllReleasedOrders" if released else "getAllOrders"
            raise Refusal(
                404,
                "CONTENT_NOT_FOUND",
                f"Failed when called {operation}. Orders not found for given search parameters",
            )
        meta: dict[str, Any] = {"totalCount": len(found), "limit": size}
        if offset + size < len(found):
            meta["nextCursor"] = self._next_cursor(call, seller, query, size, offset + size, len(found))
        orders = [o.to_json(product_info=query.product_info) for o in page]
        return self._ok(call, {"list": {"meta": meta, "elements": {"order": orders}}})

    def _cursor_offset(self, call: Call, cursor: str | None) -> int:
        if cursor is None:
            return 0
        offset = call.decode_cursor(cursor)
        if offset is None:
            raise Refusal(400, "INVALID_REQUEST_PARAM", "Invalid cursor", "nextCursor")
        return offset

    def _next_cursor(
        self, call: Call, seller: Seller, query: OrderQuery, size: int, offset: int, total: int
    ) -> str:
        """The next page's query string, as Walmart shapes it (filters and createdEndDate pinned)."""
        params = [
            ("limit", str(size)),
            ("hasMoreElements", "true"),
            ("soIndex", str(total)),
            ("cursor", call.encode_cursor(offset)),
            ("poIndex", str(offset)),
            ("partnerId", seller.partner_id),
            ("sellerId", seller.seller_id),
            *query.cursor_params(),
        ]
        return "?" + urlencode(params, safe=":")

    @route("GET", "/v3/orders/{purchaseOrderId}", name="get_an_order")
    @refusals
    def get_an_order(self, call: Call) -> MockResponse:
        product_info = parse_flag(call.request.params(), "productInfo")
        return self._ok(call, {"order": self._order(call).to_json(product_info=product_info)})

    @route("POST", "/v3/orders/{purchaseOrderId}/acknowledge", name="acknowledge_order")
    @refusals
    def acknowledge_order(self, call: Call) -> MockResponse:
        order = self._order(call)
        if not any(line.quantity_in("Created", "Acknowledged") for line in order.lines):
            raise Refusal(
                400,
                "INVALID_REQUEST_CONTENT",
                f"Purchase order {order.purchase_order_id} has no line that can be acknowledged",
                "purchaseOrderId",
            )
        now_ms = self._now_ms(call)
        for line in order.lines:
            if line.quantity_in("Created"):
                for entry in line.statuses:
                    if entry.status == "Created":
                        entry.status = "Acknowledged"
                line.statuses = merged(line.statuses)
                line.status_ms = now_ms
        order.modified_ms = now_ms
        return self._ok(call, {"order": order.to_json()})

    @route("POST", "/v3/orders/{purchaseOrderId}/shipping", name="ship_order")
    @refusals
    def ship_order(self, call: Call) -> MockResponse:
        order = self._order(call)
        shipment = parse_shipment(call.request.json())
        check_shipment(order, shipment)  # all lines valid, or nothing changes
        now_ms = self._now_ms(call)
        for ship in shipment.lines:
            if ship.tracking.ship_ms > now_ms + FUTURE_SLACK_MS:
                # A ship time in the future is local time sent as UTC (east of Greenwich).
                call.client_timestamp("shipDateTime", ship.tracking.ship_ms / 1000)
            line = order.line(ship.line_number)
            assert line is not None  # check_shipment found every line
            apply_shipment(line, ship.quantity, ship.tracking, partial_update=shipment.partial_update)
            line.status_ms = now_ms
        order.modified_ms = now_ms
        return self._ok(call, {"order": order.to_json()})

    def _seller(self, call: Call) -> Seller:
        return next(s for s in SELLERS if s.partner_id == call.entry.shop)

    def _order(self, call: Call) -> Order:
        po_id = call.path_params["purchaseOrderId"]
        order = self.state.orders.get(po_id)
        if order is None or order.partner_id != call.entry.shop:
            raise Refusal(
                404, "CONTENT_NOT_FOUND", f"Purchase order {po_id[:40]} was not found", "purchaseOrderId"
            )
        return order

    # -- Inventory API -----------------------------------------------------------------

    @route("GET", "/v3/inventory", name="get_inventory")
    @refusals
    def get_inventory(self, call: Call) -> MockResponse:
        sku = self._sku(call)
        return self._ok(call, inventory_json(sku, self.state.inventory[(self._seller(call).partner_id, sku)]))

    @route("PUT", "/v3/inventory", name="update_inventory")
    @refusals
    def update_inventory(self, call: Call) -> MockResponse:
        sku = self._sku(call)
        amount = parse_inventory(call.request.json(), sku)
        self.state.inventory[(self._seller(call).partner_id, sku)] = amount
        return self._ok(call, inventory_json(sku, amount))

    def _sku(self, call: Call) -> str:
        sku = call.request.param("sku") or ""
        if not sku.strip():
            raise Refusal(400, "MISSING_REQUEST_PARAM", "sku is required", "sku")
        if (self._seller(call).partner_id, sku) not in self.state.inventory:
            raise Refusal(404, "CONTENT_NOT_FOUND", f"Inventory not found for sku {sku[:100]}", "sku")
        return sku
