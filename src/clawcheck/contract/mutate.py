"""A different but still valid body, for the idempotency key-reuse probe.

Changing a field the schema leaves free (no enum, pattern or format) keeps the request
valid, so a correct target must answer 409 IDEMPOTENCY_KEY_REUSED rather than 400.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = ["mutate"]

_MISSING = object()


def mutate(body: Any, schema: Mapping[str, Any] | None) -> Any:
    """A copy of `body` with one free field changed, or None when no field can change safely."""
    if not isinstance(body, dict) or not isinstance(schema, Mapping):
        return None
    changed = copy.deepcopy(body)
    return changed if _mutate_object(changed, schema) else None


def _mutate_object(body: dict[str, Any], schema: Mapping[str, Any]) -> bool:
    properties = schema.get("properties") or {}
    for name, prop in properties.items():
        value = body.get(name, _MISSING)
        if value is _MISSING or not isinstance(prop, Mapping):
            continue
        new = _changed(value, prop)
        if new is not _MISSING:
            body[name] = new
            return True
    # No free scalar at this level: try nested objects (a buyer's name, say).
    for name, prop in properties.items():
        value = body.get(name)
        if isinstance(value, dict) and isinstance(prop, Mapping) and _mutate_object(value, prop):
            return True
    return False


def _changed(value: Any, schema: Mapping[str, Any]) -> Any:
    if any(key in schema for key in ("enum", "const", "pattern", "format", "not", "oneOf", "anyOf", "allOf")):
        return _MISSING
    if isinstance(value, bool):
        return _MISSING
    if isinstance(value, str) and schema.get("type") == "string":
        if len(value) < int(schema.get("maxLength", 10_000)):
            return value + "x"
        if len(value) > int(schema.get("minLength", 0)):
            return value[:-1]
        return _MISSING
    if isinstance(value, int) and schema.get("type") == "integer":
        for candidate in (value + 1, value - 1):
            if candidate == 0 or candidate == value:
                continue
            if schema.get("minimum", candidate) <= candidate <= schema.get("maximum", candidate):
                return candidate
    return _MISSING
