"""`notify` over real HTTP against the fake bots: accepted, rejected, down, slow; never raising or leaking."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest

from clawcheck.notify import NOTIFIERS, Message, NotifyOutcome, NotifyTarget, notify

from .conftest import KINDS
from .fakebots import (
    ALL_SECRETS,
    DINGTALK_SECRET,
    FEISHU_BAD_SIGN,
    FEISHU_OPEN_TOKEN,
    SLACK_PATH,
    WECOM_KEY,
    FakeBots,
    urls,
)

MESSAGE = Message(
    "rejected",
    "OpenClaw进阶联调验收 · shop-a",
    (
        "环境：staging · 运行：run-42",
        "通过 40 · 未通过 2 · 豁免 1 · 未运行 0",
        "❌ createOrder P95：812 ms > 500 ms",
    ),
    "https://ci.example.com/runs/42/report.html",
)
FAST = 0.3  # seconds: the timeout used against the slow bot


def wrong(base_url: str, kind: str) -> NotifyTarget:
    """The target with its secret wrong: the signing secret, or the token in the URL for unsigned bots."""
    url = urls(base_url)[kind]
    if kind == "wecom":
        return NotifyTarget(kind, url.replace(WECOM_KEY, "0" * len(WECOM_KEY)))
    if kind == "slack":
        return NotifyTarget(kind, url.replace(SLACK_PATH.rpartition("/")[2], "wrongwrongwrongwrongwrong"))
    return NotifyTarget(kind, url, "SECwrong-secret-0000")


def assert_no_secret(*texts: str, extra: tuple[str, ...] = ()) -> None:
    """No secret, and no 10-character piece of one (a token cut short still leaks), in any text."""
    for text in texts:
        for secret in (*ALL_SECRETS, *(s for s in extra if len(s) >= 6)):
            assert secret not in text
            for start in range(len(secret) - 9):
                assert secret[start : start + 10] not in text, (
                    f"a piece of a secret: {secret[start : start + 10]}"
                )


def everything(outcomes: list[NotifyOutcome]) -> str:
    return "\n".join(f"{o}\n{o!r}\n{json.dumps(o.to_dict(), ensure_ascii=False)}" for o in outcomes)


@pytest.mark.parametrize("kind", KINDS)
def test_a_correct_post_is_accepted(bots: FakeBots, good: dict[str, NotifyTarget], kind: str) -> None:
    [outcome] = notify([good[kind]], MESSAGE)
    assert outcome.ok, outcome.reason
    assert (outcome.kind, outcome.host, outcome.reason, outcome.http_status) == (kind, "127.0.0.1", "ok", 200)
    assert [name for name, _ in bots.received] == [urls("")[kind].split("/")[1]]


def test_every_bot_in_one_call_in_order(bots: FakeBots, good: dict[str, NotifyTarget]) -> None:
    targets = [good[kind] for kind in reversed(KINDS)]
    outcomes = notify(targets, MESSAGE)
    assert [o.kind for o in outcomes] == list(reversed(KINDS))
    assert all(o.ok for o in outcomes), everything(outcomes)


def test_an_unsigned_feishu_bot_takes_an_unsigned_post(bots: FakeBots, base_url: str) -> None:
    target = NotifyTarget("feishu", f"{base_url}/open-apis/bot/v2/hook/{FEISHU_OPEN_TOKEN}")
    [outcome] = notify([target], MESSAGE)
    assert outcome.ok, outcome.reason
    [(_, body)] = bots.received
    assert "sign" not in body
    assert "timestamp" not in body


WRONG_SECRET = {
    "wecom": ("93000", "invalid webhook url"),
    "feishu": ("19021", FEISHU_BAD_SIGN),
    "dingtalk": ("310000", "sign not match"),
    "slack": ("invalid_token", "HTTP 403: invalid_token"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_secret_is_a_failed_outcome_with_the_bots_message(
    bots: FakeBots, base_url: str, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    target = wrong(base_url, kind)
    [outcome] = notify([target], MESSAGE)
    code, text = WRONG_SECRET[kind]
    assert not outcome.ok
    assert outcome.code == code
    assert text in outcome.reason
    assert "\n" not in outcome.reason
    assert_no_secret(everything([outcome]), caplog.text, extra=(target.url, target.secret or ""))
    assert f"notification to {kind} (127.0.0.1) failed" in caplog.text


@pytest.mark.parametrize("kind", ["feishu", "dingtalk"])
def test_a_timestamp_more_than_an_hour_off_is_refused(
    bots: FakeBots, good: dict[str, NotifyTarget], kind: str
) -> None:
    [outcome] = notify([good[kind]], MESSAGE, clock=lambda: time.time() - 2 * 3600)
    assert not outcome.ok
    assert ("invalid timestamp" if kind == "dingtalk" else FEISHU_BAD_SIGN) in outcome.reason


@pytest.mark.parametrize("kind", KINDS)
def test_a_bot_answering_500_is_a_failed_outcome(
    bots: FakeBots, good: dict[str, NotifyTarget], kind: str
) -> None:
    bots.behaviour = "error500"
    [outcome] = notify([good[kind]], MESSAGE)
    assert not outcome.ok
    assert outcome.http_status == 500
    assert outcome.reason.startswith("HTTP 500")
    assert "Internal Server Error" in outcome.reason


@pytest.mark.parametrize("kind", KINDS)
def test_a_bot_that_does_not_answer_in_time_is_a_failed_outcome(
    bots: FakeBots, good: dict[str, NotifyTarget], kind: str
) -> None:
    bots.behaviour = "slow"
    [outcome] = notify([good[kind]], MESSAGE, timeout=FAST)
    assert not outcome.ok
    assert outcome.reason == f"no answer within {FAST:g} s"
    assert outcome.http_status is None


def test_a_bot_that_is_down_is_a_failed_outcome(base_url: str) -> None:
    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = urls(f"http://127.0.0.1:{port}")["dingtalk"]
    [outcome] = notify([NotifyTarget("dingtalk", url, DINGTALK_SECRET)], MESSAGE)
    assert not outcome.ok
    assert outcome.reason.startswith("cannot connect")
    assert_no_secret(everything([outcome]))


def test_a_redirect_is_not_followed(bots: FakeBots, good: dict[str, NotifyTarget]) -> None:
    bots.behaviour = "redirect"
    [outcome] = notify([good["wecom"]], MESSAGE)
    assert not outcome.ok
    assert outcome.http_status == 302


@pytest.mark.parametrize("kind", KINDS)
def test_a_bot_echoing_the_token_is_scrubbed(
    bots: FakeBots, good: dict[str, NotifyTarget], kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bots.behaviour = "echo"
    [outcome] = notify([good[kind]], MESSAGE)
    assert not outcome.ok
    assert "***" in outcome.reason
    assert_no_secret(everything([outcome]), caplog.text)


@pytest.mark.parametrize("behaviour", ["normal", "error500", "echo"])
def test_no_secret_in_outcomes_or_logs_including_httpx(
    bots: FakeBots, good: dict[str, NotifyTarget], behaviour: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bots.behaviour = behaviour
    outcomes = notify(list(good.values()), MESSAGE)
    assert any(r.name == "httpx" for r in caplog.records)  # httpx logged each request: scrubbed, not silenced
    assert_no_secret(everything(outcomes), caplog.text, extra=tuple(bots.signatures))
    assert_no_secret(*(repr(t) for t in good.values()))


def test_httpx_logging_outside_notify_is_left_alone(
    bots: FakeBots, base_url: str, good: dict[str, NotifyTarget], caplog: pytest.LogCaptureFixture
) -> None:
    import httpx

    notify([good["slack"]], MESSAGE)  # installs the scrubber
    caplog.set_level(logging.INFO)
    httpx.get(f"{base_url}/not-a-bot?probe={WECOM_KEY}")
    assert WECOM_KEY in caplog.text  # another caller's URL is logged as httpx always logs it


@pytest.mark.parametrize("kind", KINDS)
def test_a_notifier_bug_is_a_failed_outcome_not_an_exception(
    good: dict[str, NotifyTarget], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise KeyError(good[kind].url)

    monkeypatch.setattr(NOTIFIERS.get(kind), "request", broken)
    [outcome] = notify([good[kind]], MESSAGE)
    assert not outcome.ok
    assert outcome.reason.startswith("internal error (KeyError")
    assert_no_secret(everything([outcome]))


def test_no_targets_no_work() -> None:
    assert notify([], MESSAGE) == []
