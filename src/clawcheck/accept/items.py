"""Checklist items from the suites' records: per operation of the spec, and per check.

Per operation (from the spec, so an operation nobody tested shows as not run, never
vanishes): contract conformance, P95 and success rate. Per check: every check id of every
other suite, folded over operations (one failing operation fails the item).

Status mapping: pass -> pass; warn -> pass (the message says warn); fail -> fail;
skip -> not run. Required: everything that ran, plus the x-priority 1 operations' SLA
items even when they could not be judged; a skipped check of a suite is shown but is not
required (it was not verifiable against this target, and says why).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clawcheck.core.checklist import ChecklistItem, ItemStatus
from clawcheck.core.results import CheckRecord, Status, SuiteResult

__all__ = ["OperationInfo", "derive_items"]

_STATUS = {
    Status.PASS: ItemStatus.PASS,
    Status.WARN: ItemStatus.PASS,
    Status.FAIL: ItemStatus.FAIL,
    Status.SKIP: ItemStatus.NOT_RUN,
}

# Suite names as stages call them; the client suite's document says "client-behaviour".
_STAGE_OF_SUITE = {"client-behaviour": "platforms"}


@dataclass(frozen=True, slots=True)
class OperationInfo:
    name: str  # "POST /v2/orders/create"
    operation_id: str
    p95_ms: float
    success_rate: float
    priority: int | None


def _fold(records: Sequence[CheckRecord]) -> ItemStatus:
    statuses = {r.status for r in records}
    if Status.FAIL in statuses:
        return ItemStatus.FAIL
    if statuses & {Status.PASS, Status.WARN}:
        return ItemStatus.PASS
    return ItemStatus.NOT_RUN


def _message(records: Sequence[CheckRecord], status: ItemStatus) -> str:
    pick = [r for r in records if _STATUS[r.status] is status] or list(records)
    first = pick[0].message if pick else ""
    more = f" (+{len(pick) - 1} more)" if len(pick) > 1 else ""
    warned = " [warn]" if any(r.status is Status.WARN for r in records) and status is ItemStatus.PASS else ""
    return f"{first}{more}{warned}"


def _link(stage: str, check_id: str) -> str:
    return f"suites/{stage}.json#check={check_id}"


def _item_id(stage: str, check_id: str) -> str:
    """`webhook.wrong_secret` -> `webhooks.wrong_secret`; `client.qps` -> `platforms.client.qps`."""
    for prefix in (f"{stage}.", f"{stage.removesuffix('s')}."):
        if check_id.startswith(prefix):
            return f"{stage}.{check_id[len(prefix) :]}"
    return f"{stage}.{check_id}"


STAGE_NAMES = ("preflight", "lint", "contract", "webhooks", "platforms", "load")
OP_ASPECTS = ("contract", "p95", "success")


def known_item_id(item_id: str, operations: Sequence[OperationInfo]) -> bool:
    """Whether a run could produce `item_id` (for waivers, checked before the run)."""
    if item_id.startswith("op."):
        _, _, rest = item_id.partition(".")
        operation_id, _, aspect = rest.rpartition(".")
        return aspect in OP_ASPECTS and operation_id in {op.operation_id for op in operations}
    stage, _, check = item_id.partition(".")
    return stage in STAGE_NAMES and bool(check)


def _check_items(stage: str, result: SuiteResult, *, exclude: Iterable[str] = ()) -> list[ChecklistItem]:
    groups: dict[str, list[CheckRecord]] = {}
    for record in result.checks:
        if record.id in exclude:
            continue
        groups.setdefault(record.id, []).append(record)
    items: list[ChecklistItem] = []
    for check_id, records in groups.items():
        status = _fold(records)
        first = records[0]
        item_id = _item_id(stage, check_id)
        operations = sorted({r.operation for r in records if r.operation})
        items.append(
            ChecklistItem(
                id=item_id,
                stage=stage,
                title_zh=first.title_zh or first.title,
                title_en=first.title,
                requirement_zh=first.title_zh or first.title,
                requirement_en=first.title,
                status=status,
                required=status is not ItemStatus.NOT_RUN,
                message=_message(records, status),
                measured={"records": len(records), "operations": operations} if operations else {},
                evidence=(_link(stage, check_id),),
            )
        )
    return items


def _contract_items(result: SuiteResult | None, operations: Sequence[OperationInfo]) -> list[ChecklistItem]:
    by_operation: dict[str, list[CheckRecord]] = {}
    for record in result.checks if result else ():
        if record.operation:
            by_operation.setdefault(record.operation, []).append(record)
    items = []
    for op in operations:
        records = by_operation.get(op.name, [])
        status = _fold(records) if records else ItemStatus.NOT_RUN
        failed = sorted({r.id for r in records if r.status is Status.FAIL})
        message = (
            f"{len(failed)} check(s) failed: {', '.join(failed)}"
            if failed
            else (f"{len(records)} checks passed" if records else "not exercised by the contract run")
        )
        items.append(
            ChecklistItem(
                id=f"op.{op.operation_id}.contract",
                stage="contract",
                title_zh=f"{op.name} 契约一致性",
                title_en=f"{op.name} contract conformance",
                requirement_zh="响应符合 OpenAPI 规范及协议检查（错误信封、幂等、鉴权、UTC 等）",
                requirement_en="responses conform to the spec and the protocol checks "
                "(errors, idempotency, auth, UTC, ...)",
                status=status,
                required=True,
                operation=op.name,
                message=message,
                measured={"checks": len(records), "failed": failed},
                evidence=(f"suites/contract.json#operation={op.name}",),
            )
        )
    return items


def _sla_items(result: SuiteResult | None, operations: Sequence[OperationInfo]) -> list[ChecklistItem]:
    verdicts: dict[tuple[str, str], CheckRecord] = {}
    for record in result.checks if result else ():
        if record.operation and record.id in ("sla.p95", "sla.success_rate"):
            verdicts[(record.operation, record.id)] = record
    items = []
    for op in operations:
        for aspect, zh, en, req_zh, req_en in (
            (
                "sla.p95",
                "P95 响应时间",
                "P95 response time",
                f"P95 ≤ {op.p95_ms:g} ms",
                f"P95 ≤ {op.p95_ms:g} ms",
            ),
            (
                "sla.success_rate",
                "成功率",
                "success rate",
                f"成功率 ≥ {op.success_rate:.1%}",
                f"success rate ≥ {op.success_rate:.1%}",
            ),
        ):
            found = verdicts.get((op.name, aspect))
            evidence: Mapping[str, Any] = found.evidence if found else {}
            outcome = str(evidence.get("verdict", ""))
            if found is None:
                status, message = ItemStatus.NOT_RUN, "not measured by the load run"
            elif outcome == "inconclusive":
                status, message = ItemStatus.NOT_RUN, found.message
            else:
                status, message = _STATUS[found.status], found.message
            measured = {
                k: evidence[k]
                for k in ("observed", "samples", "threshold", "ci_low", "ci_high")
                if k in evidence
            }
            items.append(
                ChecklistItem(
                    id=f"op.{op.operation_id}.{'p95' if aspect == 'sla.p95' else 'success'}",
                    stage="load",
                    title_zh=f"{op.name} {zh}",
                    title_en=f"{op.name} {en}",
                    requirement_zh=req_zh,
                    requirement_en=req_en,
                    status=status,
                    # The priority operations must be judged; others count once they were.
                    required=op.priority == 1 or status is not ItemStatus.NOT_RUN,
                    operation=op.name,
                    message=message,
                    measured=measured,
                    evidence=(f"suites/load.json#operation={op.name}",),
                )
            )
    return items


def derive_items(
    suites: Mapping[str, SuiteResult], operations: Sequence[OperationInfo]
) -> list[ChecklistItem]:
    """Every item of the checklist, in stage order."""
    items: list[ChecklistItem] = []
    for name in ("preflight", "lint"):
        if name in suites:
            items += _check_items(name, suites[name])
    items += _contract_items(suites.get("contract"), operations)
    if "contract" in suites:
        # Harness checks folded over operations; `suite.error` (a broken run) is an item too.
        items += _check_items("contract", suites["contract"])
    for name in ("webhooks", "platforms"):
        if name in suites:
            items += _check_items(name, suites[name])
    items += _sla_items(suites.get("load"), operations)
    if "load" in suites:
        # sla.overall folds every operation's verdicts, the optional ones too: the per-operation
        # items above already say which are required.
        items += _check_items("load", suites["load"], exclude=("sla.p95", "sla.success_rate", "sla.overall"))
    return _unique(items)


def _unique(items: list[ChecklistItem]) -> list[ChecklistItem]:
    seen: dict[str, int] = {}
    unique: list[ChecklistItem] = []
    for item in items:
        if item.id in seen:
            continue
        seen[item.id] = len(unique)
        unique.append(item)
    return unique
