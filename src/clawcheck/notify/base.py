"""The `Notifier` protocol, the registry of bot kinds, and what every bot's reply parsing shares.

A notifier is pure: it turns (target, message, time) into one `BotRequest` and one
(HTTP status, body) into a `Reply`. Sending, timeouts and redaction live in `send.py`,
so a bot kind is one small module and its format can be tested without a network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from clawcheck.core.registry import Registry

if TYPE_CHECKING:
    from clawcheck.notify.message import Message
    from clawcheck.notify.target import NotifyTarget

__all__ = ["NOTIFIERS", "BotRequest", "Notifier", "Reply", "code_reply", "one_line"]

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class BotRequest:
    """One POST to a bot: the full URL (a secret), the JSON body, and values to scrub.

    `sensitive` holds what is derived from the secret (a signature): scrubbed from
    logs and reasons like the secret itself.
    """

    url: str
    body: Mapping[str, Any]
    sensitive: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    """How the bot answered: accepted or not, one line why, and its error code if it gave one."""

    ok: bool
    reason: str
    code: str | None = None


class Notifier(Protocol):
    """One bot kind. Registered once in `NOTIFIERS` under `kind`."""

    kind: str
    name: str  # for people: "WeCom group bot"
    hosts: tuple[str, ...]  # the official webhook hosts: a bare URL on one of them names its kind
    signed: bool  # whether the bot takes a signing secret besides the URL

    def check(self, target: NotifyTarget) -> None:
        """Raise ConfigError (one line, no URL) when the target cannot work for this bot."""
        ...

    def request(self, target: NotifyTarget, message: Message, now: float) -> BotRequest:
        """The bot's real message format, signed when the target has a secret; `now` in epoch seconds."""
        ...

    def reply(self, status: int, body: bytes) -> Reply:
        """Read the bot's answer: only its documented success body is success."""
        ...


NOTIFIERS: Registry[Notifier] = Registry("notifier kind")


def one_line(text: str, limit: int | None = None) -> str:
    """`text` on one line, cut to `limit` characters.

    Notifiers leave reasons whole: `notify` scrubs secrets first and cuts after, since a
    cut through a token would leave a prefix that no longer matches it.
    """
    text = _SPACE.sub(" ", text).strip()
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _json_object(body: bytes) -> Mapping[str, Any] | None:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, Mapping) else None


def _snippet(body: bytes) -> str:
    return one_line(body.decode("utf-8", "replace")) or "empty body"


def code_reply(status: int, body: bytes, codes: tuple[str, ...], messages: tuple[str, ...]) -> Reply:
    """The reply of a bot that answers JSON with a numeric code, 0 meaning success.

    `codes` and `messages` are the field names to look for, in order (Feishu has both
    `code` and the older `StatusCode`). A non-2xx status fails whatever the body says.
    """
    data = _json_object(body)
    code: Any = None
    text = ""
    if data is not None:
        code = next((data[key] for key in codes if key in data), None)
        text = next((str(data[key]) for key in messages if data.get(key)), "")
    http_ok = 200 <= status < 300
    if http_ok and code == 0 and not isinstance(code, bool):
        return Reply(True, "ok", "0")
    if code is None:
        what = f"HTTP {status}" if not http_ok else f"HTTP {status}, no {codes[0]} in the answer"
        return Reply(False, f"{what}: {_snippet(body)}")
    detail = f"{codes[0]} {code}" + (f": {one_line(text)}" if text else "")
    return Reply(False, detail if http_ok else f"HTTP {status}, {detail}", str(code))
