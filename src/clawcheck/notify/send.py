"""`notify`: post one message to every target, in parallel, and report how each went.

Never raises: a bot that is down, slow, misconfigured or answering nonsense is a failed
`NotifyOutcome`, because a chat notification must not fail an acceptance run. Every
reason and log line is scrubbed of the target's URL token, secret and signature.
"""

from __future__ import annotations

import contextvars
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import httpx

from clawcheck import __version__
from clawcheck.core.redact import Redactor
from clawcheck.notify.base import NOTIFIERS, BotRequest, one_line
from clawcheck.notify.message import Message
from clawcheck.notify.target import NotifyOutcome, NotifyTarget

__all__ = ["DEFAULT_TIMEOUT", "notify"]

DEFAULT_TIMEOUT = 5.0  # seconds per bot, for connecting and for the whole answer
_MAX_BODY = 64 * 1024  # bots answer a few hundred bytes; more is not a bot
_MAX_PARALLEL = 8
_REASON_MAX = 200  # characters of a reason: one line in a report or a log

_log = logging.getLogger("clawcheck.notify")
# The redactor of the delivery running in this thread, for the scrubbing filter on httpx's logger.
_SCRUB: contextvars.ContextVar[Redactor | None] = contextvars.ContextVar(
    "clawcheck_notify_scrub", default=None
)
_installed = threading.Lock()


class _Scrub(logging.Filter):
    """httpx logs every request's full URL at INFO, and a webhook URL is a credential.

    Installed once on the `httpx` logger; it rewrites only records made while a
    delivery runs in the same thread, leaving every other use of httpx untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        redactor = _SCRUB.get()
        if redactor is not None:
            record.msg = redactor.text(record.getMessage())
            record.args = None
        return True


def _install_scrubber() -> None:
    with _installed:
        logger = logging.getLogger("httpx")
        if not any(isinstance(f, _Scrub) for f in logger.filters):
            logger.addFilter(_Scrub())


def notify(
    targets: Sequence[NotifyTarget],
    message: Message,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.time,
) -> list[NotifyOutcome]:
    """Post `message` to every target; one outcome per target, in the targets' order.

    `clock` gives epoch seconds for the signatures (DingTalk and Feishu refuse a timestamp
    more than an hour off theirs).
    """
    if not targets:
        return []
    _install_scrubber()
    workers = min(len(targets), _MAX_PARALLEL)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="clawcheck-notify") as pool:
        return list(pool.map(lambda target: _deliver(target, message, timeout, clock), targets))


def _deliver(
    target: NotifyTarget, message: Message, timeout: float, clock: Callable[[], float]
) -> NotifyOutcome:
    redactor = Redactor(target.secrets())
    token = _SCRUB.set(redactor)
    try:
        outcome = _attempt(target, message, timeout, clock, redactor)
    finally:
        _SCRUB.reset(token)
    if outcome.ok:
        _log.info("notified %s (%s)", outcome.kind, outcome.host)
    else:
        _log.warning("notification to %s (%s) failed: %s", outcome.kind, outcome.host, outcome.reason)
    return outcome


def _attempt(
    target: NotifyTarget, message: Message, timeout: float, clock: Callable[[], float], redactor: Redactor
) -> NotifyOutcome:
    status: int | None = None
    try:
        notifier = NOTIFIERS.get(target.kind)
        request = notifier.request(target, message, clock())
        redactor.add(*request.sensitive)
        status, body = _post(request, timeout, direct=target.direct)
        reply = notifier.reply(status, body)
        ok, reason, code = reply.ok, reply.reason, reply.code
    except httpx.TimeoutException:
        ok, reason, code = False, f"no answer within {timeout:g} s", None
    except httpx.ConnectError as exc:
        ok, reason, code = False, f"cannot connect: {exc}", None
    except httpx.HTTPError as exc:
        ok, reason, code = False, f"{type(exc).__name__}: {exc}", None
    except Exception as exc:  # a notifier's bug must not fail the acceptance run either
        ok, reason, code = False, f"internal error ({type(exc).__name__}: {exc})", None
    # Scrub before cutting: a cut through a token would leave a prefix the redactor cannot match.
    shown = one_line(redactor.text(reason), _REASON_MAX)
    return NotifyOutcome(
        target.kind, target.host, ok, shown, status, code and one_line(redactor.text(code), 60)
    )


def _post(request: BotRequest, timeout: float, *, direct: bool) -> tuple[int, bytes]:
    """POST the JSON body; the status and at most `_MAX_BODY` bytes of the answer, within `timeout`."""
    content = json.dumps(request.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    deadline = time.monotonic() + timeout
    with (
        httpx.Client(
            timeout=timeout,
            follow_redirects=False,  # a bot never redirects; following would resend the body elsewhere
            trust_env=not direct,  # corporate proxies apply to the real bots, never to loopback
            headers={"User-Agent": f"clawcheck-notify/{__version__}"},
        ) as client,
        client.stream(
            "POST", request.url, content=content, headers={"Content-Type": "application/json; charset=utf-8"}
        ) as response,
    ):
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) >= _MAX_BODY:
                break
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("the answer took too long", request=response.request)
        return response.status_code, bytes(body[:_MAX_BODY])
