"""docs/config.md cannot rot: its examples load, its key tables are the schema, its messages are real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clawcheck.config import KEYS, Kind, LoadConfig, PlatformsConfig, Secret, SlaOverride, load_config
from clawcheck.errors import ConfigError

from .conftest import BASE, Load, Write

DOC = Path(__file__).resolve().parents[2] / "docs" / "config.md"
VARIABLES = {
    "OPENCLAW_CLIENT_SECRET": "staging-client-secret",
    "OPENCLAW_WEBHOOK_SECRET": "staging-webhook-secret",
    "OPENCLAW_PROD_CLIENT_SECRET": "production-client-secret",
    "FEISHU_BOT_URL": "https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d",
    "FEISHU_BOT_SECRET": "feishu-signing-secret",
}


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def block(marker: str, language: str = "toml") -> str:
    """The fenced block that follows `marker` in the doc."""
    after = doc().split(marker, 1)[1]
    return after.split(f"```{language}\n", 1)[1].split("\n```", 1)[0] + "\n"


def section(title: str) -> str:
    return doc().split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_complete_example_loads_and_means_what_its_comments_say(write: Write, tmp_path: Path) -> None:
    write(block("<!-- example: clawcheck.toml"))
    config = load_config(cwd=tmp_path, env=VARIABLES)
    assert config is not None
    assert (config.lang, config.default_env, config.names) == ("zh-CN", "staging", ("staging", "production"))
    assert config.spec == tmp_path.resolve() / "specs/openclaw/openclaw.v2.yaml"
    staging = config.environment()
    assert (staging.name, staging.kind, staging.target) == (
        "staging",
        Kind.SANDBOX,
        "https://sandbox.openclaw.example.com",
    )
    assert (staging.client_id, staging.shop_id, staging.api_version) == ("my-app", "shop_1001", "v2")
    assert staging.client_secret == Secret("OPENCLAW_CLIENT_SECRET", "staging-client-secret")
    assert staging.webhooks.probe == "https://erp.example.com/probe/{event_id}"
    assert staging.platforms == PlatformsConfig(
        "shopee", "python adapters/shopee_sync.py", ("token-expiry:ttl=5", "rate-limit-burst"), 10.0, 120.0
    )
    assert staging.load == LoadConfig(profile="smoke", users=20, duration=30.0)
    assert staging.sla == (
        SlaOverride("POST /v2/orders/create", p95_ms=500),
        SlaOverride("*", success_rate=0.999),
    )
    assert [s.name for s in staging.signers] == ["张三 (Acme ERP)", "李四 (OpenClaw)"]
    assert staging.waiver_for("op.listOrders.p95") is not None
    assert [n.kind for n in staging.notify] == ["feishu"]
    assert sorted(staging.secrets()) == sorted(v for k, v in VARIABLES.items() if "PROD" not in k)
    production = config.environment("production")
    assert (production.kind, production.load.profile) == (Kind.PRODUCTION, "go-live")
    assert production.client_secret == Secret("OPENCLAW_PROD_CLIENT_SECRET", "production-client-secret")


def test_the_pyproject_example_loads(write: Write, tmp_path: Path) -> None:
    write(block("<!-- example: pyproject.toml"), "pyproject.toml")
    config = load_config(cwd=tmp_path, env=VARIABLES)
    assert config is not None
    assert config.lang == "en"
    assert config.environment().shop_id == "shop_1001"


def test_the_key_reference_documents_exactly_the_schema() -> None:
    reference = section("Every key")
    schema = {key for keys in KEYS.values() for key in keys}
    for key in sorted(schema):
        assert f"`{key}`" in reference, f"docs/config.md does not document {key}"
    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", reference, flags=re.MULTILINE))
    assert documented - schema == set(), "docs/config.md documents keys the schema does not have"


# Inputs that produce each message shown in the doc's error examples.
ERRORS = {
    "webhooks.scret": BASE
    + '[environments.staging.webhooks]\nurl = "https://e.example.com/h"\nscret = "x"\n',
    "kind": BASE.replace('kind = "sandbox"', 'kind = "prod"'),
    "users": BASE + '[environments.staging.load]\nusers = "20"\n',
    "p95_ms": BASE + '[environments.staging.sla]\n"POST /v2/orders/create" = { p95_ms = 900 }\n',
    "literal": BASE.replace('{ env = "OPENCLAW_CLIENT_SECRET" }', '"hunter2hunter2"'),
    "syntax": 'lang = "zh-CN"\n\n[environments.staging]\nkind = "sandbox"\ntarget = "https://x.example.com"\n\n'
    'client_id "my-app"\n',
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_each_error_example_is_what_clawcheck_says(load: Load, case: str) -> None:
    examples = block("line naming the full dotted key", "text").splitlines()
    with pytest.raises(ConfigError) as caught:
        load(ERRORS[case])
    assert str(caught.value) in examples


def test_the_unset_variable_example_is_what_clawcheck_says(load: Load) -> None:
    examples = block("line naming the full dotted key", "text").splitlines()
    with pytest.raises(ConfigError) as caught:
        load(BASE, env={}).environment()
    assert str(caught.value) in examples
