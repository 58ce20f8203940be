"""Every mistake in a configuration file is one line that names the full dotted key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from clawcheck.config import load_config
from clawcheck.errors import ConfigError

from .conftest import BASE, ENV, Load, Write

T = "environments.staging"


def replace(line: str, new: str) -> str:
    """BASE with the line starting with `line` replaced by `new` ("" drops it)."""
    lines = [new if x.startswith(line) else x for x in BASE.splitlines()]
    return "\n".join(x for x in lines if x) + "\n"


def waiver(drop: str = "", **values: str) -> str:
    """One [[environments.staging.waivers]] table: valid unless changed by `values` or `drop`."""
    fields = {"item": "a.b", "reason": "0123456789", "signer": "x", "role": "seller", **values}
    return "[[environments.staging.waivers]]\n" + "".join(
        f'{key} = "{value}"\n' for key, value in fields.items() if key != drop
    )


def fails(load: Load, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(text)
    message = str(caught.value)
    assert "\n" not in message, message
    assert message.startswith(("clawcheck.toml: ", "clawcheck.toml is not"))
    return message


UNKNOWN_KEYS = [
    pytest.param('langg = "en"\n', "langg is not a known key; did you mean lang?", id="top"),
    pytest.param(
        BASE + '[environments.staging.webhooks]\nurl = "https://e.example.com/h"\nscret = "x"\n',
        f"{T}.webhooks.scret is not a known key; did you mean {T}.webhooks.secret?",
        id="webhooks.scret",
    ),
    pytest.param(
        BASE + 'clientid = "x"\n', f"{T}.clientid is not a known key; did you mean {T}.client_id?", id="env"
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nbanana = 1\n",
        f"{T}.load.banana is not a known key; "
        "known keys here: profile, users, spawn_rate, duration, max_requests",
        id="no-close-match",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"*" = { p95ms = 500 }\n',
        f'{T}.sla."*".p95ms is not a known key; did you mean {T}.sla."*".p95_ms?',
        id="sla-entry",
    ),
    pytest.param(
        BASE + '[environments.staging.signers]\nseler = { name = "a", key = "k" }\n',
        f"{T}.signers.seler is not a known key; did you mean {T}.signers.seller?",
        id="signers",
    ),
    pytest.param(
        BASE + '[environments.staging.signers]\nseller = { name = "a", keyfile = "k" }\n',
        f"{T}.signers.seller.keyfile is not a known key; did you mean {T}.signers.seller.key?",
        id="signer",
    ),
    pytest.param(
        BASE + '[[environments.staging.waivers]]\nitem = "a.b"\nreson = "0123456789"\n',
        f"{T}.waivers[0].reson is not a known key; did you mean {T}.waivers[0].reason?",
        id="waiver",
    ),
    pytest.param(
        '[[notify]]\nkind = "slack"\nurll = { env = "SLACK_BOT_URL" }\n',
        "notify[0].urll is not a known key; did you mean notify[0].url?",
        id="notify",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nplatform = "shopee"\nscenario = []\n',
        f"{T}.platforms.scenario is not a known key; did you mean {T}.platforms.scenarios?",
        id="platforms",
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNKNOWN_KEYS)
def test_unknown_keys_are_named_in_full_with_the_closest_known_key(
    load: Load, text: str, expected: str
) -> None:
    assert fails(load, text) == f"clawcheck.toml: {expected}"


WRONG_TYPES = [
    pytest.param("lang = 1\n", "lang must be a string, got an integer", id="lang"),
    pytest.param('environments = "x"\n', "environments must be a table, got a string", id="environments"),
    pytest.param("[environments]\nstaging = 1\n", f"{T} must be a table, got an integer", id="environment"),
    pytest.param(
        replace("client_id", "client_id = 7"), f"{T}.client_id must be a string, got an integer", id="id"
    ),
    pytest.param(
        BASE + '[environments.staging.load]\nusers = "20"\n',
        f"{T}.load.users must be a whole number, got a string",
        id="users-string",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nusers = 2.5\n",
        f"{T}.load.users must be a whole number, got a float",
        id="users-float",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nspawn_rate = true\n",
        f"{T}.load.spawn_rate must be a number, got a boolean",
        id="spawn-rate-bool",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nduration = 2026-01-01\n",
        f"{T}.load.duration must be seconds (30) or a duration string",
        id="duration-date",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nplatform = "shopee"\nscenarios = "slow"\n',
        f"{T}.platforms.scenarios must be an array of strings, got a string",
        id="scenarios-string",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nplatform = "shopee"\nscenarios = [1]\n',
        f"{T}.platforms.scenarios[0] must be a string, got an integer",
        id="scenarios-item",
    ),
    pytest.param(BASE + 'webhooks = "x"\n', f"{T}.webhooks must be a table, got a string", id="webhooks"),
    pytest.param(
        BASE + '[environments.staging.waivers]\nitem = "a"\n',
        f"{T}.waivers must be an array of tables ([[{T}.waivers]]), got a table",
        id="waivers-table",
    ),
    pytest.param('notify = ["x"]\n', "notify[0] must be a table, got a string", id="notify-item"),
    pytest.param(
        replace("client_secret", "client_secret = 123"),
        f"{T}.client_secret must be an environment variable reference, got an integer; write it as "
        '{ env = "OPENCLAW_CLIENT_SECRET" } and export OPENCLAW_CLIENT_SECRET',
        id="secret-integer",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nplatform = "shopee"\nadapter = 3\n',
        f"{T}.platforms.adapter must be a string, got an integer",
        id="adapter",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"*" = 500\n',
        f'{T}.sla."*" must be a table, got an integer',
        id="sla",
    ),
]


@pytest.mark.parametrize(("text", "expected"), WRONG_TYPES)
def test_wrong_types_name_the_key_and_both_types(load: Load, text: str, expected: str) -> None:
    assert fails(load, text).startswith(f"clawcheck.toml: {expected}")


BAD_VALUES = [
    pytest.param(
        'lang = "zh"\n', "lang must be one of zh-CN, en, got 'zh' (did you mean 'zh-CN'?)", id="lang"
    ),
    pytest.param('out = " "\n', "out must not be empty", id="out-blank"),
    pytest.param(
        replace("kind", 'kind = "prod"'),
        f"{T}.kind must be one of sandbox, production, got 'prod' (did you mean 'production'?)",
        id="kind",
    ),
    pytest.param(
        replace("target", 'target = "ftp://x.example.com"'),
        f"{T}.target must be an http:// or https:// URL, got scheme 'ftp'",
        id="target-scheme",
    ),
    pytest.param(replace("target", 'target = "https://"'), f"{T}.target has no host", id="target-host"),
    pytest.param(
        replace("target", 'target = "https://x.example.com/v2/"'), f"{T}.target ends in /v2", id="target-v2"
    ),
    pytest.param(
        replace("target", 'target = "https://x.example.com/?a=1"'),
        f"{T}.target must be the API base URL, without ?query or #fragment",
        id="target-query",
    ),
    pytest.param(
        replace("target", 'target = "https://x.example.com:99999"'),
        f"{T}.target is not a valid URL",
        id="port",
    ),
    pytest.param(
        replace("shop_id", 'shop_id = "shop-1001"'),
        f"{T}.shop_id must be shop_ followed by letters, digits, _ or - (e.g. shop_1001), got 'shop-1001'",
        id="shop",
    ),
    pytest.param(
        BASE + 'api_version = "2"\n',
        f"{T}.api_version must be a version like \"v2\", got '2'",
        id="api-version",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nusers = 0\n",
        f"{T}.load.users must be at least 1, got 0",
        id="users",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nmax_requests = -1\n",
        f"{T}.load.max_requests must be at least 0, got -1",
        id="max-requests",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nspawn_rate = 0\n",
        f"{T}.load.spawn_rate must be more than 0, got 0",
        id="spawn-rate",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nspawn_rate = inf\n",
        f"{T}.load.spawn_rate must be a finite number, got inf",
        id="spawn-rate-inf",
    ),
    pytest.param(
        BASE + '[environments.staging.load]\nduration = "soon"\n',
        f'{T}.load.duration must be seconds (30) or a duration ("30s", "5m", "1h30m"), got \'soon\'',
        id="duration-text",
    ),
    pytest.param(
        BASE + "[environments.staging.load]\nduration = 0\n",
        f"{T}.load.duration must be more than 0 seconds, got 0",
        id="duration-zero",
    ),
    pytest.param(
        BASE + '[environments.staging.load]\nduration = "25h"\n',
        f"{T}.load.duration must be at most 24 h, got 90000 s",
        id="duration-long",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nplatform = "Shopee"\n',
        f"{T}.platforms.platform must be a platform name in lower case, e.g. shopee, got 'Shopee'",
        id="platform",
    ),
    pytest.param(
        BASE
        + '[environments.staging.platforms]\nplatform = "shopee"\nscenarios = ["slow", "token-expiry:ttl"]\n',
        f"{T}.platforms.scenarios[1] has 'token-expiry:ttl', "
        "which is not name or name:key=number[,key=number]",
        id="scenario",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nplatform = "shopee"\nadapter = []\n',
        f"{T}.platforms.adapter must not be empty",
        id="adapter-empty",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nplatform = "shopee"\nduration = 60\ntimeout = "1m"\n',
        f"{T}.platforms.timeout must be more than duration (60 s): the adapter is killed at the timeout",
        id="timeout",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"POST /v2/orders/create" = { p95_ms = 900 }\n',
        f'{T}.sla."POST /v2/orders/create".p95_ms must be at most 800, got 900 '
        "(the protocol's limit; an override may only tighten it)",
        id="sla-p95-loose",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"*" = { p95_ms = 0 }\n',
        f'{T}.sla."*".p95_ms must be more than 0, got 0',
        id="sla-p95-zero",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"*" = { success = 0.99 }\n',
        f'{T}.sla."*".success must be at least 0.995, got 0.99',
        id="sla-success-loose",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"*" = { success = 1.5 }\n',
        f'{T}.sla."*".success must be at most 1, got 1.5',
        id="sla-success-above-1",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"create order" = { p95_ms = 500 }\n',
        f'{T}.sla."create order" is not an operation; write "METHOD /path"',
        id="sla-operation",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"post /v2/orders/create" = { p95_ms = 500 }\n',
        f'{T}.sla."post /v2/orders/create" is not an operation',
        id="sla-method-case",
    ),
    pytest.param(
        BASE + '[environments.staging.sla]\n"*" = {}\n',
        f'{T}.sla."*" sets neither p95_ms nor success',
        id="sla-empty",
    ),
    pytest.param(
        BASE + '[environments.staging.webhooks]\nurl = "erp.example.com/h"\nsecret = "${S}"\n',
        f"{T}.webhooks.url must be an http:// or https:// URL, got scheme 'none'",
        id="webhooks-url",
    ),
    pytest.param(
        BASE + '[environments.staging.webhooks]\nurl = "https://e.example.com/h"\nsecret = "${S}"\n'
        'probe = "https://e.example.com/probe"\n',
        f"{T}.webhooks.probe has no {{event_id}} placeholder",
        id="probe-placeholder",
    ),
    pytest.param(
        '[environments."stag ing"]\n', 'environments."stag ing" is not a usable environment name', id="name"
    ),
    pytest.param(
        'default_env = "prod"\n' + BASE,
        "default_env names 'prod', which is not an environment here (defined: staging)",
        id="default-env",
    ),
    pytest.param(
        '[[notify]]\nkind = "teams"\nurl = { env = "U" }\n',
        "notify[0].kind must be one of wecom, feishu, dingtalk, slack, got 'teams'",
        id="notify-kind",
    ),
    pytest.param(
        BASE + waiver(reason="too slow"),
        f"{T}.waivers[0].reason must say why in at least 10 characters, got 8",
        id="waiver-reason",
    ),
    pytest.param(
        BASE + waiver(role="buyer"),
        f"{T}.waivers[0].role must be one of seller, platform, got 'buyer'",
        id="waiver-role",
    ),
    pytest.param(
        BASE + waiver(item="a b"),
        f"{T}.waivers[0].item must be a checklist item id without spaces, got 'a b'",
        id="waiver-item",
    ),
    pytest.param(
        BASE + waiver() + waiver(),
        f"{T}.waivers[1].item waives a.b again (also {T}.waivers[0]); give each item one waiver",
        id="waiver-twice",
    ),
    pytest.param(
        BASE
        + '[environments.staging.signers]\nplatform = { name = "李四 (OpenClaw)", key = "k.pub" }\n'
        + waiver(signer="王五", role="platform"),
        f"{T}.waivers[0].signer is '王五', but the platform who signs the checklist is '李四 (OpenClaw)'",
        id="waiver-signer",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_VALUES)
def test_bad_values_name_the_key_and_what_is_allowed(load: Load, text: str, expected: str) -> None:
    assert fails(load, text).startswith(f"clawcheck.toml: {expected}")


MISSING = [
    pytest.param(
        replace("kind", ""), f"{T}.kind is required when target is set: sandbox or production", id="kind"
    ),
    pytest.param(replace("client_id", ""), f"{T}.client_id is required when target is set", id="client_id"),
    pytest.param(
        replace("client_secret", ""), f"{T}.client_secret is required when target is set", id="client_secret"
    ),
    pytest.param(replace("shop_id", ""), f"{T}.shop_id is required when target is set", id="shop_id"),
    pytest.param(
        BASE + '[environments.staging.webhooks]\nurl = "https://e.example.com/h"\n',
        f"{T}.webhooks.secret is required when url is set: the receiver's signing secret",
        id="webhooks.secret",
    ),
    pytest.param(
        BASE + '[environments.staging.platforms]\nadapter = "./sync"\n',
        f'{T}.platforms.platform is required; e.g. platform = "shopee"',
        id="platform",
    ),
    pytest.param(
        BASE + '[environments.staging.signers]\nseller = { key = "k.pub" }\n',
        f"{T}.signers.seller.name is required (shown on the checklist)",
        id="signer.name",
    ),
    pytest.param(
        BASE + '[environments.staging.signers]\nseller = { name = "张三" }\n',
        f"{T}.signers.seller.key is required; the public key file",
        id="signer.key",
    ),
    *[
        pytest.param(
            BASE + waiver(drop=missing),
            f"{T}.waivers[0].{missing} is required",
            id=f"waiver.{missing}",
        )
        for missing in ("item", "reason", "signer", "role")
    ],
    pytest.param('[[notify]]\nurl = { env = "U" }\n', "notify[0].kind is required", id="notify.kind"),
    pytest.param(
        '[[notify]]\nkind = "wecom"\n',
        'notify[0].url is required; e.g. url = { env = "WECOM_BOT_URL" }',
        id="notify.url",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MISSING)
def test_missing_required_keys_are_named(load: Load, text: str, expected: str) -> None:
    assert fails(load, text).startswith(f"clawcheck.toml: {expected}")


NEEDS_ANOTHER_KEY = [
    *[
        pytest.param(
            f"[environments.staging]\n{line}\n",
            f"{T}.{line.split()[0]} is set but target is not, "
            "and the embedded sandbox uses its own demo credentials",
            id=line.split()[0],
        )
        for line in ('client_id = "a"', 'client_secret = { env = "S" }', 'shop_id = "shop_1"')
    ],
    pytest.param(
        '[environments.live]\nkind = "production"\n',
        "environments.live.kind is production but target is not set (the embedded sandbox is a sandbox)",
        id="production-without-target",
    ),
    pytest.param(
        BASE + '[environments.staging.webhooks]\nsecret = { env = "S" }\n',
        f"{T}.webhooks.secret is set but url is not (the reference receiver has its own)",
        id="webhook-secret-without-url",
    ),
    pytest.param(
        BASE + '[environments.staging.webhooks]\nprobe = "https://e.example.com/p/{event_id}"\n',
        f"{T}.webhooks.probe is set but url is not",
        id="probe-without-url",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NEEDS_ANOTHER_KEY)
def test_keys_that_only_make_sense_with_another_are_refused_alone(
    load: Load, text: str, expected: str
) -> None:
    assert fails(load, text).startswith(f"clawcheck.toml: {expected}")


def test_every_environment_is_validated_on_load_not_only_the_one_run(load: Load) -> None:
    text = BASE + '[environments.production]\nkind = "production"\ntarget = "https://api.example.com"\n'
    assert fails(load, text).startswith("clawcheck.toml: environments.production.client_id is required")


def test_toml_syntax_errors_give_line_and_column(load: Load) -> None:
    message = fails(load, 'lang = "en"\n\n[environments.staging]\nkind "sandbox"\n')
    assert message.startswith("clawcheck.toml is not valid TOML: ")
    assert "line 4, column 6" in message
    assert message.endswith("; fix the file")


def test_a_file_that_is_not_utf8_is_refused(write: Write, tmp_path: Path) -> None:
    (tmp_path / "clawcheck.toml").write_bytes(b'lang = "\xff"\n')
    with pytest.raises(ConfigError, match=r"^clawcheck.toml is not UTF-8 text \(byte 8\); save it as UTF-8$"):
        load_config(cwd=tmp_path, env=ENV)


def test_errors_in_pyproject_name_the_key_under_tool_clawcheck(write: Write, tmp_path: Path) -> None:
    write(
        '[project]\nname = "shop-sync"\n\n[tool.clawcheck.environments.staging.load]\nuser = 5\n',
        "pyproject.toml",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(cwd=tmp_path, env=ENV)
    assert str(caught.value) == (
        "pyproject.toml: tool.clawcheck.environments.staging.load.user is not a known key; "
        "did you mean tool.clawcheck.environments.staging.load.users?"
    )


def test_tool_clawcheck_must_be_a_table(write: Write, tmp_path: Path) -> None:
    write('[tool]\nclawcheck = "yes"\n', "pyproject.toml")
    with pytest.raises(ConfigError, match=r"^pyproject.toml: tool.clawcheck must be a table, got a string$"):
        load_config(cwd=tmp_path, env=ENV)
