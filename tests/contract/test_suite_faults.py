"""The contract suite judged by its own sandbox: the clean one passes every check, and each
fault switch, which breaks exactly one rule, makes the suite fail with that rule's check id.

Each run is a real `pytest` process, as a user runs it in CI: the clawcheck plugin starts
an embedded sandbox (with `--sandbox-fault`) on a loopback port, and the suite writes the
results document that the assertions read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clawcheck.contract import suite
from clawcheck.contract.checks import CHECKS, load_all
from clawcheck.sandbox import FAULTS

load_all()
# A slice that exercises every harness check quickly: an order create (idempotency, auth,
# date-times, errors) and an inventory adjust (stock levels), plus every scenario.
FAST_SLICE = ("--operation", "POST /v2/orders/create", "--operation", "POST /v2/inventory/adjust")


def run_suite(
    tmp_path: Path, *args: str, examples: int = 3, shrink: bool = False
) -> tuple[int, dict[str, Any], str]:
    results = tmp_path / "results.json"
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    command = [
        sys.executable, "-m", "pytest", suite.__file__,
        "-c", str(ini), "--rootdir", str(tmp_path), "-p", "no:cacheprovider", "-q",
        "--examples", str(examples), "--clawcheck-json", str(results), *args,
    ]  # fmt: skip
    if not shrink:
        command.append("--no-shrink")
    env = {"HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / "hypothesis")}
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=600, cwd=tmp_path, env={**_base_env(), **env}
    )
    assert results.exists(), (
        f"no results document; pytest said:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"
    )
    return proc.returncode, json.loads(results.read_text(encoding="utf-8")), proc.stdout


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("OPENCLAW_", "PYTEST_ADDOPTS"))}


def failing_ids(document: dict[str, Any]) -> set[str]:
    return {check["id"] for check in document["checks"] if check["status"] == "fail"}


def test_clean_sandbox_passes_every_check(tmp_path: Path) -> None:
    code, document, output = run_suite(tmp_path)
    assert code == 0, output[-3000:]
    assert document["passed"] is True
    assert document["complete"] is True
    assert failing_ids(document) == set()
    # Every harness check was exercised and passed somewhere: none is merely skipped.
    passed = {c["id"] for c in document["checks"] if c["status"] == "pass"}
    assert {c.id for c in CHECKS} <= passed
    assert len(document["metrics"]["cases_per_operation"]) == 22
    assert document["metrics"]["cases"] > 100


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=str)
def test_each_fault_fails_with_its_check_id(tmp_path: Path, fault: str) -> None:
    check_id = FAULTS[fault].check_id
    assert check_id in CHECKS  # every fault names a registered check
    code, document, output = run_suite(tmp_path, *FAST_SLICE, "--sandbox-fault", fault)
    assert code == 1, output[-3000:]
    assert document["passed"] is False
    assert check_id in failing_ids(document), (fault, failing_ids(document))
    assert f"[{check_id}]" in output  # pytest shows the check id with the failure
    failure = next(c for c in document["checks"] if c["id"] == check_id and c["status"] == "fail")
    assert failure["message"]
    curl = failure["evidence"].get("curl", "")
    assert curl.startswith("curl "), failure  # a reproducible request is part of the evidence
    assert "$OPENCLAW_TOKEN" in curl or "Authorization" not in curl


def test_every_check_has_a_fault_that_breaks_it() -> None:
    broken = {fault.check_id for fault in FAULTS.values()}
    scenario_companions = {"inventory.concurrency"}  # broken by racy-inventory together with non_negative
    assert {c.id for c in CHECKS} - scenario_companions <= broken


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(FAULTS), ids=str)
def test_each_fault_is_found_by_the_whole_suite(tmp_path: Path, fault: str) -> None:
    """Slow tier: the whole suite (every operation, stateful, shrinking on) finds each fault."""
    code, document, output = run_suite(tmp_path, "--sandbox-fault", fault, examples=10, shrink=True)
    assert code == 1, output[-3000:]
    assert FAULTS[fault].check_id in failing_ids(document)
