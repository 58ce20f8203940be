"""Walmart's error bodies, as its gateway and its services send them.

Every error object carries `code` (`<ERROR_CODE>.<SERVICE>`), `field` (when the code table
says one is included), `description`, `info`, `severity`, `category`, `causes` and
`errorIdentifiers`. The API gateway (authentication, headers, throttling, unknown paths)
wraps them as `{"error": [...]}`; the order and inventory services as
`{"errors": {"error": [...]}}`. Category and severity per code come from Walmart's error
code table (developer.walmart.com, "Error codes").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["GATEWAY", "INVENTORY", "ORDERS", "Refusal", "error_body", "service_of"]

GATEWAY = "GMP_GATEWAY_API"
ORDERS = "GMP_ORDER_API"
INVENTORY = "GMP_INVENTORY_API"

# Base code -> (category, severity, info). `info` strings Walmart is seen to send are kept
# verbatim; the others are the table's meaning in Walmart's style.
_TABLE: dict[str, tuple[str, str, str]] = {
    "INVALID_REQUEST": ("DATA", "ERROR", "The request is invalid."),
    "INVALID_REQUEST_HEADER": ("DATA", "ERROR", "One or more request headers are invalid."),
    "INVALID_REQUEST_PARAM": ("DATA", "ERROR", "One or more request parameters are invalid."),
    "INVALID_REQUEST_CONTENT": ("DATA", "ERROR", "The request content is invalid."),
    "MISSING_REQUEST_HEADER": ("DATA", "ERROR", "One or more required request headers are missing."),
    "MISSING_REQUEST_PARAM": ("DATA", "ERROR", "One or more required request parameters are missing."),
    "MALFORMED_REQUEST_CONTENT": ("DATA", "ERROR", "The request content could not be parsed."),
    "UNAUTHORIZED": ("DATA", "ERROR", "Unauthorized token or incorrect authorization header."),
    "FORBIDDEN": ("DATA", "ERROR", "The caller is not allowed to access this resource."),
    "CONTENT_NOT_FOUND": ("APPLICATION", "INFO", "Requested content could not be found."),
    "URI_NOT_FOUND": ("DATA", "ERROR", "The requested URI does not exist."),
    "METHOD_NOT_ALLOWED": ("DATA", "ERROR", "The HTTP method is not allowed for this URI."),
    "INVALID_ACCEPT_TYPE": ("APPLICATION", "ERROR", "The Accept header names no supported media type."),
    "REQUEST_THRESHOLD_VIOLATED": ("REQUEST", "ERROR", "Request threshold violated."),
    "INVALID_SYSTEM_STATE": ("SYSTEM", "ERROR", "The system is in an invalid state."),
    "SYSTEM_ERROR": ("SYSTEM", "ERROR", "Internal system error."),
    "DOWNSTREAM_SYSTEM_TIME_OUT": ("SYSTEM", "ERROR", "A downstream system timed out."),
}

# Route name -> the service whose envelope and code suffix its own errors use.
_SERVICES = {
    "get_all_orders": ORDERS,
    "get_released_orders": ORDERS,
    "get_an_order": ORDERS,
    "acknowledge_order": ORDERS,
    "ship_order": ORDERS,
    "get_inventory": INVENTORY,
    "update_inventory": INVENTORY,
}


def service_of(route_name: str | None) -> str:
    return _SERVICES.get(route_name or "", GATEWAY)


@dataclass
class Refusal(Exception):  # not frozen: raising and add_note() set attributes on exceptions
    """A request the platform refuses; routes raise it, `Walmart._refuse` renders it."""

    status: int
    code: str  # base code, e.g. INVALID_REQUEST_PARAM; the service suffix is added on rendering
    description: str
    field: str = ""
    service: str = ""  # empty: the route's own service


def error_body(code: str, description: str, *, field: str = "") -> dict[str, Any]:
    """The body for `code` (`BASE.SERVICE`), in the envelope of the service that sends it."""
    base = code.split(".", 1)[0]
    category, severity, info = _TABLE.get(base, ("DATA", "ERROR", "The request failed."))
    item: dict[str, Any] = {"code": code}
    if field:
        item["field"] = field
    item.update(
        description=description,
        info=info,
        severity=severity,
        category=category,
        causes=[],
        errorIdentifiers={},
    )
    if code.endswith("." + GATEWAY):
        return {"error": [item]}
    return {"errors": {"error": [item]}}
