"""The harness as OpenClaw's sender: signed deliveries whose every part a check can control.

    sender.delivery()                              a valid, freshly signed `order.created`
    sender.delivery(timestamp=t, attempt=2, ...)   the same event re-signed for a redelivery
    delivery.without(SIGNATURE_HEADER)             one header dropped
    delivery.with_headers({TIMESTAMP_HEADER: x})   one header changed, signature kept

Every delivery without an explicit id gets a fresh `evt_` + random id, so checks never
share an event. Transport failures are answers too (`Exchange.error`), never exceptions:
a receiver that hangs on a bad input has broken the rule the check is about.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import httpx

from clawcheck import __version__
from clawcheck.signing import sign_openclaw
from clawcheck.webhooks.settings import ReceiverSettings

__all__ = [
    "ATTEMPT_HEADER",
    "ID_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "TYPE_HEADER",
    "Delivery",
    "Exchange",
    "Sender",
    "body_only_signature",
    "event_body",
    "new_event_id",
    "other_secret",
]

ID_HEADER = "X-OpenClaw-Event-ID"
TYPE_HEADER = "X-OpenClaw-Event-Type"
TIMESTAMP_HEADER = "X-OpenClaw-Timestamp"
ATTEMPT_HEADER = "X-OpenClaw-Delivery-Attempt"
SIGNATURE_HEADER = "X-OpenClaw-Signature"
DEFAULT_TYPE = "order.created"
SHOP_ID = "shop_clawcheck"


def new_event_id() -> str:
    return f"evt_{secrets.token_hex(12)}"


def other_secret() -> str:
    """A secret that is not the receiver's: a rotated-out key, or a forger's."""
    return f"whsec_clawcheck_other_{secrets.token_hex(16)}"


def event_body(event_id: str, event_type: str, created: int) -> bytes:
    """The event as OpenClaw sends it (protocol section 2), compact JSON."""
    event = {
        "id": event_id,
        "type": event_type,
        "created_at": datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "shop_id": SHOP_ID,
        "platform": "shopify",
        "data": {"order_id": f"ord_{event_id.removeprefix('evt_')}", "status": "created"},
    }
    return json.dumps(event, separators=(",", ":")).encode()


def body_only_signature(secret: str, body: bytes) -> str:
    """`v1=` + HMAC over the raw body alone: what a receiver must NOT accept (no id, no timestamp)."""
    return "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST exactly as sent: headers in order, raw body, and the event id it is about."""

    event_id: str
    timestamp: int
    body: bytes
    headers: Mapping[str, str]
    # Every id whose processing the probe should be asked about (an altered id adds the fake one).
    probe_ids: tuple[str, ...] = ()
    note: str = ""  # what makes it special, for the evidence

    def without(self, *names: str, note: str = "") -> Delivery:
        dropped = {name.lower() for name in names}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in dropped}
        return replace(self, headers=headers, note=note or self.note)

    def with_headers(self, changes: Mapping[str, str], *, note: str = "") -> Delivery:
        lowered = {name.lower() for name in changes}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in lowered}
        headers.update(changes)
        return replace(self, headers=headers, note=note or self.note)

    def with_body(self, body: bytes, *, note: str = "") -> Delivery:
        return replace(self, body=body, note=note or self.note)

    def ids(self) -> tuple[str, ...]:
        return self.probe_ids or (self.event_id,)


@dataclass(frozen=True, slots=True)
class Exchange:
    """A delivery and what came back; `status` is None when nothing came back (`error` says why)."""

    delivery: Delivery
    url: str
    status: int | None
    elapsed: float
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def rejected(self) -> bool:
        """400 or 401: the only answers the protocol allows for a delivery it must refuse."""
        return self.status in (400, 401)

    @property
    def server_error(self) -> bool:
        return self.status is None or self.status >= 500

    def answer(self) -> str:
        """`401`, or `no answer (...)`: how the status reads in a message."""
        return str(self.status) if self.status is not None else f"no answer ({self.error})"


class Sender:
    """Signs and posts deliveries to one receiver. Thread-safe; close() when done."""

    def __init__(self, settings: ReceiverSettings) -> None:
        self.url = settings.url
        self._secret = settings.secret
        self._timeout = settings.timeout
        self.http = httpx.Client(
            timeout=httpx.Timeout(settings.timeout, connect=min(5.0, settings.timeout)),
            follow_redirects=False,  # OpenClaw does not follow redirects; a 307 is not a 2xx
            headers={"User-Agent": f"clawcheck-webhooks/{__version__}"},
            limits=httpx.Limits(max_connections=max(32, settings.copies, settings.concurrency)),
        )
        self._lock = threading.Lock()
        self.sent = 0

    def close(self) -> None:
        self.http.close()

    def delivery(
        self,
        event_id: str | None = None,
        *,
        event_type: str = DEFAULT_TYPE,
        timestamp: int | None = None,
        attempt: int = 1,
        body: bytes | None = None,
        keys: Sequence[str] | None = None,
        note: str = "",
    ) -> Delivery:
        """A delivery signed as OpenClaw signs it: with the receiver's secret, or with `keys` in order."""
        event_id = event_id or new_event_id()
        stamp = int(time.time()) if timestamp is None else timestamp
        raw = event_body(event_id, event_type, stamp) if body is None else body
        signed = sign_openclaw(list(keys) if keys is not None else self._secret, event_id, stamp, raw)
        headers = {
            "Content-Type": "application/json",
            ID_HEADER: event_id,
            TYPE_HEADER: event_type,
            TIMESTAMP_HEADER: str(stamp),
            ATTEMPT_HEADER: str(attempt),
            SIGNATURE_HEADER: signed[SIGNATURE_HEADER],
        }
        return Delivery(event_id=event_id, timestamp=stamp, body=raw, headers=headers, note=note)

    def send(self, delivery: Delivery) -> Exchange:
        with self._lock:
            self.sent += 1
        started = time.perf_counter()
        try:
            response = self.http.post(self.url, content=delivery.body, headers=dict(delivery.headers))
        except httpx.TimeoutException:
            error = f"no answer within {self._timeout:g} s"
            return Exchange(delivery, self.url, None, time.perf_counter() - started, error=error)
        except httpx.HTTPError as exc:
            reason = (str(exc).splitlines() or [""])[0] or type(exc).__name__
            return Exchange(delivery, self.url, None, time.perf_counter() - started, error=reason)
        elapsed = time.perf_counter() - started
        headers = {name.lower(): value for name, value in response.headers.items()}
        return Exchange(delivery, self.url, response.status_code, elapsed, headers, response.content)

    def burst(
        self, make: Callable[[int], Delivery], *, count: int, concurrency: int, budget: float
    ) -> list[Exchange]:
        """Up to `count` deliveries, each made (and signed) just before it is sent, `concurrency` in
        flight; none is started once `budget` seconds have passed. Answers in order."""
        deadline = time.monotonic() + budget

        def one(n: int) -> Exchange | None:
            return None if time.monotonic() > deadline else self.send(make(n))

        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="clawcheck-burst") as pool:
            return [e for e in pool.map(one, range(count)) if e is not None]

    def send_together(self, deliveries: Sequence[Delivery]) -> list[Exchange]:
        """All deliveries at the same moment: one thread each, released together by a barrier."""
        barrier = threading.Barrier(len(deliveries), timeout=self._timeout)

        def go(delivery: Delivery) -> Exchange:
            barrier.wait()
            return self.send(delivery)

        with ThreadPoolExecutor(max_workers=len(deliveries), thread_name_prefix="clawcheck-copy") as pool:
            return list(pool.map(go, deliveries))
