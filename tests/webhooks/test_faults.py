"""Every check has a receiver that breaks it: the suite fails with exactly the fault's check ids.

One faulty variant of the reference receiver per test, in-process on a free loopback port.
The burst is small (8 deliveries) and the probe settles quickly, so each run takes well
under a second; the reference receiver's own run uses the real bounds.
"""

from __future__ import annotations

import pytest

from clawcheck.core.results import Status
from clawcheck.webhooks import check_ids, run_suite

from .receivers import FAULTS, receiver, serve, settings_for

FAST = {"burst": 8, "settle": 0.3}


def test_every_check_has_a_fault_that_breaks_it() -> None:
    broken = set().union(*(fault.breaks for fault in FAULTS.values()))
    assert set(check_ids()) - broken == set()
    assert broken - set(check_ids()) == set()


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_fails_exactly_its_checks(name: str) -> None:
    fault = FAULTS[name]
    with serve(receiver(name)) as server:
        result = run_suite(settings_for(server, **FAST))
    failed = {record.id for record in result.failed()}
    details = {r.id: r.message for r in result.checks if r.status is Status.FAIL}
    assert failed == fault.breaks, details
    assert not result.passed
    for record in result.failed():
        assert record.evidence, record.id
        assert "curl" in record.evidence or "probe_url" in record.evidence, record.id
