"""Where notifications go (`NotifyTarget`) and how each delivery went (`NotifyOutcome`).

A webhook URL is a credential: whoever has it can post to the group. So the URL and
the signing secret never appear in a repr, an error, an outcome or a log line; only
the bot kind and the URL's host do.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from clawcheck.errors import ConfigError
from clawcheck.notify.base import NOTIFIERS

__all__ = ["ENV_PREFIX", "NotifyOutcome", "NotifyTarget", "parse_target", "targets_from_env"]

ENV_PREFIX = "CLAWCHECK_NOTIFY_"  # CLAWCHECK_NOTIFY_<KIND>_URL and CLAWCHECK_NOTIFY_<KIND>_SECRET
_TOKENISH = re.compile(r"\d")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class NotifyTarget:
    """One bot: its kind (`wecom`, `feishu`, `dingtalk`, `slack`), full webhook URL and signing secret.

    Validated on construction, so a bad target is a ConfigError while the run is being
    configured, not a surprise after it. Plain http is refused except on loopback (tests,
    local relays): it would hand the URL's token to every hop.
    """

    kind: str
    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        notifier = NOTIFIERS.get(self.kind)  # ConfigError listing the known kinds
        parts = urlsplit(self.url.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError(
                f"notify target {self.kind}: the webhook URL is not an http(s) URL; "
                "paste the bot's full webhook URL"
            )
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ConfigError(
                f"notify target {self.kind} ({parts.hostname}): plain http would expose the webhook token; "
                "use the https URL"
            )
        if self.secret is not None and not self.secret.strip():
            raise ConfigError(
                f"notify target {self.kind} ({parts.hostname}): the secret is empty; set it or omit it"
            )
        object.__setattr__(self, "url", self.url.strip())
        notifier.check(self)

    def __repr__(self) -> str:
        signed = ", signed" if self.secret else ""
        return f"NotifyTarget({self.kind!r}, host={self.host!r}{signed})"

    @property
    def host(self) -> str:
        """The URL's host name: the only part of the URL that outcomes, errors and logs show."""
        return urlsplit(self.url).hostname or "?"

    @property
    def direct(self) -> bool:
        """A loopback URL is reached directly, never through a proxy from the environment."""
        return _is_loopback(self.host)

    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))

    def secrets(self) -> tuple[str, ...]:
        """Every secret-bearing string of this target, as `Redactor` should scrub it.

        The URL whole and in parts: query values (WeCom `key`, DingTalk `access_token`) and
        token-like path segments (the Feishu hook id, Slack's T…/B…/secret), raw and decoded.
        Plain words (`webhook`, `services`, `open-apis`) are left alone so error texts stay readable.
        """
        parts = urlsplit(self.url)
        found = [self.url, self.secret or ""]
        for _, value in parse_qsl(parts.query, keep_blank_values=True):
            found.append(value)
        tokens = [s for s in parts.path.split("/") if len(s) >= 20 or (len(s) >= 8 and _TOKENISH.search(s))]
        for segment in tokens:
            found += [segment, unquote(segment)]
        found += [parts.query, *([parts.path] if tokens else [])]
        if parts.password:
            found.append(parts.password)
        return tuple(s for s in found if s)


@dataclass(frozen=True, slots=True)
class NotifyOutcome:
    """How one delivery went. `reason` is one line, already scrubbed of every secret."""

    kind: str
    host: str
    ok: bool
    reason: str
    http_status: int | None = None
    code: str | None = None  # the bot's own error code (errcode, code), when it gave one

    def __str__(self) -> str:
        return f"{self.kind} ({self.host}): {'ok' if self.ok else 'failed: ' + self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "host": self.host,
            "ok": self.ok,
            "reason": self.reason,
            "http_status": self.http_status,
            "code": self.code,
        }


def parse_target(spec: str, *, secret: str | None = None) -> NotifyTarget:
    """A target from `KIND=URL`, or from a bare URL on a bot's official host (the kind is inferred).

    parse_target("dingtalk=https://oapi.dingtalk.com/robot/send?access_token=...", secret="SEC...")
    parse_target("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...")
    """
    spec = spec.strip()
    kind, sep, rest = spec.partition("=")
    if sep and kind in NOTIFIERS:
        return NotifyTarget(kind, rest, secret)
    host = (urlsplit(spec).hostname or "").lower()
    for notifier in NOTIFIERS:
        if host in notifier.hosts:
            return NotifyTarget(notifier.kind, spec, secret)
    known = ", ".join(NOTIFIERS.names())
    shown = f" ({host})" if host else ""
    raise ConfigError(
        f"cannot tell which bot the notify URL{shown} is for; write KIND=URL with KIND one of {known}"
    )


def targets_from_env(environ: Mapping[str, str] | None = None) -> list[NotifyTarget]:
    """Targets from `CLAWCHECK_NOTIFY_<KIND>_URL` (+ `_SECRET`): keeps webhook URLs out of argv."""
    env = os.environ if environ is None else environ
    targets = []
    for kind in NOTIFIERS.names():
        url = env.get(f"{ENV_PREFIX}{kind.upper()}_URL", "").strip()
        secret = env.get(f"{ENV_PREFIX}{kind.upper()}_SECRET", "").strip() or None
        if url:
            targets.append(NotifyTarget(kind, url, secret))
        elif secret:
            raise ConfigError(
                f"{ENV_PREFIX}{kind.upper()}_SECRET is set without {ENV_PREFIX}{kind.upper()}_URL; set both"
            )
    return targets
