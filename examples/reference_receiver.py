"""A reference OpenClaw webhook receiver: small enough to read, meant to be copied.

Run it, then check it with clawcheck:

    export OPENCLAW_WEBHOOK_SECRET=whsec_...
    python examples/reference_receiver.py --port 9000
    clawcheck webhooks --url http://127.0.0.1:9000/webhooks/openclaw \
        --probe 'http://127.0.0.1:9000/probe/{event_id}'

Every delivery goes through the same steps, in this order (protocol section 2):

1. read the raw body bytes: the signature covers them, not a re-serialisation of the JSON;
2. require X-OpenClaw-Event-ID, X-OpenClaw-Timestamp and X-OpenClaw-Signature  -> else 400;
3. verify: HMAC-SHA256 keyed by the secret's UTF-8 bytes over `id "." timestamp "." body`,
   lowercase hex, compared in constant time with every `v1=` entry (rotation)    -> else 401;
4. the timestamp within 300 s of our clock, in either direction               -> else 401;
5. the body is a JSON object with a string `type` and the header's `id`        -> else 400;
6. claim the event id atomically; already claimed means a duplicate           -> 200, nothing else;
7. process it; an event type we do not know is acknowledged and ignored       -> 200.

Nothing in a delivery is trusted before steps 3 and 4, and the id is claimed only after
them, so a forged delivery can neither be processed nor block the genuine one.

The inbox below is in memory, for one process. In production claim the id in the same
database transaction as the effect: a table with a unique `event_id`,
`INSERT ... ON CONFLICT DO NOTHING`, and process only when the row was inserted (or Redis
`SET <id> 1 NX EX 604800` in front of an idempotent handler). Keep claims for longer than
OpenClaw keeps retrying. Expose the probe in test and staging only, or behind auth.

Steps 2 to 4 are also `clawcheck.signing.verify_openclaw(secret, headers, body)`; this file
spells them out so it needs nothing but Starlette and uvicorn.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import os
import re
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ID_HEADER = "x-openclaw-event-id"
TIMESTAMP_HEADER = "x-openclaw-timestamp"
SIGNATURE_HEADER = "x-openclaw-signature"
TOLERANCE_S = 300
WEBHOOK_PATH = "/webhooks/openclaw"
PROBE_PATH = "/probe/{event_id}"

_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")  # bounded: int() of a 5000-digit header raises

log = logging.getLogger("reference_receiver")

Event = dict[str, Any]
Handler = Callable[[Event], Awaitable[None]]


def sign(secret: str, event_id: str, timestamp: str, body: bytes) -> str:
    """The lowercase hex signature OpenClaw writes after `v1=`."""
    # Header values arrive decoded as latin-1 (ASGI and WSGI alike): encode back to the bytes sent.
    message = event_id.encode("latin-1") + b"." + timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def v1_signatures(header: str) -> list[str]:
    """The well-formed `v1=` entries of X-OpenClaw-Signature; other versions are skipped."""
    found = []
    for entry in header.split(" "):
        version, _, value = entry.partition("=")
        if version == "v1" and _HEX_SHA256.fullmatch(value):
            found.append(value)
    return found


def refuse(status: int, reason: str) -> Response:
    return JSONResponse({"error": reason}, status_code=status)


class Inbox:
    """The events claimed, and how often each was processed (what the probe reports).

    In memory, one process. `claim` is atomic: the test and the insert happen under one lock,
    so concurrent copies of an event cannot both get through.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed: set[str] = set()
        self._processed: dict[str, int] = {}

    def claim(self, event_id: str) -> bool:
        """True for the first claim of an event id, False for every later one."""
        with self._lock:
            if event_id in self._claimed:
                return False
            self._claimed.add(event_id)
            return True

    def release(self, event_id: str) -> None:
        """Undo the claim of an event whose processing failed, so that a retry processes it."""
        with self._lock:
            self._claimed.discard(event_id)

    def done(self, event_id: str) -> None:
        with self._lock:
            self._processed[event_id] = self._processed.get(event_id, 0) + 1

    def processed(self, event_id: str) -> int:
        with self._lock:
            return self._processed.get(event_id, 0)


class Receiver:
    """Verifies, de-duplicates and processes OpenClaw deliveries.

    `secrets`: the signing secret, or during rotation the old and the new one.
    `handlers`: event type -> async function; types without one are acknowledged and ignored.
    """

    tolerance = TOLERANCE_S

    def __init__(
        self,
        secrets: Sequence[str],
        *,
        handlers: Mapping[str, Handler] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secrets or not all(secrets):
            raise ValueError("a receiver needs at least one non-empty signing secret")
        self.secrets = tuple(secrets)
        self.handlers = dict(handlers or {})
        self.clock = clock
        self.inbox = Inbox()

    async def deliver(self, request: Request) -> Response:
        """POST /webhooks/openclaw"""
        body = await request.body()  # 1
        refused = self.verify(request.headers, body)  # 2, 3, 4
        if refused is not None:
            return refused
        event = self.parse(request.headers[ID_HEADER], body)  # 5
        if event is None:
            return refuse(400, "the body is not a JSON event with the id of X-OpenClaw-Event-ID")
        if not self.inbox.claim(event["id"]):  # 6
            return JSONResponse({"received": True, "duplicate": True})
        try:
            await self.process(event)  # 7
        except Exception:
            # Our failure, not bad input: release the claim and answer 500, so OpenClaw retries.
            self.inbox.release(event["id"])
            log.exception("processing %s failed; OpenClaw will retry", event["id"])
            return refuse(500, "processing failed; retry later")
        return JSONResponse({"received": True})

    def verify(self, headers: Mapping[str, str], body: bytes) -> Response | None:
        """None when the delivery is authentic and fresh, else the response that refuses it."""
        event_id = headers.get(ID_HEADER)
        timestamp = headers.get(TIMESTAMP_HEADER)
        signature = headers.get(SIGNATURE_HEADER)
        if not event_id or not timestamp or not signature:
            return refuse(
                400, "X-OpenClaw-Event-ID, X-OpenClaw-Timestamp and X-OpenClaw-Signature are required"
            )
        if not _UNIX_SECONDS.fullmatch(timestamp):
            return refuse(400, "X-OpenClaw-Timestamp must be Unix seconds")
        if not self.signature_matches(event_id, timestamp, body, signature):
            return refuse(401, "no signature matches")
        if not self.fresh(int(timestamp)):
            return refuse(401, f"X-OpenClaw-Timestamp is more than {self.tolerance} s from our clock")
        return None

    def signature_matches(self, event_id: str, timestamp: str, body: bytes, header: str) -> bool:
        """Any `v1=` entry equals the signature under any of our secrets (secret rotation)."""
        expected = [sign(secret, event_id, timestamp, body) for secret in self.secrets]
        return any(hmac.compare_digest(mine, theirs) for mine in expected for theirs in v1_signatures(header))

    def fresh(self, timestamp: int) -> bool:
        """Within the tolerance of our clock, in either direction (a replay inside the window is a
        duplicate: the event-id claim catches it)."""
        return abs(self.clock() - timestamp) <= self.tolerance

    def parse(self, event_id: str, body: bytes) -> Event | None:
        try:
            event = json.loads(body)
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
            return None
        if (
            not isinstance(event, dict)
            or event.get("id") != event_id
            or not isinstance(event.get("type"), str)
        ):
            return None
        return event

    async def process(self, event: Event) -> None:
        handler = self.handlers.get(event["type"])
        if handler is not None:  # OpenClaw adds event types: an unknown one is not an error
            await handler(event)
        self.inbox.done(event["id"])

    async def probe(self, request: Request) -> Response:
        """GET /probe/{event_id}: how often the event was processed (protocol section 3)."""
        event_id = request.path_params["event_id"]
        return JSONResponse({"event_id": event_id, "processed": self.inbox.processed(event_id)})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(WEBHOOK_PATH, self.deliver, methods=["POST"]),
                Route(PROBE_PATH, self.probe, methods=["GET"]),
            ]
        )


def main(argv: Sequence[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="A reference OpenClaw webhook receiver.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument(
        "--secret",
        action="append",
        help="signing secret (repeat during rotation); default: $OPENCLAW_WEBHOOK_SECRET",
    )
    args = parser.parse_args(argv)
    secrets = args.secret or [os.environ.get("OPENCLAW_WEBHOOK_SECRET", "")]
    if not all(secrets):
        parser.error("no signing secret: set OPENCLAW_WEBHOOK_SECRET or pass --secret")
    print(
        f"POST http://{args.host}:{args.port}{WEBHOOK_PATH}   probe: GET http://{args.host}:{args.port}{PROBE_PATH}"
    )
    uvicorn.run(Receiver(secrets).app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
