"""Probe checks against a strict fake Prober that returns canned exchanges."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clawcheck.contract.checks import CHECKS, CheckFailed, CheckInput, OperationInfo, Prober, load_all
from clawcheck.contract.exchange import Exchange, SentRequest

from .helpers import TOKEN, FakeProber, error, exchange, operation, request

CREATE = "POST /v2/orders/create"
KEY = "idem-key-0001"
ORDER = {
    "order_id": "ord_1",
    "status": "created",
    "total_amount": "39.98",
    "updated_at": "2026-03-19T08:30:00Z",
}


def run(check_id: str, ex: Exchange, info: OperationInfo, prober: FakeProber | None) -> bool:
    load_all()
    result = CHECKS.get(check_id).fn(CheckInput(ex, info, prober))
    assert isinstance(result, bool)
    if prober is not None:
        prober.assert_consumed()  # also after a pass: it must have looked at everything prepared
    return result


def test_fake_prober_satisfies_the_protocol() -> None:
    prober: Prober = FakeProber()  # mypy checks the structural type; this checks the methods exist
    assert all(callable(getattr(prober, name)) for name in ("resend", "reads", "mutated_body", "fresh_token"))


# -- auth.missing / auth.invalid_token -----------------------------------------------------------------------

AUTH_CASES = [
    ("auth.missing", "AUTH_MISSING", "the same request without Authorization"),
    ("auth.invalid_token", "AUTH_INVALID_TOKEN", "the same request with an unknown token"),
]


@pytest.mark.parametrize(("check_id", "code", "_"), AUTH_CASES)
def test_auth_probe_passes_on_the_right_401(check_id: str, code: str, _: str) -> None:
    prober = FakeProber(resend=[error(401, code, "auth")])
    assert run(check_id, exchange(200, ORDER), operation(), prober) is True
    assert prober.calls == ["resend"]


def test_auth_missing_resends_without_authorization_only() -> None:
    prober = FakeProber(resend=[error(401, "AUTH_MISSING", "auth")])
    original = exchange(200, ORDER)
    run("auth.missing", original, operation(), prober)
    (sent,) = prober.sent
    assert sent.header("Authorization") is None
    assert sent.header("X-OpenClaw-Shop-Id") == original.request.header("X-OpenClaw-Shop-Id")
    assert (sent.method, sent.url, sent.body) == (original.request.method, original.request.url, None)


def test_auth_invalid_token_forges_a_new_bearer_token_each_time() -> None:
    forged = []
    for _ in range(2):
        prober = FakeProber(resend=[error(401, "AUTH_INVALID_TOKEN", "auth")])
        run("auth.invalid_token", exchange(200, ORDER), operation(), prober)
        forged.append(prober.sent[0].header("Authorization"))
    first, second = forged
    assert first is not None
    assert second is not None
    assert first.startswith("Bearer clawcheck-invalid-")
    assert second.startswith("Bearer clawcheck-invalid-")
    assert first != second
    assert TOKEN not in first


WRONG_ANSWERS = [
    (exchange(200, ORDER), "200"),
    (error(401, "AUTH_INVALID_TOKEN", "auth"), "401 AUTH_INVALID_TOKEN"),
    (error(401, "AUTH_MISSING", "auth"), "401 AUTH_MISSING"),
    (error(401, "AUTH_TOKEN_EXPIRED", "auth"), "401 AUTH_TOKEN_EXPIRED"),
    (error(400, "VALIDATION_ERROR", "validation"), "400 VALIDATION_ERROR"),
    (error(403, "FORBIDDEN", "auth"), "403 FORBIDDEN"),
    (exchange(401, b"Unauthorized", content_type="text/plain"), "401"),
]


@pytest.mark.parametrize(
    ("check_id", "code", "what", "probe", "shown"),
    [
        (check_id, code, what, probe, shown)
        for check_id, code, what in AUTH_CASES
        for probe, shown in WRONG_ANSWERS
        if shown != f"401 {code}"
    ],
)
def test_auth_probe_fails_on_anything_else(
    check_id: str, code: str, what: str, probe: Exchange, shown: str
) -> None:
    prober = FakeProber(resend=[probe])
    with pytest.raises(CheckFailed) as failed:
        run(check_id, exchange(200, ORDER), operation(), prober)
    assert failed.value.message == f"{what} answered {shown}, expected 401 {code}"
    assert failed.value.exchange is probe


@pytest.mark.parametrize(("check_id", "_code", "_what"), AUTH_CASES)
@pytest.mark.parametrize(
    ("status", "info", "with_prober"),
    [
        (200, operation("GET /healthz", requires_auth=False), True),
        (200, operation("POST /v2/oauth/token", requires_auth=False), True),
        (401, operation(), True),
        (200, operation(), False),
    ],
    ids=["no-auth-op", "token-endpoint", "already-401", "no-prober"],
)
def test_auth_probe_does_not_apply(
    check_id: str, _code: str, _what: str, status: int, info: OperationInfo, with_prober: bool
) -> None:
    prober = FakeProber() if with_prober else None
    assert run(check_id, exchange(status, {}), info, prober) is False
    assert prober is None or prober.calls == []


def test_auth_probe_applies_to_error_responses_other_than_401() -> None:
    prober = FakeProber(resend=[error(401, "AUTH_MISSING", "auth")])
    assert run("auth.missing", error(404, "ORDER_NOT_FOUND", "not_found"), operation(), prober) is True


# -- idempotency.replay --------------------------------------------------------------------------------------


def created(body: Any = ORDER, status: int = 201, key: str | None = KEY) -> Exchange:
    sent = request("POST", "/v2/orders/create", body={"platform_order_id": "SHOP-1"}, key=key)
    return exchange(status, body, operation=CREATE, sent=sent)


def read(body: Any = ORDER, status: int = 200) -> Exchange:
    return exchange(
        status, body, operation="GET /v2/orders/{order_id}", sent=request("GET", "/v2/orders/ord_1")
    )


CREATE_INFO = operation(CREATE, state_changing=True, body_schema={"type": "object"})


def test_replay_passes_when_the_same_answer_comes_back_and_nothing_changed() -> None:
    first = created()
    prober = FakeProber(resend=[created()], reads=[[read()], [read()]])
    assert run("idempotency.replay", first, CREATE_INFO, prober) is True
    assert prober.calls == ["reads", "fresh_token", "resend", "reads"]
    (again,) = prober.sent
    # The same request, key and body, with a fresh token (the first may have expired meanwhile).
    assert again.header("Idempotency-Key") == KEY
    assert again.header("Authorization") == "Bearer tok_fresh_abcdef0123"
    assert (again.method, again.url, again.body) == (
        first.request.method,
        first.request.url,
        first.request.body,
    )


def test_replay_passes_without_links_to_read() -> None:
    prober = FakeProber(resend=[created()], reads=[[], []])
    assert run("idempotency.replay", created(), CREATE_INFO, prober) is True


def test_replay_fails_on_a_different_id() -> None:
    prober = FakeProber(resend=[created({**ORDER, "order_id": "ord_2"})], reads=[[read()]])
    with pytest.raises(CheckFailed) as failed:
        run("idempotency.replay", created(), CREATE_INFO, prober)
    assert failed.value.message == (
        "replay with the same Idempotency-Key answered a different body at /order_id: 'ord_2', "
        "the first answer had 'ord_1' (the request ran twice)"
    )


def test_replay_fails_on_a_different_status() -> None:
    conflict = error(409, "DUPLICATE_ORDER", "conflict")
    prober = FakeProber(resend=[conflict], reads=[[read()]])
    with pytest.raises(CheckFailed) as failed:
        run("idempotency.replay", created(), CREATE_INFO, prober)
    assert failed.value.message == (
        "replay with the same Idempotency-Key answered 409 DUPLICATE_ORDER; the first answer was 201"
    )
    assert failed.value.exchange is conflict


def test_replay_fails_on_a_type_change_in_the_body() -> None:
    prober = FakeProber(resend=[created({**ORDER, "total_amount": 39.98})], reads=[[read()]])
    with pytest.raises(CheckFailed, match=r"at /total_amount: 39\.98, the first answer had '39\.98'"):
        run("idempotency.replay", created(), CREATE_INFO, prober)


def test_replay_fails_when_a_linked_read_changed() -> None:
    after = read({**ORDER, "status": "paid"})
    prober = FakeProber(resend=[created()], reads=[[read()], [after]])
    with pytest.raises(CheckFailed) as failed:
        run("idempotency.replay", created(), CREATE_INFO, prober)
    message = failed.value.message
    assert message.startswith("the replay changed state: GET /v2/orders/{order_id} reads ")
    assert "'paid'" in message
    assert message.endswith(" before it")
    assert failed.value.evidence["read"].startswith("curl -sS -i -X GET ")
    assert "$OPENCLAW_TOKEN" in failed.value.evidence["read"]
    assert TOKEN not in failed.value.evidence["read"]


def test_replay_fails_when_a_linked_read_status_changed() -> None:
    prober = FakeProber(resend=[created()], reads=[[read()], [read({}, status=404)]])
    with pytest.raises(CheckFailed, match=r"the replay changed state: .* reads .*404"):
        run("idempotency.replay", created(), CREATE_INFO, prober)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (read({**ORDER, "status": "paid"}), "reads 'paid' at /1/status after it, 'created' before it"),
        (read(ORDER, status=404), "reads 404 at /0 after it, 200 before it"),
    ],
    ids=["body", "status"],
)
def test_replay_points_at_what_changed_in_a_read(after: Exchange, expected: str) -> None:
    prober = FakeProber(resend=[created()], reads=[[read()], [after]])
    with pytest.raises(CheckFailed) as failed:
        run("idempotency.replay", created(), CREATE_INFO, prober)
    assert failed.value.message == f"the replay changed state: GET /v2/orders/{{order_id}} {expected}"


@pytest.mark.parametrize(
    ("ex", "info", "with_prober"),
    [
        (created(status=400), CREATE_INFO, True),
        (created(status=409), CREATE_INFO, True),
        (created(key=None), CREATE_INFO, True),
        (created(), operation(CREATE, state_changing=False), True),
        (created(), CREATE_INFO, False),
    ],
    ids=["400", "409", "no-key", "not-state-changing", "no-prober"],
)
@pytest.mark.parametrize("check_id", ["idempotency.replay", "idempotency.key_reuse"])
def test_idempotency_probes_do_not_apply(
    check_id: str, ex: Exchange, info: OperationInfo, with_prober: bool
) -> None:
    prober = FakeProber() if with_prober else None
    assert run(check_id, ex, info, prober) is False
    assert prober is None or prober.calls == []


# -- idempotency.key_reuse -----------------------------------------------------------------------------------

MUTATED = json.dumps({"platform_order_id": "SHOP-1x"}).encode()


def test_key_reuse_passes_on_409_key_reused() -> None:
    first = created()
    prober = FakeProber(resend=[error(409, "IDEMPOTENCY_KEY_REUSED", "conflict")], mutated=MUTATED)
    assert run("idempotency.key_reuse", first, CREATE_INFO, prober) is True
    (sent,) = prober.sent
    assert sent.body == MUTATED
    assert sent.header("Idempotency-Key") == KEY
    assert sent.header("Authorization") == "Bearer tok_fresh_abcdef0123"
    assert (sent.method, sent.url) == (first.request.method, first.request.url)


@pytest.mark.parametrize(
    ("probe", "shown"),
    [
        (created({**ORDER, "order_id": "ord_2"}), "201"),
        (created(), "201"),
        (error(400, "VALIDATION_ERROR", "validation"), "400 VALIDATION_ERROR"),
        (error(409, "DUPLICATE_ORDER", "conflict"), "409 DUPLICATE_ORDER"),
    ],
    ids=["ran-again", "replayed-first", "400", "other-409"],
)
def test_key_reuse_fails_on_anything_but_409_key_reused(probe: Exchange, shown: str) -> None:
    prober = FakeProber(resend=[probe], mutated=MUTATED)
    with pytest.raises(CheckFailed) as failed:
        run("idempotency.key_reuse", created(), CREATE_INFO, prober)
    assert failed.value.message == (
        f"the same Idempotency-Key with a different body answered {shown}, "
        "expected 409 IDEMPOTENCY_KEY_REUSED"
    )
    assert failed.value.exchange is probe


def test_key_reuse_does_not_apply_when_no_field_can_change() -> None:
    prober = FakeProber(mutated=None)
    assert run("idempotency.key_reuse", created(), CREATE_INFO, prober) is False
    assert prober.calls == ["mutated_body"]


def test_probes_never_modify_the_original_request() -> None:
    first = created()
    headers_before = dict(first.request.headers)
    prober = FakeProber(resend=[error(409, "IDEMPOTENCY_KEY_REUSED", "conflict")], mutated=MUTATED)
    run("idempotency.key_reuse", first, CREATE_INFO, prober)
    assert dict(first.request.headers) == headers_before
    assert isinstance(prober.sent[0], SentRequest)
