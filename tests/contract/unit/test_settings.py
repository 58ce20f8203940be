"""resolve_settings: options over environment, the embedded sandbox's defaults, clear errors."""

from __future__ import annotations

import re

import pytest

from clawcheck.contract.settings import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    ENV_CLIENT_ID,
    ENV_CLIENT_SECRET,
    ENV_EXPIRED_TOKEN,
    ENV_SHOP_ID,
    resolve_settings,
)
from clawcheck.errors import ConfigError

TARGET = "https://api.example.test"
FULL_ENV = {
    ENV_CLIENT_ID: "env-id",
    ENV_CLIENT_SECRET: "env-secret-value",
    ENV_SHOP_ID: "shop_env",
    ENV_EXPIRED_TOKEN: "env-expired-token",
}


def test_embedded_defaults() -> None:
    settings = resolve_settings(target=None, embedded_url="http://127.0.0.1:5555", env={})
    assert settings.embedded is True
    assert settings.base_url == "http://127.0.0.1:5555"
    assert (settings.client_id, settings.client_secret) == (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    assert len(settings.shops) == len(set(settings.shops)) > 1
    assert all(re.fullmatch(r"shop_[A-Za-z0-9_-]+", shop) for shop in settings.shops)
    assert (settings.rate_limit, settings.max_rps, settings.timeout) == (10.0, 8.0, 10.0)
    assert settings.expired_token is None


def test_embedded_still_honours_the_environment() -> None:
    settings = resolve_settings(target=None, embedded_url="http://127.0.0.1:1", env=FULL_ENV)
    assert (settings.client_id, settings.client_secret, settings.shops) == (
        "env-id",
        "env-secret-value",
        ("shop_env",),
    )
    assert settings.expired_token == "env-expired-token"


def test_no_target_and_no_embedded_url() -> None:
    with pytest.raises(ConfigError, match="no target: pass --target URL"):
        resolve_settings(target=None, env={})


def test_external_target_from_environment() -> None:
    settings = resolve_settings(target=TARGET, env=FULL_ENV)
    assert settings.embedded is False
    assert (settings.base_url, settings.client_id, settings.client_secret) == (
        TARGET,
        "env-id",
        "env-secret-value",
    )
    assert settings.shops == ("shop_env",)
    assert settings.expired_token == "env-expired-token"


def test_options_win_over_environment() -> None:
    settings = resolve_settings(
        target=TARGET,
        client_id="opt-id",
        client_secret="opt-secret",
        shop_id="shop_opt",
        expired_token="opt-expired",
        env=FULL_ENV,
    )
    assert (settings.client_id, settings.client_secret) == ("opt-id", "opt-secret")
    assert (settings.shops, settings.expired_token) == (("shop_opt",), "opt-expired")


def test_empty_environment_values_count_as_unset() -> None:
    env = {**FULL_ENV, ENV_EXPIRED_TOKEN: ""}
    assert resolve_settings(target=TARGET, env=env).expired_token is None


def test_several_shops_separated_by_commas() -> None:
    settings = resolve_settings(target=TARGET, shop_id=" shop_a, shop_b ,,shop_c-1 ", env=FULL_ENV)
    assert settings.shops == ("shop_a", "shop_b", "shop_c-1")


@pytest.mark.parametrize(
    ("env", "option", "variable"),
    [
        ({ENV_CLIENT_SECRET: "s", ENV_SHOP_ID: "shop_x"}, "--client-id", ENV_CLIENT_ID),
        ({ENV_CLIENT_ID: "i", ENV_SHOP_ID: "shop_x"}, "--client-secret", ENV_CLIENT_SECRET),
        ({ENV_SHOP_ID: "shop_x"}, "--client-id", ENV_CLIENT_ID),
    ],
)
def test_missing_credentials_name_the_option_and_the_variable(
    env: dict[str, str], option: str, variable: str
) -> None:
    with pytest.raises(ConfigError) as error:
        resolve_settings(target=TARGET, env=env)
    message = str(error.value)
    assert message.startswith(f"no client credentials for {TARGET}: pass {option} or set {variable}")


def test_missing_shop_for_external_target_names_the_option_and_the_variable() -> None:
    with pytest.raises(ConfigError) as error:
        resolve_settings(target=TARGET, client_id="i", client_secret="s", env={})
    assert str(error.value) == f"no shop for {TARGET}: pass --shop-id or set {ENV_SHOP_ID} (e.g. shop_demo)"


def test_error_messages_never_contain_the_secret() -> None:
    secret = "super-secret-value-123"
    with pytest.raises(ConfigError) as error:
        resolve_settings(target=TARGET, client_id="i", client_secret=secret, shop_id="bad shop", env={})
    assert secret not in str(error.value)
    settings = resolve_settings(target=TARGET, client_id="i", client_secret=secret, shop_id="shop_a", env={})
    assert secret not in repr(settings)


@pytest.mark.parametrize(
    "url",
    ["api.example.test", "ftp://api.example.test", "http://", "file:///etc/passwd", "", "127.0.0.1:8080"],
)
def test_bad_url(url: str) -> None:
    with pytest.raises(ConfigError, match=r"is not an http\(s\) URL; pass the API base URL"):
        resolve_settings(target=url, env=FULL_ENV)


@pytest.mark.parametrize("url", [f"{TARGET}/v2", f"{TARGET}/v2/", f"{TARGET}/api/v2", f"{TARGET}/api/v2//"])
def test_url_ending_in_v2(url: str) -> None:
    with pytest.raises(ConfigError, match="ends in /v2; pass the base URL without it"):
        resolve_settings(target=url, env=FULL_ENV)


@pytest.mark.parametrize(
    ("url", "base"),
    [
        (f"{TARGET}/", TARGET),
        (f"{TARGET}/api/", f"{TARGET}/api"),
        (f"{TARGET}/v2x", f"{TARGET}/v2x"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
    ],
)
def test_url_is_normalised(url: str, base: str) -> None:
    assert resolve_settings(target=url, env=FULL_ENV).base_url == base


@pytest.mark.parametrize("shop", ["shop_demo", "shop_A-1_b", "shop_" + "x" * 60])
def test_valid_shop_ids(shop: str) -> None:
    assert resolve_settings(target=TARGET, shop_id=shop, env=FULL_ENV).shops == (shop,)


@pytest.mark.parametrize(
    "shop", ["demo", "shop_", "SHOP_demo", "shop_a b", "shop_é", "shop_" + "x" * 61, "shop_a/b"]
)
def test_invalid_shop_ids(shop: str) -> None:
    with pytest.raises(ConfigError) as error:
        resolve_settings(target=TARGET, shop_id=shop, env=FULL_ENV)
    assert (
        str(error.value) == f"shop id {shop!r} is not valid: it must look like shop_<letters, digits, _ or ->"
    )


def test_an_invalid_shop_in_a_list_is_named() -> None:
    with pytest.raises(ConfigError, match="shop id 'nope' is not valid"):
        resolve_settings(target=TARGET, shop_id="shop_a,nope", env=FULL_ENV)


@pytest.mark.parametrize("shops", [",", " , ,"])
def test_a_shop_list_of_only_separators_is_a_config_error(shops: str) -> None:
    with pytest.raises(ConfigError, match="shop"):
        resolve_settings(target=TARGET, shop_id=shops, env=FULL_ENV)


def test_rate_limit_and_pace() -> None:
    settings = resolve_settings(target=TARGET, rate_limit=20, env=FULL_ENV)
    assert (settings.rate_limit, settings.max_rps) == (20, 16)
    settings = resolve_settings(target=TARGET, rate_limit=20, max_rps=3, timeout=2.5, env=FULL_ENV)
    assert (settings.rate_limit, settings.max_rps, settings.timeout) == (20, 3, 2.5)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rate_limit": 0}, "--rate-limit must be positive, got 0"),
        ({"rate_limit": -1}, "--rate-limit must be positive, got -1"),
        ({"max_rps": 0}, "--max-rps must be positive, got 0"),
        ({"max_rps": -2.5}, "--max-rps must be positive, got -2.5"),
    ],
)
def test_rates_must_be_positive(options: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        resolve_settings(target=TARGET, env=FULL_ENV, **options)  # type: ignore[arg-type]
