"""The OpenClaw contract suite, as pytest tests. Collected from `contracts/` and by `clawcheck contract`.

Fixtures come from the clawcheck pytest plugin: `--target URL` (default: an embedded
sandbox), credentials from options or OPENCLAW_* variables.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.errors import NoLinksFound

from clawcheck.contract.checks import CHECKS, CheckKind, NotVerifiable, load_all
from clawcheck.contract.run import ContractRun
from clawcheck.contract.stateful import build_state_machine

load_all()
SCENARIOS = [c.id for c in CHECKS if c.kind is CheckKind.SCENARIO]

schema = schemathesis.pytest.from_fixture("clawcheck_schema")


@schema.parametrize()
def test_operation(case: Any, clawcheck_run: ContractRun) -> None:
    """Every operation, with generated valid and invalid requests, against every check."""
    response, attempts = clawcheck_run.call(case)
    clawcheck_run.verify(case, response, attempts)


def test_stateful(clawcheck_schema: Any, clawcheck_run: ContractRun) -> None:
    """Sequences along the spec's links: create -> read -> pay -> ship -> cancel/refund,
    reserve -> release."""
    machine = build_state_machine(clawcheck_schema, clawcheck_run)
    examples = int(clawcheck_run.extra_metrics.get("examples_per_operation", 25))
    try:
        machine.run(
            settings=settings(
                max_examples=max(5, examples),
                stateful_step_count=8,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
                phases=list(Phase) if clawcheck_run.shrink else [p for p in Phase if p is not Phase.shrink],
            )
        )
    except NoLinksFound:
        pytest.skip("no links between the selected operations: nothing to chain")


@pytest.mark.parametrize("check_id", SCENARIOS)
def test_scenario(check_id: str, clawcheck_run: ContractRun) -> None:
    """Behaviour that needs its own traffic: rate-limit bursts, expired tokens, concurrent stock."""
    try:
        clawcheck_run.scenario(check_id)
    except NotVerifiable as reason:
        pytest.skip(f"{check_id}: {reason}")
