"""The webhook receiver conformance suite as pytest tests: one test per registered check.

    pytest suites/test_webhook_receiver.py                           # the reference receiver
    OPENCLAW_WEBHOOK_SECRET=... pytest suites/test_webhook_receiver.py \
        --receiver-url https://staging.example.com/webhooks/openclaw \
        --receiver-probe 'https://staging.example.com/probe/{event_id}'

The checks are the ones `clawcheck webhooks` runs (src/clawcheck/webhooks/checks/); a check
that cannot be judged (no probe, a failed premise) is skipped with the reason, never passed.
"""

from __future__ import annotations

import pytest

from clawcheck.core.results import Status
from clawcheck.errors import ContractFailure
from clawcheck.webhooks import Context, check_ids, run_check


@pytest.mark.parametrize("check_id", check_ids())
def test_receiver(check_id: str, webhook_context: Context) -> None:
    __tracebackhide__ = True
    record = run_check(webhook_context, check_id)
    if record.status is Status.SKIP:
        pytest.skip(f"{check_id}: {record.message}")
    if record.status is Status.FAIL:
        lines = [f"{check_id}: {record.message}"]
        if curl := record.evidence.get("curl"):
            lines.append(f"reproduce: {curl}")
        raise ContractFailure("\n".join(lines), (check_id,))
