from __future__ import annotations

import pytest

from clawcheck.spec.pointer import escape, join, split, to_pointer, unescape


@pytest.mark.parametrize(
    ("token", "escaped"),
    [("/v2/orders/create", "~1v2~1orders~1create"), ("a~b", "a~0b"), ("~1", "~01"), ("plain", "plain")],
)
def test_escape_round_trips(token: str, escaped: str) -> None:
    assert escape(token) == escaped
    assert unescape(escaped) == token


def test_join_builds_the_pointer_of_an_operation() -> None:
    assert join("/paths", "/v2/orders/create", "post", "x-sla") == "/paths/~1v2~1orders~1create/post/x-sla"
    assert to_pointer(["paths", "/a", "get", "responses", 404]) == "/paths/~1a/get/responses/404"
    assert to_pointer([]) == ""


def test_split_unescapes_and_accepts_percent_encoding() -> None:
    assert split("") == []
    assert split("/paths/~1v2~1things/get") == ["paths", "/v2/things", "get"]
    assert split("/x-shared/tilde~0key") == ["x-shared", "tilde~key"]
    assert split("/paths/~1items~1%7Bid%7D") == ["paths", "/items/{id}"]


def test_split_rejects_text_that_is_not_a_pointer() -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        split("components/schemas/Error")
