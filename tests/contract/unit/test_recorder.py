"""Recorder: per check and operation tallies, the first failure as evidence, secrets kept out."""

from __future__ import annotations

import threading

import pytest

from clawcheck.contract.recorder import CheckMeta, Recorder, exchange_evidence
from clawcheck.core.redact import MASK, Redactor
from clawcheck.core.results import CheckRecord, Status

from .helpers import TOKEN, exchange, request

SECRET = "client-secret-987654"
ENVELOPE = CheckMeta("errors.envelope", "Envelope", "错误结构")
REPLAY = CheckMeta("idempotency.replay", "Replay")
EXPIRED = CheckMeta("auth.expired_token", "Expired")
OP_A, OP_B = "GET /v2/orders", "POST /v2/orders/create"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder(Redactor([SECRET, TOKEN]))


def test_passes_are_counted_per_check_and_operation(recorder: Recorder) -> None:
    for _ in range(3):
        recorder.passed("errors.envelope", OP_B)
    recorder.passed("errors.envelope", OP_A)
    assert recorder.applied("errors.envelope", OP_B) == 3
    assert recorder.applied("errors.envelope", "GET /healthz") == 0
    assert recorder.records([ENVELOPE]) == [
        CheckRecord(
            "errors.envelope",
            "Envelope",
            Status.PASS,
            "1 checked, none failed",
            {"checked": 1},
            OP_A,
            "错误结构",
        ),
        CheckRecord(
            "errors.envelope",
            "Envelope",
            Status.PASS,
            "3 checked, none failed",
            {"checked": 3},
            OP_B,
            "错误结构",
        ),
    ]


def test_the_first_failure_is_kept_as_evidence(recorder: Recorder) -> None:
    recorder.passed("errors.envelope", OP_A)
    recorder.failed("errors.envelope", OP_A, "first problem", {"curl": "curl first"})
    recorder.failed("errors.envelope", OP_A, "shrunk problem", {"curl": "curl second"})
    (record,) = recorder.records([ENVELOPE])
    assert record.status is Status.FAIL
    assert record.message == "first problem (2 of 3 failed)"
    assert record.evidence == {"curl": "curl first"}
    assert record.operation == OP_A


def test_one_failing_operation_does_not_taint_another(recorder: Recorder) -> None:
    recorder.failed("errors.envelope", OP_A, "bad", {})
    recorder.passed("errors.envelope", OP_B)
    statuses = {r.operation: r.status for r in recorder.records([ENVELOPE])}
    assert statuses == {OP_A: Status.FAIL, OP_B: Status.PASS}


def test_a_check_that_never_applied_is_one_skip(recorder: Recorder) -> None:
    recorder.passed("errors.envelope", OP_A)
    records = recorder.records([ENVELOPE, REPLAY])
    assert records[-1] == CheckRecord(
        "idempotency.replay",
        "Replay",
        Status.SKIP,
        "not exercised: no response in this run was one it applies to",
    )


def test_a_skip_reason_is_reported(recorder: Recorder) -> None:
    recorder.skipped("auth.expired_token", None, "tokens live 7200 s")
    assert recorder.records([EXPIRED]) == [
        CheckRecord("auth.expired_token", "Expired", Status.SKIP, "tokens live 7200 s")
    ]


def test_scenario_records_have_no_operation_and_keep_their_note(recorder: Recorder) -> None:
    recorder.passed("auth.expired_token", None, "a token 4 s after issue was refused")
    (record,) = recorder.records([EXPIRED])
    assert (record.status, record.operation, record.message) == (
        Status.PASS,
        None,
        "a token 4 s after issue was refused",
    )


def test_records_follow_the_order_of_the_checks_given(recorder: Recorder) -> None:
    recorder.passed("idempotency.replay", OP_B)
    recorder.passed("errors.envelope", OP_A)
    assert [r.id for r in recorder.records([REPLAY, ENVELOPE, EXPIRED])] == [
        "idempotency.replay", "errors.envelope", "auth.expired_token",
    ]  # fmt: skip


def test_should_probe_within_budget_then_stop(recorder: Recorder) -> None:
    assert recorder.should_probe("idempotency.replay", OP_B, budget=2)
    recorder.passed("idempotency.replay", OP_B)
    assert recorder.should_probe("idempotency.replay", OP_B, budget=2)
    recorder.passed("idempotency.replay", OP_B)
    assert not recorder.should_probe("idempotency.replay", OP_B, budget=2)
    assert recorder.should_probe("idempotency.replay", OP_A, budget=2)  # budgets are per operation


def test_should_probe_always_after_a_failure(recorder: Recorder) -> None:
    recorder.failed("idempotency.replay", OP_B, "ran twice", {})
    for _ in range(5):
        recorder.passed("idempotency.replay", OP_B)
    assert recorder.should_probe("idempotency.replay", OP_B, budget=1)


def test_a_skip_reason_alone_does_not_use_budget(recorder: Recorder) -> None:
    recorder.skipped("idempotency.replay", OP_B, "why")
    assert recorder.should_probe("idempotency.replay", OP_B, budget=1)


def test_secrets_are_redacted_in_messages_evidence_and_skip_reasons(recorder: Recorder) -> None:
    recorder.failed(
        "errors.envelope",
        OP_A,
        f"body echoed {SECRET} and Bearer {TOKEN}",
        {
            "curl": f"curl -H 'X: {SECRET}'",
            "response": {"body": {"access_token": "at-value-xyz", "note": TOKEN}},
        },
    )
    recorder.skipped("auth.expired_token", None, f"could not use {SECRET}")
    text = repr(recorder.records([ENVELOPE, EXPIRED]))
    assert SECRET not in text
    assert TOKEN not in text
    assert "at-value-xyz" not in text
    failure, skip = recorder.records([ENVELOPE, EXPIRED])
    assert failure.message == f"body echoed {MASK} and Bearer {MASK} (1 of 1 failed)"
    assert failure.evidence == {
        "curl": f"curl -H 'X: {MASK}'",
        "response": {"body": {"access_token": MASK, "note": MASK}},
    }
    assert skip.message == f"could not use {MASK}"


def test_secrets_are_redacted_in_pass_notes(recorder: Recorder) -> None:
    recorder.passed("auth.expired_token", None, f"the configured token {SECRET} was refused")
    (record,) = recorder.records([EXPIRED])
    assert SECRET not in record.message


def test_saw_counts_requests_statuses_and_cases(recorder: Recorder) -> None:
    recorder.saw(exchange(200, {}), case=True)
    recorder.saw(exchange(429, {}))
    recorder.saw(exchange(200, {}, operation=OP_A), case=True)
    assert recorder.requests == 3
    assert dict(recorder.statuses) == {"200": 2, "429": 1}
    assert dict(recorder.cases) == {"GET /v2/orders/{order_id}": 1, OP_A: 1}


def test_tallies_are_thread_safe(recorder: Recorder) -> None:
    def work() -> None:
        for _ in range(500):
            recorder.passed("errors.envelope", OP_A)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert recorder.applied("errors.envelope", OP_A) == 4000


# -- exchange_evidence ---------------------------------------------------------------------------------------


def test_evidence_has_a_curl_without_the_token_and_a_redacted_response() -> None:
    redactor = Redactor([TOKEN, SECRET])
    sent = request("POST", "/v2/orders/create", body={"note": SECRET}, key="k1")
    ex = exchange(
        201,
        {"order_id": "ord_1", "echo": SECRET, "refresh_token": "abc"},
        operation=OP_B,
        sent=sent,
        headers={"Set-Cookie": "session=1", "Location": f"/x?{TOKEN}"},
    )
    evidence = exchange_evidence(ex, redactor, read="curl read")
    assert TOKEN not in repr(evidence)
    assert SECRET not in repr(evidence)
    assert evidence["operation"] == OP_B
    assert evidence["curl"].startswith("curl -sS -i -X POST ")
    assert "$OPENCLAW_TOKEN" in evidence["curl"]
    assert MASK in evidence["curl"]
    assert evidence["request"] == {"method": "POST", "url": sent.url}
    response = evidence["response"]
    assert response["status"] == 201
    assert response["trace_id"] == "trc_0123456789"
    assert response["headers"]["set-cookie"] == MASK
    assert response["headers"]["location"] == f"/x?{MASK}"
    assert response["body"] == {"order_id": "ord_1", "echo": MASK, "refresh_token": MASK}
    assert response["elapsed_ms"] == 12.0
    assert evidence["read"] == "curl read"


def test_evidence_keeps_only_the_start_of_a_long_non_json_body() -> None:
    ex = exchange(502, ("é" * 3000).encode(), content_type="text/html")
    body = exchange_evidence(ex, Redactor())["response"]["body"]
    assert isinstance(body, str)
    assert len(body.encode("utf-8", "replace")) <= 2048 + 3
    assert body.startswith("é" * 1000)
