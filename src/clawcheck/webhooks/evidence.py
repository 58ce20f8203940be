"""What a failing record carries: a reproducible curl, what was sent, what came back; no secret."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from clawcheck.core.curl import to_curl
from clawcheck.core.redact import Redactor
from clawcheck.webhooks.sender import Exchange

__all__ = ["exchange_evidence", "summary"]

_BODY_LIMIT = 2048


def _text(body: bytes) -> str:
    text = body[:_BODY_LIMIT].decode("utf-8", "replace")
    return text + (f"... ({len(body)} bytes)" if len(body) > _BODY_LIMIT else "")


def exchange_evidence(exchange: Exchange, redactor: Redactor) -> dict[str, Any]:
    """The curl that repeats the delivery (the signature shown as sent: it is not a secret, and
    it stays valid for 300 s), the delivery itself and the receiver's answer, all redacted."""
    delivery = exchange.delivery
    sent: dict[str, Any] = {
        "method": "POST",
        "url": exchange.url,
        "headers": redactor.headers(dict(delivery.headers)),
        "body": redactor.text(_text(delivery.body)),
    }
    if delivery.note:
        sent["note"] = delivery.note
    received: dict[str, Any]
    if exchange.status is None:
        received = {"error": redactor.text(exchange.error or "no answer")}
    else:
        try:
            body: Any = redactor.data(json.loads(exchange.body)) if exchange.body else ""
        except ValueError:
            body = redactor.text(_text(exchange.body))
        received = {
            "status": exchange.status,
            "headers": redactor.headers(dict(exchange.headers)),
            "body": body,
        }
    received["elapsed_ms"] = round(exchange.elapsed * 1000, 3)
    return {
        "event_id": delivery.event_id,
        "curl": redactor.text(to_curl("POST", exchange.url, delivery.headers, delivery.body)),
        "sent": sent,
        "received": received,
    }


def summary(exchanges: Sequence[Exchange]) -> list[dict[str, Any]]:
    """One line per delivery of a multi-delivery check: id, attempt, timestamp and the answer."""
    return [
        {
            "event_id": e.delivery.event_id,
            "note": e.delivery.note,
            "attempt": e.delivery.headers.get("X-OpenClaw-Delivery-Attempt"),
            "timestamp": e.delivery.timestamp,
            "answer": e.answer(),
            "elapsed_ms": round(e.elapsed * 1000, 3),
        }
        for e in exchanges
    ]
