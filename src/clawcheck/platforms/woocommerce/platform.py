"""The WooCommerce REST API v3 mock: one store, its API keys, and how it authenticates them.

Authentication follows `WC_REST_Authentication` step by step: over HTTPS, Basic (or the
`consumer_key`/`consumer_secret` query pair); otherwise, and as a fallback, OAuth 1.0a
one-legged. A request with no usable credentials is not refused here: it goes on as the
public's and the route's permission callback refuses it (`woocommerce_rest_cannot_view`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, unquote

from clawcheck.platforms.engine import retry_after_header
from clawcheck.platforms.model import (
    GENERIC_SCENARIOS,
    Call,
    ClientRequest,
    Host,
    MockResponse,
    RateLimit,
)
from clawcheck.platforms.registry import register
from clawcheck.platforms.woocommerce import oauth
from clawcheck.platforms.woocommerce.oauth import PhpValue
from clawcheck.platforms.woocommerce.orders import OrdersApi
from clawcheck.platforms.woocommerce.products import ProductsApi
from clawcheck.platforms.woocommerce.rest import wp_error
from clawcheck.platforms.woocommerce.store import WC_VERSION, ApiKey, LineItem, Order, seed_store

__all__ = ["RATE_LIMIT_PER_10S", "WooCommerce"]

# The Store API limiter's default (25 requests per 10 seconds per user), applied per API key user.
RATE_LIMIT_PER_10S = 25
_AUTH_ERROR = "woocommerce_rest_authentication_error"
_PATH_SAFE = "/!$&'()*+,;=:@~"  # what HTTP clients leave unencoded in a path
_WEBHOOK_IDS = {"order.created": "7", "order.updated": "8", "product.updated": "9"}
_FATAL = (
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/'
    'documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>'
)


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What WooCommerce's authentication concluded: a key, an error, or neither (anonymous)."""

    key: ApiKey | None = None
    error: str = ""  # the message of a woocommerce_rest_authentication_error
    code: str = _AUTH_ERROR


_ANONYMOUS = _Verdict()


@register
class WooCommerce(OrdersApi, ProductsApi):
    name = "woocommerce"
    title = "WooCommerce REST API v3"
    spec = "woocommerce.yaml"
    # A store's staging site is its sandbox: same code, its own database and keys.
    hosts = (
        Host("staging.shop.clawcheck.test", environment="sandbox"),
        Host("shop.clawcheck.test", environment="production"),
    )
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=RATE_LIMIT_PER_10S / 10, burst=RATE_LIMIT_PER_10S)
    token_ttl = None  # consumer keys never expire
    refresh_ttl = None
    scenarios: ClassVar[frozenset[str]] = GENERIC_SCENARIOS - {"token-expiry"}
    webhook_secret_env = "WOOCOMMERCE_WEBHOOK_SECRET"

    # -- the store --------------------------------------------------------------------

    def seed(self) -> None:
        self.state = seed_store(self.now())

    def credentials(self) -> dict[str, str]:
        key = self.store.key("clawcheck-adapter")
        return {
            "WOOCOMMERCE_STORE_URL": self.home_url(),
            "WOOCOMMERCE_CONSUMER_KEY": key.consumer_key,
            "WOOCOMMERCE_CONSUMER_SECRET": key.consumer_secret,
            "WOOCOMMERCE_WEBHOOK_SECRET": self.store.webhook_secret,
        }

    def secrets(self) -> list[str]:
        values = [self.store.webhook_secret]
        for key in self.store.keys.values():
            values += [key.consumer_key, key.consumer_secret]
        return values

    def simulate_order(self, shop: str | None = None) -> dict[str, Any]:
        """A new paid checkout (status processing), announced with `order.created`."""
        store = self.store
        now = float(int(self.now()))
        product = next(iter(store.products.values()))
        template = next(iter(store.orders.values()))
        order = Order(
            store.new_post_id(),
            "processing",
            now,
            now,
            customer_id=template.customer_id,
            billing=dict(template.billing),
            shipping=dict(template.shipping),
            line_items=[
                LineItem(
                    store.new_item_id(),
                    product.id,
                    product.name,
                    product.sku,
                    1,
                    float(product.regular_price),
                )
            ],
            shipping_total=template.shipping_total,
            shipping_method=template.shipping_method,
            transaction_id=f"ch_{secrets.token_hex(8)}",
            paid=now,
        )
        store.orders[order.id] = order
        payload = order.to_json(self.home_url())
        self.mock.notify("order.created", payload)
        return payload

    # -- authentication ---------------------------------------------------------------

    def authenticate(self, call: Call) -> MockResponse | None:
        request = call.request
        verdict = _ANONYMOUS
        if request.scheme == "https":
            verdict = self._basic(call)
        if verdict.key is None or verdict.error:
            tried = self._oauth(call)
            if tried is not None:
                # OAuth ran: its user replaces Basic's; its error replaces Basic's, which otherwise stays.
                error, code = (tried.error, tried.code) if tried.error else (verdict.error, verdict.code)
                verdict = _Verdict(tried.key, error, code)
        if verdict.error:
            return wp_error(401, verdict.code, verdict.error)
        if verdict.key is None:
            if call.entry.token_state is None:
                call.token_state("missing")
            if request.scheme != "https" and call.entry.signature is None:
                call.signature("missing", "plain HTTP without OAuth 1.0a parameters (Basic auth is ignored)")
            return None  # the public's request: the route's permission callback decides
        refusal = _permission_error(verdict.key, request.method)
        if refusal:
            return wp_error(401, _AUTH_ERROR, refusal)
        call.identify(shop=verdict.key.shop)
        return None

    def _basic(self, call: Call) -> _Verdict:
        """`perform_basic_authentication`: the query pair first, then the Authorization header."""
        query = oauth.php_params(call.request.query)
        key_text, secret = query.get("consumer_key"), query.get("consumer_secret")
        if oauth.is_php_empty(key_text) or oauth.is_php_empty(secret):
            key_text = secret = None
            basic = oauth.basic_credentials(call.request.header("authorization"))
            if (
                basic is not None
                and not oauth.is_php_empty(basic.user)
                and not oauth.is_php_empty(basic.password)
            ):
                key_text, secret = basic.user, basic.password
        if not isinstance(key_text, str) or not isinstance(secret, str):
            return _ANONYMOUS
        call.identify(token=key_text)
        key = self.store.keys.get(key_text)
        if key is None:
            call.token_state("invalid")
            return _ANONYMOUS  # an unknown key is not an error here: the request goes on as anonymous
        call.identify(shop=key.shop)
        if not hmac.compare_digest(key.consumer_secret.encode(), secret.encode("utf-8", "surrogatepass")):
            call.token_state("invalid")
            return _Verdict(None, "Consumer secret is invalid.")
        call.token_state("valid")
        return _Verdict(key)

    def _oauth(self, call: Call) -> _Verdict | None:
        """`perform_oauth_authentication`; None when the request carries no OAuth parameter at all."""
        params = self._signed_params(call)
        present = [name for name in oauth.OAUTH_PARAMS if not oauth.is_php_empty(params.get(name))]
        if not present:
            return None
        missing = [name for name in oauth.OAUTH_PARAMS if name not in present]
        key_text = params.get("oauth_consumer_key")
        if isinstance(key_text, str) and key_text:
            call.identify(token=key_text)
        if missing:
            call.signature("missing", f"missing {', '.join(missing)}")
            noun = "parameter" if len(missing) == 1 else "parameters"
            message = f"Missing OAuth {noun} {', '.join(missing)}"
            return _Verdict(None, message, "woocommerce_rest_authentication_missing_parameter")
        key = self.store.keys.get(key_text) if isinstance(key_text, str) else None
        if key is None:
            call.token_state("invalid")
            call.signature("invalid", "unknown oauth_consumer_key")
            return _Verdict(None, "Consumer key is invalid.")
        call.identify(shop=key.shop)
        call.token_state("valid")
        timestamp = _number(params.get("oauth_timestamp"))
        if timestamp is not None:
            call.client_timestamp("oauth_timestamp", timestamp)
        problem = self._check_signature(call, key, params)
        if problem:
            return _Verdict(None, problem)
        problem = _check_timestamp_and_nonce(key, timestamp, params.get("oauth_nonce"), call.now())
        if problem:
            call.signature("invalid", problem)
            return _Verdict(None, problem)
        call.signature("valid", str(params.get("oauth_signature_method")))
        return _Verdict(key)

    def _signed_params(self, call: Call) -> dict[str, PhpValue]:
        """`array_merge($_GET, $_POST)` plus the `Authorization: OAuth` parameters."""
        request = call.request
        posted: dict[str, PhpValue] = {}
        content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
        if request.method == "POST" and content_type == "application/x-www-form-urlencoded" and request.body:
            posted = oauth.php_params(
                parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
            )
        merged = oauth.array_merge(oauth.php_params(request.query), posted)
        header = oauth.oauth_header_params(request.header("authorization"))
        return oauth.array_merge(merged, header) if header else merged

    def _check_signature(self, call: Call, key: ApiKey, params: dict[str, PhpValue]) -> str:
        """`check_oauth_signature`; the store's home URL is https://<real host>, and the address
        the client actually reached (a loopback port) counts as the home URL too."""
        request = call.request
        given = params.get("oauth_signature")
        provided = unquote(given.replace(" ", "+")) if isinstance(given, str) else ""
        method_name = params.get("oauth_signature_method")
        texts = [oauth.string_to_sign(request.method, url, params) for url in _home_urls(call)]
        if method_name not in ("HMAC-SHA1", "HMAC-SHA256"):
            call.signature(
                "invalid", f"signature method {str(method_name)[:40]!r} is not HMAC-SHA1 or HMAC-SHA256"
            )
            return "Invalid signature - signature method is invalid."
        for text in texts:
            expected = oauth.signature(key.consumer_secret, str(method_name), text) or ""
            if hmac.compare_digest(expected.encode(), provided.encode("utf-8", "surrogatepass")):
                return ""
        shown = texts[0].replace(key.consumer_key, "ck_***")[:400]  # the journal never holds a key
        call.signature("invalid", f"does not match the string to sign {shown}")
        return "Invalid signature - provided signature does not match."

    # -- the platform's answers -------------------------------------------------------

    def error(self, call: Call, status: int, code: str, message: str) -> MockResponse:
        if code in ("not_found", "method_not_allowed"):
            return self.no_route()  # WordPress answers a wrong method with the same 404
        if code == "bad_request":
            return wp_error(
                400,
                "rest_invalid_json",
                "Invalid JSON body passed.",
                json_error_code=4,
                json_error_message="Syntax error",
            )
        if status == 500:
            body = {
                "code": "internal_server_error",
                "message": _FATAL,
                "data": {"status": 500},
                "additional_errors": [],
            }
            return MockResponse.json(500, body, {"content-type": "application/json; charset=UTF-8"})
        if status == 503:
            # wp_die() in maintenance mode, as JSON for a JSON client; its Retry-After: 600 is left out
            # so that an injected outage asks for an ordinary retry with backoff.
            message = "Briefly unavailable for scheduled maintenance. Check back in a minute."
            body = {"code": "wp_die", "message": message, "data": {"status": 503}, "additional_errors": []}
            return MockResponse.json(503, body, {"content-type": "application/json; charset=UTF-8"})
        return wp_error(status, code, message)

    def throttled(self, call: Call, retry_after: float) -> MockResponse:
        """The Store API limiter's headers on a 429, plus the standard Retry-After."""
        wait = retry_after_header(retry_after)
        call.advertise_wait(float(wait))
        headers = {
            "Retry-After": wait,
            "RateLimit-Limit": str(RATE_LIMIT_PER_10S),
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(int(call.now()) + int(wait)),
            "RateLimit-Retry-After": wait,
        }
        response = wp_error(
            429, "rate_limit_exceeded", f"Too many requests. Please wait {wait} seconds before trying again."
        )
        response.headers.update(headers)
        return response

    def authorize(self, request: ClientRequest, now: float) -> ClientRequest:
        """OAuth 1.0a (HMAC-SHA256), valid over HTTP and HTTPS alike, over exactly what is sent."""
        key = self.store.key("clawcheck-adapter")
        oauth_params = [
            ("oauth_consumer_key", key.consumer_key),
            ("oauth_timestamp", str(int(now))),
            ("oauth_nonce", secrets.token_hex(16)),
            ("oauth_signature_method", "HMAC-SHA256"),
        ]
        posted: dict[str, PhpValue] = {}
        content_type = next((v for k, v in request.headers.items() if k.lower() == "content-type"), "")
        form = content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"
        if request.method.upper() == "POST" and form and request.body:
            posted = oauth.php_params(
                parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
            )
        params = oauth.array_merge(oauth.php_params([*request.query, *oauth_params]), posted)
        text = oauth.string_to_sign(request.method, request.url, params)
        signed = oauth.signature(key.consumer_secret, "HMAC-SHA256", text) or ""
        request.query = [*request.query, *oauth_params, ("oauth_signature", signed)]
        return request

    def webhook_headers(self, secret: str, body: bytes, topic: str, now: float) -> dict[str, str]:
        """`WC_Webhook::deliver`: base64 HMAC-SHA256 of the exact body bytes."""
        resource, _, event = topic.partition(".")
        digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
        return {
            "User-Agent": f"WooCommerce/{WC_VERSION} Hookshot (WordPress/6.8.1)",
            "X-WC-Webhook-Source": self.home_url() + "/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": base64.b64encode(digest).decode(),
            "X-WC-Webhook-ID": _WEBHOOK_IDS.get(topic, "10"),
            "X-WC-Webhook-Delivery-ID": secrets.token_hex(16),
        }


def _home_urls(call: Call) -> list[str]:
    """The URLs WooCommerce could have signed: the store's https home URL, or the address the client
    reached; with the path as sent (transports hand the mock a decoded path, so re-encode it)."""
    request = call.request
    reached = request.header("host") or request.host
    bases = [f"{request.scheme}://{reached}", f"{request.scheme}://{request.host}", f"https://{request.host}"]
    paths = [request.path, quote(request.path, safe=_PATH_SAFE)]
    return list(dict.fromkeys(base + path for base in bases for path in paths))


def _number(value: PhpValue | None) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number == number and abs(number) < 1e15 else None


def _check_timestamp_and_nonce(
    key: ApiKey, timestamp: float | None, nonce: PhpValue | None, now: float
) -> str:
    """`check_oauth_timestamp_and_nonce`: +-15 minutes, and no nonce twice within them."""
    if timestamp is None or abs(timestamp - now) > oauth.TIMESTAMP_WINDOW:
        return "Invalid timestamp."
    # Nonces are kept in arrival order: drop expired ones from the oldest end only, so each
    # request costs O(1) amortised instead of a scan of the whole window (thousands of nonces).
    while key.nonces:
        seen, at = next(iter(key.nonces.items()))
        if at >= now - oauth.TIMESTAMP_WINDOW:
            break
        del key.nonces[seen]
    text = nonce if isinstance(nonce, str) else repr(nonce)
    if text in key.nonces:
        return "Invalid nonce - nonce has already been used."
    key.nonces[text] = timestamp
    return ""


def _permission_error(key: ApiKey, method: str) -> str:
    """`check_permissions`: what the key's read/write setting allows for this method."""
    if method in ("HEAD", "GET"):
        return (
            ""
            if key.permissions in ("read", "read_write")
            else "The API key provided does not have read permissions."
        )
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        return (
            ""
            if key.permissions in ("write", "read_write")
            else "The API key provided does not have write permissions."
        )
    return "" if method == "OPTIONS" else "Unknown request method."
