"""first_difference: where two JSON documents first differ."""

from __future__ import annotations

from typing import Any

import pytest

from clawcheck.core.jsondiff import first_difference


@pytest.mark.parametrize(
    "value",
    [None, 1, "a", [], {}, [1, [2, {"a": None}]], {"a": {"b": [1, 2]}, "c": "d"}],
)
def test_equal_documents_have_no_difference(value: Any) -> None:
    assert first_difference(value, value) is None


def test_key_order_does_not_matter() -> None:
    assert first_difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (1, 2, ("/", 1, 2)),
        ({"a": 1}, {"a": 2}, ("/a", 1, 2)),
        ({"a": {"b": [1, 2]}}, {"a": {"b": [1, 3]}}, ("/a/b/1", 2, 3)),
        ({"a": 1}, {}, ("/a", 1, "<missing>")),
        ({}, {"z": None}, ("/z", "<missing>", None)),
        ([1, 2], [1, 2, 3], ("/2", "<missing>", 3)),
        ([1, 2, 3], [1], ("/1", 2, "<missing>")),
        ({"a": [1]}, {"a": {"0": 1}}, ("/a", [1], {"0": 1})),
        ({"x/y": 1, "m~n": 1}, {"x/y": 2, "m~n": 1}, ("/x~1y", 1, 2)),
    ],
)
def test_first_difference_pointer_and_values(a: Any, b: Any, expected: tuple[str, Any, Any]) -> None:
    assert first_difference(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b"), [(1, 1.0), (1, True), (0, False), (1.0, True), ("1", 1), (None, 0), (None, "")]
)
def test_type_changes_are_differences(a: Any, b: Any) -> None:
    found = first_difference({"v": a}, {"v": b})
    assert found is not None
    assert found[0] == "/v"
    assert found[1] is a
    assert found[2] is b


def test_the_first_difference_in_sorted_key_order_is_reported() -> None:
    assert first_difference({"b": 1, "a": 1}, {"b": 2, "a": 2}) == ("/a", 1, 2)


@pytest.mark.parametrize(("a", "b"), [({"a": "<missing>"}, {}), (["<missing>"], [])])
def test_a_value_that_looks_like_the_sentinel_still_differs_from_absence(a: Any, b: Any) -> None:
    assert first_difference(a, b) is not None
