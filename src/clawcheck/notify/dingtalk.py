"""DingTalk (钉钉) custom robot: `POST .../robot/send?access_token=T&timestamp=TS&sign=SIGN`, markdown.

Signing ("加签"), when the robot has a secret: TS is epoch milliseconds and
SIGN = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{TS}\\n{secret}"))). DingTalk refuses a TS
more than an hour from its clock. Success is `{"errcode": 0, "errmsg": "ok"}` (HTTP 200 either way).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus, urlsplit, urlunsplit

from clawcheck.errors import ConfigError
from clawcheck.notify.base import NOTIFIERS, BotRequest, Reply, code_reply
from clawcheck.notify.message import Message, fit_lines
from clawcheck.notify.target import NotifyTarget

__all__ = ["DingTalkNotifier", "dingtalk_sign"]

_TEXT_MAX_BYTES = 15000  # well under DingTalk's message size limit
_SIGNING_PARAMS = ("timestamp", "sign")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The base64 signature, before URL encoding."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class DingTalkNotifier:
    kind = "dingtalk"
    name = "DingTalk (钉钉) custom robot"
    hosts: tuple[str, ...] = ("oapi.dingtalk.com",)
    signed = True

    def check(self, target: NotifyTarget) -> None:
        if not target.query().get("access_token"):
            raise ConfigError(
                f"notify target dingtalk ({target.host}): the webhook URL has no access_token= parameter; "
                "copy the robot's full webhook URL"
            )

    def request(self, target: NotifyTarget, message: Message, now: float) -> BotRequest:
        body = {"msgtype": "markdown", "markdown": {"title": self.title(message), "text": self.text(message)}}
        if target.secret is None:
            return BotRequest(target.url, body)
        timestamp = int(now * 1000)
        sign = dingtalk_sign(target.secret, timestamp)
        return BotRequest(_with_signature(target.url, timestamp, sign), body, (sign, quote_plus(sign)))

    @staticmethod
    def title(message: Message) -> str:
        """What the notification banner and the chat list show."""
        return f"{message.headline} {message.title}"

    @staticmethod
    def text(message: Message) -> str:
        # DingTalk markdown needs a blank line for a line break.
        head = [f"### {message.headline}", f"**{message.title}**"]
        link = message.web_link
        if link:
            foot = [f"[{message.word('open')}]({link})"]
        elif message.report_link:
            foot = [f"{message.word('report')}: `{message.report_link}`"]
        else:
            foot = []
        lines = fit_lines(message.summary, _TEXT_MAX_BYTES, message.word("more"), joiner="\n\n")
        return "\n\n".join([*head, *lines, *foot])

    def reply(self, status: int, body: bytes) -> Reply:
        return code_reply(status, body, ("errcode",), ("errmsg",))


def _with_signature(url: str, timestamp_ms: int, sign: str) -> str:
    """The URL with `timestamp` and `sign` appended; a stale pair pasted with the URL is dropped.

    Built by hand so the signature is URL-encoded exactly once: a raw `+` in the query
    would reach DingTalk as a space and fail with "sign not match".
    """
    parts = urlsplit(url)
    kept = [p for p in parts.query.split("&") if p and p.partition("=")[0] not in _SIGNING_PARAMS]
    query = "&".join([*kept, f"timestamp={timestamp_ms}", f"sign={quote_plus(sign)}"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


NOTIFIERS.add(DingTalkNotifier.kind, DingTalkNotifier())
