"""Shopify Admin REST API (2024-10), imitated: two development stores on `{shop}.myshopify.com`.

Auth is `X-Shopify-Access-Token`: expiring offline tokens (3600 s, refresh token 90 days,
rotated on every refresh), and non-expiring ones for apps that do not ask for expiry.
Requests are not signed (only webhooks are). The rate limit is Shopify's leaky bucket:
40 requests per app per store, leaking 2 per second; every response says how full it is.
"""

from __future__ import annotations

import functools
import hmac
import math
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from clawcheck.platforms.model import (
    BadBody,
    Call,
    ClientRequest,
    Host,
    MockResponse,
    Platform,
    RateLimit,
    route,
)
from clawcheck.platforms.registry import register
from clawcheck.platforms.shopify import operations as ops
from clawcheck.platforms.shopify import render
from clawcheck.platforms.shopify.query import (
    ApiError,
    Page,
    PageToken,
    Reply,
    id_list,
    integer,
    page_info_conflicts,
    paginate,
    parse_fields,
    parse_time,
)
from clawcheck.platforms.shopify.state import (
    SHOP_DOMAINS,
    Grant,
    Order,
    Shop,
    ShopifyState,
    new_order,
    seed_state,
)
from clawcheck.signing import SCHEMES
from clawcheck.signing._model import SignedMessage

__all__ = ["Shopify"]

API_VERSION = "2024-10"
CLIENT_ID = "3f7c1d2e9a8b4c5d6e7f8091a2b3c4d5"
CLIENT_SECRET = "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"
SCOPES = (
    "read_orders,write_orders,read_merchant_managed_fulfillment_orders,"
    "write_merchant_managed_fulfillment_orders,read_inventory,write_inventory,read_products,read_locations"
)
BUCKET_SIZE, LEAK_RATE = 40, 2.0
NEVER = 100 * 365 * 86400.0  # a non-expiring token's lifetime (the token store needs a number)
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
THROTTLED = (
    "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
)
MAX_PAGES_KEPT = 10_000
PREFIX = "/admin/api/{version}"

RouteFn = Callable[["Shopify", Call, Shop], Reply]


def api(method: str, path: str, *, name: str) -> Callable[[RouteFn], Callable[[Shopify, Call], MockResponse]]:
    """An Admin API route: runs with the request's store, answers JSON with Shopify's headers."""

    def decorate(fn: RouteFn) -> Callable[[Shopify, Call], MockResponse]:
        @functools.wraps(fn)
        def handler(self: Shopify, call: Call) -> MockResponse:
            shop = self.shop_of(call)
            try:
                reply = fn(self, call, shop)
            except BadBody:
                root = {"create_fulfillment": "fulfillment"}.get(call.route_name, "inventory_item_id")
                return self._errors(call, 400, {root: "Required parameter missing or invalid"})
            except ApiError as refused:
                return self._errors(call, refused.status, refused.errors)
            headers = {**self.headers(call), **(reply.headers or {})}
            return call.json(reply.status, reply.data, headers)

        return route(method, PREFIX + path, name=name)(handler)

    return decorate


@register
class Shopify(Platform):
    name = "shopify"
    title = "Shopify Admin REST API (2024-10)"
    spec = "shopify.yaml"
    hosts = tuple(Host(domain, environment="any") for domain in SHOP_DOMAINS)
    # The leaky bucket is a token bucket seen from the other side: 40 deep, 2 per second.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=LEAK_RATE, burst=BUCKET_SIZE, scope="shop")
    token_ttl = 3600.0
    refresh_ttl = 90 * 86400.0
    webhook_secret_env = "SHOPIFY_CLIENT_SECRET"
    default_backoff = 2.0

    state: ShopifyState

    # -- the stores ------------------------------------------------------------------

    def seed(self) -> None:
        self.state = seed_state(self.now())
        for domain in SHOP_DOMAINS:
            token = self._issue(domain)
            self.state.access[domain], self.state.refresh[domain] = token
            self.state.codes[f"code-{uuid.uuid4().hex}"] = domain

    def credentials(self) -> dict[str, str]:
        shop = SHOP_DOMAINS[0]
        checked = self.tokens.check(self.state.access[shop]).token
        expires = checked.expires_at if checked and checked.expires_at is not None else self.now() + NEVER
        return {
            "SHOPIFY_SHOP": shop,
            "SHOPIFY_API_VERSION": API_VERSION,
            "SHOPIFY_CLIENT_ID": CLIENT_ID,
            "SHOPIFY_CLIENT_SECRET": CLIENT_SECRET,
            "SHOPIFY_ACCESS_TOKEN": self.state.access[shop],
            "SHOPIFY_REFRESH_TOKEN": self.state.refresh[shop],
            # True (unskewed) Unix time, as the adapter's own clock reads it.
            "SHOPIFY_ACCESS_EXPIRES_AT": f"{expires - self.mock.skew:.0f}",
        }

    def shop_of(self, call: Call) -> Shop:
        return self.state.shops.get(call.request.host) or self.state.shops[SHOP_DOMAINS[0]]

    # -- auth ------------------------------------------------------------------------

    def authenticate(self, call: Call) -> MockResponse | None:
        shop = self.shop_of(call)
        call.identify(shop=shop.domain)
        if not _valid_version(call.path_params.get("version", "")):
            return self._errors(call, 404, "Not Found")
        token = call.request.header("x-shopify-access-token")
        if not token:
            call.token_state("missing")
            return self._errors(call, 401, INVALID_TOKEN)
        call.identify(token=token)
        checked = self.tokens.check(token)
        state = checked.state if checked.shop == shop.domain else "invalid"
        call.token_state(state)
        if state != "valid":
            return self._errors(call, 401, INVALID_TOKEN)
        self._retire_replaced_grant(token)
        return None

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        domain = urlsplit(request.url).hostname or ""
        shop = domain if domain in self.state.access else SHOP_DOMAINS[0]
        request.headers["X-Shopify-Access-Token"] = self.state.access[shop]
        return request

    def _issue(self, shop: str, *, expiring: bool = True) -> tuple[str, str]:
        """A token pair with Shopify's prefixes; the grant remembers the refresh token."""
        access = f"shpat_{uuid.uuid4().hex}"
        if not expiring:
            self.tokens.issue(shop, ttl=NEVER, refresh=False, access=access)
            return access, ""
        token = self.tokens.issue(shop, access=access, refresh_value=f"shprt_{uuid.uuid4().hex}")
        refresh = token.refresh or ""
        self.state.grants[refresh] = Grant(shop, token.refresh_expires_at)
        return access, refresh

    def _retire_replaced_grant(self, access: str) -> None:
        """The first use of a refreshed access token ends the refresh token it replaced."""
        for value, grant in list(self.state.grants.items()):
            if grant.successor == access:
                del self.state.grants[value]
                self.tokens.revoke(value)

    # -- errors and throttling ---------------------------------------------------------

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        if call.route_name == "oauth_access_token":
            return call.json(status, {"error": "invalid_request", "error_description": message})
        if status in (404, 405):
            return self._errors(call, 404, "Not Found")
        if status == 400:
            return self._errors(call, 400, {"base": "Required parameter missing or invalid"})
        if status == 401:
            return self._errors(call, 401, INVALID_TOKEN)
        if status >= 500:
            return self._errors(call, status, _reason(status))
        return self._errors(call, status, message)

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        # Shopify always says 2.0; an injected throttle window may be longer, so say that.
        wait = max(2.0, math.ceil(retry_after * 10) / 10)
        call.advertise_wait(wait)
        headers = {**self.headers(call), "Retry-After": f"{wait:.1f}"}
        headers["X-Shopify-Shop-Api-Call-Limit"] = f"{BUCKET_SIZE}/{BUCKET_SIZE}"
        return call.json(429, {"errors": THROTTLED}, headers)

    def _errors(self, call: Call, status: int, errors: Any) -> MockResponse:
        return call.json(status, {"errors": errors}, self.headers(call))

    def headers(self, call: Call) -> dict[str, str]:
        """What every Admin API response carries."""
        version = call.path_params.get("version", API_VERSION)
        headers = {
            "X-Shopify-API-Version": version if _valid_version(version) else API_VERSION,
            "X-Request-Id": f"{uuid.uuid4()}-{int(call.now())}",
        }
        if call.entry.shop and call.entry.token_state == "valid":
            # The engine's token bucket seen from Shopify's side: the leaky bucket's level is
            # what has been spent of it.
            tokens, _, _ = self.mock.rate_state(call)
            level = max(0.0, BUCKET_SIZE - tokens)
            headers["X-Shopify-Shop-Api-Call-Limit"] = (
                f"{min(BUCKET_SIZE, math.ceil(level - 1e-6))}/{BUCKET_SIZE}"
            )
        return headers

    # -- webhooks --------------------------------------------------------------------

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        signed = SCHEMES.get("shopify").sign([secret], SignedMessage(body=body))
        triggered = datetime.fromtimestamp(now, UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        return {
            **signed,
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": self.state.notifying,
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
            "X-Shopify-Event-Id": str(uuid.uuid4()),
            "X-Shopify-Triggered-At": triggered,
        }

    def _notify(self, call: Call, shop: Shop, topic: str, payload: Mapping[str, Any]) -> None:
        # webhook_headers has no store argument: name it here (the engine runs one request at a time).
        self.state.notifying = shop.domain
        call.notify(topic, payload)

    def simulate_order(self, shop: str | None = None) -> Mapping[str, Any]:
        store = self.state.shops.get(shop or SHOP_DOMAINS[0]) or self.state.shops[SHOP_DOMAINS[0]]
        first = store.orders[0]
        lines = [(store.products[0].variants[0].sku, 1)]
        order = new_order(self.state, store, first.address, lines, "paid", self.now())
        payload = render.order(store, order)
        self.state.notifying = store.domain
        self.mock.notify("orders/create", payload)
        return payload

    # -- OAuth -----------------------------------------------------------------------

    @route("POST", "/admin/oauth/access_token", name="oauth_access_token", public=True)
    def oauth_access_token(self, call: Call) -> MockResponse:
        shop = self.shop_of(call)
        call.identify(shop=shop.domain)
        form = _form(call)
        if form is None:
            return _oauth_error(call, 400, "invalid_request", "The request body could not be read")
        if not (
            _same(form.get("client_id", ""), CLIENT_ID)
            and _same(form.get("client_secret", ""), CLIENT_SECRET)
        ):
            return _oauth_error(call, 401, "invalid_client", "Client authentication failed")
        grant_type = form.get("grant_type", "authorization_code")
        if grant_type == "refresh_token":
            return self._refresh(call, shop, form.get("refresh_token", ""))
        if grant_type != "authorization_code":
            return _oauth_error(
                call, 400, "unsupported_grant_type", f"Unsupported grant type: {grant_type[:40]}"
            )
        if self.state.codes.get(form.get("code", "")) != shop.domain:
            return _oauth_error(
                call, 400, "invalid_request", "The authorization code was not found or was already used"
            )
        del self.state.codes[form["code"]]
        expiring = form.get("expiring") == "1"
        access, refresh = self._issue(shop.domain, expiring=expiring)
        return call.json(200, self._token_body(call, access, refresh if expiring else None))

    def _refresh(self, call: Call, shop: Shop, value: str) -> MockResponse:
        grant = self.state.grants.get(value)
        now = call.now()
        if (
            grant is None
            or grant.shop != shop.domain
            or (grant.expires_at is not None and now >= grant.expires_at)
        ):
            return _oauth_error(
                call, 400, "invalid_grant", "The refresh token is invalid, expired or revoked"
            )
        if grant.successor is not None:
            # The earlier replacement was never used: it is superseded by this one.
            self.tokens.revoke(grant.successor)
            self.tokens.revoke(grant.successor_refresh or "")
            self.state.grants.pop(grant.successor_refresh or "", None)
        access, refresh = self._issue(shop.domain)
        grant.successor, grant.successor_refresh = access, refresh
        return call.json(200, self._token_body(call, access, refresh))

    def _token_body(self, call: Call, access: str, refresh: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"access_token": access, "scope": SCOPES}
        token = self.tokens.check(access).token
        if refresh and token is not None and token.expires_at is not None:
            body["expires_in"] = token.expires_in(call.now())
            body["refresh_token"] = refresh
            body["refresh_token_expires_in"] = round(self.refresh_ttl or 0)
        return body

    # -- orders ----------------------------------------------------------------------

    @api("GET", "/orders.json", name="list_orders")
    def list_orders(self, call: Call, shop: Shop) -> Reply:
        token, filters = self._listing(call, "orders", ops.order_filters)
        orders = [o for o in shop.orders if ops.order_matches(o, filters)]
        page = paginate(orders, ops.order_key, token, self._limit(call))
        fields = parse_fields(call.request.param("fields"))
        data = [render.only_fields(render.order(shop, o), fields) for o in page.items]
        return self._page_reply(call, "orders", data, page, filters)

    @api("GET", "/orders/count.json", name="count_orders")
    def count_orders(self, call: Call, shop: Shop) -> Reply:
        filters = ops.order_filters(call.request.params())
        return Reply({"count": sum(1 for o in shop.orders if ops.order_matches(o, filters))})

    @api("GET", "/orders/{order_id}/fulfillment_orders.json", name="list_fulfillment_orders")
    def list_fulfillment_orders(self, call: Call, shop: Shop) -> Reply:
        order = self._order(call, shop)
        items = [render.fulfillment_order(shop, order, fo) for fo in order.fulfillment_orders]
        return Reply({"fulfillment_orders": items})

    @api("GET", "/orders/{order_id}/fulfillments.json", name="list_fulfillments")
    def list_fulfillments(self, call: Call, shop: Shop) -> Reply:
        order = self._order(call, shop)
        return Reply({"fulfillments": [render.fulfillment(order.id, f) for f in order.fulfillments]})

    @api("GET", "/orders/{order_id}.json", name="get_order")
    def get_order(self, call: Call, shop: Shop) -> Reply:
        order = self._order(call, shop)
        fields = parse_fields(call.request.param("fields"))
        return Reply({"order": render.only_fields(render.order(shop, order), fields)})

    @api("POST", "/fulfillments.json", name="create_fulfillment")
    def create_fulfillment(self, call: Call, shop: Shop) -> Reply:
        order, fulfillment = ops.create_fulfillment(self.state, shop, call.request.json(), call.now())
        if order.fulfillment_status == "fulfilled":
            self._notify(call, shop, "orders/fulfilled", render.order(shop, order))
        return Reply({"fulfillment": render.fulfillment(order.id, fulfillment)}, status=201)

    # -- inventory -------------------------------------------------------------------

    @api("GET", "/locations.json", name="list_locations")
    def list_locations(self, call: Call, shop: Shop) -> Reply:
        return Reply({"locations": [render.location(loc) for loc in shop.locations]})

    @api("GET", "/products.json", name="list_products")
    def list_products(self, call: Call, shop: Shop) -> Reply:
        token, filters = self._listing(call, "products", _product_filters)
        ids = filters.get("ids")
        since = int(filters.get("since_id", "0"))
        products = [p for p in shop.products if p.id > since and (not ids or str(p.id) in ids.split(","))]
        page = paginate(products, lambda p: (p.id,), token, self._limit(call))
        fields = parse_fields(call.request.param("fields"))
        data = [render.only_fields(render.product(shop, p), fields) for p in page.items]
        return self._page_reply(call, "products", data, page, filters)

    @api("GET", "/variants/{variant_id}.json", name="get_variant")
    def get_variant(self, call: Call, shop: Shop) -> Reply:
        wanted = call.path_params["variant_id"]
        variant = next((v for v in shop.variants() if str(v.id) == wanted), None)
        if variant is None:
            raise ApiError(404, "Not Found")
        fields = parse_fields(call.request.param("fields"))
        return Reply({"variant": render.only_fields(render.variant(shop, variant), fields)})

    @api("GET", "/inventory_levels.json", name="list_inventory_levels")
    def list_inventory_levels(self, call: Call, shop: Shop) -> Reply:
        token, filters = self._listing(call, "inventory_levels", _level_filters)
        items = id_list("inventory_item_ids", filters.get("inventory_item_ids"))
        locations = id_list("location_ids", filters.get("location_ids"))
        updated = float(filters["updated_at_min"]) if "updated_at_min" in filters else None
        levels = ops.levels_matching(shop, items, locations, updated)
        page = paginate(levels, lambda kv: (kv[0][1], kv[0][0]), token, self._limit(call))
        data = [render.inventory_level(key, level) for key, level in page.items]
        return self._page_reply(call, "inventory_levels", data, page, filters)

    @api("POST", "/inventory_levels/set.json", name="set_inventory_level")
    def set_inventory_level(self, call: Call, shop: Shop) -> Reply:
        key, level = ops.set_inventory_level(shop, call.request.json(), call.now())
        rendered = render.inventory_level(key, level)
        self._notify(call, shop, "inventory_levels/update", rendered)
        return Reply({"inventory_level": rendered})

    # -- helpers ---------------------------------------------------------------------

    def _order(self, call: Call, shop: Shop) -> Order:
        text = call.path_params["order_id"]
        order = shop.order(int(text)) if text.isdigit() and len(text) <= 19 else None
        if order is None:
            raise ApiError(404, "Not Found")
        return order

    def _limit(self, call: Call) -> int:
        return call.page_size(call.request.param("limit"), 50, 250)

    def _listing(
        self, call: Call, resource: str, parse: Callable[[Mapping[str, str]], dict[str, str]]
    ) -> tuple[PageToken | None, dict[str, str]]:
        """The page token (if any) and the filters: a cursor carries the first request's filters."""
        text = call.request.param("page_info")
        if text is None:
            return None, parse(call.request.params())
        page_info_conflicts(call.request.query)
        token = self.state.pages.get(text) if call.decode_cursor(text) is not None else None
        if token is None or token.resource != resource:
            raise ApiError(400, {"page_info": "Invalid value."})
        return token, dict(token.filters)

    def _page_reply(
        self, call: Call, resource: str, data: list[Any], page: Page[Any], filters: Mapping[str, str]
    ) -> Reply:
        links = []
        for rel, key in (("previous", page.previous), ("next", page.next)):
            if key is not None:
                token = PageToken(resource, tuple(sorted(filters.items())), key, rel)  # type: ignore[arg-type]
                links.append(f'<{self._page_url(call, token)}>; rel="{rel}"')
        headers = {"Link": ", ".join(links)} if links else None
        return Reply({resource: data}, headers=headers)

    def _page_url(self, call: Call, token: PageToken) -> str:
        cursor = call.encode_cursor(0)
        if len(self.state.pages) >= MAX_PAGES_KEPT:
            self.state.pages.clear()  # a runaway client must not grow memory without bound
        self.state.pages[cursor] = token
        request = call.request
        # The link points where the client reached the store: the real host in-process,
        # the loopback listener over HTTP (so an unmodified SDK can follow it).
        base = f"{request.scheme}://{request.header('host') or request.host}{request.path}"
        query = f"limit={self._limit(call)}"
        fields = request.param("fields")
        if fields:
            query += f"&fields={quote(fields, safe=',')}"
        return f"{base}?{query}&page_info={quote(cursor, safe='')}"


# -- small pure helpers --------------------------------------------------------------------


def _valid_version(text: str) -> bool:
    if text == "unstable":
        return True
    return (
        len(text) == 7
        and text[4] == "-"
        and text[:4].isdigit()
        and text[5:].isdigit()
        and 1 <= int(text[5:]) <= 12
    )


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Internal Server Error"


def _form(call: Call) -> dict[str, str] | None:
    """The token request's parameters: a form (Shopify's docs) or JSON (shopify-api-js)."""
    content_type = (call.request.header("content-type") or "").lower()
    try:
        if "json" in content_type:
            data = call.request.json()
            if not isinstance(data, dict):
                return None
            return {
                str(k): str(v)
                for k, v in data.items()
                if isinstance(v, str | int) and not isinstance(v, bool)
            }
        form = call.request.form()
    except BadBody:
        return None
    return form or dict(call.request.query)


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes non-ASCII input (compare_digest on str does not)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())


def _oauth_error(call: Call, status: int, error: str, description: str) -> MockResponse:
    return call.json(status, {"error": error, "error_description": description})


def _product_filters(params: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    if params.get("since_id"):
        found["since_id"] = str(integer("since_id", params["since_id"]))
    ids = id_list("ids", params.get("ids"))
    if ids is not None:
        found["ids"] = ",".join(map(str, ids))
    return found


def _level_filters(params: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in ("inventory_item_ids", "location_ids"):
        ids = id_list(name, params.get(name), most=50)
        if ids is not None:
            found[name] = ",".join(map(str, ids))
    if not found:
        raise ApiError(422, {"base": ["inventory_item_ids or location_ids must be specified"]})
    if params.get("updated_at_min"):
        found["updated_at_min"] = repr(parse_time("updated_at_min", params["updated_at_min"]))
    return found
