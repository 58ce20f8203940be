"""The results document: verdict, counts and a lossless JSON round trip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clawcheck.core.results import SCHEMA_VERSION, CheckRecord, Status, SuiteResult, utc_now


def record(status: Status, check_id: str = "errors.envelope", operation: str | None = None) -> CheckRecord:
    return CheckRecord(
        check_id, "Error bodies use the envelope", status, f"{status} message", operation=operation
    )


def suite(*statuses: Status, complete: bool = True) -> SuiteResult:
    return SuiteResult(
        suite="contract",
        target="http://127.0.0.1:8080",
        started_at="2026-03-19T08:30:00.000Z",
        finished_at="2026-03-19T08:31:05.250Z",
        checks=tuple(record(s, f"check.{i}") for i, s in enumerate(statuses)),
        metrics={"cases": 12},
        complete=complete,
    )


def test_utc_now_is_utc_with_z() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", utc_now())


@pytest.mark.parametrize(
    ("statuses", "complete", "passed"),
    [
        ((), True, True),
        ((Status.PASS, Status.PASS), True, True),
        ((Status.PASS, Status.WARN), True, True),
        ((Status.PASS, Status.SKIP), True, True),
        ((Status.PASS, Status.FAIL), True, False),
        ((Status.FAIL,), True, False),
        ((Status.PASS,), False, False),
        ((), False, False),
    ],
)
def test_passed(statuses: tuple[Status, ...], complete: bool, passed: bool) -> None:
    assert suite(*statuses, complete=complete).passed is passed


def test_counts_keep_skip_apart_from_pass() -> None:
    result = suite(Status.PASS, Status.SKIP, Status.SKIP, Status.FAIL, Status.WARN)
    assert result.counts() == {"pass": 1, "fail": 1, "warn": 1, "skip": 2}
    assert suite(Status.SKIP).counts()["pass"] == 0


def test_failed_returns_only_failures() -> None:
    result = suite(Status.PASS, Status.FAIL, Status.SKIP, Status.FAIL)
    assert [r.id for r in result.failed()] == ["check.1", "check.3"]


def test_with_checks_appends_without_mutating() -> None:
    result = suite(Status.PASS)
    more = result.with_checks([record(Status.FAIL, "x")])
    assert len(result.checks) == 1
    assert len(more.checks) == 2
    assert result.passed
    assert not more.passed


def test_to_dict_shape() -> None:
    data = suite(Status.PASS, Status.FAIL, complete=False).to_dict()
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["passed"] is False
    assert data["complete"] is False
    assert data["summary"] == {"pass": 1, "fail": 1, "warn": 0, "skip": 0}
    assert data["checks"][0] == {
        "id": "check.0", "title": "Error bodies use the envelope", "status": "pass",
        "message": "pass message", "evidence": {},
    }  # fmt: skip
    json.dumps(data)  # plain JSON types only


def test_record_optional_fields_appear_only_when_set() -> None:
    full = CheckRecord(
        "a.b", "t", Status.FAIL, "m", {"curl": "curl x"}, operation="GET /healthz", title_zh="标题"
    )
    assert full.to_dict()["operation"] == "GET /healthz"
    assert full.to_dict()["title_zh"] == "标题"
    assert CheckRecord.from_dict(full.to_dict()) == full
    bare = CheckRecord.from_dict({"id": "a.b", "title": "t", "status": "skip"})
    assert bare == CheckRecord("a.b", "t", Status.SKIP)
    assert "operation" not in bare.to_dict()
    assert "title_zh" not in bare.to_dict()


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="'passed'"):
        CheckRecord.from_dict({"id": "a", "title": "t", "status": "passed"})


def test_round_trip_through_dict_and_json(tmp_path: Path) -> None:
    result = SuiteResult(
        suite="contract",
        target="http://127.0.0.1:8080",
        started_at="2026-03-19T08:30:00.000Z",
        finished_at="2026-03-19T08:31:00.000Z",
        checks=(
            CheckRecord("a.b", "A", Status.PASS, "3 checked", {"checked": 3}, "GET /v2/orders", "甲"),
            CheckRecord(
                "c.d", "C", Status.FAIL, "broke", {"curl": "curl -X GET 'x'", "nested": [1, {"k": None}]}
            ),
            CheckRecord("e.f", "E", Status.SKIP, "not exercised"),
        ),
        metrics={"cases": 3, "statuses": {"200": 3}},
        complete=False,
    )
    assert SuiteResult.from_dict(result.to_dict()) == result
    path = tmp_path / "deep" / "results.json"
    result.write_json(path)
    assert SuiteResult.read_json(path) == result
    assert "甲" in path.read_text(encoding="utf-8")  # not \u-escaped


def test_from_dict_recomputes_passed_rather_than_trusting_it() -> None:
    data = suite(Status.FAIL).to_dict()
    data["passed"] = True
    assert SuiteResult.from_dict(data).passed is False
