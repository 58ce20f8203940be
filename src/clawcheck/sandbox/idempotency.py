"""Idempotency-Key handling: replay processed outcomes, refuse reuse, never run one key twice at once."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from clawcheck.sandbox.errors import conflict, validation_error
from clawcheck.sandbox.store import IdempotencyRecord, Shop

__all__ = ["IdempotencyGuard", "Outcome", "fingerprint"]

_KEY = re.compile(r"[\x21-\x7e]{1,255}", re.ASCII)  # the spec: printable ASCII without space


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an operation answered, in the form it is stored and replayed."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    replayed_trace_id: str | None = None  # set on replays of stored errors: body and header must agree


def fingerprint(method: str, path: str, body: bytes, parsed: object) -> str:
    """Method + path + canonical body: JSON that differs only in spacing or key order is the same body."""
    canonical = body
    if parsed is not None:
        canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def _storable(status: int) -> bool:
    # Like Stripe: only processed outcomes; 400/401/429/5xx may be retried with the same key.
    return 200 <= status < 300 or status in (404, 409)


@dataclass(slots=True)
class _Flight:
    fingerprint: str
    done: asyncio.Event


class IdempotencyGuard:
    """Per-shop keys. `enabled=False` and `check_body=False` are the two idempotency faults."""

    __slots__ = ("_check_body", "_enabled", "_inflight")

    def __init__(self, *, enabled: bool = True, check_body: bool = True) -> None:
        self._enabled = enabled
        self._check_body = check_body
        self._inflight: dict[tuple[str, str], _Flight] = {}

    @staticmethod
    def key(header: str | None) -> str:
        """The validated Idempotency-Key header value."""
        if not header:
            raise validation_error(
                "header Idempotency-Key is required for this operation", code="IDEMPOTENCY_KEY_REQUIRED"
            )
        if _KEY.fullmatch(header) is None:
            raise validation_error(
                "header Idempotency-Key must be 1-255 printable ASCII characters without spaces"
            )
        return header

    async def run(
        self, shop: Shop, key: str, print_: str, trace_id: str, execute: Callable[[], Awaitable[Outcome]]
    ) -> Outcome:
        """Replay the stored outcome for `key`, or execute once and store what is storable."""
        if not self._enabled:
            return await execute()
        scoped = (shop.shop_id, key)
        while True:
            record = shop.idempotency.get(key)
            if record is not None:
                self._same_request(record.fingerprint, print_)
                return _replay(record)
            flight = self._inflight.get(scoped)
            if flight is None:
                break
            self._same_request(flight.fingerprint, print_)
            await flight.done.wait()  # then look again: it may not have been storable
        flight = self._inflight[scoped] = _Flight(print_, asyncio.Event())
        try:
            outcome = await execute()
            if _storable(outcome.status):
                shop.remember(key, IdempotencyRecord(print_, outcome.status, outcome.body, trace_id))
            return outcome
        finally:
            del self._inflight[scoped]
            flight.done.set()

    def _same_request(self, stored: str, incoming: str) -> None:
        if self._check_body and stored != incoming:
            raise conflict(
                "IDEMPOTENCY_KEY_REUSED",
                "this Idempotency-Key was used with a different method, path or body; use a new key",
            )


def _replay(record: IdempotencyRecord) -> Outcome:
    return Outcome(
        record.status,
        record.body,
        {"Idempotent-Replayed": "true"},
        replayed_trace_id=record.trace_id if record.status >= 400 else None,
    )
