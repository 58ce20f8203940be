"""Secret rotation: both signatures during the overlap, only the new one after it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from clawcheck.sandbox import Sandbox
from clawcheck.signing import SignatureError, verify_openclaw

from .conftest import Api, FakeClock, error_of, new_key
from .receiver import Arrival, Receiver
from .test_delivery import quick

OLD = "old-secret-0123456789abcdef"
NEW = "new-secret-0123456789abcdef"


class Rig:
    """A shop on a sandbox with a frozen clock, a receiver, and a subscription to it signed with OLD."""

    def __init__(self, api: Api, receiver: Receiver, clock: FakeClock) -> None:
        self.api, self.receiver, self.clock = api, receiver, clock
        self.sub = api.subscribe(receiver.url, ["order.created"], secret=OLD)
        self.path = f"/v2/webhooks/subscriptions/{self.sub['subscription_id']}/rotate-secret"

    def rotate(self, body: Any = None, *, key: str | None = None) -> dict[str, Any]:
        response = self.api.post(self.path, body, key=key)
        assert response.status_code == 200, response.text
        assert "X-OpenClaw-Trace-Id" in response.headers
        rotated: dict[str, Any] = response.json()
        return rotated

    def deliver_one(self) -> Arrival:
        """Cause one event and return its delivery."""
        order_id = self.api.create_order()["order_id"]
        self.receiver.wait_for(lambda r: any(a.json()["data"]["order_id"] == order_id for a in r.arrivals))
        (arrival,) = [a for a in self.receiver.arrivals if a.json()["data"]["order_id"] == order_id]
        return arrival


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Sandbox, Receiver, FakeClock]]:
    clock = FakeClock()
    with Receiver() as receiver, Sandbox(quick(clock=clock)) as sandbox:
        yield sandbox, receiver, clock


@pytest.fixture
def rig(servers: tuple[Sandbox, Receiver, FakeClock]) -> Iterator[Rig]:
    """A shop of its own per test, so events of one test never reach another's subscription."""
    sandbox, receiver, clock = servers
    api = Api(sandbox.base_url, shop=f"shop_rotation_{next(_shops)}")
    yield Rig(api, receiver, clock)
    api.close()


_shops = itertools.count()


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_by(arrival: Arrival, entry: str, secret: str) -> bool:
    """Whether one `v1=` entry of the signature header verifies with `secret`."""
    headers = {**arrival.headers, "x-openclaw-signature": entry}
    try:
        verify_openclaw(secret, headers, arrival.body, now=arrival.timestamp)
    except SignatureError:
        return False
    return True


def entries(arrival: Arrival) -> list[str]:
    return arrival.headers["x-openclaw-signature"].split(" ")


def test_overlap_signs_with_both_secrets_then_only_the_new_one(rig: Rig) -> None:
    before = rig.deliver_one()
    (entry,) = entries(before)
    assert signed_by(before, entry, OLD)
    rotated = rig.rotate({"secret": NEW, "overlap_seconds": 60})
    assert rotated["secret"] == NEW
    assert rotated["previous_secret_expires_at"] == iso(rig.clock.now + 60)
    assert {k: v for k, v in rotated.items() if k not in ("secret", "previous_secret_expires_at")} == (
        rig.api.get(f"/v2/webhooks/subscriptions/{rig.sub['subscription_id']}").json()
    )

    during = rig.deliver_one()
    new_entry, old_entry = entries(during)
    assert (signed_by(during, new_entry, NEW), signed_by(during, new_entry, OLD)) == (True, False)
    assert (signed_by(during, old_entry, OLD), signed_by(during, old_entry, NEW)) == (True, False)
    verify_openclaw(OLD, during.headers, during.body, now=during.timestamp)  # receivers on either secret
    verify_openclaw(NEW, during.headers, during.body, now=during.timestamp)

    rig.clock.advance(60)
    after = rig.deliver_one()
    (only,) = entries(after)
    assert signed_by(after, only, NEW)
    with pytest.raises(SignatureError):
        verify_openclaw(OLD, after.headers, after.body, now=after.timestamp)


def test_rotation_without_a_body_generates_a_secret_and_overlaps_a_day(rig: Rig) -> None:
    key = new_key()
    rotated = rig.rotate(key=key)
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != OLD
    assert rotated["previous_secret_expires_at"] == iso(rig.clock.now + 86_400)
    replay = rig.api.post(rig.path, key=key)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == rotated  # the same secret again, and no second rotation:
    arrival = rig.deliver_one()
    assert len(entries(arrival)) == 2
    verify_openclaw(rotated["secret"], arrival.headers, arrival.body, now=arrival.timestamp)
    verify_openclaw(OLD, arrival.headers, arrival.body, now=arrival.timestamp)


def test_zero_overlap_retires_the_old_secret_at_once(rig: Rig) -> None:
    rotated = rig.rotate({"secret": NEW, "overlap_seconds": 0})
    assert rotated["previous_secret_expires_at"] is None
    arrival = rig.deliver_one()
    assert len(entries(arrival)) == 1
    assert signed_by(arrival, entries(arrival)[0], NEW)


def test_rotations_in_quick_succession_keep_every_secret_in_its_overlap(rig: Rig) -> None:
    rig.rotate({"secret": NEW, "overlap_seconds": 100})
    third = "third-secret-0123456789abcdef"
    rig.rotate({"secret": third, "overlap_seconds": 10})
    arrival = rig.deliver_one()
    signatures = entries(arrival)
    assert [signed_by(arrival, e, s) for e, s in zip(signatures, (third, NEW, OLD), strict=True)] == [
        True
    ] * 3
    rig.clock.advance(50)  # NEW's overlap (10 s) is over, OLD's (100 s) is not
    later = rig.deliver_one()
    assert [signed_by(later, e, s) for e, s in zip(entries(later), (third, OLD), strict=True)] == [True] * 2


@pytest.mark.parametrize(
    "body",
    [
        {"overlap_seconds": -1},
        {"overlap_seconds": 604_801},
        {"overlap_seconds": "60"},
        {"overlap_seconds": True},
        {"secret": "too-short"},
        {"secret": "x" * 129},
        {"secret": None},
        {"expires": 60},
        [],
    ],
)
def test_rotation_validates_its_body(rig: Rig, body: Any) -> None:
    response = rig.api.post(rig.path, body)
    assert (response.status_code, error_of(response)["code"]) == (400, "VALIDATION_ERROR")


def test_rotation_of_an_unknown_subscription_is_404(rig: Rig) -> None:
    response = rig.api.post("/v2/webhooks/subscriptions/sub_missing/rotate-secret", {"secret": NEW})
    assert (response.status_code, error_of(response)["code"]) == (404, "SUBSCRIPTION_NOT_FOUND")


def test_rotation_needs_an_idempotency_key(rig: Rig) -> None:
    response = rig.api.http.post(rig.path, headers=rig.api.headers(), json={"secret": NEW})
    assert (response.status_code, error_of(response)["code"]) == (400, "IDEMPOTENCY_KEY_REQUIRED")
