"""Checklist items from suite records (`derive_items`), waivers and the acceptance verdict."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from clawcheck.accept.items import OperationInfo, derive_items
from clawcheck.accept.run import _apply_waivers, operations_of
from clawcheck.core.checklist import Checklist, ChecklistItem, ItemStatus, Waiver
from clawcheck.core.results import CheckRecord, Status, SuiteResult
from clawcheck.spec.loader import bundled_spec_path

CREATE = "POST /v2/orders/create"  # x-priority 1
CONFIRM = "POST /v2/shipments/confirm"  # x-priority 1
LIST = "GET /v2/orders"
GET = "GET /v2/orders/{order_id}"
PRIORITY_IDS = ("createOrder", "adjustInventory", "confirmShipment")


@pytest.fixture(scope="module")
def operations() -> list[OperationInfo]:
    return operations_of(bundled_spec_path())


def suite(name: str, *checks: CheckRecord, complete: bool = True) -> SuiteResult:
    return SuiteResult(
        name,
        "http://127.0.0.1:1",
        "2026-01-01T00:00:00.000Z",
        "2026-01-01T00:00:01.000Z",
        checks,
        {},
        complete,
    )


def rec(
    check_id: str,
    status: Status,
    operation: str | None = None,
    message: str = "",
    evidence: Mapping[str, Any] | None = None,
) -> CheckRecord:
    return CheckRecord(check_id, f"title of {check_id}", status, message, evidence or {}, operation)


def sla(aspect: str, operation: str, verdict: str, status: Status, message: str = "") -> CheckRecord:
    evidence = {
        "verdict": verdict,
        "samples": 2303,
        "observed": 9.1,
        "threshold": 800.0,
        "ci_low": 8.6,
        "ci_high": 9.9,
        "confidence": 0.95,
    }
    return rec(aspect, status, operation, message or f"{verdict}: {aspect} of {operation}", evidence)


def by_id(items: list[ChecklistItem]) -> dict[str, ChecklistItem]:
    return {item.id: item for item in items}


# --- the operations of the bundled spec -------------------------------------------------------


def test_operations_of_bundled_spec(operations: list[OperationInfo]) -> None:
    names = {op.name: op for op in operations}
    assert len(names) == len(operations) == 22
    assert names[CREATE].operation_id == "createOrder"
    assert {op.operation_id for op in operations if op.priority == 1} == set(PRIORITY_IDS)
    assert all(op.p95_ms == 800.0 and op.success_rate == 0.995 for op in operations)


# --- per-operation contract items -------------------------------------------------------------


def test_contract_item_per_operation(operations: list[OperationInfo]) -> None:
    contract = suite(
        "contract",
        rec("errors.envelope", Status.PASS, CREATE),
        rec("datetime.utc", Status.FAIL, CREATE, "created_at is not UTC"),
        rec("auth.missing", Status.FAIL, CREATE),
        rec("auth.missing", Status.PASS, LIST),
        rec("errors.envelope", Status.WARN, LIST),
        rec("schemathesis.not_a_server_error", Status.SKIP, GET),
    )
    items = by_id(derive_items({"contract": contract}, operations))

    create = items["op.createOrder.contract"]
    assert create.status is ItemStatus.FAIL
    assert create.required
    assert create.stage == "contract"
    assert create.operation == CREATE
    assert create.measured == {"checks": 3, "failed": ["auth.missing", "datetime.utc"]}
    assert "auth.missing" in create.message
    assert "datetime.utc" in create.message
    assert create.evidence == (f"suites/contract.json#operation={CREATE}",)

    listing = items["op.listOrders.contract"]
    assert listing.status is ItemStatus.PASS
    assert listing.measured == {"checks": 2, "failed": []}

    # Only skipped records: not run (never pass), and still required: conformance was not shown.
    skipped = items["op.getOrder.contract"]
    assert skipped.status is ItemStatus.NOT_RUN
    assert skipped.required

    # An operation no record is about is present, not run and required.
    confirm = items["op.confirmShipment.contract"]
    assert confirm.status is ItemStatus.NOT_RUN
    assert confirm.required
    assert confirm.message == "not exercised by the contract run"


def test_every_operation_has_its_three_items_even_with_no_suite(operations: list[OperationInfo]) -> None:
    items = derive_items({}, operations)
    assert len(items) == 3 * len(operations)
    for op in operations:
        for aspect in ("contract", "p95", "success"):
            item = by_id(items)[f"op.{op.operation_id}.{aspect}"]
            assert item.status is ItemStatus.NOT_RUN
            assert item.operation == op.name
    assert {i.stage for i in items} == {"contract", "load"}


# --- SLA items from the load records ------------------------------------------------------------


def test_sla_items_from_verdicts(operations: list[OperationInfo]) -> None:
    load = suite(
        "load",
        sla("sla.p95", CREATE, "pass", Status.PASS),
        sla("sla.success_rate", CREATE, "fail", Status.FAIL, "fail: success 98.0%"),
        sla("sla.p95", LIST, "fail", Status.FAIL),
        sla("sla.success_rate", LIST, "inconclusive", Status.WARN, "inconclusive: too few requests"),
        sla("sla.success_rate", CONFIRM, "inconclusive", Status.WARN, "inconclusive: 755 requests"),
        rec("sla.overall", Status.FAIL, None, "1 failed", {"verdict": "fail"}),
    )
    items = by_id(derive_items({"load": load}, operations))

    p95 = items["op.createOrder.p95"]
    assert (p95.status, p95.required, p95.stage) == (ItemStatus.PASS, True, "load")
    assert p95.measured == {
        "observed": 9.1,
        "samples": 2303,
        "threshold": 800.0,
        "ci_low": 8.6,
        "ci_high": 9.9,
    }
    assert p95.evidence == (f"suites/load.json#operation={CREATE}",)
    assert p95.requirement_en == "P95 ≤ 800 ms"

    success = items["op.createOrder.success"]
    assert (success.status, success.required) == (ItemStatus.FAIL, True)
    assert success.message == "fail: success 98.0%"
    assert success.requirement_en == "success rate ≥ 99.5%"

    # A judged optional operation counts: its failure is required.
    assert (items["op.listOrders.p95"].status, items["op.listOrders.p95"].required) == (ItemStatus.FAIL, True)

    # Inconclusive (reported as warn by the load suite) is not run, never pass.
    listing = items["op.listOrders.success"]
    assert (listing.status, listing.required) == (ItemStatus.NOT_RUN, False)
    assert listing.message == "inconclusive: too few requests"
    confirm = items["op.confirmShipment.success"]
    assert (confirm.status, confirm.required) == (ItemStatus.NOT_RUN, True)  # priority 1: must be judged

    # Not measured at all: priority-1 operations stay required, the others do not.
    for operation_id in ("adjustInventory", "confirmShipment"):
        item = items[f"op.{operation_id}.p95"]
        assert (item.status, item.required) == (ItemStatus.NOT_RUN, True)
        assert item.message == "not measured by the load run"
        assert item.measured == {}
    health = items["op.getHealth.p95"]
    assert (health.status, health.required) == (ItemStatus.NOT_RUN, False)

    # The SLA records make per-operation items only; sla.overall is no item at all.
    assert not [i for i in items if i.startswith("load.")]
    assert not [i for i in items if "overall" in i]


def test_sla_record_without_operation_is_ignored(operations: list[OperationInfo]) -> None:
    load = suite("load", sla("sla.p95", CREATE, "pass", Status.PASS), rec("sla.p95", Status.FAIL))
    items = by_id(derive_items({"load": load}, operations))
    assert items["op.createOrder.p95"].status is ItemStatus.PASS
    assert not [i for i in items if i.startswith("load.")]


def test_other_load_checks_are_items(operations: list[OperationInfo]) -> None:
    load = suite(
        "load",
        sla("sla.p95", CREATE, "pass", Status.PASS),
        rec("stage.error", Status.FAIL, None, "locust crashed"),
        rec("sla.overall", Status.FAIL, None, "", {"verdict": "fail"}),
    )
    items = by_id(derive_items({"load": load}, operations))
    error = items["load.stage.error"]
    assert (error.status, error.required, error.stage) == (ItemStatus.FAIL, True, "load")
    assert error.message == "locust crashed"
    assert "load.sla.overall" not in items


# --- check items of the other suites ------------------------------------------------------------


def test_check_items_fold_over_operations(operations: list[OperationInfo]) -> None:
    contract = suite(
        "contract",
        rec("auth.missing", Status.PASS, CREATE, "401 as expected"),
        rec("auth.missing", Status.FAIL, LIST, "200 without a token"),
        rec("auth.missing", Status.FAIL, GET, "200 without a token"),
        rec("datetime.utc", Status.PASS, CREATE),
        rec("datetime.utc", Status.SKIP, LIST, "no datetime field"),
    )
    items = by_id(derive_items({"contract": contract}, operations))
    auth = items["contract.auth.missing"]
    assert auth.status is ItemStatus.FAIL
    assert auth.required
    assert auth.stage == "contract"
    assert auth.measured == {"records": 3, "operations": sorted([CREATE, LIST, GET])}
    assert auth.message == "200 without a token (+1 more)"
    assert auth.evidence == ("suites/contract.json#check=auth.missing",)
    # A skip next to a pass: the check ran and passed.
    assert items["contract.datetime.utc"].status is ItemStatus.PASS


def test_skip_is_not_run_and_not_required(operations: list[OperationInfo]) -> None:
    preflight = suite(
        "preflight",
        rec("preflight.health", Status.PASS, None, "200 ok"),
        rec("preflight.tls.version", Status.SKIP, None, "plain http to a loopback host"),
    )
    items = by_id(derive_items({"preflight": preflight}, operations))
    tls = items["preflight.tls.version"]
    assert (tls.status, tls.required) == (ItemStatus.NOT_RUN, False)
    assert tls.message == "plain http to a loopback host"  # says why
    health = items["preflight.health"]
    assert (health.status, health.required, health.stage) == (ItemStatus.PASS, True, "preflight")


def test_warn_is_pass_and_says_warn(operations: list[OperationInfo]) -> None:
    preflight = suite("preflight", rec("preflight.tls.version", Status.WARN, None, "TLS 1.2, not 1.3"))
    item = by_id(derive_items({"preflight": preflight}, operations))["preflight.tls.version"]
    assert (item.status, item.required) == (ItemStatus.PASS, True)
    assert item.message == "TLS 1.2, not 1.3 [warn]"


def test_a_failing_check_is_not_hidden_by_passes(operations: list[OperationInfo]) -> None:
    platforms = suite(
        "client-behaviour",
        rec("client.qps", Status.PASS),
        rec("client.qps", Status.SKIP),
        rec("client.qps", Status.FAIL, None, "14 requests/s, limit 10"),
    )
    item = by_id(derive_items({"platforms": platforms}, operations))["platforms.client.qps"]
    assert item.status is ItemStatus.FAIL
    assert item.message == "14 requests/s, limit 10"
    assert item.measured == {}  # no operation: no operations list


def test_ids_are_stage_prefixed_unique_and_in_stage_order(operations: list[OperationInfo]) -> None:
    suites = {
        "load": suite("load", sla("sla.p95", CREATE, "pass", Status.PASS), rec("load.users", Status.PASS)),
        "platforms": suite(
            "client-behaviour", rec("client.qps", Status.PASS), rec("client.utc", Status.FAIL)
        ),
        "webhooks": suite(
            "webhooks", rec("webhook.wrong_secret", Status.PASS), rec("webhook.duplicate", Status.FAIL)
        ),
        "contract": suite("contract", rec("errors.envelope", Status.PASS, CREATE)),
        "lint": suite("lint", rec("openapi.valid", Status.PASS), rec("errors.envelope", Status.PASS)),
        "preflight": suite("preflight", rec("preflight.health", Status.PASS)),
    }
    items = derive_items(suites, operations)
    ids = [item.id for item in items]
    assert len(ids) == len(set(ids))
    for expected in (
        "preflight.health",
        "lint.openapi.valid",
        "lint.errors.envelope",
        "contract.errors.envelope",  # the same check id in two suites: two items
        "webhooks.wrong_secret",  # the suite's `webhook.` prefix becomes the stage's
        "webhooks.duplicate",
        "platforms.client.qps",
        "platforms.client.utc",
        "load.users",  # already prefixed: not doubled
    ):
        assert expected in ids
    assert "load.load.users" not in ids
    assert "preflight.preflight.health" not in ids
    for item in items:
        if not item.id.startswith("op."):
            assert item.id.startswith(f"{item.stage}.")
    order = ["preflight", "lint", "contract", "webhooks", "platforms", "load"]
    ranks = [order.index(item.stage) for item in items]
    assert ranks == sorted(ranks)
    webhook = by_id(items)["webhooks.duplicate"]
    assert webhook.evidence == ("suites/webhooks.json#check=webhook.duplicate",)
    client = by_id(items)["platforms.client.utc"]
    assert (client.stage, client.status) == ("platforms", ItemStatus.FAIL)
    assert client.evidence == ("suites/platforms.json#check=client.utc",)


def test_contract_suite_error_is_an_item(operations: list[OperationInfo]) -> None:
    contract = suite("contract", rec("stage.error", Status.FAIL, None, "exited 3"), complete=False)
    items = by_id(derive_items({"contract": contract}, operations))
    assert items["contract.stage.error"].status is ItemStatus.FAIL
    assert items["op.createOrder.contract"].status is ItemStatus.NOT_RUN


# --- waivers and the verdict --------------------------------------------------------------------

WAIVER = Waiver("listOrders is a nightly batch; agreed 2026-11-20", "李四 (OpenClaw)", "platform")


def item(item_id: str, status: ItemStatus, *, required: bool = True) -> ChecklistItem:
    return ChecklistItem(item_id, "load", "标题", "title", "要求", "requirement", status, required)


def checklist(items: list[ChecklistItem], *, complete: bool = True) -> Checklist:
    return Checklist(
        run_id="20260101T000000Z-abcdef",
        environment="staging",
        target="http://127.0.0.1:1",
        started_at="2026-01-01T00:00:00.000Z",
        finished_at="2026-01-01T00:01:00.000Z",
        items=tuple(items),
        complete=complete,
    )


def test_waiver_turns_a_failed_item_into_waived() -> None:
    items = [item("op.listOrders.p95", ItemStatus.FAIL), item("op.createOrder.p95", ItemStatus.PASS)]
    waived = by_id(_apply_waivers(items, [("op.listOrders.p95", WAIVER)]))
    target = waived["op.listOrders.p95"]
    assert target.status is ItemStatus.WAIVED
    assert target.outcome is ItemStatus.FAIL  # the real outcome is kept
    assert target.waiver == WAIVER
    data = target.to_dict()
    assert data["status"] == "waived"
    assert data["outcome"] == "fail"
    assert data["waiver"] == {"reason": WAIVER.reason, "signer": WAIVER.signer, "role": "platform"}
    assert ChecklistItem.from_dict(data) == target
    assert waived["op.createOrder.p95"].status is ItemStatus.PASS
    assert checklist(list(waived.values())).accepted


def test_waiver_for_a_passing_or_not_run_item_changes_nothing() -> None:
    items = [item("op.listOrders.p95", ItemStatus.PASS), item("op.getOrder.p95", ItemStatus.NOT_RUN)]
    result = _apply_waivers(items, [("op.listOrders.p95", WAIVER), ("op.getOrder.p95", WAIVER)])
    assert result == items
    assert result[0].status is ItemStatus.PASS
    assert result[0].waiver is None
    assert result[1].status is ItemStatus.NOT_RUN  # a waiver never turns "not run" into accepted


def test_waiver_ids_are_checked_against_what_a_run_can_produce(operations: list[OperationInfo]) -> None:
    from clawcheck.accept.items import known_item_id

    assert known_item_id("op.listOrders.p95", operations)
    assert known_item_id("webhooks.wrong_secret", operations)
    assert not known_item_id("op.noSuchOp.p95", operations)
    assert not known_item_id("op.listOrders.p99", operations)
    assert not known_item_id("signature.wrong_secret", operations)


def test_a_waiver_whose_item_this_run_did_not_produce_waives_nothing() -> None:
    items = [item("op.listOrders.p95", ItemStatus.FAIL)]
    waived = _apply_waivers(items, [("op.listOrders.p95", WAIVER), ("op.createOrder.p95", WAIVER)])
    assert [i.status for i in waived] == [ItemStatus.WAIVED]


def test_waived_item_is_shown_as_waived_with_reason_and_signer(tmp_path: Path) -> None:
    from clawcheck.report import write_reports

    items = _apply_waivers(
        [item("op.listOrders.p95", ItemStatus.FAIL), item("op.createOrder.p95", ItemStatus.PASS)],
        [("op.listOrders.p95", WAIVER)],
    )
    doc = checklist(items)
    assert doc.counts() == {"pass": 1, "fail": 0, "waived": 1, "not_run": 0}
    files = write_reports(doc, tmp_path)
    for name in ("md", "html"):
        text = Path(files[name]).read_text(encoding="utf-8")
        assert WAIVER.reason in text
        assert WAIVER.signer in text


@pytest.mark.parametrize(
    ("items", "complete", "accepted"),
    [
        pytest.param(
            [item("a.x", ItemStatus.PASS), item("a.y", ItemStatus.WAIVED)], True, True, id="pass+waived"
        ),
        pytest.param([item("a.x", ItemStatus.PASS)], False, False, id="incomplete"),
        pytest.param([], True, False, id="no-items"),
        pytest.param([item("a.x", ItemStatus.PASS), item("a.y", ItemStatus.FAIL)], True, False, id="fail"),
        pytest.param([item("a.x", ItemStatus.NOT_RUN)], True, False, id="required-not-run"),
        pytest.param(
            [item("a.x", ItemStatus.PASS), item("a.y", ItemStatus.NOT_RUN, required=False)],
            True,
            True,
            id="optional-not-run",
        ),
    ],
)
def test_accepted_only_when_every_required_item_is_pass_or_waived_and_complete(
    items: list[ChecklistItem], complete: bool, accepted: bool
) -> None:
    doc = checklist(items, complete=complete)
    assert doc.accepted is accepted
    assert doc.verdict == ("incomplete" if not complete else ("accepted" if accepted else "rejected"))
    assert Checklist.from_dict(doc.to_dict()).accepted is accepted


def test_derived_items_of_a_clean_run_are_accepted(operations: list[OperationInfo]) -> None:
    """Every operation judged and passing, plus passing and skipped checks: accepted."""
    records = [rec("errors.envelope", Status.PASS, op.name) for op in operations]
    verdicts = [
        sla(a, op.name, "pass", Status.PASS) for op in operations for a in ("sla.p95", "sla.success_rate")
    ]
    suites = {
        "preflight": suite(
            "preflight", rec("preflight.health", Status.PASS), rec("preflight.tls.version", Status.SKIP)
        ),
        "contract": suite("contract", *records),
        "load": suite("load", *verdicts, rec("sla.overall", Status.PASS, None, "", {"verdict": "pass"})),
    }
    items = derive_items(suites, operations)
    assert checklist(items).accepted
    # One priority-1 verdict inconclusive: rejected, however green the rest.
    suites["load"] = suite(
        "load",
        *(v for v in verdicts if not (v.operation == CONFIRM and v.id == "sla.success_rate")),
        sla("sla.success_rate", CONFIRM, "inconclusive", Status.WARN),
    )
    rejected = checklist(derive_items(suites, operations))
    assert not rejected.accepted
    assert [i.id for i in rejected.items if not i.accepted] == ["op.confirmShipment.success"]
