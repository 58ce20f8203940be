"""Amazon Selling Partner API (SP-API): Orders v0, Listings Items 2021-08-01 and the LWA token.

Derived from Amazon's official Swagger models (github.com/amzn/selling-partner-api-models);
see docs/platforms/amazon.md for the sources, the imitated behaviour and the differences.

- Auth: an LWA access token (`Atza|...`, 3600 s) in `x-amz-access-token`, obtained at
  POST https://api.amazon.com/auth/o2/token from a refresh token that never rotates. No
  request signing: AWS SigV4 has not been required since October 2023 (accepted, ignored).
- Limits: a token bucket per selling partner and operation (the usage plan), 429
  `QuotaExceeded` without Retry-After, the rate in `x-amzn-RateLimit-Limit`.
- Errors: `{"errors": [{"code", "message", "details"}]}`; LWA answers OAuth 2.0 errors.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any, ClassVar

from clawcheck.platforms.amazon.listings import apply_patch, included_data
from clawcheck.platforms.amazon.notifications import order_change
from clawcheck.platforms.amazon.params import (
    ORDER_ID,
    Invalid,
    csv_values,
    marketplaces,
    order_query,
    parse_datetime,
    parse_x_amz_date,
    positive_int,
)
from clawcheck.platforms.amazon.state import (
    MARKETPLACES,
    AmazonState,
    Order,
    OrderItem,
    Package,
    Seller,
    iso,
    seed_state,
)
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

__all__ = ["Amazon"]

LWA_HOST = "api.amazon.com"
REGION_OF_HOST = {
    "sellingpartnerapi-na.amazon.com": "na",
    "sandbox.sellingpartnerapi-na.amazon.com": "na",
    "sellingpartnerapi-eu.amazon.com": "eu",
    "sandbox.sellingpartnerapi-eu.amazon.com": "eu",
}
SP_API_HOSTS = tuple(REGION_OF_HOST)


def _plan(rate: float, burst: float) -> RateLimit:
    return RateLimit(per_second=rate, burst=burst, scope="shop+operation")


# Amazon's default usage plans (the "Usage Plan" tables of the official models).
USAGE_PLANS = {
    "getOrders": _plan(0.0167, 20),
    "getOrder": _plan(0.5, 30),
    "getOrderItems": _plan(0.5, 30),
    "confirmShipment": _plan(2.0, 10),
    "getListingsItem": _plan(5.0, 10),
    "patchListingsItem": _plan(5.0, 10),
}
ACCESS_DENIED = "Access to requested resource is denied."
TOKEN_MISSING = "Access token is missing in the request header."
TOKEN_EXPIRED = "The access token you provided has expired."
TOKEN_INVALID = "The access token you provided is revoked, malformed or invalid."
LWA_SCOPES = frozenset({"sellingpartnerapi::notifications", "sellingpartnerapi::client_credential:rotation"})
_GRANTLESS = "grantless:"
_LISTINGS = frozenset({"getListingsItem", "patchListingsItem"})

# The engine's generic error codes, as SP-API and LWA name them.
_SP_CODES = {
    "bad_request": "InvalidInput",
    "not_found": "NotFound",
    "method_not_allowed": "InvalidInput",
    "internal_error": "InternalFailure",
    "service_unavailable": "ServiceUnavailable",
}
_LISTINGS_CODES = {"bad_request": "INVALID_ARGUMENT", "not_found": "NOT_FOUND"}
_LWA_CODES = {
    "bad_request": "invalid_request",
    "not_found": "invalid_request",
    "method_not_allowed": "invalid_request",
    "internal_error": "server_error",
    "service_unavailable": "temporarily_unavailable",
}
_SP_MESSAGES = {
    "InternalFailure": "We encountered an internal error. Please try again.",
    "ServiceUnavailable": "Service temporarily unavailable. Please try again.",
}


def _access_token() -> str:
    return "Atza|IwEB" + secrets.token_urlsafe(96)


@register
class Amazon(Platform):
    name = "amazon"
    title = "Amazon Selling Partner API (SP-API)"
    spec = "amazon.yaml"
    hosts = (
        Host("sellingpartnerapi-na.amazon.com", environment="production"),
        Host("sandbox.sellingpartnerapi-na.amazon.com", environment="sandbox"),
        Host("sellingpartnerapi-eu.amazon.com", environment="production"),
        Host("sandbox.sellingpartnerapi-eu.amazon.com", environment="sandbox"),
        Host(LWA_HOST, environment="any", role="auth"),
    )
    rate_limit: ClassVar[RateLimit] = RateLimit(0.5, 30, scope="shop+operation", per_operation=USAGE_PLANS)
    token_ttl = 3600.0
    refresh_ttl = None  # LWA refresh tokens do not expire (until the seller revokes the app)
    # SP-API notifications go to SQS/EventBridge unsigned: nothing for a rotated secret to sign.
    scenarios = GENERIC_SCENARIOS - {"webhook-secret-rotated"}

    # -- state and credentials -----------------------------------------------------------

    @property
    def world(self) -> AmazonState:
        assert isinstance(self.state, AmazonState), "seed() has not run"
        return self.state

    def seed(self) -> None:
        state = seed_state(self.now())
        for seller in state.sellers.values():
            seller.access_token = self.tokens.issue(seller.id, refresh=False, access=_access_token()).access
        self.state = state

    def primary(self) -> Seller:
        return next(iter(self.world.sellers.values()))

    def credentials(self) -> dict[str, str]:
        seller = self.primary()
        return {
            "LWA_APP_ID": self.world.client_id,
            "LWA_CLIENT_SECRET": self.world.client_secret,
            "SP_API_REFRESH_TOKEN": seller.refresh_token,
            "SP_API_SELLER_ID": seller.id,
            "SP_API_MARKETPLACE_ID": seller.marketplaces[0],
            "SP_API_REGION": seller.region,
        }

    def secrets(self) -> list[str]:
        refresh = [s.refresh_token for s in self.world.sellers.values()]
        return [*super().secrets(), self.world.client_secret, *refresh]

    # -- auth ----------------------------------------------------------------------------

    def authenticate(self, call: Call) -> MockResponse | None:
        request = call.request
        self._record_date(call)
        token = request.header("x-amz-access-token")
        if not token:
            call.token_state("missing")
            return self._denied(call, TOKEN_MISSING)
        call.identify(token=token)
        checked = call.tokens.check(token)
        call.token_state(checked.state)
        if checked.shop and not checked.shop.startswith(_GRANTLESS):
            call.identify(shop=checked.shop)
        if checked.state == "expired":
            return self._denied(call, TOKEN_EXPIRED)
        if checked.state == "invalid" or checked.shop not in self.world.sellers:
            return self._denied(call, TOKEN_INVALID if checked.state == "invalid" else "")
        return None

    def _record_date(self, call: Call) -> None:
        """x-amz-date only mattered for SigV4; it is still the client's clock, so journal it."""
        stamp = call.request.header("x-amz-date")
        if stamp is None:
            return
        parsed = parse_x_amz_date(stamp)
        if parsed is None:
            call.note("x-amz-date unparseable")
        else:
            call.client_timestamp("x-amz-date", parsed)

    def _denied(self, call: Call, details: str) -> MockResponse:
        return self._errors(call, 403, "Unauthorized", ACCESS_DENIED, details)

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        seller = self.primary()
        if self.tokens.check(seller.access_token).state != "valid":
            seller.access_token = self.tokens.issue(seller.id, refresh=False, access=_access_token()).access
        request.headers["x-amz-access-token"] = seller.access_token
        request.headers["x-amz-date"] = iso(now).replace("-", "").replace(":", "")
        return request

    # -- errors, throttling, headers -----------------------------------------------------

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        if code == "method_not_allowed" and not self._served_here(call):
            # The engine answers 405 when the path exists on *some* host; here it does not exist.
            status, code, message = 404, "not_found", f"no such resource: {call.request.path[:200]}"
        if call.request.host == LWA_HOST:
            return self._lwa_error(status, _LWA_CODES.get(code, code), message)
        table = _LISTINGS_CODES if call.route_name in _LISTINGS else {}
        amazon_code = table.get(code) or _SP_CODES.get(code, code)
        return self._errors(call, status, amazon_code, _SP_MESSAGES.get(amazon_code, message), message)

    def _served_here(self, call: Call) -> bool:
        host, path = call.request.host, call.request.path
        return any(r.regex.fullmatch(path) and (not r.hosts or host in r.hosts) for r in self.routes())

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        # Amazon tells no wait: the client must know its usage plan (no advertise_wait).
        return self._errors(
            call, 429, "QuotaExceeded", "You exceeded your quota for the requested resource.", ""
        )

    def _errors(self, call: Call, status: int, code: str, message: str, details: str) -> MockResponse:
        body = {"errors": [{"code": code, "message": message, "details": details}]}
        return MockResponse.json(status, body, self._headers(call, status))

    def _headers(self, call: Call, status: int) -> dict[str, str]:
        headers = {"x-amzn-RequestId": str(uuid.uuid4())}
        plan = USAGE_PLANS.get(call.route_name)
        if plan is not None and (status < 300 or status in (400, 404, 429)):
            headers["x-amzn-RateLimit-Limit"] = str(float(plan.per_second))
        return headers

    def _json(self, call: Call, data: Any, status: int = 200) -> MockResponse:
        return MockResponse.json(status, data, self._headers(call, status))

    def _lwa_error(self, status: int, code: str, description: str) -> MockResponse:
        body = {"error": code, "error_description": description}
        headers = {"content-type": "application/json;charset=UTF-8", "x-amzn-RequestId": str(uuid.uuid4())}
        return MockResponse(status, MockResponse.json(status, body).body, headers)

    def _refuse(self, call: Call, invalid: Invalid) -> MockResponse:
        return self._errors(call, invalid.status, invalid.code, invalid.message, invalid.details)

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        return {}  # SP-API notifications are not signed (SQS/EventBridge IAM instead)

    # -- Login with Amazon ---------------------------------------------------------------

    @route("POST", "/auth/o2/token", name="getLwaAccessToken", public=True, hosts=(LWA_HOST,))
    def lwa_token(self, call: Call) -> MockResponse:
        form = call.request.form()
        grant = form.get("grant_type", "")
        for name in ("grant_type", "client_id", "client_secret"):
            if not form.get(name):
                return self._lwa_error(
                    400, "invalid_request", f"The request is missing a required parameter : {name}"
                )
        if grant not in ("refresh_token", "client_credentials", "authorization_code"):
            return self._lwa_error(
                400, "unsupported_grant_type", f"The grant type {grant[:40]!r} is not supported"
            )
        world = self.world
        if not (
            secrets.compare_digest(form["client_id"], world.client_id)
            and secrets.compare_digest(form["client_secret"], world.client_secret)
        ):
            return self._lwa_error(401, "invalid_client", "Client authentication failed")
        if grant == "authorization_code":  # this mock never issues authorization codes
            return self._lwa_error(400, "invalid_grant", "The request has an invalid grant parameter : code")
        if grant == "client_credentials":
            return self._grantless(call, form.get("scope", ""))
        seller = world.seller_by_refresh(form.get("refresh_token", ""))
        if seller is None:
            return self._lwa_error(
                400, "invalid_grant", "The request has an invalid grant parameter : refresh_token"
            )
        token = call.tokens.issue(seller.id, refresh=False, access=_access_token())
        return self._token_response(call, token.access, token.expires_in(call.now()), seller.refresh_token)

    def _grantless(self, call: Call, scope: str) -> MockResponse:
        if scope not in LWA_SCOPES:
            return self._lwa_error(400, "invalid_scope", "The request has an invalid parameter : scope")
        token = call.tokens.issue(_GRANTLESS + scope, refresh=False, access=_access_token())
        return self._token_response(call, token.access, token.expires_in(call.now()), None)

    def _token_response(
        self, call: Call, access: str, expires_in: int | None, refresh: str | None
    ) -> MockResponse:
        body: dict[str, Any] = {"access_token": access, "token_type": "bearer", "expires_in": expires_in or 0}
        if refresh:
            body["refresh_token"] = refresh
        response = MockResponse.json(200, body)
        response.headers["content-type"] = "application/json;charset=UTF-8"
        response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
        return response

    # -- Orders v0 -----------------------------------------------------------------------

    def seller(self, call: Call) -> Seller:
        """The authenticated seller (authenticate() refused everyone else)."""
        return self.world.sellers[call.entry.shop or ""]

    def region(self, call: Call) -> str:
        return REGION_OF_HOST.get(call.request.host, "na")

    @route("GET", "/orders/v0/orders", name="getOrders", hosts=SP_API_HOSTS)
    def get_orders(self, call: Call) -> MockResponse:
        seller = self.seller(call)
        try:
            next_token = call.request.param("NextToken")
            if next_token is not None:
                marketplaces(
                    csv_values(call.request, "MarketplaceIds"), seller, self.region(call), "MarketplaceIds"
                )
                query = self.world.queries.get(next_token)
                offset = call.decode_cursor(next_token)
                if query is None or offset is None or query.seller != seller.id:
                    raise Invalid("Invalid Input", "Invalid NextToken")
            else:
                query = order_query(call.request, seller, self.region(call), call.now())
                offset = 0
        except Invalid as invalid:
            return self._refuse(call, invalid)
        found = sorted(
            (o for o in self.world.orders.values() if query.matches(o)), key=lambda o: (o.purchased, o.id)
        )
        size = call.page_size(query.page_size, 100, 100)
        payload: dict[str, Any] = {"Orders": [o.to_json() for o in found[offset : offset + size]]}
        if offset + size < len(found):
            token = call.encode_cursor(offset + size)
            self.world.queries[token] = query
            payload["NextToken"] = token
        if query.created_after is not None:
            payload["CreatedBefore"] = iso(query.created_before or call.now())
        else:
            payload["LastUpdatedBefore"] = iso(query.updated_before or call.now())
        return self._json(call, {"payload": payload})

    def order(self, call: Call) -> Order:
        order_id = call.path_params["orderId"]
        if not ORDER_ID.fullmatch(order_id):
            raise Invalid("Invalid Input", f"Invalid AmazonOrderId {order_id[:40]!r}: expected 3-7-7 digits")
        order = self.world.orders.get(order_id)
        seller = self.seller(call)
        if (
            order is None
            or order.seller != seller.id
            or MARKETPLACES[order.marketplace].region != self.region(call)
        ):
            raise Invalid("Resource not found", f"Order {order_id} not found", status=404, code="NotFound")
        return order

    @route("GET", "/orders/v0/orders/{orderId}", name="getOrder", hosts=SP_API_HOSTS)
    def get_order(self, call: Call) -> MockResponse:
        try:
            order = self.order(call)
        except Invalid as invalid:
            return self._refuse(call, invalid)
        return self._json(call, {"payload": order.to_json()})

    @route("GET", "/orders/v0/orders/{orderId}/orderItems", name="getOrderItems", hosts=SP_API_HOSTS)
    def get_order_items(self, call: Call) -> MockResponse:
        try:
            order = self.order(call)
            next_token = call.request.param("NextToken")
            offset = 0
            if next_token is not None:
                found = call.decode_cursor(next_token)
                if found is None or self.world.item_pages.get(next_token) != order.id:
                    raise Invalid("Invalid Input", "Invalid NextToken")
                offset = found
        except Invalid as invalid:
            return self._refuse(call, invalid)
        size = call.page_size(None, 100, 100)
        items = order.items[offset : offset + size]
        payload: dict[str, Any] = {
            "AmazonOrderId": order.id,
            "OrderItems": [order.item_json(i) for i in items],
        }
        if offset + size < len(order.items):
            token = call.encode_cursor(offset + size)
            self.world.item_pages[token] = order.id
            payload["NextToken"] = token
        return self._json(call, {"payload": payload})

    @route(
        "POST", "/orders/v0/orders/{orderId}/shipmentConfirmation", name="confirmShipment", hosts=SP_API_HOSTS
    )
    def confirm_shipment(self, call: Call) -> MockResponse:
        try:
            order = self.order(call)
            package, quantities = self._package(call, order)
        except Invalid as invalid:
            return self._refuse(call, invalid)
        for item in order.items:
            item.shipped += quantities.get(item.id, 0)
        order.status = "Shipped" if all(i.unshipped == 0 for i in order.items) else "PartiallyShipped"
        order.updated = call.now()
        order.packages.append(package)
        call.notify("ORDER_CHANGE", order_change(order, self.world.client_id, call.now()))
        return MockResponse(204, b"", self._headers(call, 204))

    def _package(self, call: Call, order: Order) -> tuple[Package, dict[str, int]]:
        body = call.request.json()
        if not isinstance(body, dict) or not isinstance(body.get("packageDetail"), dict):
            raise Invalid("Invalid Input", "marketplaceId and packageDetail are required")
        if body.get("marketplaceId") != order.marketplace:
            raise Invalid("Invalid Input", "marketplaceId does not match the order's marketplace")
        if order.channel != "MFN" or order.status not in ("Unshipped", "PartiallyShipped"):
            raise Invalid("Invalid Input", f"Order {order.id} in status {order.status} cannot be confirmed")
        detail: dict[str, Any] = body["packageDetail"]
        reference, carrier, tracking = (
            detail.get(k) for k in ("packageReferenceId", "carrierCode", "trackingNumber")
        )
        if not (isinstance(reference, str) and reference.isdigit() and int(reference) > 0):
            raise Invalid("Invalid Input", "packageReferenceId must be a positive number")
        if not (isinstance(carrier, str) and carrier and isinstance(tracking, str) and tracking):
            raise Invalid("Invalid Input", "carrierCode and trackingNumber are required")
        if carrier == "Others" and not detail.get("carrierName"):
            raise Invalid("Invalid Input", "carrierName is required when carrierCode is Others")
        ship_date = detail.get("shipDate")
        if not isinstance(ship_date, str):
            raise Invalid("Invalid Input", "shipDate is required")
        parse_datetime("shipDate", ship_date)
        quantities = self._shipped_quantities(order, detail.get("orderItems"))
        package = Package(reference, carrier, tracking, ship_date, tuple(quantities.items()))
        return package, quantities

    def _shipped_quantities(self, order: Order, lines: Any) -> dict[str, int]:
        if not isinstance(lines, list) or not lines:
            raise Invalid("Invalid Input", "packageDetail.orderItems must list the shipped items")
        items: dict[str, OrderItem] = {i.id: i for i in order.items}
        quantities: dict[str, int] = {}
        for line in lines:
            item_id = line.get("orderItemId") if isinstance(line, dict) else None
            quantity = positive_int(line.get("quantity")) if isinstance(line, dict) else None
            item = items.get(item_id) if isinstance(item_id, str) else None
            if item is None or quantity is None:
                raise Invalid(
                    "Invalid Input", "each order item needs a known orderItemId and a positive quantity"
                )
            quantities[item.id] = quantities.get(item.id, 0) + quantity
            if quantities[item.id] > item.unshipped:
                raise Invalid(
                    "Invalid Input", f"quantity of order item {item.id} exceeds its unshipped quantity"
                )
        return quantities

    # -- Listings Items 2021-08-01 -------------------------------------------------------

    def listing_of(self, call: Call) -> tuple[Any, str]:
        seller = self.seller(call)
        seller_id, sku = call.path_params["sellerId"], call.path_params["sku"]
        if seller_id != seller.id:
            raise Invalid(ACCESS_DENIED, "", status=403, code="Unauthorized")
        try:
            markets = marketplaces(
                csv_values(call.request, "marketplaceIds"), seller, self.region(call), "marketplaceIds"
            )
        except Invalid as invalid:
            if invalid.status == 400:
                raise Invalid(
                    "Invalid 'marketplaceIds' provided.", invalid.details, code="INVALID_ARGUMENT"
                ) from None
            raise
        listing = self.world.listings.get((seller.id, sku))
        if listing is None or listing.marketplace not in markets:
            raise Invalid(
                f"SKU '{sku[:100]}' not found in marketplace {markets[0]}", "", status=404, code="NOT_FOUND"
            )
        return listing, sku

    @route("GET", "/listings/2021-08-01/items/{sellerId}/{sku}", name="getListingsItem", hosts=SP_API_HOSTS)
    def get_listings_item(self, call: Call) -> MockResponse:
        try:
            listing, _ = self.listing_of(call)
            included = included_data(csv_values(call.request, "includedData"), "summaries")
        except Invalid as invalid:
            return self._refuse(call, invalid)
        return self._json(call, listing.to_json(included))

    @route(
        "PATCH", "/listings/2021-08-01/items/{sellerId}/{sku}", name="patchListingsItem", hosts=SP_API_HOSTS
    )
    def patch_listings_item(self, call: Call) -> MockResponse:
        try:
            listing, sku = self.listing_of(call)
            submission = apply_patch(listing, call.request.json())
        except Invalid as invalid:
            return self._refuse(call, invalid)
        if submission.accepted:
            listing.updated = call.now()
        status = "ACCEPTED" if submission.accepted else "INVALID"
        body = {"sku": sku, "status": status, "submissionId": uuid.uuid4().hex, "issues": submission.issues}
        return self._json(call, body)

    # -- the harness's control API -------------------------------------------------------

    def simulate_order(self, shop: str | None = None) -> dict[str, Any]:
        """A new Unshipped seller-fulfilled order of one unit of the seller's first listing."""
        seller = self.world.sellers.get(shop or "") or self.primary()
        listing = next(li for li in self.world.listings.values() if li.seller == seller.id)
        serial = self.world.next_serial()
        prefix = "11" if seller.region == "na" else "30"
        order_id = f"{prefix}{serial % 10}-{7000000 + serial:07d}-{4400000 + serial:07d}"
        item = OrderItem(
            f"{60000000000000 + serial:014d}", listing.sku, listing.asin, listing.name, 1, listing.price
        )
        now = self.now()
        order = Order(
            order_id,
            seller.id,
            listing.marketplace,
            "Unshipped",
            "MFN",
            now,
            now,
            [item],
            "Fargo",
            "ND",
            "58102",
        )
        self.world.orders[order_id] = order
        if listing.quantity:
            listing.set_quantity(listing.quantity - 1)
        return order.to_json()
