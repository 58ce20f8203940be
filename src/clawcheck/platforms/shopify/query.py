"""Query parameters as the REST Admin API reads them, and its cursor pagination.

Pagination is keyset pagination, as Shopify's is: a `page_info` cursor stands for the
first request's filters plus the sort key of the last (or first) item shown, so a page
never repeats or skips an item when earlier items change in between.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

__all__ = [
    "PAGE_PARAMS",
    "ApiError",
    "Page",
    "PageToken",
    "Reply",
    "id_list",
    "integer",
    "paginate",
    "parse_fields",
    "parse_time",
]

T = TypeVar("T")
Key = tuple[float, ...]
Errors = str | list[str] | dict[str, Any]

# With page_info, only these may be sent (shopify.dev, "Make paginated requests").
PAGE_PARAMS = frozenset({"page_info", "limit", "fields"})
PAGE_INFO_HELP = "See https://shopify.dev/api/usage/pagination-rest for more information."
MAX_ID = 2**63 - 1


class ApiError(Exception):
    """A refusal with Shopify's `{"errors": ...}` body."""

    def __init__(self, status: int, errors: Errors) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Reply:
    """What a route answers when it does not refuse."""

    data: Mapping[str, Any]
    status: int = 200
    headers: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class PageToken:
    """What a `page_info` stands for: the listing, its filters, where to continue, which way."""

    resource: str
    filters: tuple[tuple[str, str], ...]
    key: Key
    direction: Literal["next", "previous"]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    previous: Key | None  # the key to go back from, when there is an earlier page
    next: Key | None  # the key to go on from, when there is a later page


def paginate(items: Sequence[T], key: Callable[[T], Key], token: PageToken | None, limit: int) -> Page[T]:
    """One page of `items` (sorted by `key`), after or before the token's key."""
    ordered = sorted(items, key=key)
    if token is None:
        page = ordered[:limit]
    elif token.direction == "next":
        page = [item for item in ordered if key(item) > token.key][:limit]
    else:
        page = [item for item in ordered if key(item) < token.key][-limit:]
    if not page:
        return Page([], None, None)
    first, last = key(page[0]), key(page[-1])
    earlier = any(key(item) < first for item in ordered)
    later = any(key(item) > last for item in ordered)
    return Page(page, first if earlier else None, last if later else None)


def page_info_conflicts(query: Sequence[tuple[str, str]]) -> None:
    """400 for the first parameter other than limit/fields sent along with page_info."""
    for name, _ in query:
        if name not in PAGE_PARAMS:
            message = f"{name} cannot be passed when page_info is present. {PAGE_INFO_HELP}"
            raise ApiError(400, {name: message})


def parse_fields(value: str | None) -> list[str] | None:
    if value is None or not value.strip():
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def integer(name: str, value: Any, *, status: int = 400) -> int:
    """A 64-bit id or count from a query string or a JSON body; anything else is refused."""
    if isinstance(value, bool):
        raise ApiError(status, {name: "Required parameter missing or invalid"})
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 20:
        number = int(value.strip())
    else:
        raise ApiError(status, {name: "Required parameter missing or invalid"})
    if abs(number) > MAX_ID:
        raise ApiError(status, {name: "Required parameter missing or invalid"})
    return number


def id_list(name: str, value: str | None, *, most: int | None = None) -> list[int] | None:
    """`ids=1,2,3`; None when absent."""
    if value is None:
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if most is not None and len(parts) > most:
        raise ApiError(422, {name: [f"must contain at most {most} ids"]})
    return [integer(name, part) for part in parts]


def parse_time(name: str, value: str) -> float:
    """An ISO 8601 date-time; one without an offset is in the shop's zone (UTC here)."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(400, {name: "Invalid value."}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.timestamp()
    except (OverflowError, ValueError, OSError):
        raise ApiError(400, {name: "Invalid value."}) from None


def choice(name: str, value: str | None, allowed: Sequence[str], default: str) -> str:
    if value is None or value == "":
        return default
    if value not in allowed:
        raise ApiError(400, {name: "Invalid value."})
    return value
