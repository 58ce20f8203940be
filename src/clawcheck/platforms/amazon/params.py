"""Reading SP-API request parameters the way SP-API does, refusing what it refuses.

Every refusal is an `Invalid` (status, code, message, details) that the platform renders
as its error list; nothing here lets a malformed value become a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from clawcheck.platforms.amazon.state import MARKETPLACES, OrderQuery, Seller
from clawcheck.platforms.model import MockRequest

__all__ = [
    "ORDER_ID",
    "Invalid",
    "csv_values",
    "marketplaces",
    "order_query",
    "parse_datetime",
    "parse_x_amz_date",
]

ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")
ORDER_STATUSES = frozenset(
    {
        "PendingAvailability",
        "Pending",
        "Unshipped",
        "PartiallyShipped",
        "Shipped",
        "InvoiceUnconfirmed",
        "Canceled",
        "Unfulfillable",
    }
)
MAX_LIST = 50
# SP-API only answers for data at least this old: "Before" bounds must leave it out.
SETTLE_SECONDS = 120.0


class Invalid(Exception):
    """A request SP-API refuses; `code` is the platform's error code."""

    def __init__(
        self, message: str, details: str = "", *, status: int = 400, code: str = "InvalidInput"
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def csv_values(request: MockRequest, name: str) -> list[str]:
    """A list parameter, comma-separated (`a,b`) or repeated (`x=a&x=b`), as SP-API accepts both."""
    found: list[str] = []
    for key, value in request.query:
        if key == name:
            found.extend(part.strip() for part in value.split(",") if part.strip())
    return found


def parse_datetime(name: str, value: str) -> float:
    """An ISO 8601 date-time (offset optional, UTC assumed); anything else is `InvalidInput`."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" and text else text)
    except ValueError:
        raise Invalid("Invalid Input", f"{name} is not a valid ISO 8601 date-time: {value[:64]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.timestamp()
    except (OverflowError, ValueError, OSError):
        raise Invalid("Invalid Input", f"{name} is out of range") from None


def parse_x_amz_date(value: str) -> float | None:
    """`x-amz-date` (basic ISO 8601 UTC, `20240315T120000Z`) as epoch seconds; None if malformed."""
    try:
        moment = datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment.timestamp()


def marketplaces(values: Iterable[str], seller: Seller, region: str, name: str) -> tuple[str, ...]:
    """Marketplaces a request names: known, served by this endpoint, and the seller's own."""
    given = list(values)
    wanted = tuple(dict.fromkeys(given))
    if not wanted:
        raise Invalid("Invalid Input", f"{name} is required")
    if len(given) > MAX_LIST:
        raise Invalid("Invalid Input", f"{name} accepts at most {MAX_LIST} values")
    for market in wanted:
        known = MARKETPLACES.get(market)
        if known is None or known.region != region:
            raise Invalid("Invalid Input", f"Invalid marketplace ID {market[:32]!r} for this endpoint")
        if market not in seller.marketplaces:
            raise Invalid(
                "Access to requested resource is denied.",
                f"The seller is not registered in marketplace {market}",
                status=403,
                code="Unauthorized",
            )
    return wanted


def _enum_values(request: MockRequest, name: str, allowed: frozenset[str]) -> frozenset[str]:
    values = csv_values(request, name)
    if len(values) > MAX_LIST:
        raise Invalid("Invalid Input", f"{name} accepts at most {MAX_LIST} values")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise Invalid("Invalid Input", f"{name} has an invalid value {unknown[0][:32]!r}")
    return frozenset(values)


def _page_size(value: str | None) -> int:
    if value is None:
        return 100
    try:
        size = int(value.strip())
    except ValueError:
        raise Invalid("Invalid Input", "MaxResultsPerPage must be an integer between 1 and 100") from None
    if not 1 <= size <= 100:
        raise Invalid("Invalid Input", "MaxResultsPerPage must be an integer between 1 and 100")
    return size


def _bound(request: MockRequest, name: str) -> float | None:
    value = request.param(name)
    return None if value is None else parse_datetime(name, value)


def _window(after: float | None, before: float | None, names: tuple[str, str], now: float) -> None:
    if before is None:
        return
    if after is not None and before < after:
        raise Invalid("Invalid Input", f"{names[1]} must be equal to or after {names[0]}")
    if before > now - SETTLE_SECONDS:
        raise Invalid("Invalid Input", f"{names[1]} must be at least 2 minutes before the current time")


def order_query(request: MockRequest, seller: Seller, region: str, now: float) -> OrderQuery:
    """The criteria of a first getOrders page (no NextToken)."""
    markets = marketplaces(csv_values(request, "MarketplaceIds"), seller, region, "MarketplaceIds")
    created = (_bound(request, "CreatedAfter"), _bound(request, "CreatedBefore"))
    updated = (_bound(request, "LastUpdatedAfter"), _bound(request, "LastUpdatedBefore"))
    if created[0] is None and updated[0] is None:
        raise Invalid("Invalid Input", "Either CreatedAfter or LastUpdatedAfter must be specified")
    if created != (None, None) and updated != (None, None):
        raise Invalid("Invalid Input", "CreatedAfter/CreatedBefore cannot be combined with LastUpdated dates")
    _window(*created, ("CreatedAfter", "CreatedBefore"), now)
    _window(*updated, ("LastUpdatedAfter", "LastUpdatedBefore"), now)
    order_ids = _listed(request, "AmazonOrderIds")
    return OrderQuery(
        seller=seller.id,
        marketplaces=markets,
        created_after=created[0],
        created_before=created[1],
        updated_after=updated[0],
        updated_before=updated[1],
        statuses=_enum_values(request, "OrderStatuses", ORDER_STATUSES),
        channels=_enum_values(request, "FulfillmentChannels", frozenset({"AFN", "MFN"})),
        order_ids=order_ids,
        page_size=_page_size(request.param("MaxResultsPerPage")),
    )


def _listed(request: MockRequest, name: str) -> frozenset[str]:
    values = csv_values(request, name)
    if len(values) > MAX_LIST:
        raise Invalid("Invalid Input", f"{name} accepts at most {MAX_LIST} values")
    return frozenset(values)


def positive_int(value: Any) -> int | None:
    """A JSON integer > 0 (not a bool, not a float, not absurdly large), else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value < 2**31 else None
