"""One acceptance run: resolve the environment, run the stages in order, build the checklist,
write the reports, sign, notify.

Everything the run writes goes through one `Redactor` that knows every secret of the
configuration and of the embedded targets; the reports are rendered from the redacted
checklist only.
"""

from __future__ import annotations

import hashlib
import platform as pyplatform
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from clawcheck.accept.items import OperationInfo, derive_items
from clawcheck.accept.stages import STAGES, Stage, StageContext, interrupt_running
from clawcheck.core.checklist import Checklist, ChecklistItem, Waiver
from clawcheck.core.redact import Redactor
from clawcheck.core.results import SuiteResult, utc_now

__all__ = ["AcceptOptions", "AcceptOutcome", "operations_of", "run_accept"]

# Stages that run alone, after the others: load measures latency and needs the machine to itself.
SOLO = frozenset({"load"})
_TOOLS = (
    "clawcheck",
    "schemathesis",
    "hypothesis",
    "locust",
    "hdrhistogram",
    "httpx",
    "starlette",
    "uvicorn",
)


@dataclass(frozen=True)
class AcceptOptions:
    config: Path | None = None
    env_name: str | None = None
    out: Path | None = None
    quick: bool = False
    lang: str | None = None
    stages: Sequence[str] = ()  # empty: all
    seed: int | None = None


@dataclass
class AcceptOutcome:
    checklist: Checklist
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    signatures: list[str] = field(default_factory=list)
    notifications: list[str] = field(default_factory=list)


def operations_of(spec: Path) -> list[OperationInfo]:
    from clawcheck.load.sla import spec_operations
    from clawcheck.spec.loader import load_spec
    from clawcheck.spec.operations import iter_operations

    loaded = load_spec(spec)
    ids = {
        f"{op.method.upper()} {op.path}": str(op.node.get("operationId") or "")
        for op in iter_operations(loaded)
    }
    found = []
    for name, op in spec_operations(loaded).items():
        operation_id = ids.get(name) or name.replace(" ", "_")
        found.append(OperationInfo(name, operation_id, op.sla.p95_ms, op.sla.success_rate, op.priority))
    return found


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def _versions() -> dict[str, str]:
    versions = {"python": pyplatform.python_version()}
    for name in _TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_accept(options: AcceptOptions, echo: Callable[[str], None] = print) -> AcceptOutcome:
    """Run every stage and write the signed report directory; never raises for a failed check.

    Bad input (configuration, environment variables, an unreachable target, wrong credentials)
    raises `ConfigError`/`TargetError` before any stage sends load.
    """
    from clawcheck.accept.settings import resolve

    plan = resolve(options)  # every input mistake surfaces here, before any traffic
    redactor = Redactor(plan.secrets)
    run_id = new_run_id()
    out_dir = plan.out_root / run_id
    out_dir.mkdir(parents=True, exist_ok=False)
    ctx = plan.context(out_dir, echo)
    started = utc_now()
    suites: dict[str, SuiteResult] = {}
    complete = True
    selected = [s for s in STAGES if not options.stages or s.name in options.stages]
    echo(f"clawcheck accept: {plan.environment_label} → {out_dir}" + (" (quick)" if options.quick else ""))
    try:
        complete = _run_stages(selected, ctx, suites, plan.lang, echo)
    except KeyboardInterrupt:
        complete = False
        echo("interrupted: writing what was measured, marked incomplete")
    items = derive_items(suites, plan.operations)
    items = _apply_waivers(items, plan.waivers)
    checklist = Checklist(
        run_id=run_id,
        environment=plan.environment_name,
        target=plan.target_label,
        started_at=started,
        finished_at=utc_now(),
        items=tuple(items),
        suites=suites,
        provenance={
            "spec": plan.spec.name,
            "spec_sha256": _sha256(plan.spec),
            "tool_versions": _versions(),
            "seeds": {"hypothesis": plan.seed},
            "quick": options.quick,
            "stages": [s.name for s in selected],
            "config": plan.config_summary,
        },
        lang=plan.lang,
        complete=complete and len(suites) == len(selected),
        demo_key=plan.demo_signing,
    )
    checklist = Checklist.from_dict(redactor.data(checklist.to_dict()))
    outcome = AcceptOutcome(checklist, out_dir)
    outcome.files = _write_reports(checklist, out_dir)
    outcome.signatures = plan.sign(out_dir)
    outcome.notifications = plan.notify(checklist, out_dir)
    return outcome


def _run_stages(
    selected: Sequence[Stage],
    ctx: StageContext,
    suites: dict[str, SuiteResult],
    lang: str,
    echo: Callable[[str], None],
) -> bool:
    """Run the stages; reported in order, but everything before `load` runs side by side.

    The functional stages are independent (each has its own target process or server) and
    mostly wait on I/O; load runs alone afterwards, so its latencies are not measured on a
    machine busy with the contract run.
    """
    total = len(selected)
    before = [s for s in selected if s.name not in SOLO]
    after = [s for s in selected if s.name in SOLO]
    with ThreadPoolExecutor(max_workers=max(1, len(before))) as pool:
        started = time.perf_counter()
        futures: list[tuple[Stage, Future[tuple[SuiteResult, float]]]] = []
        # Nothing starts until every stage is submitted, so an interrupt can never leave a
        # running stage without its future (and its results).
        gate, cancelled = threading.Event(), threading.Event()
        try:
            for stage in before:
                futures.append((stage, pool.submit(_gated, gate, cancelled, stage, ctx)))
            gate.set()
            for index, (stage, future) in enumerate(futures, 1):
                result, seconds = future.result()
                suites[stage.name] = result  # kept before it is reported: an interrupt loses nothing
                _report(echo, index, total, stage, result, seconds, lang)
        except KeyboardInterrupt:
            # Ask every running stage to stop and write what it measured (marked incomplete),
            # then keep everything that finished.
            if not gate.is_set():
                cancelled.set()
                gate.set()
            interrupt_running()
            for stage, future in futures:
                if stage.name not in suites:
                    try:
                        suites[stage.name] = future.result(timeout=90)[0]
                    except (Exception, KeyboardInterrupt):  # could not finish, or never started: not run
                        continue
            raise
        if before:
            elapsed = time.perf_counter() - started
            echo(f"      ({elapsed:.1f} s for the first {len(before)} stages, side by side)")
    if any(not r.complete for r in suites.values()):
        return False
    for index, stage in enumerate(after, len(before) + 1):
        title = stage.title_zh if lang.startswith("zh") else stage.title_en
        echo(f"[{index}/{total}] {title} …")
        result, seconds = _timed(stage, ctx)
        suites[stage.name] = result
        _report(echo, index, total, stage, result, seconds, lang)
        if not result.complete:
            return False
    return True


def _gated(
    gate: threading.Event, cancelled: threading.Event, stage: Stage, ctx: StageContext
) -> tuple[SuiteResult, float]:
    gate.wait()
    if cancelled.is_set():
        raise KeyboardInterrupt  # interrupted before it started: not run
    return _timed(stage, ctx)


def _timed(stage: Stage, ctx: StageContext) -> tuple[SuiteResult, float]:
    began = time.perf_counter()
    result = stage.run(ctx)
    return result, time.perf_counter() - began


def _report(
    echo: Callable[[str], None],
    index: int,
    total: int,
    stage: Stage,
    result: SuiteResult,
    seconds: float,
    lang: str,
) -> None:
    title = stage.title_zh if lang.startswith("zh") else stage.title_en
    counts = result.counts()
    verdict = "PASS" if result.passed else ("INCOMPLETE" if not result.complete else "FAIL")
    echo(
        f"[{index}/{total}] {title}: {verdict}  pass {counts['pass']} · fail {counts['fail']} · "
        f"skip {counts['skip']}  ({seconds:.1f} s)"
    )


def _apply_waivers(items: list[ChecklistItem], waivers: Sequence[tuple[str, Waiver]]) -> list[ChecklistItem]:
    # Ids were checked against what a run can produce before the run (settings._check_waivers);
    # a waiver whose item this run did not produce (a stage not selected) waives nothing.
    wanted = dict(waivers)
    return [
        item.waive(wanted[item.id]) if item.id in wanted and item.status == "fail" else item for item in items
    ]


def _write_reports(checklist: Checklist, out_dir: Path) -> dict[str, Path]:
    from clawcheck.report import write_reports

    return dict(write_reports(checklist, out_dir))


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def summary_table(checklist: Checklist) -> str:
    """The closing table: per stage, items by status; then the verdict."""
    zh = checklist.lang.startswith("zh")
    head = (
        ("阶段", "通过", "未通过", "豁免", "未运行") if zh else ("stage", "pass", "fail", "waived", "not run")
    )
    rows: list[tuple[str, ...]] = [head]
    for stage, items in checklist.by_stage().items():
        counts = {
            s: sum(1 for i in items if str(i.status) == s) for s in ("pass", "fail", "waived", "not_run")
        }
        rows.append((stage, *(str(counts[s]) for s in ("pass", "fail", "waived", "not_run"))))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)) for row in rows]
    verdict = {"accepted": "验收通过", "rejected": "验收未通过", "incomplete": "未完成"}
    word = verdict[checklist.verdict] if zh else checklist.verdict
    failed = [i.id for i in checklist.items if i.required and not i.accepted]
    tail = [f"{'结论' if zh else 'verdict'}: {word}"]
    if failed:
        tail.append(("未满足的必需项: " if zh else "required items not met: ") + ", ".join(failed[:12]))
    return "\n".join([*lines, "", *tail])
