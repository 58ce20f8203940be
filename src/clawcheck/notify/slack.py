"""Slack incoming webhook: `POST https://hooks.slack.com/services/T…/B…/…`, text plus Block Kit blocks.

No signing: the URL is the credential. Success is HTTP 200 with the plain body `ok`;
errors are plain words with a 4xx/5xx status (`invalid_payload`, `no_service`, `invalid_token`).
"""

from __future__ import annotations

import re
from typing import Any

from clawcheck.errors import ConfigError
from clawcheck.notify.base import NOTIFIERS, BotRequest, Reply, one_line
from clawcheck.notify.message import Message, fit_lines
from clawcheck.notify.target import NotifyTarget

__all__ = ["SlackNotifier"]

_HEADER_MAX = 150  # characters of a header block's plain_text
_SECTION_MAX_BYTES = 2900  # a section's text is limited to 3000 characters; bytes are the safe side
_ERROR_WORD = re.compile(r"[a-z_]{3,60}")


def _escape(text: str) -> str:
    """Slack mrkdwn needs &, < and > escaped, or `<...>` is read as a link or mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackNotifier:
    kind = "slack"
    name = "Slack incoming webhook"
    hosts: tuple[str, ...] = ("hooks.slack.com",)
    signed = False

    def check(self, target: NotifyTarget) -> None:
        if target.secret is not None:
            raise ConfigError(
                f"notify target slack ({target.host}): incoming webhooks are not signed, the URL is the "
                "secret; remove the secret"
            )
        if "/services/" not in target.url.split("?", 1)[0]:
            raise ConfigError(
                f"notify target slack ({target.host}): not an incoming-webhook URL (/services/...); "
                "copy the webhook URL from the Slack app's Incoming Webhooks page"
            )

    def request(self, target: NotifyTarget, message: Message, now: float) -> BotRequest:
        headline = f"{message.headline} {message.title}"
        blocks: list[dict[str, Any]] = [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": one_line(headline, _HEADER_MAX), "emoji": True},
            }
        ]
        lines = fit_lines(
            [_escape(line) for line in message.summary], _SECTION_MAX_BYTES, message.word("more")
        )
        if lines:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
        link = message.web_link
        if link:
            button = {
                "type": "button",
                "text": {"type": "plain_text", "text": message.word("open")},
                "url": link,
            }
            blocks.append({"type": "actions", "elements": [button]})
        elif message.report_link:
            note = {"type": "mrkdwn", "text": f"{message.word('report')}: `{_escape(message.report_link)}`"}
            blocks.append({"type": "context", "elements": [note]})
        # `text` is what notifications and clients without blocks show.
        return BotRequest(target.url, {"text": headline, "blocks": blocks})

    def reply(self, status: int, body: bytes) -> Reply:
        text = body.decode("utf-8", "replace").strip()
        if status == 200 and text == "ok":
            return Reply(True, "ok")
        word = text if _ERROR_WORD.fullmatch(text) else None
        shown = one_line(text) or "empty body"
        return Reply(False, f"HTTP {status}: {shown}", word)


NOTIFIERS.add(SlackNotifier.kind, SlackNotifier())
