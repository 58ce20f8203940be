"""Webhook delivery: signed, at least once, off the request path.

A handler calls `Webhooks.emit` after its state change. `emit` never awaits: it renders
the event once, adds a pending `Delivery` to each subscribed subscription's log and
starts one asyncio task per delivery. The tasks run on the server's own event loop
(started and stopped by the app's lifespan), so they read and write the store exactly as
handlers do, without locks; while a task waits on a receiver, the loop serves the API.

Each attempt is signed afresh (`X-OpenClaw-Timestamp` now, the subscription's secrets
now, the same event id and body) and numbered (`X-OpenClaw-Delivery-Attempt`). A 2xx
answer delivers; a non-2xx answer, a timeout or a transport error is retried after a
random wait in [0, min(cap, base * 2 ** (n - 1))) ("full jitter") for as long as the
retention allows, then the delivery is `failed`. At most `webhook_max_in_flight`
attempts per subscription are in flight at once; the rest wait their turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import httpx

from clawcheck.sandbox.config import SandboxConfig
from clawcheck.sandbox.events import render_event, subscribers
from clawcheck.sandbox.store import Delivery, Shop, Subscription, new_id
from clawcheck.sandbox.timefmt import TimeFormat, from_epoch
from clawcheck.signing import sign_openclaw

__all__ = ["Webhooks"]

_log = logging.getLogger("clawcheck.sandbox.webhooks")
_MAX_EXPONENT = 62  # 2 ** 62 seconds is beyond any cap; keeps the float finite


class Webhooks:
    """Emits events into delivery logs and delivers them while the app is running."""

    __slots__ = (
        "_client",
        "_config",
        "_fmt",
        "_hosts",
        "_random",
        "_running",
        "_slots",
        "_tasks",
        "_waiting",
    )

    def __init__(self, config: SandboxConfig, fmt: TimeFormat) -> None:
        self._config = config
        self._fmt = fmt
        self._hosts = config.webhook_hosts
        self._random = random.Random()
        self._running = False
        self._client: httpx.AsyncClient | None = None  # made by the first attempt: most runs send none
        self._waiting: list[tuple[Subscription, Delivery]] = []  # emitted before start
        self._slots: dict[str, asyncio.Semaphore] = {}  # per subscription id
        self._tasks: dict[str, set[asyncio.Task[None]]] = {}  # per subscription id

    def allows(self, host: str) -> bool:
        """Whether a subscription may name `host` as its receiver (loopback, or allowed by config)."""
        return self._hosts.allows(host)

    # -- emitting (called by handlers, on the event loop, never awaits) -----------------------------------

    def emit(
        self, shop: Shop, event_type: str, data: Callable[[], Any], *, platform: str | None, now: datetime
    ) -> str | None:
        """Queue `event_type` for every subscription of `shop` that wants it; returns the event id.

        `data` renders the resource; it is only called when someone subscribed."""
        targets = subscribers(shop, event_type)
        if not targets:
            return None
        event_id = new_id("evt")
        body = render_event(event_id, event_type, self._fmt(now), shop.shop_id, platform, data())
        for subscription in targets:
            self._schedule(subscription, subscription.record(event_id, event_type, body, now))
        return event_id

    def forget(self, subscription: Subscription) -> None:
        """Stop delivering to a deleted subscription: its pending attempts are cancelled."""
        subscription.status = "deleted"
        for task in self._tasks.pop(subscription.subscription_id, set()):
            task.cancel()
        self._slots.pop(subscription.subscription_id, None)
        self._waiting = [(s, d) for s, d in self._waiting if s is not subscription]

    # -- lifecycle -----------------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: object) -> AsyncIterator[None]:
        """The Starlette lifespan: deliver while the server runs."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def start(self) -> None:
        if self._running:
            return
        self._running = True
        waiting, self._waiting = self._waiting, []
        for subscription, delivery in waiting:
            self._schedule(subscription, delivery)

    async def stop(self) -> None:
        """Cancel every attempt and wait (pending deliveries stay pending), then close the client."""
        self._running = False
        tasks = [task for group in self._tasks.values() for task in group]
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _schedule(self, subscription: Subscription, delivery: Delivery) -> None:
        if not self._running:
            self._waiting.append((subscription, delivery))
            return
        group = self._tasks.setdefault(subscription.subscription_id, set())
        task = asyncio.get_running_loop().create_task(
            self._deliver(subscription, delivery), name=f"webhook-{delivery.event_id}"
        )
        group.add(task)
        task.add_done_callback(group.discard)

    # -- delivering ----------------------------------------------------------------------------------------

    async def _deliver(self, subscription: Subscription, delivery: Delivery) -> None:
        config = self._config
        slots = self._slots.get(subscription.subscription_id)
        if slots is None:
            slots = self._slots[subscription.subscription_id] = asyncio.Semaphore(
                config.webhook_max_in_flight
            )
        deadline = delivery.created_at.timestamp() + config.webhook_retention
        while subscription.status == "active":
            async with slots:
                if await self._attempt(subscription, delivery):
                    return
            now = config.clock()
            if now >= deadline:
                delivery.status, delivery.next_attempt_at = "failed", None
                return
            delay = min(self._backoff(delivery.attempts), deadline - now)
            delivery.next_attempt_at = from_epoch(now + delay)
            await asyncio.sleep(delay)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                trust_env=False,  # straight to the receiver: no proxy from the environment
                follow_redirects=False,  # a redirect is a non-2xx answer, never a hop to another host
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=20),
            )
        return self._client

    def _backoff(self, failures: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2 ** (failures - 1)))."""
        config = self._config
        ceiling = config.webhook_retry_base * 2.0 ** min(failures - 1, _MAX_EXPONENT)
        return self._random.uniform(0.0, min(config.webhook_retry_cap, ceiling))

    async def _attempt(self, subscription: Subscription, delivery: Delivery) -> bool:
        """One signed POST; records the outcome on the delivery and says whether it was delivered."""
        client = self._http()
        config, clock = self._config, self._config.clock
        delivery.attempts += 1
        delivery.next_attempt_at = None
        now = clock()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"OpenClaw-Sandbox/{config.version}",
            "X-OpenClaw-Event-Type": delivery.event_type,
            "X-OpenClaw-Delivery-Attempt": str(delivery.attempts),
            **sign_openclaw(subscription.signing_secrets(now), delivery.event_id, int(now), delivery.body),
        }
        status: int | None = None
        error: str | None = None
        try:
            # Streamed and never read: the status is the answer, a large body costs nothing.
            timeout = config.webhook_timeout
            async with client.stream(
                "POST", subscription.url, content=delivery.body, headers=headers, timeout=timeout
            ) as response:
                status = response.status_code
        except httpx.TimeoutException:
            error = f"no answer within {config.webhook_timeout:g} s"
        except httpx.HTTPError as exc:
            error = _describe(exc)
        except Exception as exc:  # a sandbox bug must not end at-least-once delivery: log, retry
            _log.exception("webhook attempt for %s failed unexpectedly", delivery.event_id)
            error = f"sandbox error: {type(exc).__name__}"
        delivered = status is not None and 200 <= status < 300
        if status is not None and not delivered:
            error = f"the receiver answered HTTP {status}; only 2xx counts as delivered"
        delivery.last_status_code, delivery.last_error = status, error
        if delivered:
            delivery.status, delivery.delivered_at = "delivered", from_epoch(clock())
        return delivered


def _describe(exc: httpx.HTTPError) -> str:
    """A short reason for the delivery log: what failed, and the OS's word for it."""
    kind = "could not connect" if isinstance(exc, httpx.ConnectError) else type(exc).__name__
    detail = str(exc).strip()
    text = f"{kind}: {detail.splitlines()[0]}" if detail else kind
    return text if len(text) <= 200 else text[:199] + "…"
