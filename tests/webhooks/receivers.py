"""The reference receiver (loaded from examples/) and faulty variants of it, one named fault each.

`FaultyReceiver(secrets, fault)` is the reference receiver with exactly one rule broken, the
way real receivers break it. `FAULTS[name].breaks` is the set of check ids the suite must
fail against it: the check(s) of that rule and no other. The example file itself stays
free of test faults.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from clawcheck.serving import ASGIServer
from clawcheck.webhooks import ReceiverSettings, resolve_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "reference_receiver.py"
SECRET = "whsec_clawcheck_selftest_7f3a9c1e"


def load_reference() -> ModuleType:
    """examples/reference_receiver.py as a module (it is a script, not part of the package)."""
    name = "reference_receiver"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ref = load_reference()
ID, TS, SIG = ref.ID_HEADER, ref.TIMESTAMP_HEADER, ref.SIGNATURE_HEADER
KNOWN_TYPES = frozenset({"order.created", "order.paid", "order.cancelled", "shipment.confirmed"})
OVERLAP_S = 0.05  # how long a racy or locking receiver spends processing: long enough to overlap copies
SLOW_S = 0.85  # a delivery that waits behind another one, in `slow-under-load`


@dataclass(frozen=True, slots=True)
class Fault:
    """One way to break a rule, and the checks (ids without `webhook.`) the suite must fail."""

    name: str
    description: str
    checks: set[str]

    @property
    def breaks(self) -> frozenset[str]:
        return frozenset(f"webhook.{name}" for name in self.checks)


def _pair(*names: str) -> set[str]:
    """The wire check and its `_processed` twin, for each forgery named."""
    return {f"{name}{suffix}" for name in names for suffix in ("", "_processed")}


_TWINS = (
    "missing_signature",
    "missing_timestamp",
    "wrong_secret",
    "altered_body",
    "altered_id",
    "altered_timestamp",
    "body_only_signature",
    "non_json_body",
    "stale_timestamp",
    "future_timestamp",
)

_FAULTS = (
    Fault("error-after-processing", "processes a valid delivery, then answers 500", {"valid_accepted"}),
    Fault(
        "ack-without-processing",
        "answers 200 and never processes (a queue nobody reads)",
        {"valid_processed"},
    ),
    Fault(
        "accept-missing-signature",
        "skips verification without X-OpenClaw-Signature",
        _pair("missing_signature"),
    ),
    Fault(
        "accept-missing-timestamp",
        "skips verification without X-OpenClaw-Timestamp",
        _pair("missing_timestamp"),
    ),
    Fault(
        "accept-missing-event-id",
        "takes the event id from the body without the header",
        _pair("missing_event_id"),
    ),
    Fault(
        "no-verification",
        "accepts any signature that is present",
        _pair("wrong_secret", "altered_body", "altered_timestamp", "body_only_signature")
        | {"after_forgery_processed"},
    ),
    Fault("body-only-fallback", "also accepts an HMAC over the raw body alone", _pair("body_only_signature")),
    Fault("id-from-body", "signs and processes with the body's id, not the header's", _pair("altered_id")),
    Fault("no-timestamp-check", "never checks the timestamp", _pair("stale_timestamp", "future_timestamp")),
    Fault("accept-stale", "only refuses timestamps in the future (sign error)", _pair("stale_timestamp")),
    Fault("accept-future", "only refuses old timestamps (no abs())", _pair("future_timestamp")),
    Fault("strict-tolerance", "a 60 s tolerance instead of 300 s", {"tolerance_window"}),
    Fault("first-signature-only", "checks only the first v1= entry", {"rotation_second_matches"}),
    Fault("last-signature-only", "checks only the last v1= entry", {"rotation_first_matches"}),
    Fault(
        "no-dedupe",
        "processes every copy of an event",
        {"duplicate_processed", "redelivery_processed", "concurrent_processed"},
    ),
    Fault(
        "dedupe-by-signature",
        "de-duplicates by signature: a re-signed retry is new",
        {"redelivery_processed"},
    ),
    Fault("racy-dedupe", "looks the id up, awaits, then records it", {"concurrent_processed"}),
    Fault("conflict-on-duplicate", "answers 409 to a duplicate", {"duplicate", "redelivery", "concurrent"}),
    Fault("conflict-in-flight", "answers 409 to a copy while the event is processed", {"concurrent"}),
    Fault("reject-resigned", "refuses a known event with another timestamp (a 'replay')", {"redelivery"}),
    Fault("crash-on-non-json", "answers 500 when the body is not JSON", {"non_json_body"}),
    Fault(
        "crash-on-bad-header",
        "answers 500 to a non-hex signature or non-digit timestamp",
        {"bad_input_no_5xx"},
    ),
    Fault(
        "process-before-verify",
        "processes on arrival, verifies afterwards",
        {f"{name}_processed" for name in _TWINS} | {"after_forgery_processed"},
    ),
    Fault(
        "claim-before-verify",
        "records the id before verifying: a forgery blocks it",
        {"after_forgery_processed"},
    ),
    Fault("reject-unknown-type", "answers 400 to an event type it does not know", {"unknown_type"}),
    Fault(
        "slow-under-load", f"waits {SLOW_S} s while another event's delivery is in progress", {"latency_p95"}
    ),
)
FAULTS: dict[str, Fault] = {fault.name: fault for fault in _FAULTS}


class FaultyReceiver(ref.Receiver):
    """The reference receiver with one named fault."""

    def __init__(self, secrets: list[str], fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
        super().__init__(secrets)
        self.fault = fault
        if fault == "strict-tolerance":
            self.tolerance = 60
        self.first_timestamp: dict[str, str] = {}
        self.in_flight: set[str] = set()
        self.active: list[str] = []  # event ids of the requests in progress

    # -- the flow: the reference's `deliver`, with the faults that change the order of its steps --

    async def deliver(self, request: Request) -> Response:
        header_id = request.headers.get(ID, "")
        self.active.append(header_id)
        try:
            return await self._deliver(request, header_id)
        finally:
            self.active.remove(header_id)

    async def _deliver(self, request: Request, header_id: str) -> Response:
        fault = self.fault
        body = await request.body()
        if fault == "slow-under-load":
            await asyncio.sleep(0.002)  # a short database call: other requests get in meanwhile
            if set(self.active) - {header_id}:  # a table lock: other events wait
                await asyncio.sleep(SLOW_S)
        headers = {name.lower(): value for name, value in request.headers.items()}
        claimed_early = False
        if fault == "process-before-verify" and header_id and self.inbox.claim(header_id):
            self.inbox.done(header_id)
        if fault == "claim-before-verify" and header_id:
            claimed_early = self.inbox.claim(header_id)
        refused = self.verify(headers, body)
        if refused is not None:
            return refused
        if fault == "crash-on-non-json":
            try:
                json.loads(body)
            except ValueError:
                return Response("Internal Server Error", status_code=500)
            except RecursionError:
                pass  # only "not JSON" crashes here; the reference's parse refuses deep nesting
        event = self.parse(headers.get(ID, ""), body)
        if event is None:
            return ref.refuse(400, "not a JSON event")
        event_id = event["id"]
        if fault == "reject-unknown-type" and event["type"] not in KNOWN_TYPES:
            return ref.refuse(400, f"unknown event type {event['type']}")
        if fault == "reject-resigned":
            first = self.first_timestamp.setdefault(event_id, headers[TS])
            if first != headers[TS]:
                return ref.refuse(401, "a known event with another timestamp: replay?")
        if fault == "conflict-in-flight" and event_id in self.in_flight:
            return ref.refuse(409, "this event is being processed")
        if not await self._claim(event_id, headers, claimed_early):
            if fault == "conflict-on-duplicate":
                return ref.refuse(409, "duplicate")
            return JSONResponse({"received": True, "duplicate": True})
        self.in_flight.add(event_id)
        try:
            if fault == "conflict-in-flight":
                await asyncio.sleep(OVERLAP_S)
            await self.process(event)
        finally:
            self.in_flight.discard(event_id)
        if fault == "error-after-processing":
            return Response("Internal Server Error", status_code=500)
        return JSONResponse({"received": True})

    async def _claim(self, event_id: str, headers: Mapping[str, str], claimed_early: bool) -> bool:
        fault = self.fault
        if fault == "claim-before-verify":
            return claimed_early
        if fault == "no-dedupe":
            return True
        if fault == "dedupe-by-signature":
            return bool(self.inbox.claim(headers[SIG]))
        if fault == "racy-dedupe":
            seen = event_id in self.inbox._claimed
            await asyncio.sleep(OVERLAP_S)
            self.inbox.claim(event_id)
            return not seen
        return bool(self.inbox.claim(event_id))

    # -- the steps, each overridden by the faults that break it --------------------------------------

    def verify(self, headers: Mapping[str, str], body: bytes) -> Response | None:
        fault = self.fault
        if fault == "accept-missing-signature" and not headers.get(SIG):
            return None
        if fault == "accept-missing-timestamp" and not headers.get(TS):
            return None
        if fault == "accept-missing-event-id" and not headers.get(ID):
            headers = {**headers, ID: _body_id(body)}
        if fault == "crash-on-bad-header":
            timestamp, signature = headers.get(TS, "0"), headers.get(SIG, "")
            try:
                int(timestamp)
                for entry in signature.split(" "):
                    version, _, value = entry.partition("=")
                    if version == "v1":
                        bytes.fromhex(value)
                        assert len(value) == 64
            except (ValueError, AssertionError):
                return Response("Internal Server Error", status_code=500)
        result: Response | None = super().verify(headers, body)
        return result

    def signature_matches(self, event_id: str, timestamp: str, body: bytes, header: str) -> bool:
        fault = self.fault
        if fault == "no-verification":
            return True
        if fault == "id-from-body":
            event_id = _body_id(body)
        if fault in ("first-signature-only", "last-signature-only"):
            entries = header.split(" ")
            header = entries[0] if fault == "first-signature-only" else entries[-1]
        if fault == "body-only-fallback":
            body_only = ref.hmac.new(self.secrets[0].encode(), body, ref.hashlib.sha256).hexdigest()
            if body_only in ref.v1_signatures(header):
                return True
        return bool(super().signature_matches(event_id, timestamp, body, header))

    def fresh(self, timestamp: int) -> bool:
        skew = self.clock() - timestamp
        if self.fault == "no-timestamp-check":
            return True
        if self.fault == "accept-stale":
            return -skew <= self.tolerance
        if self.fault == "accept-future":
            return skew <= self.tolerance
        return bool(super().fresh(timestamp))

    def parse(self, event_id: str, body: bytes) -> dict[str, Any] | None:
        if self.fault == "id-from-body" or (self.fault == "accept-missing-event-id" and not event_id):
            event_id = _body_id(body)
        result: dict[str, Any] | None = super().parse(event_id, body)
        return result

    async def process(self, event: dict[str, Any]) -> None:
        if self.fault == "ack-without-processing":
            return
        await super().process(event)


def _body_id(body: bytes) -> str:
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    found = event.get("id") if isinstance(event, dict) else None
    return found if isinstance(found, str) else ""


def receiver(fault: str | None = None, secret: str = SECRET) -> Any:
    """The reference receiver, or a faulty variant of it."""
    return ref.Receiver([secret]) if fault is None else FaultyReceiver([secret], fault)


@contextmanager
def serve(app_receiver: Any) -> Iterator[ASGIServer]:
    with ASGIServer(app_receiver.app()) as server:
        yield server


def settings_for(
    server: ASGIServer, *, probe: bool = True, secret: str = SECRET, **bounds: Any
) -> ReceiverSettings:
    template = server.base_url + ref.PROBE_PATH if probe else None
    return resolve_settings(url=server.base_url + ref.WEBHOOK_PATH, secret=secret, probe=template, **bounds)
