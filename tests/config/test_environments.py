"""Choosing an environment, and the values the orchestrator gets for it."""

from __future__ import annotations

import pytest

from clawcheck.config import Kind, LoadConfig, PlatformsConfig, Role, SlaOverride, WebhooksConfig
from clawcheck.core.checklist import Waiver
from clawcheck.errors import ConfigError

from .conftest import BASE, Load

PRODUCTION = (
    '[environments.production]\nkind = "production"\ntarget = "https://api.openclaw.example.com/"\n'
    'client_id = "my-app"\nclient_secret = { env = "OPENCLAW_CLIENT_SECRET" }\nshop_id = "shop_1001"\n'
)


def test_the_only_environment_is_the_default(load: Load) -> None:
    assert load(BASE).environment().name == "staging"


def test_default_env_is_chosen_when_none_is_named(load: Load) -> None:
    config = load('default_env = "production"\n' + BASE + PRODUCTION)
    assert config.names == ("staging", "production")
    assert config.environment().name == "production"
    assert config.environment("staging").name == "staging"


def test_several_environments_and_no_default_need_a_name(load: Load) -> None:
    config = load(BASE + PRODUCTION)
    with pytest.raises(ConfigError) as caught:
        config.environment()
    assert str(caught.value) == (
        "clawcheck.toml defines environments staging, production and no default_env; "
        "name the environment to run, or set default_env"
    )


def test_an_unknown_name_lists_the_known_ones(load: Load) -> None:
    config = load(BASE + PRODUCTION)
    with pytest.raises(ConfigError) as caught:
        config.environment("prod")
    assert str(caught.value) == (
        "unknown environment 'prod' (did you mean 'production'?); clawcheck.toml defines: staging, production"
    )


def test_a_name_without_any_environment_is_an_error(load: Load) -> None:
    with pytest.raises(
        ConfigError, match=r"^unknown environment 'staging': clawcheck.toml defines none; add"
    ):
        load('lang = "en"\n').environment("staging")


def test_a_file_without_environments_runs_everything_embedded(load: Load) -> None:
    env = load('lang = "en"\n').environment()
    assert env.name == "embedded"
    assert env.embedded
    assert (env.kind, env.client_secret, env.webhooks, env.platforms) == (
        Kind.SANDBOX,
        None,
        WebhooksConfig(),
        None,
    )
    assert env.secrets() == []


def test_an_environment_without_target_is_the_embedded_sandbox(load: Load) -> None:
    env = load('[environments.local]\n[environments.local.load]\nprofile = "smoke"\n').environment()
    assert (env.name, env.embedded, env.kind, env.target) == ("local", True, Kind.SANDBOX, None)
    assert env.load == LoadConfig(profile="smoke")


def test_the_target_is_normalised_to_a_base_url(load: Load) -> None:
    env = load(PRODUCTION).environment()
    assert env.target == "https://api.openclaw.example.com"
    assert env.kind is Kind.PRODUCTION
    assert not env.embedded


def test_platform_adapter_as_argv_and_durations_as_text(load: Load) -> None:
    text = BASE + (
        "[environments.staging.platforms]\n"
        'platform = "lazada"\nadapter = ["python", "-m", "sync"]\n'
        'scenarios = ["token-expiry:ttl=5,skew=1.5+slow", "server-errors"]\n'
        'duration = "30s"\ntimeout = "2m"\n'
    )
    platforms = load(text).environment().platforms
    assert platforms == PlatformsConfig(
        "lazada", ("python", "-m", "sync"), ("token-expiry:ttl=5,skew=1.5+slow", "server-errors"), 30.0, 120.0
    )
    assert platforms.to_dict()["adapter"] == ["python", "-m", "sync"]


def test_load_overrides(load: Load) -> None:
    text = BASE + '[environments.staging.load]\nprofile = "go-live"\nusers = 50\nspawn_rate = 2.5\n'
    text += 'duration = "1h30m"\nmax_requests = 0\n'
    assert load(text).environment().load == LoadConfig("go-live", 50, 2.5, 5400.0, 0)


def test_sla_overrides_and_their_load_syntax(load: Load) -> None:
    text = BASE + (
        '[environments.staging.sla]\n"POST /v2/orders/create" = { p95_ms = 500, success = 0.999 }\n'
        '"*" = { success = 1 }\n'
    )
    sla = load(text).environment().sla
    assert sla == (SlaOverride("POST /v2/orders/create", 500.0, 0.999), SlaOverride("*", None, 1.0))
    assert [s.to_load_arg() for s in sla] == [
        "POST /v2/orders/create p95_ms=500 success_rate=0.999",
        "success_rate=1",
    ]
    assert [s.everywhere for s in sla] == [False, True]


def test_signers_and_waivers(load: Load) -> None:
    text = BASE + (
        "[environments.staging.signers]\n"
        'seller = { name = "张三 (Acme ERP)", key = "keys/seller.pub" }\n'
        'platform = { name = "李四 (OpenClaw)", key = "keys/openclaw.pub" }\n'
        '[[environments.staging.waivers]]\nitem = "op.listOrders.p95"\n'
        'reason = "listOrders is a nightly batch; agreed 2026-11-20"\n'
        'signer = "李四 (OpenClaw)"\nrole = "platform"\n'
    )
    env = load(text).environment()
    assert [(s.role, s.name, s.key.name) for s in env.signers] == [
        (Role.SELLER, "张三 (Acme ERP)", "seller.pub"),
        (Role.PLATFORM, "李四 (OpenClaw)", "openclaw.pub"),
    ]
    assert env.waiver_for("op.listOrders.p95") == Waiver(
        "listOrders is a nightly batch; agreed 2026-11-20", "李四 (OpenClaw)", "platform"
    )
    assert env.waiver_for("op.createOrder.p95") is None
    assert env.signer("platform") is env.signers[1]


def test_a_waiver_without_configured_signers_takes_any_signer(load: Load) -> None:
    text = BASE + (
        '[[environments.staging.waivers]]\nitem = "webhooks.signature.wrong_secret"\n'
        'reason = "receiver is replaced next sprint"\nsigner = "王五"\nrole = "seller"\n'
    )
    (waiver,) = load(text).environment().waivers
    assert (waiver.item, waiver.signer, waiver.role) == (
        "webhooks.signature.wrong_secret",
        "王五",
        Role.SELLER,
    )
