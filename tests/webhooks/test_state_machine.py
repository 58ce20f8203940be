"""Random interleavings of deliveries against the reference receiver; the probe's counts stay exact.

Valid, duplicate, re-signed, stale or future, forged and concurrent deliveries of a few
events, in any order: after every step each touched event is processed exactly once if a
genuine in-window delivery of it was ever sent, else never. The same machine against a
receiver that does not de-duplicate must fail, or it proves nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, rule, run_state_machine_as_test

from clawcheck.serving import ASGIServer
from clawcheck.webhooks import Delivery, Probe, Sender
from clawcheck.webhooks.sender import SIGNATURE_HEADER, TIMESTAMP_HEADER, other_secret

from .receivers import receiver, serve, settings_for

BOUNDED = settings(
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class DeliveryMachine(RuleBasedStateMachine):
    """The model: event id -> how often it must have been processed (0 or 1)."""

    events = Bundle("events")

    def __init__(self, sender: Sender, probe: Probe) -> None:
        super().__init__()
        self.sender = sender
        self.probe = probe
        self.first: dict[str, Delivery] = {}  # the first genuine delivery of each event
        self.expected: dict[str, int] = {}
        self.attempts: dict[str, int] = {}

    def _sign(
        self, event_id: str, *, timestamp: int | None = None, keys: list[str] | None = None
    ) -> Delivery:
        """The event's next attempt, signed now (or at `timestamp`), with the same body."""
        self.attempts[event_id] += 1
        return self.sender.delivery(
            event_id,
            timestamp=timestamp,
            attempt=self.attempts[event_id],
            body=self.first[event_id].body,
            keys=keys,
        )

    def _observe(self, event_id: str) -> None:
        assert self.probe.count(event_id) == self.expected[event_id], (event_id, self.expected[event_id])

    @rule(target=events)
    def valid(self) -> str:
        delivery = self.sender.delivery()
        event_id = delivery.event_id
        self.first[event_id], self.attempts[event_id] = delivery, 1
        assert self.sender.send(delivery).accepted
        self.expected[event_id] = 1
        self._observe(event_id)
        return event_id

    @rule(target=events)
    def forged_first(self) -> str:
        """An event whose first delivery is a forgery: it must leave no trace."""
        genuine = self.sender.delivery()
        event_id = genuine.event_id
        self.first[event_id], self.attempts[event_id] = genuine, 1
        forged = self.sender.delivery(
            event_id, timestamp=genuine.timestamp, body=genuine.body, keys=[other_secret()]
        )
        assert self.sender.send(forged).rejected
        self.expected[event_id] = 0
        self._observe(event_id)
        return event_id

    @rule(event_id=events)
    def duplicate(self, event_id: str) -> None:
        """The event's first genuine delivery, byte for byte (after a forgery: for the first time)."""
        assert self.sender.send(self.first[event_id]).accepted
        self.expected[event_id] = 1
        self._observe(event_id)

    @rule(event_id=events)
    def redelivered(self, event_id: str) -> None:
        assert self.sender.send(self._sign(event_id)).accepted
        self.expected[event_id] = 1
        self._observe(event_id)

    @rule(event_id=events, offset=st.integers(301, 3600), future=st.booleans())
    def outside_window(self, event_id: str, offset: int, future: bool) -> None:
        stamp = int(time.time()) + (offset + 1 if future else -offset)
        assert self.sender.send(self._sign(event_id, timestamp=stamp)).rejected
        self._observe(event_id)

    @rule(event_id=events, how=st.sampled_from(["secret", "body", "timestamp"]))
    def forged(self, event_id: str, how: str) -> None:
        delivery = self._sign(event_id)
        if how == "secret":
            delivery = self._sign(event_id, keys=[other_secret()])
        elif how == "body":
            delivery = delivery.with_body(delivery.body.replace(b'"created"', b'"cancelled"'))
        else:
            delivery = delivery.with_headers({TIMESTAMP_HEADER: str(delivery.timestamp - 1)})
        assert delivery.headers[SIGNATURE_HEADER]
        assert self.sender.send(delivery).rejected
        self._observe(event_id)

    @rule(event_id=events, copies=st.integers(2, 6))
    def concurrent(self, event_id: str, copies: int) -> None:
        delivery = self._sign(event_id)
        answers = self.sender.send_together([replace(delivery) for _ in range(copies)])
        assert all(answer.accepted for answer in answers), [a.answer() for a in answers]
        self.expected[event_id] = 1
        self._observe(event_id)

    def teardown(self) -> None:
        for event_id in self.expected:
            self._observe(event_id)


def run_machine(server: ASGIServer, bounds: settings) -> None:
    config = settings_for(server, settle=0.0)
    sender, probe = Sender(config), Probe(config)  # shared by every example: clients are not free
    try:
        run_state_machine_as_test(lambda: DeliveryMachine(sender, probe), settings=bounds)
    finally:
        sender.close()
        probe.close()


@pytest.fixture
def reference() -> Iterator[ASGIServer]:
    with serve(receiver()) as server:
        yield server


def test_processed_counts_stay_exact_on_the_reference_receiver(reference: ASGIServer) -> None:
    run_machine(reference, BOUNDED)


def test_the_machine_catches_a_receiver_that_does_not_deduplicate() -> None:
    with serve(receiver("no-dedupe")) as server, pytest.raises(AssertionError):
        run_machine(server, settings(BOUNDED, phases=[Phase.generate], print_blob=False))
