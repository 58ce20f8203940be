"""Request parsing and field validation by hand: fast, strict, and every message names the field.

The spec closes every body with `additionalProperties: false`, so unknown
fields are rejected; booleans are never integers; null is never a value of a
field unless that field says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from clawcheck.sandbox.errors import ApiError, validation_error
from clawcheck.sandbox.timefmt import parse_rfc3339

__all__ = ["MAX_BODY", "MONEY", "Body", "Reader", "parse_body"]

MONEY = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,2})?", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_BODY = 1 << 20


@dataclass(frozen=True, slots=True)
class Body:
    """A request body read once: raw bytes, parsed JSON (None when empty) or why it is not JSON."""

    raw: bytes
    value: Any = None
    error: str | None = None

    def object(self, *, required: bool = True) -> dict[str, Any]:
        """The body as a JSON object; an empty body is `{}` when the body is optional."""
        if self.error is not None:
            raise validation_error(self.error)
        if self.value is None and not self.raw:
            if required:
                raise validation_error("request body is required (a JSON object)")
            return {}
        if not isinstance(self.value, dict):
            raise validation_error("request body must be a JSON object")
        return self.value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_body(raw: bytes, content_type: str | None) -> Body:
    """Parse without raising: errors are reported when (and only if) the operation reads the body."""
    if not raw:
        return Body(raw)
    if len(raw) > MAX_BODY:
        return Body(raw, error="request body is larger than 1 MiB")
    media = (content_type or "").partition(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        return Body(raw, error=f"Content-Type must be application/json, got {media or 'none'!r}")
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else "malformed JSON"
        return Body(raw, error=f"request body is {reason}")
    return Body(raw, value)


def _name(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class Reader:
    """Typed access to one JSON object; construction rejects unknown and missing fields."""

    __slots__ = ("_data", "_where")

    def __init__(
        self, value: Any, *, required: Collection[str], optional: Collection[str] = (), where: str = ""
    ) -> None:
        if not isinstance(value, dict):
            raise validation_error(
                f"field {where!r} must be an object" if where else "body must be an object"
            )
        for key in value:
            if key not in required and key not in optional:
                shown = key if len(key) <= 64 else key[:64] + "…"
                raise validation_error(f"unknown field {_name(where, shown)!r}")
        for key in required:
            if key not in value:
                raise validation_error(f"field {_name(where, key)!r} is required")
        self._data: dict[str, Any] = value
        self._where = where

    def has(self, key: str) -> bool:
        return key in self._data

    def _fail(self, key: str, expected: str) -> ApiError:
        return validation_error(f"field {_name(self._where, key)!r} must be {expected}")

    def text(
        self,
        key: str,
        *,
        pattern: re.Pattern[str] | None = None,
        min_len: int = 1,
        max_len: int = 255,
        choices: Collection[str] | None = None,
    ) -> str:
        value = self._data[key]
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        if choices is not None:
            if value not in choices:
                raise self._fail(key, "one of " + ", ".join(sorted(choices)))
            return value
        if not min_len <= len(value) <= max_len:
            raise self._fail(key, f"a string of {min_len} to {max_len} characters")
        if pattern is not None and pattern.fullmatch(value) is None:
            raise self._fail(key, f"a string matching ^{pattern.pattern}$")
        if _SURROGATE.search(value) is not None:
            raise self._fail(key, "valid Unicode text (no lone surrogates)")
        return value

    def opt_text(self, key: str, **kwargs: Any) -> str | None:
        return self.text(key, **kwargs) if key in self._data else None

    def integer(self, key: str, *, minimum: int, maximum: int) -> int:
        value = self._data[key]
        # bool is an int subclass in Python, but true is not an integer in JSON.
        if type(value) is not int or not minimum <= value <= maximum:
            raise self._fail(key, f"an integer from {minimum} to {maximum}")
        return value

    def money(self, key: str) -> Decimal:
        value = self.text(key, pattern=MONEY, max_len=12)
        return Decimal(value).quantize(Decimal("0.01"))

    def when(self, key: str) -> datetime:
        value = self._data[key]
        # The spec's RequestTimestamp is `format: date-time` plus `pattern: Z$`: UTC only, no offsets.
        parsed = parse_rfc3339(value) if isinstance(value, str) and value.endswith("Z") else None
        if parsed is None:
            raise self._fail(
                key, "an RFC 3339 date-time in UTC with a Z suffix, such as 2026-03-19T08:30:00Z"
            )
        return parsed

    def opt_when(self, key: str) -> datetime | None:
        return self.when(key) if key in self._data else None

    def array(self, key: str, *, min_items: int, max_items: int) -> list[Any]:
        value = self._data[key]
        if not isinstance(value, list) or not min_items <= len(value) <= max_items:
            raise self._fail(key, f"an array of {min_items} to {max_items} items")
        return value

    def child(self, key: str, *, required: Collection[str], optional: Collection[str] = ()) -> Reader:
        return Reader(self._data[key], required=required, optional=optional, where=_name(self._where, key))
