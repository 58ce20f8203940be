"""Secrets: never in the file, read from the environment only for the environment being run."""

from __future__ import annotations

import pytest

from clawcheck.config import Secret
from clawcheck.core.redact import Redactor
from clawcheck.errors import ConfigError

from .conftest import BASE, ENV, Load

LITERAL = "sk_live_9f8e7d6c5b4a"  # what a careless file would contain

WEBHOOKS = (
    '[environments.staging.webhooks]\nurl = "https://erp.example.com/hooks"\n'
    'secret = { env = "OPENCLAW_WEBHOOK_SECRET" }\n'
)


@pytest.mark.parametrize(
    ("text", "key", "variable"),
    [
        pytest.param(
            BASE.replace('{ env = "OPENCLAW_CLIENT_SECRET" }', f'"{LITERAL}"'),
            "environments.staging.client_secret",
            "OPENCLAW_CLIENT_SECRET",
            id="client_secret",
        ),
        pytest.param(
            BASE + WEBHOOKS.replace('{ env = "OPENCLAW_WEBHOOK_SECRET" }', f'"{LITERAL}"'),
            "environments.staging.webhooks.secret",
            "OPENCLAW_WEBHOOK_SECRET",
            id="webhooks.secret",
        ),
        pytest.param(
            f'[[notify]]\nkind = "feishu"\nurl = "https://open.feishu.cn/hook/{LITERAL}"\n',
            "notify[0].url",
            "FEISHU_BOT_URL",
            id="notify.url",
        ),
        pytest.param(
            f'[[notify]]\nkind = "dingtalk"\nurl = {{ env = "U" }}\nsecret = "{LITERAL}"\n',
            "notify[0].secret",
            "DINGTALK_BOT_SECRET",
            id="notify.secret",
        ),
        pytest.param(
            BASE.replace('{ env = "OPENCLAW_CLIENT_SECRET" }', f'"${LITERAL}"'),
            "environments.staging.client_secret",
            "OPENCLAW_CLIENT_SECRET",
            id="dollar-without-braces",
        ),
    ],
)
def test_a_literal_secret_is_refused_without_being_repeated(
    load: Load, text: str, key: str, variable: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(text)
    message = str(caught.value)
    assert message == (
        f"clawcheck.toml: {key} must not be written in the file (it is a secret); "
        f'write it as {{ env = "{variable}" }} and export {variable}'
    )
    assert LITERAL not in message


@pytest.mark.parametrize(
    ("reference", "problem"),
    [
        pytest.param('{ env = "1ABC" }', "an environment variable name is letters, digits and _", id="digit"),
        pytest.param(
            '"${OPENCLAW-SECRET}"', "an environment variable name is letters, digits and _", id="dash"
        ),
        pytest.param(
            "{ env = 5 }", "an environment variable name is letters, digits and _", id="not-a-string"
        ),
        pytest.param(
            f'{{ env = "S", value = "{LITERAL}" }}',
            "the table takes exactly one key, env (it has: env, value)",
            id="extra-key",
        ),
    ],
)
def test_a_malformed_reference_is_refused(load: Load, reference: str, problem: str) -> None:
    text = BASE.replace('{ env = "OPENCLAW_CLIENT_SECRET" }', reference)
    with pytest.raises(ConfigError) as caught:
        load(text)
    message = str(caught.value)
    assert message.startswith(
        f"clawcheck.toml: environments.staging.client_secret is not a valid reference: {problem}"
    )
    assert LITERAL not in message


def test_both_reference_forms_resolve_from_the_environment(load: Load) -> None:
    table_form = load(BASE).environment()
    string_form = load(BASE.replace('{ env = "OPENCLAW_CLIENT_SECRET" }', '"${OPENCLAW_CLIENT_SECRET}"'))
    for env in (table_form, string_form.environment()):
        assert env.client_secret == Secret("OPENCLAW_CLIENT_SECRET", "client-secret-value-1")
        assert env.client_secret is not None
        assert env.client_secret.reveal() == "client-secret-value-1"


def test_an_unset_variable_names_the_key_and_the_variable_when_the_environment_is_chosen(load: Load) -> None:
    config = load(BASE, env={})  # loading reads no variable
    with pytest.raises(ConfigError) as caught:
        config.environment("staging")
    assert str(caught.value) == (
        "clawcheck.toml: environments.staging.client_secret reads environment variable "
        "OPENCLAW_CLIENT_SECRET, which is not set; export OPENCLAW_CLIENT_SECRET before the run"
    )


def test_an_empty_variable_is_refused(load: Load) -> None:
    config = load(BASE, env={"OPENCLAW_CLIENT_SECRET": ""})
    with pytest.raises(
        ConfigError, match=r"reads environment variable OPENCLAW_CLIENT_SECRET, which is empty"
    ):
        config.environment()


def test_only_the_chosen_environment_reads_its_variables(load: Load) -> None:
    text = BASE + (
        '[environments.production]\nkind = "production"\ntarget = "https://api.openclaw.example.com"\n'
        'client_id = "my-app"\nclient_secret = { env = "OPENCLAW_PROD_SECRET" }\nshop_id = "shop_1001"\n'
    )
    config = load(text, env={"OPENCLAW_CLIENT_SECRET": "staging-secret"})
    assert config.environment("staging").secrets() == ["staging-secret"]
    with pytest.raises(
        ConfigError, match=r"environments.production.client_secret reads .* OPENCLAW_PROD_SECRET"
    ):
        config.environment("production")


def test_variables_are_read_when_the_environment_is_chosen_not_when_the_file_is_loaded(load: Load) -> None:
    environ: dict[str, str] = {}
    config = load(BASE, env=environ)
    environ["OPENCLAW_CLIENT_SECRET"] = "set-after-load"
    assert config.environment().secrets() == ["set-after-load"]


def test_secrets_lists_every_resolved_value_for_the_redactor(load: Load) -> None:
    text = (
        BASE
        + WEBHOOKS
        + (
            '[[notify]]\nkind = "feishu"\nurl = { env = "FEISHU_BOT_URL" }\n'
            'secret = { env = "FEISHU_BOT_SECRET" }\n'
            '[[notify]]\nkind = "slack"\nurl = "${SLACK_BOT_URL}"\n'
        )
    )
    values = {
        **ENV,
        "FEISHU_BOT_URL": "https://open.feishu.cn/open-apis/bot/v2/hook/tok-123456",
        "FEISHU_BOT_SECRET": "feishu-sign-secret",
        "SLACK_BOT_URL": "https://hooks.slack.com/services/T0/B0/xyz987654",
    }
    env = load(text, env=values).environment()
    assert sorted(env.secrets()) == sorted(values.values())
    redactor = Redactor(env.secrets())
    report = f"posted to {values['FEISHU_BOT_URL']} signed with {values['FEISHU_BOT_SECRET']}"
    assert redactor.text(report) == "posted to *** signed with ***"


def test_the_embedded_environment_has_no_secrets_but_notify_ones(load: Load) -> None:
    text = '[[notify]]\nkind = "wecom"\nurl = { env = "WECOM_BOT_URL" }\n'
    env = load(
        text, env={"WECOM_BOT_URL": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1"}
    ).environment()
    assert env.embedded
    assert env.secrets() == ["https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1"]


@pytest.mark.parametrize("value", [LITERAL, f"http://[{LITERAL}"], ids=["no-scheme", "unparsable"])
def test_a_notify_url_that_is_not_a_url_is_refused_without_showing_it(load: Load, value: str) -> None:
    text = '[[notify]]\nkind = "wecom"\nurl = { env = "WECOM_BOT_URL" }\n'
    config = load(text, env={"WECOM_BOT_URL": value})
    with pytest.raises(ConfigError) as caught:
        config.environment()
    assert str(caught.value) == (
        "clawcheck.toml: notify[0].url (from WECOM_BOT_URL) must be an http:// or https:// URL; "
        "check the variable"
    )


def test_credentials_in_a_target_url_are_refused_without_showing_them(load: Load) -> None:
    text = BASE.replace("https://sandbox", f"https://my-app:{LITERAL}@sandbox")
    with pytest.raises(ConfigError) as caught:
        load(text)
    message = str(caught.value)
    assert message.startswith("clawcheck.toml: environments.staging.target must not carry credentials")
    assert LITERAL not in message


def test_no_repr_str_or_provenance_shows_a_secret_value(load: Load) -> None:
    config = load(BASE + WEBHOOKS)
    env = config.environment()
    shown = " ".join([repr(env), str(env), repr(config), str(config.provenance(env)), str(env.client_secret)])
    for value in ENV.values():
        assert value not in shown
    assert str(env.client_secret) == "${OPENCLAW_CLIENT_SECRET}"
    assert config.provenance(env)["environment"]["client_secret"] == {"env": "OPENCLAW_CLIENT_SECRET"}
    assert config.provenance(env)["environment"]["webhooks"]["secret"] == {"env": "OPENCLAW_WEBHOOK_SECRET"}
