"""mutate: a different but still valid body, changing exactly one free field."""

from __future__ import annotations

from typing import Any

import pytest

from clawcheck.contract.mutate import mutate
from clawcheck.contract.specindex import SpecIndex


def changed_fields(before: Any, after: Any, prefix: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        assert before.keys() == after.keys()
        return [f for k in before for f in changed_fields(before[k], after[k], f"{prefix}/{k}")]
    return [] if before == after and type(before) is type(after) else [prefix]


def schema(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


STR = {"type": "string"}
INT = {"type": "integer"}


def test_changes_exactly_one_free_string_and_leaves_the_input_alone() -> None:
    body = {"a": "x", "b": "y"}
    changed = mutate(body, schema(a=STR, b=STR))
    assert changed == {"a": "xx", "b": "y"}
    assert body == {"a": "x", "b": "y"}


@pytest.mark.parametrize(
    "constraint",
    [
        {"enum": ["a", "b"]},
        {"const": "a"},
        {"pattern": "^[a-z]+$"},
        {"format": "date-time"},
        {"not": {"enum": ["x"]}},
        {"oneOf": [STR]},
        {"anyOf": [STR]},
        {"allOf": [STR]},
    ],
)
def test_never_changes_a_constrained_field(constraint: dict[str, Any]) -> None:
    body = {"fixed": "a", "free": "f"}
    changed = mutate(body, schema(fixed={"type": "string", **constraint}, free=STR))
    assert changed_fields(body, changed) == ["/free"]


def test_respects_max_length_by_shortening() -> None:
    assert mutate({"s": "abc"}, schema(s={"type": "string", "maxLength": 3})) == {"s": "ab"}


def test_respects_max_and_min_length_together() -> None:
    assert mutate({"s": "abc"}, schema(s={"type": "string", "minLength": 3, "maxLength": 3})) is None


def test_lengthens_when_allowed() -> None:
    assert mutate({"s": "abc"}, schema(s={"type": "string", "minLength": 3, "maxLength": 4})) == {"s": "abcx"}


@pytest.mark.parametrize(
    ("value", "bounds", "expected"),
    [
        (5, {}, 6),
        (5, {"maximum": 5}, 4),
        (1, {"minimum": 1, "maximum": 2}, 2),
        (2, {"minimum": 1, "maximum": 2}, 1),
        (-1, {}, -2),  # 0 is skipped: a zero delta is the classic invalid value
        (1, {"minimum": 0, "maximum": 1}, None),
        (3, {"minimum": 3, "maximum": 3}, None),
    ],
)
def test_integers_stay_within_minimum_and_maximum(
    value: int, bounds: dict[str, int], expected: int | None
) -> None:
    changed = mutate({"n": value}, schema(n={"type": "integer", **bounds}))
    assert changed == (None if expected is None else {"n": expected})


@pytest.mark.parametrize(
    ("value", "prop"),
    [
        (True, {"type": "boolean"}),
        (1.5, {"type": "number"}),
        ("x", {}),
        (["x"], {"type": "array", "items": STR}),
        (None, {"type": "string", "nullable": True}),
        (3, STR),
        ("3", INT),
    ],
)
def test_leaves_other_kinds_of_value_alone(value: Any, prop: dict[str, Any]) -> None:
    assert mutate({"v": value}, schema(v=prop)) is None


def test_fields_absent_from_the_body_are_not_added() -> None:
    assert mutate({"a": "x"}, schema(a={"enum": ["x"]}, b=STR)) is None


def test_fields_absent_from_the_schema_are_not_touched() -> None:
    assert mutate({"extra": "x"}, schema()) is None


def test_nested_objects_are_tried_after_top_level_scalars() -> None:
    body = {"currency": "USD", "buyer": {"name": "Li", "country": "US"}}
    buyer = schema(
        name={"type": "string", "maxLength": 200}, country={"type": "string", "pattern": "^[A-Z]{2}$"}
    )
    changed = mutate(body, schema(currency={"type": "string", "pattern": "^[A-Z]{3}$"}, buyer=buyer))
    assert changed == {"currency": "USD", "buyer": {"name": "Lix", "country": "US"}}
    assert body["buyer"] == {"name": "Li", "country": "US"}  # a deep copy was changed


def test_a_top_level_free_field_wins_over_nested_ones() -> None:
    body = {"buyer": {"name": "Li"}, "note": "n"}
    changed = mutate(body, schema(buyer=schema(name=STR), note=STR))
    assert changed_fields(body, changed) == ["/note"]


@pytest.mark.parametrize(
    ("body", "body_schema"), [(None, schema()), ([], schema()), ("x", schema()), ({"a": "x"}, None)]
)
def test_nothing_to_mutate(body: Any, body_schema: dict[str, Any] | None) -> None:
    assert mutate(body, body_schema) is None


def test_on_the_bundled_create_order_schema(bundled_index: SpecIndex) -> None:
    info = bundled_index.info("POST /v2/orders/create")
    body = {
        "platform": "shopify", "platform_order_id": "SHOP-1001", "currency": "USD",
        "buyer": {"name": "Li Wei", "email": "li.wei@example.com", "country": "US"},
        "lines": [{"sku": "SKU-RED-M", "quantity": 2, "unit_price": "19.99"}],
        "warehouse_id": "WH-SZ-01", "placed_at": "2026-03-19T08:30:00Z",
    }  # fmt: skip
    changed = mutate(body, info.body_schema)
    assert changed_fields(body, changed) == ["/platform_order_id"]
