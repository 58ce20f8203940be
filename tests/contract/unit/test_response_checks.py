"""Response checks, each shown passing, failing with a useful message, and not applying."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clawcheck.contract.checks import CHECKS, CheckFailed, CheckInput, load_all
from clawcheck.contract.exchange import Exchange

from .helpers import TRACE, error, exchange, operation


def run(check_id: str, ex: Exchange) -> bool:
    load_all()
    result = CHECKS.get(check_id).fn(CheckInput(ex, operation(ex.operation)))
    assert isinstance(result, bool)
    return result


# -- errors.envelope -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["auth", "validation", "rate_limit", "not_found", "conflict", "platform"])
def test_envelope_passes_for_every_known_type(kind: str) -> None:
    assert run("errors.envelope", error(409, "SOME_CODE", kind)) is True


def test_envelope_allows_an_empty_message() -> None:
    assert run("errors.envelope", error(400, "VALIDATION_ERROR", "validation", message="")) is True


@pytest.mark.parametrize("status", [200, 201, 204, 302, 399])
def test_envelope_does_not_apply_below_400(status: int) -> None:
    assert run("errors.envelope", exchange(status, {"code": "flat"})) is False


def test_envelope_fails_on_unknown_type() -> None:
    with pytest.raises(
        CheckFailed, match=r"409 error envelope: `type` is 'business', expected one of auth, "
    ):
        run("errors.envelope", error(409, "X", "business"))


def test_envelope_fails_on_missing_trace_id() -> None:
    body = {"error": {"code": "ORDER_NOT_FOUND", "type": "not_found", "message": "gone"}}
    with pytest.raises(CheckFailed, match="`trace_id` missing or not a non-empty string"):
        run("errors.envelope", exchange(404, body))


@pytest.mark.parametrize(
    ("inner", "named"),
    [
        ({"code": "", "type": "auth", "message": "m", "trace_id": "t"}, "code"),
        ({"code": 401, "type": "auth", "message": "m", "trace_id": "t"}, "code"),
        ({"code": "C", "type": "auth", "message": None, "trace_id": "t"}, "message"),
        ({"code": "C", "type": "auth", "message": "m", "trace_id": ""}, "trace_id"),
    ],
)
def test_envelope_names_each_bad_field(inner: dict[str, Any], named: str) -> None:
    with pytest.raises(CheckFailed) as failed:
        run("errors.envelope", exchange(401, {"error": inner}))
    assert f"`{named}` missing or not a non-empty string" in failed.value.message


def test_envelope_lists_every_problem_at_once() -> None:
    with pytest.raises(CheckFailed) as failed:
        run("errors.envelope", exchange(500, {"error": {"type": "oops"}}))
    message = failed.value.message
    assert message.startswith("500 error envelope: ")
    for part in ("`code`", "`message`", "`trace_id`", "`type` is 'oops'"):
        assert part in message


def test_envelope_fails_on_flat_body_and_shows_it() -> None:
    with pytest.raises(
        CheckFailed, match=r'404 body is not an \{"error": \{\.\.\.\}\} envelope: .*ORDER_NOT_FOUND'
    ):
        run("errors.envelope", exchange(404, {"code": "ORDER_NOT_FOUND", "message": "gone"}))


def test_envelope_fails_on_non_json_error_body() -> None:
    html = b"<html><body>502 Bad Gateway</body></html>"
    ex = exchange(502, html, content_type="text/html")
    with pytest.raises(CheckFailed, match=r"502 body is not an .*502 Bad Gateway") as failed:
        run("errors.envelope", ex)
    assert failed.value.exchange is ex


@pytest.mark.parametrize("body", [b"", b"[]", b'"error"', b'{"error": "boom"}', b'{"error": null}'])
def test_envelope_fails_on_other_shapes(body: bytes) -> None:
    with pytest.raises(CheckFailed, match="body is not an"):
        run("errors.envelope", exchange(500, body))


def test_envelope_quotes_only_the_start_of_a_long_body() -> None:
    with pytest.raises(CheckFailed) as failed:
        run("errors.envelope", exchange(503, b"x" * 5000, content_type="text/plain"))
    assert "x" * 120 in failed.value.message
    assert "x" * 121 not in failed.value.message


# -- errors.trace_id -----------------------------------------------------------------------------------------


def test_trace_id_passes_on_success_with_header() -> None:
    assert run("errors.trace_id", exchange(200, {"order_id": "ord_1"})) is True


def test_trace_id_passes_when_error_repeats_the_header() -> None:
    assert run("errors.trace_id", error(404, "ORDER_NOT_FOUND", "not_found")) is True


@pytest.mark.parametrize("status", [200, 204, 404, 500])
def test_trace_id_fails_without_header_on_any_response(status: int) -> None:
    with pytest.raises(CheckFailed, match=f"{status} response has no X-OpenClaw-Trace-Id header"):
        run("errors.trace_id", exchange(status, {}, trace=None))


def test_trace_id_fails_on_empty_header() -> None:
    with pytest.raises(CheckFailed, match="no X-OpenClaw-Trace-Id"):
        run("errors.trace_id", exchange(200, {}, trace=""))


def test_trace_id_fails_when_body_disagrees() -> None:
    body = {"error": {"code": "C", "type": "conflict", "message": "m", "trace_id": "trc_other"}}
    expected = f"error trace_id 'trc_other' differs from X-OpenClaw-Trace-Id '{TRACE}'"
    with pytest.raises(CheckFailed, match=re.escape(expected)):
        run("errors.trace_id", exchange(409, body))


def test_trace_id_leaves_a_missing_body_trace_id_to_the_envelope_check() -> None:
    body = {"error": {"code": "C", "type": "conflict", "message": "m"}}
    assert run("errors.trace_id", exchange(409, body)) is True


def test_trace_id_ignores_trace_id_fields_in_success_bodies() -> None:
    assert run("errors.trace_id", exchange(200, {"error": {"trace_id": "something else"}})) is True


# -- datetime.utc --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2026-03-19T08:30:00Z", "2026-03-19T08:30:00.123Z", "2026-03-19T08:30:00.123456Z", "2026-03-19T08:30Z"],
)
def test_datetime_passes_utc_with_z(value: str) -> None:
    assert run("datetime.utc", exchange(200, {"created_at": value, "nested": [{"at": value}]})) is True


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-19",
        "19:30:00",
        "2026-03",
        "20260319T083000Z",
        "not a date",
        "",
        "order 2026-03-19T08:30:00+08:00",
    ],
)
def test_datetime_ignores_strings_that_are_not_date_times(value: str) -> None:
    assert run("datetime.utc", exchange(200, {"placed_on": value})) is True


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026-03-19T16:30:00+08:00", "offset"),
        ("2026-03-19T08:30:00+00:00", "a zero offset is still not Z"),
        ("2026-03-19T08:30:00-05:00", "negative offset"),
        ("2026-03-19T16:30:00+0800", "offset without colon"),
        ("2026-03-19T16:30:00", "zone-less local time"),
        ("2026-03-19T16:30:00.5", "zone-less with fraction"),
        ("2026-03-19 16:30:00", "space separator, no zone"),
        ("2026-03-19T08:30:00z", "lowercase z"),
    ],
)
def test_datetime_fails_on_non_utc(value: str, why: str) -> None:
    with pytest.raises(CheckFailed, match="date-times not in UTC with Z") as failed:
        run("datetime.utc", exchange(200, {"created_at": value}))
    assert f"/created_at = {value!r}" in failed.value.message, why


def test_datetime_reports_json_pointers_in_nested_lists() -> None:
    body = {
        "data": [
            {"created_at": "2026-03-19T08:30:00Z"},
            {
                "events": [
                    {"occurred_at": "2026-03-19T08:30:00Z"},
                    {"occurred_at": "2026-03-19T16:30:00+08:00"},
                ]
            },
        ]
    }
    with pytest.raises(CheckFailed) as failed:
        run("datetime.utc", exchange(200, body))
    assert (
        failed.value.message
        == "date-times not in UTC with Z: /data/1/events/1/occurred_at = '2026-03-19T16:30:00+08:00'"
    )


def test_datetime_escapes_keys_in_pointers() -> None:
    with pytest.raises(CheckFailed, match="/a~1b/c~0d = "):
        run("datetime.utc", exchange(200, {"a/b": {"c~d": "2026-03-19T16:30:00+08:00"}}))


def test_datetime_shows_three_offenders_and_counts_the_rest() -> None:
    body = {f"t{i}": "2026-03-19T16:30:00+08:00" for i in range(5)}
    with pytest.raises(CheckFailed) as failed:
        run("datetime.utc", exchange(200, body))
    message = failed.value.message
    assert message.count("+08:00") == 3
    assert message.endswith("(and 2 more)")


def test_datetime_checks_a_bare_string_body() -> None:
    with pytest.raises(CheckFailed, match="/ = '2026-03-19T16:30:00"):
        run("datetime.utc", exchange(200, "2026-03-19T16:30:00+08:00"))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<p>2026-03-19T16:30:00+08:00</p>", "text/html"),
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b"null", "application/json"),
    ],
)
def test_datetime_does_not_apply_without_a_json_body(body: bytes, content_type: str) -> None:
    assert run("datetime.utc", exchange(200, body, content_type=content_type)) is False


def test_datetime_reads_json_without_a_content_type() -> None:
    with pytest.raises(CheckFailed):
        run("datetime.utc", exchange(200, {"at": "2026-03-19T16:30:00"}, content_type=None))


# -- ratelimit.retry_after -----------------------------------------------------------------------------------


def limited(retry_after: str | None, kind: Any = "rate_limit") -> Exchange:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    body = {"error": {"code": "RATE_LIMITED", "type": kind, "message": "slow down", "trace_id": TRACE}}
    return exchange(429, body, headers=headers)


@pytest.mark.parametrize("value", ["1", "2", "30", " 3 ", "01"])
def test_retry_after_passes_whole_seconds(value: str) -> None:
    assert run("ratelimit.retry_after", limited(value)) is True


@pytest.mark.parametrize("status", [200, 400, 401, 503])
def test_retry_after_does_not_apply_to_other_statuses(status: int) -> None:
    assert run("ratelimit.retry_after", exchange(status, {}, headers={"Retry-After": "soon"})) is False


def test_retry_after_fails_when_missing() -> None:
    with pytest.raises(
        CheckFailed, match="429 without a Retry-After header: clients cannot know when to retry"
    ):
        run("ratelimit.retry_after", limited(None))


@pytest.mark.parametrize("value", ["0", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "", "soon", "1s"])
def test_retry_after_fails_on_anything_but_whole_seconds_of_at_least_one(value: str) -> None:
    expected = f"429 Retry-After is {value!r}; the protocol wants whole seconds, at least 1"
    with pytest.raises(CheckFailed, match=re.escape(expected)):
        run("ratelimit.retry_after", limited(value))


def test_retry_after_fails_on_wrong_error_type() -> None:
    with pytest.raises(CheckFailed, match="429 error type is 'platform', expected 'rate_limit'"):
        run("ratelimit.retry_after", limited("1", kind="platform"))


def test_retry_after_leaves_a_non_json_body_to_the_envelope_check() -> None:
    ex = exchange(429, b"Too Many Requests", content_type="text/plain", headers={"Retry-After": "1"})
    assert run("ratelimit.retry_after", ex) is True


@pytest.mark.parametrize("inner", ["slow down", None, ["rate_limit"]])
def test_retry_after_survives_a_non_object_error_member(inner: Any) -> None:
    # A broken envelope is errors.envelope's to report; this check must not crash on it.
    ex = exchange(429, {"error": inner}, headers={"Retry-After": "1"})
    assert run("ratelimit.retry_after", ex) is True


# -- inventory.non_negative ----------------------------------------------------------------------------------


def level(on_hand: Any = 10, reserved: Any = 3, available: Any = 7, **extra: Any) -> dict[str, Any]:
    return {
        "sku": "SKU-RED-M",
        "warehouse_id": "WH-SZ-01",
        "on_hand": on_hand,
        "reserved": reserved,
        "available": available,
        **extra,
    }


def test_inventory_passes_a_consistent_level() -> None:
    assert run("inventory.non_negative", exchange(200, level())) is True


def test_inventory_passes_zero_stock() -> None:
    assert run("inventory.non_negative", exchange(200, level(0, 0, 0))) is True


def test_inventory_checks_levels_nested_in_lists_and_objects() -> None:
    body = {"sku": "SKU-RED-M", "levels": [level(), level(5, 5, 0)], "total_available": 7}
    assert run("inventory.non_negative", exchange(200, body)) is True
    transfer = {"transfer_id": "trf_1", "from": level(), "to": level(1, 0, 1)}
    assert run("inventory.non_negative", exchange(200, transfer)) is True


@pytest.mark.parametrize(
    "body",
    [{"order_id": "ord_1", "lines": [{"sku": "A", "quantity": 1}]}, [], {}, {"on_hand": 3}, {"available": 3}],
)
def test_inventory_does_not_apply_without_levels(body: Any) -> None:
    assert run("inventory.non_negative", exchange(200, body)) is False


def test_inventory_does_not_apply_to_non_json() -> None:
    assert run("inventory.non_negative", exchange(200, b"on_hand", content_type="text/plain")) is False


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((5, 8, -3), "negative stock: available=-3"),
        ((-1, 0, -1), "negative stock: on_hand=-1, available=-1"),
        ((2, -1, 3), "negative stock: reserved=-1"),
    ],
)
def test_inventory_fails_on_negative_stock(values: tuple[int, int, int], expected: str) -> None:
    body = {"sku": "SKU-RED-M", "levels": [level(), level(*values)]}
    with pytest.raises(CheckFailed) as failed:
        run("inventory.non_negative", exchange(200, body))
    assert failed.value.message == f"{expected} at /levels/1 (sku 'SKU-RED-M')"


def test_inventory_fails_when_available_is_not_on_hand_minus_reserved() -> None:
    with pytest.raises(CheckFailed) as failed:
        run("inventory.non_negative", exchange(200, level(10, 3, 8)))
    assert failed.value.message == "available=8 but on_hand - reserved = 7 at / (sku 'SKU-RED-M')"


def test_inventory_skips_the_sum_when_a_number_is_missing() -> None:
    assert run("inventory.non_negative", exchange(200, {"on_hand": 4, "available": 9})) is True
