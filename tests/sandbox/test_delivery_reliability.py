"""At-least-once: a receiver that fails, stalls or is down still gets every event, exactly once by id.

The sandbox retries within milliseconds here (`quick`), and its clock ticks one second per
read (`TickingClock`), so every attempt's signing time is visibly new.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from clawcheck.sandbox import Sandbox
from clawcheck.signing import verify_openclaw

from .conftest import Api, FakeClock, TickingClock
from .receiver import Receiver, block_until, eventually, fail_first
from .test_delivery import SECRET, quick, settled

EVENTS = ["order.created", "order.paid"]


@contextmanager
def sandbox_api(**config: Any) -> Iterator[Api]:
    with Sandbox(quick(clock=TickingClock(), **config)) as sandbox:
        api = Api(sandbox.base_url)
        try:
            yield api
        finally:
            api.close()


def cause_events(api: Api) -> int:
    """Three events: two orders created, one paid."""
    first = api.create_order()
    api.create_order()
    assert api.post(f"/v2/orders/{first['order_id']}/pay").status_code == 200
    return 3


def log_when(api: Api, sub_id: str, count: int, condition: Callable[[dict[str, Any]], bool]) -> list[Any]:
    def probe() -> list[dict[str, Any]] | None:
        log = api.deliveries(sub_id)
        return log if len(log) == count and all(condition(d) for d in log) else None

    found: list[Any] = eventually(probe, what="delivery log condition")
    return found


def assert_recovered(receiver: Receiver, log: list[dict[str, Any]], *, retried_at_least: int) -> None:
    """Every event delivered after retries, processed once, every attempt numbered, fresh and signed."""
    assert {d["status"] for d in log} == {"delivered"}
    assert all(d["attempts"] > retried_at_least for d in log), log
    assert all((d["last_status_code"], d["last_error"]) == (200, None) for d in log)
    ids = [d["event_id"] for d in log]
    assert sorted(receiver.processed) == sorted(ids)  # each once: the receiver dedupes by id
    for entry in log:
        arrivals = receiver.attempts_of(entry["event_id"])
        assert len(arrivals) > 1 or arrivals[0].attempt > 1
        numbers = [a.attempt for a in arrivals]
        assert numbers == sorted(set(numbers))
        assert numbers[-1] == entry["attempts"]
        stamps = [a.timestamp for a in arrivals]
        assert stamps == sorted(set(stamps)), "every attempt is signed at a new time"
        assert len({a.body for a in arrivals}) == 1  # the same event, byte for byte
        for arrival in arrivals:
            assert arrival.event_id == arrival.json()["id"] == entry["event_id"]
            verify_openclaw(SECRET, arrival.headers, arrival.body, now=arrival.timestamp)


def test_a_receiver_answering_500_gets_every_event() -> None:
    with Receiver(fail_first(3)) as receiver, sandbox_api() as api:
        sub = api.subscribe(receiver.url, EVENTS, secret=SECRET)
        count = cause_events(api)
        log = settled(api, sub["subscription_id"], count)
        assert_recovered(receiver, log, retried_at_least=3)
        for entry in log:
            statuses = [s for i, s in receiver.answered if i == entry["event_id"]]
            assert statuses == [500, 500, 500, 200]


def test_a_receiver_slower_than_the_timeout_gets_every_event() -> None:
    release = threading.Event()
    with Receiver(block_until(release)) as receiver, sandbox_api(webhook_timeout=0.15) as api:
        try:
            sub = api.subscribe(receiver.url, EVENTS, secret=SECRET)
            count = cause_events(api)
            stalled = log_when(api, sub["subscription_id"], count, lambda d: d["attempts"] >= 3)
            assert all(d["status"] == "pending" for d in stalled)
            # Every attempt so far timed out: the log says so (in flight or not, the last error stays).
            assert {(d["last_status_code"], d["last_error"]) for d in stalled} == {
                (None, "no answer within 0.15 s")
            }
        finally:
            release.set()  # the receiver answers promptly from now on
        log = settled(api, sub["subscription_id"], count)
        assert_recovered(receiver, log, retried_at_least=2)


def test_a_receiver_that_is_down_gets_every_event_when_it_is_back_on_its_port() -> None:
    with sandbox_api() as api:
        with Receiver() as receiver:
            port = receiver.server.port
            sub = api.subscribe(receiver.url, EVENTS, secret=SECRET)
            api.create_order()
            settled(api, sub["subscription_id"], 1)  # up: delivered at once
        with socket.socket() as placeholder:  # down: the port stays ours, and refuses connections
            placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            placeholder.bind(("127.0.0.1", port))
            count = 1 + cause_events(api)
            down = log_when(
                api, sub["subscription_id"], count, lambda d: d["attempts"] >= 3 or d["status"] != "pending"
            )
            for entry in down[:-1]:
                assert (entry["status"], entry["last_status_code"]) == ("pending", None)
                assert entry["last_error"].startswith("could not connect"), entry["last_error"]
        with Receiver(port=port) as back:
            log = settled(api, sub["subscription_id"], count)
            assert_recovered(back, log[:-1], retried_at_least=2)
            assert all(back.attempts_of(d["event_id"])[0].attempt >= 4 for d in log[:-1])
            assert log[-1]["attempts"] == 1  # the one delivered before the outage


def test_a_delivery_that_never_succeeds_fails_after_the_retention() -> None:
    clock = FakeClock()
    with Receiver(fail_first(10**9, status=503)) as receiver:
        with Sandbox(quick(clock=clock, webhook_retention=3600.0)) as sandbox:
            api = Api(sandbox.base_url)
            sub = api.subscribe(receiver.url, ["order.created"], secret=SECRET)
            api.create_order()
            (retrying,) = log_when(api, sub["subscription_id"], 1, lambda d: d["attempts"] >= 2)
            assert (retrying["status"], retrying["last_status_code"]) == ("pending", 503)
            assert retrying["last_error"] == "the receiver answered HTTP 503; only 2xx counts as delivered"
            clock.advance(3600.0)
            (failed,) = settled(api, sub["subscription_id"], 1)
            assert (failed["status"], failed["delivered_at"], failed["next_attempt_at"]) == (
                "failed",
                None,
                None,
            )
            assert failed["last_status_code"] == 503
            api.close()
        assert receiver.processed == []


def test_deleting_a_subscription_stops_its_retries() -> None:
    with Receiver(fail_first(10**9)) as receiver, sandbox_api() as api:
        sub = api.subscribe(receiver.url, ["order.created"], secret=SECRET)
        api.create_order()
        receiver.wait_for(lambda r: len(r.arrivals) >= 2)
        assert api.delete(f"/v2/webhooks/subscriptions/{sub['subscription_id']}").status_code == 204
        gone = api.get(f"/v2/webhooks/subscriptions/{sub['subscription_id']}/deliveries")
        assert gone.status_code == 404
