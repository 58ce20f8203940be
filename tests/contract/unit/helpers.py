"""Hand-built exchanges, operations and a strict fake Prober for the check tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from clawcheck.contract.checks import OperationInfo
from clawcheck.contract.exchange import Exchange, SentRequest

BASE = "http://openclaw.test"
TOKEN = "tok_live_0123456789abcdef"
SHOP = "shop_demo"
TRACE = "trc_0123456789"

_NOT_GIVEN: Any = object()


def request(
    method: str = "GET",
    path: str = "/v2/orders/ord_1",
    *,
    body: Any = None,
    key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> SentRequest:
    sent = {"Authorization": f"Bearer {TOKEN}", "X-OpenClaw-Shop-Id": SHOP}
    if key is not None:
        sent["Idempotency-Key"] = key
    if body is not None:
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    raw = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    return SentRequest(method, f"{BASE}{path}", sent, raw)


def exchange(
    status: int = 200,
    body: Any = _NOT_GIVEN,
    *,
    operation: str = "GET /v2/orders/{order_id}",
    sent: SentRequest | None = None,
    headers: Mapping[str, str] | None = None,
    content_type: str | None = "application/json",
    trace: str | None = TRACE,
) -> Exchange:
    """An exchange; a dict/list body is JSON-encoded, bytes are sent as they are."""
    if body is _NOT_GIVEN:
        body = {}
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response_headers: dict[str, str] = {}
    if content_type is not None:
        response_headers["content-type"] = content_type
    if trace is not None:
        response_headers["x-openclaw-trace-id"] = trace
    response_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    method, _, path = operation.partition(" ")
    return Exchange(
        operation=operation,
        request=sent or request(method, path.replace("{order_id}", "ord_1")),
        status=status,
        headers=response_headers,
        body=raw,
        elapsed=0.012,
    )


def error(status: int, code: str, kind: str, *, trace: str = TRACE, message: str = "no") -> Exchange:
    body = {"error": {"code": code, "type": kind, "message": message, "trace_id": trace}}
    return exchange(status, body, trace=trace)


def operation(
    label: str = "GET /v2/orders/{order_id}",
    *,
    requires_auth: bool = True,
    state_changing: bool = False,
    body_schema: Mapping[str, Any] | None = None,
) -> OperationInfo:
    method, _, path = label.partition(" ")
    return OperationInfo(
        label=label,
        method=method,
        path=path,
        operation_id=label,
        requires_auth=requires_auth,
        state_changing=state_changing,
        body_schema=body_schema,
    )


class FakeProber:
    """Implements the Prober protocol with canned answers; records every call.

    Strict: a method the test did not prepare raises, so a check that sends more than
    expected fails the test instead of passing by accident.
    """

    def __init__(
        self,
        *,
        resend: Callable[[Exchange, SentRequest], Exchange] | list[Exchange] | None = None,
        reads: list[list[Exchange]] | None = None,
        mutated: bytes | Any | None = _NOT_GIVEN,
        token: str = "tok_fresh_abcdef0123",
    ) -> None:
        self._resend = resend
        self._reads = list(reads) if reads is not None else None
        self._mutated = mutated
        self._token = token
        self.sent: list[SentRequest] = []
        self.calls: list[str] = []

    def resend(self, original: Exchange, request: SentRequest) -> Exchange:
        self.calls.append("resend")
        self.sent.append(request)
        if self._resend is None:
            raise AssertionError("unexpected resend()")
        if callable(self._resend):
            return self._resend(original, request)
        if not self._resend:
            raise AssertionError("resend() called more often than prepared")
        return self._resend.pop(0)

    def reads(self, exchange: Exchange) -> list[Exchange]:
        self.calls.append("reads")
        if not self._reads:
            raise AssertionError("unexpected reads()")
        return self._reads.pop(0)

    def mutated_body(self, exchange: Exchange) -> bytes | None:
        self.calls.append("mutated_body")
        if self._mutated is _NOT_GIVEN:
            raise AssertionError("unexpected mutated_body()")
        result: bytes | None = self._mutated
        return result

    def fresh_token(self) -> str:
        self.calls.append("fresh_token")
        return self._token

    def assert_consumed(self) -> None:
        """Every prepared answer was asked for: a check that probes less than expected fails too."""
        if isinstance(self._resend, list):
            assert not self._resend, f"{len(self._resend)} prepared resend answer(s) never asked for"
        assert not self._reads, f"{len(self._reads or ())} prepared reads never asked for"


def fresh_shop() -> str:
    """A shop no other test uses, so tests can share a sandbox without sharing rate-limit buckets."""
    return f"shop_t{uuid.uuid4().hex[:12]}"
