"""A real webhook receiver for delivery tests: records every attempt, answers as the test says.

    with Receiver(answer=fail_first(2)) as receiver:
        ...subscribe receiver.url, cause events...
        receiver.wait_for(lambda r: len(r.processed) == 3)

`answer` is an async function of the `Arrival` returning the status to answer; it may
hold the attempt until a `threading.Event` is set (a slow or blocked receiver). The receiver
dedupes by event id like a conforming one: `processed` lists each id once, in the order
first answered 2xx.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clawcheck.serving import ASGIServer

Answer = Callable[["Arrival"], Awaitable[int]]
WAIT = 10.0  # seconds any condition may take before a test fails


@dataclass(frozen=True)
class Arrival:
    """One attempt as the receiver saw it; header names lower-case."""

    headers: dict[str, str]
    body: bytes

    @property
    def event_id(self) -> str:
        return self.headers["x-openclaw-event-id"]

    @property
    def attempt(self) -> int:
        return int(self.headers["x-openclaw-delivery-attempt"])

    @property
    def timestamp(self) -> int:
        return int(self.headers["x-openclaw-timestamp"])

    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


async def accept(arrival: Arrival) -> int:
    return 200


def fail_first(attempts: int, status: int = 500) -> Answer:
    """Answer `status` to the first `attempts` attempts of every event, then 200."""

    async def answer(arrival: Arrival) -> int:
        return status if arrival.attempt <= attempts else 200

    return answer


def block_until(release: threading.Event) -> Answer:
    """Hold every attempt until the test sets `release` (past the sender's timeout, if it is short)."""

    async def answer(arrival: Arrival) -> int:
        deadline = time.monotonic() + WAIT
        while not release.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.005)  # on the receiver's loop: no thread per held attempt
        return 200

    return answer


class Receiver:
    """A Starlette app on `ASGIServer` (a real port) that records what it receives."""

    def __init__(self, answer: Answer = accept, *, port: int = 0) -> None:
        self.answer = answer
        self.arrivals: list[Arrival] = []
        self.processed: list[str] = []  # event ids, each once
        self.answered: list[tuple[str, int]] = []  # (event id, status) in the order answered
        self.in_flight = 0
        self.most_in_flight = 0
        self._changed = threading.Condition()
        app = Starlette(routes=[Route("/hooks", self._receive, methods=["POST"])])
        self.server = ASGIServer(app, port=port)

    @property
    def url(self) -> str:
        return f"{self.server.base_url}/hooks"

    async def _receive(self, request: Request) -> Response:
        arrival = Arrival({k.lower(): v for k, v in request.headers.items()}, await request.body())
        with self._changed:
            self.arrivals.append(arrival)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self._changed.notify_all()
        try:
            status = await self.answer(arrival)
        finally:
            with self._changed:
                self.in_flight -= 1
        with self._changed:
            if 200 <= status < 300 and arrival.event_id not in self.processed:
                self.processed.append(arrival.event_id)
            self.answered.append((arrival.event_id, status))
            self._changed.notify_all()
        return Response(status_code=status)

    def wait_for(self, condition: Callable[[Receiver], bool], timeout: float = WAIT) -> None:
        """Block until `condition(self)` holds; fail the test after `timeout` seconds."""
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self), timeout):
                raise AssertionError(
                    f"receiver condition not met within {timeout} s; arrivals: "
                    f"{[(a.event_id, a.attempt) for a in self.arrivals]}, processed: {self.processed}"
                )

    def attempts_of(self, event_id: str) -> list[Arrival]:
        with self._changed:
            return [a for a in self.arrivals if a.event_id == event_id]

    def __enter__(self) -> Receiver:
        self.server.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.server.stop()


def eventually(probe: Callable[[], Any], timeout: float = WAIT, what: str = "condition") -> Any:
    """Poll `probe` until it returns something truthy, and return that; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout} s; last seen: {found!r}")
        time.sleep(0.01)
