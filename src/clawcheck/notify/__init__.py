"""Chat notifications of an acceptance verdict: WeCom, Feishu/Lark, DingTalk and Slack bots.

    targets = [parse_target(spec, secret=...) ...] or targets_from_env()   # ConfigError on bad input
    message = Message.from_checklist(checklist, report_link="https://ci.example.com/run/42/report.html")
    outcomes = notify(targets, message)                                     # never raises

Each bot kind is one registered `Notifier` (`NOTIFIERS`), building that bot's real
message format and signature. See docs/notify.md.
"""

from __future__ import annotations

# Each bot module registers its notifier on import.
from clawcheck.notify import dingtalk, feishu, slack, wecom  # noqa: F401
from clawcheck.notify.base import NOTIFIERS, BotRequest, Notifier, Reply
from clawcheck.notify.message import Message, Verdict
from clawcheck.notify.send import DEFAULT_TIMEOUT, notify
from clawcheck.notify.target import ENV_PREFIX, NotifyOutcome, NotifyTarget, parse_target, targets_from_env

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV_PREFIX",
    "NOTIFIERS",
    "BotRequest",
    "Message",
    "Notifier",
    "NotifyOutcome",
    "NotifyTarget",
    "Reply",
    "Verdict",
    "notify",
    "parse_target",
    "targets_from_env",
]
