"""Registry: register once, ask by name, unknown names list the known ones."""

from __future__ import annotations

import pytest

from clawcheck.core.registry import Registry
from clawcheck.errors import ClawcheckError, ConfigError


def test_register_and_get() -> None:
    things: Registry[object] = Registry("thing")

    @things.register("double")
    def double(x: int) -> int:
        return 2 * x

    assert things.add("one", 1) == 1
    assert things.get("one") == 1
    assert things.get("double") is double
    assert things.names() == ["double", "one"]
    assert list(things) == [double, 1]
    assert len(things) == 2
    assert "one" in things
    assert "two" not in things


def test_duplicate_registration_is_refused_and_keeps_the_first() -> None:
    things: Registry[str] = Registry("report format")
    things.add("json", "first")
    with pytest.raises(ValueError, match="report format 'json' is registered twice"):
        things.add("json", "second")
    with pytest.raises(ValueError, match="registered twice"):
        things.register("json")("third")
    assert things.get("json") == "first"


def test_unknown_name_is_a_config_error_listing_known_names_sorted() -> None:
    things: Registry[int] = Registry("check")
    things.add("b.rule", 1)
    things.add("a.rule", 2)
    with pytest.raises(ConfigError) as error:
        things.get("c.rule")
    assert str(error.value) == "unknown check 'c.rule'; known: a.rule, b.rule"
    assert isinstance(error.value, ClawcheckError)
    assert error.value.__suppress_context__  # no KeyError chained onto the user's screen


def test_unknown_name_in_an_empty_registry() -> None:
    with pytest.raises(ConfigError, match="unknown fault 'x'; known: none"):
        Registry[int]("fault").get("x")
