"""Targets are validated when configured, name only their kind and host, and never show their URL."""

from __future__ import annotations

import pytest

from clawcheck.errors import ConfigError
from clawcheck.notify import ENV_PREFIX, NOTIFIERS, NotifyTarget, parse_target, targets_from_env

TOKEN = "5c2b9e0d71f84a6cb3e2d9a017f6c4b8"
SECRET = "SEC3f0a6c9e2b7d14f58a0c3e6b9d2f71"
OFFICIAL = {
    "wecom": f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}",
    "feishu": f"https://open.feishu.cn/open-apis/bot/v2/hook/{TOKEN}",
    "dingtalk": f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}",
    "slack": f"https://hooks.slack.com/services/T0123ABCD/B0456EFGH/{TOKEN}",
}


def test_the_four_bots_are_registered_once_each() -> None:
    assert sorted(NOTIFIERS.names()) == ["dingtalk", "feishu", "slack", "wecom"]
    assert {n.kind for n in NOTIFIERS} == set(OFFICIAL)
    assert {n.kind for n in NOTIFIERS if n.signed} == {"dingtalk", "feishu"}


@pytest.mark.parametrize("kind", sorted(OFFICIAL))
def test_a_bare_official_url_names_its_bot(kind: str) -> None:
    target = parse_target(OFFICIAL[kind])
    assert (target.kind, target.host) == (kind, NOTIFIERS.get(kind).hosts[0])


def test_kind_equals_url_for_any_host_and_lark() -> None:
    target = parse_target(
        "feishu=https://open.larksuite.com/open-apis/bot/v2/hook/abc-123-def", secret=SECRET
    )
    assert (target.kind, target.host, target.secret) == ("feishu", "open.larksuite.com", SECRET)
    assert parse_target(f"wecom=http://127.0.0.1:8080/cgi-bin/webhook/send?key={TOKEN}").host == "127.0.0.1"


def test_a_url_on_an_unknown_host_needs_its_kind() -> None:
    with pytest.raises(
        ConfigError, match=r"notify URL \(relay.example.com\) is for; write KIND=URL with KIND one of"
    ) as info:
        parse_target(f"https://relay.example.com/hook/{TOKEN}")
    assert TOKEN not in str(info.value)


def test_an_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(
        ConfigError, match=r"unknown notifier kind 'teams'; known: dingtalk, feishu, slack, wecom"
    ):
        NotifyTarget("teams", "https://example.com/x")


BAD = [
    (
        "wecom",
        f"http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}",
        None,
        "plain http would expose",
    ),
    ("wecom", "ftp://qyapi.weixin.qq.com/x", None, "not an http"),
    ("wecom", OFFICIAL["wecom"], SECRET, "WeCom bots are not signed"),
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", None, "no key= parameter"),
    ("slack", OFFICIAL["slack"], SECRET, "incoming webhooks are not signed"),
    ("slack", f"https://hooks.slack.com/workflows/{TOKEN}", None, "not an incoming-webhook URL"),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send", SECRET, "no access_token= parameter"),
    ("feishu", f"https://open.feishu.cn/open-apis/bot/v2/{TOKEN}", None, "does not end in /hook/<token>"),
    ("feishu", OFFICIAL["feishu"], "  ", "the secret is empty"),
]


@pytest.mark.parametrize(("kind", "url", "secret", "says"), BAD, ids=[b[3] for b in BAD])
def test_a_bad_target_is_a_one_line_config_error_without_its_token(
    kind: str, url: str, secret: str | None, says: str
) -> None:
    with pytest.raises(ConfigError, match=says) as info:
        NotifyTarget(kind, url, secret)
    text = str(info.value)
    assert "\n" not in text
    assert TOKEN not in text
    assert SECRET not in text
    assert text.startswith(f"notify target {kind}")


@pytest.mark.parametrize("kind", sorted(OFFICIAL))
def test_repr_and_str_show_kind_and_host_only(kind: str) -> None:
    secret = SECRET if NOTIFIERS.get(kind).signed else None
    target = NotifyTarget(kind, OFFICIAL[kind], secret)
    for text in (repr(target), str(target), repr([target])):
        assert TOKEN not in text
        assert SECRET not in text
        assert target.host in text


def test_secrets_cover_the_url_token_but_not_plain_words() -> None:
    target = NotifyTarget("slack", OFFICIAL["slack"])
    parts = target.secrets()
    assert {TOKEN, "T0123ABCD", "B0456EFGH", OFFICIAL["slack"]} <= set(parts)
    assert "services" not in parts
    dingtalk = NotifyTarget("dingtalk", OFFICIAL["dingtalk"], SECRET)
    assert {TOKEN, SECRET} <= set(dingtalk.secrets())


def test_targets_from_env() -> None:
    env = {
        f"{ENV_PREFIX}DINGTALK_URL": OFFICIAL["dingtalk"],
        f"{ENV_PREFIX}DINGTALK_SECRET": SECRET,
        f"{ENV_PREFIX}WECOM_URL": OFFICIAL["wecom"],
        f"{ENV_PREFIX}SLACK_URL": "  ",
    }
    targets = targets_from_env(env)
    assert sorted((t.kind, t.secret) for t in targets) == [("dingtalk", SECRET), ("wecom", None)]
    assert targets_from_env({}) == []


def test_a_secret_without_its_url_in_env_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=f"{ENV_PREFIX}FEISHU_SECRET is set without {ENV_PREFIX}FEISHU_URL"):
        targets_from_env({f"{ENV_PREFIX}FEISHU_SECRET": SECRET})
