"""The words and each bot's format: Chinese by default, English on request, limits kept, links right."""

from __future__ import annotations

import json

import pytest

from clawcheck.core.checklist import Checklist, ChecklistItem, ItemStatus, Waiver
from clawcheck.errors import ConfigError
from clawcheck.notify import NOTIFIERS, Message, NotifyTarget, Verdict, notify
from clawcheck.notify.message import fit_lines

from .conftest import KINDS
from .fakebots import WECOM_MAX_BYTES, FakeBots

LINK = "https://ci.example.com/runs/42/report.html"


def item(item_id: str, status: ItemStatus, *, message: str = "", required: bool = True) -> ChecklistItem:
    return ChecklistItem(
        id=item_id,
        stage="load",
        title_zh=f"{item_id} 中文标题",
        title_en=f"{item_id} English title",
        requirement_zh="P95 ≤ 500 ms",
        requirement_en="P95 ≤ 500 ms",
        status=status,
        required=required,
        message=message,
    )


def checklist(*items: ChecklistItem, complete: bool = True, demo_key: bool = False) -> Checklist:
    return Checklist(
        run_id="run-42",
        environment="staging",
        target="https://openclaw.shop-a.example",
        started_at="2026-05-01T08:00:00.000Z",
        finished_at="2026-05-01T08:20:00.000Z",
        items=items,
        complete=complete,
        demo_key=demo_key,
    )


def sent_text(bots: FakeBots) -> str:
    return json.dumps([body for _, body in bots.received], ensure_ascii=False)


@pytest.mark.parametrize(
    ("verdict", "zh", "en"),
    [
        ("accepted", "验收通过 ✅", "Accepted ✅"),
        ("rejected", "验收未通过 ❌", "Rejected ❌"),
        ("incomplete", "验收未完成 ⚠️", "Incomplete ⚠️"),
    ],
)
def test_headlines_in_both_languages(verdict: str, zh: str, en: str) -> None:
    assert Message(verdict, "t").headline == zh
    assert Message(verdict, "t", lang="en").headline == en


@pytest.mark.parametrize("kind", KINDS)
def test_every_bot_speaks_chinese_by_default_and_english_on_request(
    bots: FakeBots, good: dict[str, NotifyTarget], kind: str
) -> None:
    zh = Message(Verdict.ACCEPTED, "OpenClaw进阶联调验收 · shop-a", ("通过 42",), LINK)
    en = Message(Verdict.ACCEPTED, "OpenClaw acceptance · shop-a", ("passed 42",), LINK, lang="en")
    outcomes = notify([good[kind]], zh) + notify([good[kind]], en)
    assert all(o.ok for o in outcomes), [str(o) for o in outcomes]
    first, second = (json.dumps(body, ensure_ascii=False) for _, body in bots.received)
    assert "验收通过 ✅" in first
    assert "查看报告" in first
    assert "通过 42" in first
    assert "Accepted ✅" in second
    assert "Open the report" in second
    assert "验收" not in second
    assert LINK in first
    assert LINK in second


@pytest.mark.parametrize("kind", KINDS)
def test_a_report_path_is_text_not_a_link(bots: FakeBots, good: dict[str, NotifyTarget], kind: str) -> None:
    path = "reports/run-42/checklist.html"
    [outcome] = notify([good[kind]], Message("rejected", "验收", ("x",), path))
    assert outcome.ok, outcome.reason
    text = sent_text(bots)
    assert path in text
    assert f"({path})" not in text
    assert f'"url": "{path}"' not in text
    assert f'"url":"{path}"' not in text


@pytest.mark.parametrize("kind", KINDS)
def test_a_very_long_summary_is_cut_to_what_the_bot_accepts(
    bots: FakeBots, good: dict[str, NotifyTarget], kind: str
) -> None:
    lines = tuple(f"❌ 第 {n} 项：createOrder 响应 {'很慢' * 40}" for n in range(200))
    message = Message("rejected", "标" * 500, lines, LINK)
    [outcome] = notify([good[kind]], message)
    assert outcome.ok, outcome.reason  # the fake bots enforce WeCom's 4096 bytes and Slack's block limits
    text = sent_text(bots)
    assert "…另有" in text
    assert "行未显示" in text
    assert "第 0 项" in text


def test_wecom_content_stays_within_4096_bytes() -> None:
    lines = tuple("未通过" * 30 for _ in range(100))
    content = (
        NOTIFIERS.get("wecom")
        .request(
            NotifyTarget("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef123456"),
            Message("rejected", "验收", lines, LINK),
            0.0,
        )
        .body["markdown"]["content"]
    )
    assert len(content.encode("utf-8")) <= WECOM_MAX_BYTES
    assert content.endswith(f"[查看报告]({LINK})")


def test_slack_text_is_escaped_for_mrkdwn() -> None:
    body = (
        NOTIFIERS.get("slack")
        .request(
            NotifyTarget(
                "slack", "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx"
            ),
            Message("rejected", "t", ("a <@U123> & <!channel>",)),
            0.0,
        )
        .body
    )
    section = next(b for b in body["blocks"] if b["type"] == "section")
    assert section["text"]["text"] == "a &lt;@U123&gt; &amp; &lt;!channel&gt;"


def test_fit_lines_keeps_what_fits_and_counts_the_rest() -> None:
    assert fit_lines(["a", "b"], 100, "+{n}") == ["a", "b"]
    assert fit_lines(["aaaa", "bbbb", "cccc"], 11, "+{n}") == ["aaaa", "+2"]
    assert fit_lines(["aaaaaaaaaa"], 3, "+{n}") == ["+1"]
    assert fit_lines(["aaaaaaaaaa"], 1, "+{n}") == []


def test_lines_are_one_line_each_and_empty_ones_dropped() -> None:
    message = Message("accepted", "a\nb", ("x\n  y", "   ", "z"))
    assert message.title == "a b"
    assert message.summary == ("x y", "z")


def test_an_unknown_verdict_is_a_one_line_config_error() -> None:
    with pytest.raises(
        ConfigError, match=r"^unknown verdict 'passed'; use one of accepted, rejected, incomplete$"
    ):
        Message("passed", "t")


def test_an_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="use zh-CN or en"):
        Message("accepted", "t", lang="fr")


def test_from_checklist_rejected_lists_the_failing_required_items() -> None:
    items = [
        item("op.createOrder.p95", ItemStatus.FAIL, message="812 ms > 500 ms"),
        item("op.listOrders.p95", ItemStatus.PASS),
        item("webhooks.retry", ItemStatus.FAIL).waive(Waiver("known", "王工", "platform")),
        item("lint.optional", ItemStatus.FAIL, required=False),
        *(item(f"op.extra{n}", ItemStatus.FAIL) for n in range(6)),
    ]
    message = Message.from_checklist(checklist(*items), report_link=LINK)
    assert message.verdict is Verdict.REJECTED
    assert message.headline == "验收未通过 ❌"
    assert message.title == "OpenClaw进阶联调验收 · https://openclaw.shop-a.example"
    assert message.summary[0] == "环境：staging · 运行：run-42"
    assert message.summary[1] == "通过 1 · 未通过 8 · 豁免 1 · 未运行 0"
    assert message.summary[2] == "❌ op.createOrder.p95 中文标题：812 ms > 500 ms"
    assert message.summary[-1] == "…另有 2 项未通过"  # 7 failing required items, 5 shown
    assert not any("lint.optional" in line for line in message.summary)  # not required: not a blocker
    assert message.report_link == LINK


def test_from_checklist_in_english_accepted_and_incomplete() -> None:
    accepted = Message.from_checklist(checklist(item("a", ItemStatus.PASS)), lang="en")
    assert (accepted.verdict, accepted.headline) == (Verdict.ACCEPTED, "Accepted ✅")
    assert accepted.summary[1] == "passed 1 · failed 0 · waived 0 · not run 0"
    incomplete = Message.from_checklist(checklist(item("a", ItemStatus.NOT_RUN), complete=False), lang="en")
    assert incomplete.verdict is Verdict.INCOMPLETE
    assert incomplete.summary[2] == "❌ a English title"


def test_from_checklist_says_when_a_demo_key_signed_it() -> None:
    message = Message.from_checklist(checklist(item("a", ItemStatus.PASS), demo_key=True))
    assert message.summary[-1] == "⚠️ 演示密钥签名，不可作为正式验收"
