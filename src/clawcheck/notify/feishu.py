"""Feishu / Lark (飞书) custom bot: `POST .../open-apis/bot/v2/hook/<token>`, an interactive card.

Signing ("签名校验"), when the bot has a secret: `timestamp` (epoch seconds, as a string) and
`sign` = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")) go in the JSON body;
Feishu refuses a timestamp more than an hour from its clock (code 19021). Success is
`{"code": 0, ...}`; older deployments answer `{"StatusCode": 0, ...}`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from clawcheck.errors import ConfigError
from clawcheck.notify.base import NOTIFIERS, BotRequest, Reply, code_reply
from clawcheck.notify.message import Message, Verdict, fit_lines
from clawcheck.notify.target import NotifyTarget

__all__ = ["FeishuNotifier", "feishu_sign"]

_TEXT_MAX_BYTES = 15000  # the whole card must stay under Feishu's 30 KB request limit
_TEMPLATE = {Verdict.ACCEPTED: "green", Verdict.REJECTED: "red", Verdict.INCOMPLETE: "orange"}


def feishu_sign(secret: str, timestamp: int) -> str:
    """Feishu's rule: the string to sign is the HMAC *key*; the message is empty."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class FeishuNotifier:
    kind = "feishu"
    name = "Feishu / Lark (飞书) custom bot"
    hosts: tuple[str, ...] = ("open.feishu.cn", "open.larksuite.com")
    signed = True

    def check(self, target: NotifyTarget) -> None:
        _, sep, token = target.url.split("?", 1)[0].rstrip("/").rpartition("/hook/")
        if not sep or not token:
            raise ConfigError(
                f"notify target feishu ({target.host}): the webhook URL does not end in /hook/<token>; "
                "copy the bot's full webhook URL"
            )

    def request(self, target: NotifyTarget, message: Message, now: float) -> BotRequest:
        body: dict[str, Any] = {"msg_type": "interactive", "card": self.card(message)}
        if target.secret is None:
            return BotRequest(target.url, body)
        timestamp = int(now)
        sign = feishu_sign(target.secret, timestamp)
        return BotRequest(target.url, {"timestamp": str(timestamp), "sign": sign, **body}, (sign,))

    @staticmethod
    def card(message: Message) -> dict[str, Any]:
        elements: list[dict[str, Any]] = []
        lines = fit_lines(message.summary, _TEXT_MAX_BYTES, message.word("more"))
        if lines:
            elements.append({"tag": "div", "text": {"tag": "lark_md", "content": "\n".join(lines)}})
        link = message.web_link
        if link:
            button = {
                "tag": "button",
                "text": {"tag": "plain_text", "content": message.word("open")},
                "type": "primary",
                "url": link,
            }
            elements.append({"tag": "action", "actions": [button]})
        elif message.report_link:
            note = {"tag": "plain_text", "content": f"{message.word('report')}: {message.report_link}"}
            elements.append({"tag": "note", "elements": [note]})
        return {
            "config": {"wide_screen_mode": True},
            "header": {
                "title": {"tag": "plain_text", "content": f"{message.headline} {message.title}"},
                "template": _TEMPLATE[message.verdict],
            },
            "elements": elements,
        }

    def reply(self, status: int, body: bytes) -> Reply:
        return code_reply(status, body, ("code", "StatusCode"), ("msg", "StatusMessage"))


NOTIFIERS.add(FeishuNotifier.kind, FeishuNotifier())
