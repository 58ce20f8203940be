"""What every WooCommerce route shares: parameters, validation, permissions, errors, pagination.

The order WordPress applies them in, which the routes keep: WooCommerce's authentication
(in `authenticate`) -> route match -> JSON and argument validation (400) -> the route's
permission callback (401 for an anonymous caller) -> the handler (404 for an unknown id).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlencode

from clawcheck.platforms.model import Call, MockResponse, Platform
from clawcheck.platforms.woocommerce.store import SITE_OFFSET, ApiKey, Meta, StoreState
from clawcheck.platforms.woocommerce.wp import (
    Arg,
    RequestParams,
    absint,
    parse_date,
    validate_args,
)

__all__ = ["COLLECTION_ARGS", "WooBase", "date_threshold", "wp_error"]

T = TypeVar("T")
API = "/wp-json/wc/v3"
_JSON_TYPE = "application/json; charset=UTF-8"
_CREDENTIAL_PARAMS = ("consumer_key", "consumer_secret")

# WC_REST_CRUD_Controller::get_collection_params, shared by orders and products.
COLLECTION_ARGS: dict[str, Arg] = {
    "context": Arg("string", enum=("view", "edit")),
    "page": Arg("integer", minimum=1),
    "per_page": Arg("integer", minimum=1, maximum=100),
    "search": Arg("string"),
    "after": Arg("date-time"),
    "before": Arg("date-time"),
    "modified_after": Arg("date-time"),
    "modified_before": Arg("date-time"),
    "dates_are_gmt": Arg("boolean"),
    "offset": Arg("integer"),
    "order": Arg("string", enum=("asc", "desc")),
}


def wp_error(status: int, code: str, message: str, **data: Any) -> MockResponse:
    """`rest_convert_error_to_response`: `{code, message, data: {status, ...}}`."""
    body = {"code": code, "message": message, "data": {"status": status, **data}}
    return MockResponse.json(status, body, {"content-type": _JSON_TYPE})


def wp_json(status: int, data: Any, headers: Mapping[str, str] | None = None) -> MockResponse:
    return MockResponse.json(status, data, {"content-type": _JSON_TYPE, **(headers or {})})


def date_threshold(text: str, dates_are_gmt: bool) -> float | None:
    """The epoch a date filter compares `created`/`modified` against, as WordPress ends up doing.

    `WP_Date_Query::build_mysql_datetime` turns the value into site-local wall-clock time
    (a value without offset already is). Without `dates_are_gmt` that is compared with the
    site-local column: correct. With it, the same wall-clock text is compared with the GMT
    column, so a value sent with `Z` lands eight hours off on an Asia/Shanghai store.
    """
    parsed = parse_date(text)
    if parsed is None:
        return None
    fields, offset = parsed
    wall = datetime(*fields, tzinfo=UTC)
    if offset is not None:
        wall = wall - _offset(offset) + SITE_OFFSET  # the instant, shown in the site timezone
    threshold = wall if dates_are_gmt else wall - SITE_OFFSET
    return threshold.timestamp()


def _offset(text: str) -> timedelta:
    if text in ("Z", "z"):
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return sign * timedelta(hours=hours, minutes=minutes)


class WooBase(Platform):
    """Helpers for the route mixins; the concrete platform is `WooCommerce`."""

    @property
    def store(self) -> StoreState:
        state: StoreState = self.state
        return state

    # -- who is calling -----------------------------------------------------------------

    def caller(self, call: Call) -> ApiKey | None:
        """The API key `authenticate` accepted for this request; None: an anonymous request."""
        if call.entry.token_state != "valid":
            return None
        return next((k for k in self.store.keys.values() if k.shop == call.entry.shop), None)

    def refuse_anonymous(self, call: Call, code: str, message: str) -> MockResponse | None:
        """The route's permission callback: without a key the request is the public's, refused."""
        if self.caller(call) is not None:
            return None
        return wp_error(401, code, message)

    # -- parameters ---------------------------------------------------------------------

    def params(self, call: Call, args: Mapping[str, Arg]) -> dict[str, Any] | MockResponse:
        """The validated parameters (JSON > form > query), or WordPress's 400."""
        request = RequestParams.of(call.request)
        if request.json_error is not None:
            error = request.json_error
            return wp_error(
                400,
                "rest_invalid_json",
                "Invalid JSON body passed.",
                json_error_code=error.code,
                json_error_message=error.message,
            )
        merged = request.merged()
        problem = validate_args(args, merged)
        if problem is None:
            return merged
        if problem["code"] == "rest_missing_callback_param":
            missing = problem["params"]
            return wp_error(
                400,
                "rest_missing_callback_param",
                f"Missing parameter(s): {', '.join(missing)}",
                params=missing,
            )
        invalid = problem["invalid"]
        return wp_error(
            400,
            "rest_invalid_param",
            f"Invalid parameter(s): {', '.join(invalid)}",
            params={name: found.message for name, found in invalid.items()},
            details={
                name: {"code": found.code, "message": found.message, "data": found.data}
                for name, found in invalid.items()
            },
        )

    @staticmethod
    def object_id(call: Call, name: str = "id") -> int | None:
        """A `(?P<id>[\\d]+)` path segment; None when WordPress's route regex would not match."""
        text = call.path_params.get(name, "")
        if not text.isascii() or not text.isdigit():
            return None
        return min(int(text), 2**63 - 1) if len(text) <= 19 else 2**63 - 1

    @staticmethod
    def no_route() -> MockResponse:
        return wp_error(404, "rest_no_route", "No route was found matching the URL and request method.")

    def upsert_meta(self, meta: list[Meta], entries: list[Any]) -> None:
        """`WC_Data::update_meta_data`: by id when given and known, else the first entry with that key."""
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                continue
            key, value = entry["key"], entry.get("value")
            target = next(
                (m for m in meta if entry.get("id") is not None and m.id == absint(entry["id"])), None
            )
            target = target or next((m for m in meta if m.key == key), None)
            if target is None:
                meta.append(Meta(self.store.new_meta_id(), key, value))
            else:
                target.key, target.value = key, value

    # -- URLs -----------------------------------------------------------------------------

    def home_url(self) -> str:
        """The store's own URL for the mock's environment (webhook sources and payloads)."""
        host = next((h for h in self.hosts if h.environment == self.mock.environment), self.hosts[0])
        return f"https://{host.name}"

    @staticmethod
    def base_url(call: Call) -> str:
        """The store URL as this client reached it (a real store uses its configured home URL)."""
        request = call.request
        return f"{request.scheme}://{request.header('host') or request.host}"

    # -- pagination -----------------------------------------------------------------------

    def paginate(
        self, call: Call, items: Sequence[T], params: Mapping[str, Any], collection: str
    ) -> tuple[list[T], dict[str, str]]:
        """One page and the `X-WP-Total`, `X-WP-TotalPages` and `Link` headers."""
        requested = params.get("per_page")
        per_page = call.page_size(absint(requested) if requested is not None else None, 10, 100)
        page = max(1, absint(params.get("page", 1)))
        start = absint(params["offset"]) if params.get("offset") is not None else (page - 1) * per_page
        total = len(items)
        pages = math.ceil(total / per_page)
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        base = f"{self.base_url(call)}{API}/{collection}"
        if page > 1:
            links.append(f'<{self._page_url(call, base, min(page - 1, max(pages, 1)))}>; rel="prev"')
        if pages > page:
            links.append(f'<{self._page_url(call, base, page + 1)}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return list(items[start : start + per_page]), headers

    @staticmethod
    def _page_url(call: Call, base: str, page: int) -> str:
        """`add_query_arg('page', N, ...)` over every query parameter the request had.

        WooCommerce repeats the OAuth parameters too (a client that follows the link must sign
        it anew); the mock leaves out `consumer_key`/`consumer_secret` so that no secret is echoed.
        """
        pairs: list[tuple[str, str]] = []
        replaced = False
        for key, value in call.request.query:
            if key in _CREDENTIAL_PARAMS:
                continue
            if key == "page":
                if not replaced:
                    pairs.append(("page", str(page)))
                    replaced = True
                continue
            pairs.append((key, value))
        if not replaced:
            pairs.append(("page", str(page)))
        return f"{base}?{urlencode(pairs)}"


def filter_dates(items: Sequence[T], params: Mapping[str, Any], created: Any, modified: Any) -> list[T]:
    """Apply after/before/modified_after/modified_before (strictly, as WP_Date_Query does)."""
    gmt = str(params.get("dates_are_gmt", "")).lower() in ("1", "true")
    kept = list(items)
    for name, read, later in (
        ("after", created, True),
        ("before", created, False),
        ("modified_after", modified, True),
        ("modified_before", modified, False),
    ):
        value = params.get(name)
        threshold = date_threshold(value, gmt) if isinstance(value, str) else None
        if threshold is None:
            continue
        kept = [item for item in kept if (read(item) > threshold if later else read(item) < threshold)]
    return kept
