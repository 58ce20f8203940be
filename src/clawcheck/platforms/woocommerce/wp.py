"""The WordPress REST layer under WooCommerce: request parameters, their validation, error bodies.

WordPress validates a route's arguments before its permission callback runs
(`WP_REST_Request::has_valid_params`, `rest_validate_value_from_schema`): a bad `per_page` is a
400 `rest_invalid_param` even for an anonymous caller. The messages below are WordPress's own.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from clawcheck.platforms.model import MockRequest
from clawcheck.platforms.woocommerce.oauth import PhpValue, php_params

__all__ = [
    "Arg",
    "Invalid",
    "JsonError",
    "RequestParams",
    "absint",
    "is_json_content_type",
    "parse_date",
    "php_is_numeric",
    "to_bool",
    "validate_args",
    "wp_list",
]

INT_MAX = 2**63 - 1  # PHP_INT_MAX: what PHP casts clamp at on a 64-bit host
JSON_DEPTH = 512  # json_decode's default depth
_NUMERIC = re.compile(r"^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$")
# rest_parse_date's pattern: an optional offset; without one the time is site-local.
_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)?$"
)


@dataclass(frozen=True, slots=True)
class Arg:
    """One route argument's JSON schema, as far as WordPress validates it."""

    type: str  # integer, number, string, boolean, array, object, date-time (a string with that format)
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    items: Arg | None = None
    properties: Mapping[str, Arg] = field(default_factory=dict)
    nullable: bool = False
    required: bool = False


@dataclass(frozen=True, slots=True)
class Invalid:
    """One invalid parameter: WordPress's error code and message for it."""

    code: str
    message: str
    data: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class JsonError:
    code: int
    message: str


@dataclass(slots=True)
class RequestParams:
    """The parameters WordPress hands a route: JSON body over form body over query (`get_params`)."""

    query: dict[str, PhpValue]
    form: dict[str, PhpValue]
    body: Any = None  # the decoded JSON body when the content type is JSON
    json_error: JsonError | None = None

    @classmethod
    def of(cls, request: MockRequest) -> RequestParams:
        query = php_params(request.query)
        if not request.body:
            return cls(query, {})
        if is_json_content_type(request.header("content-type")):
            decoded, error = _decode_json(request.body)
            return cls(query, {}, decoded, error)
        if _is_form(request.header("content-type")):
            text = request.body.decode("utf-8", "replace")
            return cls(query, php_params(parse_qsl(text, keep_blank_values=True)))
        return cls(query, {})

    def merged(self) -> dict[str, Any]:
        """Every parameter once; a JSON body that is not an object contributes nothing."""
        body = self.body if isinstance(self.body, dict) else {}
        return {**self.query, **self.form, **body}


def is_json_content_type(value: str | None) -> bool:
    """`wp_is_json_media_type`: application/json or any `+json` type."""
    media = (value or "").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _is_form(value: str | None) -> bool:
    # WordPress treats a missing Content-Type as a form body "for maximum compatibility".
    media = (value or "").split(";")[0].strip().lower()
    return media in ("", "application/x-www-form-urlencoded")


def _decode_json(body: bytes) -> tuple[Any, JsonError | None]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None, JsonError(5, "Malformed UTF-8 characters, possibly incorrectly encoded")
    if not text.strip():
        return None, None
    try:
        decoded = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        return None, _TOO_DEEP
    except ValueError:
        return None, JsonError(4, "Syntax error")
    return (None, _TOO_DEEP) if _depth(decoded) > JSON_DEPTH else (decoded, None)


def _depth(value: Any) -> int:
    """Nesting depth as PHP's json_decode counts it (a scalar is 1 deep, `[]` is 1, `[[]]` is 2)."""
    deepest, level = 1, [(value, 1)]
    while level:
        item, depth = level.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        level.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


_TOO_DEEP = JsonError(1, "Maximum stack depth exceeded")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"PHP's json_decode has no {name}")


# -- PHP-flavoured conversions -------------------------------------------------------------


def php_is_numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return math.isfinite(value)
    return isinstance(value, str) and bool(_NUMERIC.match(value))


def absint(value: Any) -> int:
    """WordPress `absint`: PHP's `abs((int) $value)`, clamped where PHP would overflow."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        number = float(value) if isinstance(value, float) else value
    elif isinstance(value, str) and php_is_numeric(value):
        text = value.strip()
        exact = len(text) <= 19 and not any(c in text for c in ".eE")
        number = int(text) if exact else float(text)
    else:
        return 0
    if isinstance(number, float) and not math.isfinite(number):
        return 0
    return min(abs(int(number)), INT_MAX)


def to_bool(value: Any) -> bool:
    """`rest_sanitize_boolean`."""
    if isinstance(value, str):
        return value.lower() not in ("false", "0", "")
    return bool(value)


def wp_list(value: Any) -> list[Any]:
    """`wp_parse_list`: a comma/space separated string, or an array's values."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,]+", value) if part]
    return [value]


def parse_date(text: str) -> tuple[tuple[int, int, int, int, int, int], str | None] | None:
    """`rest_parse_date`: the wall-clock fields and the offset (None: site-local), or None."""
    found = _DATE.match(text)
    if not found:
        return None
    year, month, day, hour, minute, second = (int(found.group(i)) for i in range(1, 7))
    try:
        datetime(year, month, day, hour, minute, second)  # strtotime() refuses 2025-13-40 too
    except ValueError:
        return None
    return (year, month, day, hour, minute, second), found.group(8)


# -- validation ----------------------------------------------------------------------------


def validate_args(args: Mapping[str, Arg], params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The `rest_missing_callback_param` / `rest_invalid_param` error data, or None when valid."""
    missing = [name for name, arg in args.items() if arg.required and params.get(name) is None]
    if missing:
        return {"code": "rest_missing_callback_param", "params": missing}
    invalid: dict[str, Invalid] = {}
    for name, arg in args.items():
        if params.get(name) is not None:  # WordPress never validates a null parameter
            problem = _check(name, params[name], arg)
            if problem is not None:
                invalid[name] = problem
    if not invalid:
        return None
    return {"code": "rest_invalid_param", "invalid": invalid}


def _check(name: str, value: Any, arg: Arg) -> Invalid | None:
    if value is None and arg.nullable:
        return None
    problem = _check_type(name, value, arg)
    if problem is not None:
        return problem
    if arg.type == "array" and arg.items is not None:
        for index, item in enumerate(wp_list(value)):
            found = _check(f"{name}[{index}]", item, arg.items)
            if found is not None:
                return found
    if arg.type == "object" and isinstance(value, dict):
        for key, sub in arg.properties.items():
            if key in value:
                found = _check(f"{name}[{key}]", value[key], sub)
                if found is not None:
                    return found
    if arg.enum and value not in arg.enum:
        return Invalid("rest_not_in_enum", f"{name} is not one of {_list(arg.enum)}.")
    if arg.type == "date-time" and parse_date(value) is None:
        return Invalid("rest_invalid_date", "Invalid date.")
    if arg.type in ("integer", "number"):
        return _check_bounds(name, float(value), arg)
    return None


def _check_type(name: str, value: Any, arg: Arg) -> Invalid | None:
    valid = _TYPE_CHECKS[arg.type](value)
    if valid:
        return None
    shown = "string" if arg.type == "date-time" else arg.type
    return Invalid("rest_invalid_type", f"{name} is not of type {shown}.", {"param": name})


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_array(value: Any) -> bool:
    # `rest_is_array`: a scalar is a comma-separated list; a PHP array needs numeric keys.
    return not isinstance(value, dict) or all(k.isdigit() for k in value)


def _is_object(value: Any) -> bool:
    # `rest_is_object`: any PHP array (a JSON list too) or the empty string.
    return isinstance(value, dict | list) or value == ""


def _is_integer(value: Any) -> bool:
    # `rest_is_integer`: numeric and round() leaves it unchanged (PHP's INF passes).
    if not php_is_numeric(value):
        return False
    number = float(value)
    return not math.isfinite(number) or number.is_integer()


def _is_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        return value.lower() in ("true", "false", "0", "1")
    return isinstance(value, int) and value in (0, 1)


_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "integer": _is_integer,
    "number": php_is_numeric,
    "string": _is_string,
    "date-time": _is_string,
    "boolean": _is_boolean,
    "array": _is_array,
    "object": _is_object,
}


def _check_bounds(name: str, value: float, arg: Arg) -> Invalid | None:
    low, high = arg.minimum, arg.maximum
    if low is not None and high is not None and not low <= value <= high:
        return Invalid(
            "rest_out_of_bounds", f"{name} must be between {low} (inclusive) and {high} (inclusive)"
        )
    if low is not None and high is None and value < low:
        return Invalid("rest_out_of_bounds", f"{name} must be greater than or equal to {low}")
    if high is not None and low is None and value > high:
        return Invalid("rest_out_of_bounds", f"{name} must be less than or equal to {high}")
    return None


def _list(items: Sequence[str]) -> str:
    """`wp_sprintf_l`: "a and b", "a, b, and c"."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]
