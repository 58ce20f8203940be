"""WeCom (企业微信) group bot: `POST .../cgi-bin/webhook/send?key=KEY`, a markdown message.

No signing: the `key` in the URL is the credential. Success is `{"errcode": 0, "errmsg": "ok"}`,
also for errors the HTTP status is usually 200, so only `errcode` decides.
"""

from __future__ import annotations

from clawcheck.errors import ConfigError
from clawcheck.notify.base import NOTIFIERS, BotRequest, Reply, code_reply
from clawcheck.notify.message import Message, Verdict, fit_lines
from clawcheck.notify.target import NotifyTarget

__all__ = ["CONTENT_MAX_BYTES", "WeComNotifier"]

CONTENT_MAX_BYTES = 4096  # markdown.content; WeCom rejects longer messages outright
_COLOR = {Verdict.ACCEPTED: "info", Verdict.REJECTED: "warning", Verdict.INCOMPLETE: "comment"}


class WeComNotifier:
    kind = "wecom"
    name = "WeCom (企业微信) group bot"
    hosts: tuple[str, ...] = ("qyapi.weixin.qq.com",)
    signed = False

    def check(self, target: NotifyTarget) -> None:
        if target.secret is not None:
            raise ConfigError(
                f"notify target wecom ({target.host}): WeCom bots are not signed, the key in the URL is "
                "the secret; remove the secret"
            )
        if not target.query().get("key"):
            raise ConfigError(
                f"notify target wecom ({target.host}): the webhook URL has no key= parameter; "
                "copy the bot's full webhook URL"
            )

    def request(self, target: NotifyTarget, message: Message, now: float) -> BotRequest:
        return BotRequest(target.url, {"msgtype": "markdown", "markdown": {"content": self.content(message)}})

    def content(self, message: Message) -> str:
        head = [
            f"### {message.title}",
            f'<font color="{_COLOR[message.verdict]}">**{message.headline}**</font>',
        ]
        link = message.web_link
        if link:
            foot = [f"[{message.word('open')}]({link})"]
        elif message.report_link:
            foot = [f"{message.word('report')}: `{message.report_link}`"]
        else:
            foot = []
        fixed = len("\n".join([*head, *foot]).encode("utf-8")) + 2  # the two joining newlines
        lines = fit_lines(
            [f"> {line}" for line in message.summary], CONTENT_MAX_BYTES - fixed, "> " + message.word("more")
        )
        return "\n".join([*head, *lines, *foot])

    def reply(self, status: int, body: bytes) -> Reply:
        return code_reply(status, body, ("errcode",), ("errmsg",))


NOTIFIERS.add(WeComNotifier.kind, WeComNotifier())
