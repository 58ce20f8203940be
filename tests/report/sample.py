"""A realistic acceptance checklist: every item status, a waiver, real load metrics from the recorder."""

from __future__ import annotations

from clawcheck.core.checklist import Checklist, ChecklistItem, ItemStatus, Waiver
from clawcheck.core.results import CheckRecord, Status, SuiteResult
from clawcheck.load.recorder import Recorder
from clawcheck.load.report import RunInfo, build_result
from clawcheck.load.sla import Sla, SpecOperation

CREATE = "POST /v2/orders/create"
GET_ORDER = "GET /v2/orders/{order_id}"
HEALTH = "GET /healthz"
TOKEN = "POST /v2/oauth/token"
TARGET = "http://127.0.0.1:18080"
CURL = (
    "curl -sS -i -X POST 'http://127.0.0.1:18080/v2/orders/create' "
    '-H "Authorization: Bearer $OPENCLAW_TOKEN"'
)
# Text from the target that must stay text in every format.
HOSTILE = 'echoed <script>alert(1)</script><img src="https://evil.example/x.png"> | a|b `tick`'
WAIVER = Waiver("平台侧库存接口限流，已约定 2026-04-01 前修复", "张伟", "platform")

OPERATIONS = {
    CREATE: SpecOperation(CREATE, Sla(800.0, 0.995), 1, frozenset({201, 400, 409})),
    GET_ORDER: SpecOperation(GET_ORDER, Sla(300.0, 0.999), 2, frozenset({200, 404})),
    HEALTH: SpecOperation(HEALTH, Sla(100.0, 0.995), None, frozenset({200})),
}


def load_suite() -> SuiteResult:
    """A real load result: synthetic samples through `Recorder` and `build_result`, as a run makes it."""
    recorder = Recorder({name: op.declared for name, op in OPERATIONS.items()}, started=1000.0)
    for i in range(3000):
        at = 1000.0 + i / 300  # 10 seconds at 300 req/s
        slow = i % 100 >= 90  # 10 % slow: P95 over the 800 ms SLA
        recorder.record(CREATE, 900.0 + (i % 7) * 10 if slow else 40.0 + (i % 50), 201, start_time=at)
        status = 503 if i % 250 == 0 else (429 if i % 400 == 1 else 200)
        code = "UPSTREAM_TIMEOUT" if status == 503 else None
        recorder.record(GET_ORDER, 12.0 + (i % 30) * 0.7, status, error_code=code, start_time=at)
        if i % 3 == 0:
            recorder.record(HEALTH, 1.5 + (i % 5) * 0.1, 200, start_time=at)
    recorder.record(TOKEN, 9.0, 200, start_time=1000.0)
    info = RunInfo(TARGET, "2026-03-19T08:40:00.000Z", "2026-03-19T08:40:10.000Z", True, 10.0, {"users": 20})
    return build_result(recorder, OPERATIONS, info, [CREATE, GET_ORDER, HEALTH])


def suites() -> dict[str, SuiteResult]:
    contract = SuiteResult(
        "contract",
        TARGET,
        "2026-03-19T08:31:00.000Z",
        "2026-03-19T08:35:00.000Z",
        (
            CheckRecord(
                "errors.envelope", "Error envelope", Status.PASS, "12 checked", {}, CREATE, "错误信封"
            ),
            CheckRecord(
                "idempotency.replay",
                "Idempotent replay",
                Status.FAIL,
                "second POST with the same Idempotency-Key created another order",
                {"curl": CURL, "response": {"status": 201, "body": {"order_id": "ord_2"}}},
                CREATE,
                "幂等重放",
            ),
            CheckRecord(
                "errors.trace_id",
                "Trace id",
                Status.FAIL,
                HOSTILE,
                {"curl": "curl -sS 'http://127.0.0.1:18080/v2/orders/ord_1'", "large": "x" * 6000},
                GET_ORDER,
                "追踪编号",
            ),
        ),
    )
    webhooks = SuiteResult(
        "webhooks",
        "http://127.0.0.1:18081/hooks",
        "2026-03-19T08:35:00.000Z",
        "2026-03-19T08:36:00.000Z",
        (
            CheckRecord("webhooks.signature.valid", "Valid signature accepted", Status.PASS, "202 in 35 ms"),
            CheckRecord(
                "webhooks.signature.wrong_secret",
                "Wrong secret rejected",
                Status.FAIL,
                "the receiver answered 200 to a delivery signed with the wrong secret",
                {"curl": "curl -sS -X POST 'http://127.0.0.1:18081/hooks' --data-raw '{\"id\":\"evt_1\"}'"},
            ),
        ),
    )
    return {"contract": contract, "webhooks": webhooks, "load": load_suite()}


def item(
    id: str, stage: str, status: ItemStatus, zh: str, en: str, *, required: bool = True, **extra: object
) -> ChecklistItem:
    return ChecklistItem(
        id=id,
        stage=stage,
        title_zh=zh,
        title_en=en,
        requirement_zh=f"要求：{zh}",
        requirement_en=f"must: {en}",
        status=status,
        required=required,
        **extra,  # type: ignore[arg-type]
    )


def items() -> list[ChecklistItem]:
    pass_, fail, not_run = ItemStatus.PASS, ItemStatus.FAIL, ItemStatus.NOT_RUN
    waived = item(
        "op.createOrder.contract",
        "contract",
        fail,
        f"{CREATE} 契约一致性",
        f"{CREATE} contract conformance",
        operation=CREATE,
        message="1 check(s) failed: idempotency.replay",
        measured={"checks": 2, "failed": ["idempotency.replay"]},
        evidence=(f"suites/contract.json#operation={CREATE}",),
    ).waive(WAIVER)
    return [
        item("preflight.tls.version", "preflight", pass_, "TLS 版本", "TLS version", message="TLS 1.3"),
        item("lint.operation-ids", "lint", pass_, "operationId 唯一", "unique operationIds"),
        item(
            "lint.examples",
            "lint",
            not_run,
            "示例校验",
            "examples validate",
            required=False,
            message="no examples",
        ),
        waived,
        item(
            "op.getOrder.contract",
            "contract",
            fail,
            f"{GET_ORDER} 契约一致性",
            f"{GET_ORDER} contract conformance",
            operation=GET_ORDER,
            message=HOSTILE,
            evidence=("suites/contract.json#check=errors.trace_id",),
        ),
        item(
            "webhooks.signature.wrong_secret",
            "webhooks",
            fail,
            "错误密钥的签名被拒绝",
            "wrong secret rejected",
            message="the receiver answered 200",
            evidence=("suites/webhooks.json#check=signature.wrong_secret",),
        ),
        item("webhooks.signature.valid", "webhooks", pass_, "有效签名被接受", "valid signature accepted"),
        item(
            "platforms.shopify.retry_after",
            "platforms",
            not_run,
            "遵守 Retry-After",
            "honours Retry-After",
            required=False,
            message="no adapter configured",
        ),
        item(
            "op.createOrder.p95",
            "load",
            fail,
            f"{CREATE} P95 响应时间",
            f"{CREATE} P95 response time",
            operation=CREATE,
            measured={"observed": 960.0, "samples": 3000, "threshold": 800.0},
            evidence=(f"suites/load.json#operation={CREATE}",),
            message="fail: P95 960.0 ms vs 800 ms",
        ),
        item(
            "op.createOrder.success",
            "load",
            pass_,
            f"{CREATE} 成功率",
            f"{CREATE} success rate",
            operation=CREATE,
            measured={"observed": 1.0, "samples": 3000, "threshold": 0.995},
            evidence=(f"suites/load.json#operation={CREATE}", "https://evil.example/not-a-link"),
        ),
    ]


def make_checklist(lang: str = "zh-CN", *, demo_key: bool = True, complete: bool = True) -> Checklist:
    return Checklist(
        run_id="20260319T083000Z-a1b2c3",
        environment="staging · 龙虾预发布",
        target=TARGET,
        started_at="2026-03-19T08:30:00.000Z",
        finished_at="2026-03-19T08:41:07.250Z",
        items=tuple(items()),
        suites=suites(),
        provenance={
            "spec_sha256": "ab" * 32,
            "tool_versions": {"clawcheck": "0.1.0"},
            "seeds": {"hypothesis": 7},
        },
        lang=lang,
        complete=complete,
        demo_key=demo_key,
    )
