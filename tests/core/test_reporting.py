"""Renderers of SuiteResult: JSON, JUnit XML, console."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from clawcheck.core.results import CheckRecord, Status, SuiteResult
from clawcheck.errors import ConfigError
from clawcheck.reporting import FORMATS, render

CURL = "curl -sS -i -X GET 'http://127.0.0.1:8080/v2/orders/ord_1'"


def result(*, complete: bool = True, failing: bool = True) -> SuiteResult:
    checks = [
        CheckRecord(
            "errors.envelope", "Envelope", Status.PASS, "4 checked", {"checked": 4}, "GET /v2/orders"
        ),
        CheckRecord("datetime.utc", "UTC", Status.WARN, "slow", operation="GET /v2/orders"),
        CheckRecord("auth.expired_token", "Expired", Status.SKIP, "tokens live 7200 s"),
        CheckRecord("ratelimit.enforced", "Limit", Status.PASS, "15 of 25 answered 429"),
    ]
    if failing:
        checks.append(
            CheckRecord(
                "errors.trace_id", "Trace", Status.FAIL, 'trace <a> & "b" differ (1 of 2 failed)',
                {"curl": CURL, "response": {"status": 404, "body": "龙虾"}}, "GET /v2/orders/{order_id}",
            )
        )  # fmt: skip
        checks.append(CheckRecord("errors.trace_id", "Trace", Status.PASS, "2 checked", {}, "GET /v2/orders"))
    return SuiteResult(
        "contract", "http://127.0.0.1:8080", "2026-03-19T08:30:00.000Z", "2026-03-19T08:30:02.500Z",
        tuple(checks), {"cases": 42}, complete,
    )  # fmt: skip


def test_registered_formats() -> None:
    assert sorted(FORMATS.names()) == ["console", "json", "junit"]
    with pytest.raises(ConfigError, match="unknown report format 'html'; known: console, json, junit"):
        render("html", result())


@pytest.mark.parametrize("complete", [True, False])
def test_json_round_trips(complete: bool) -> None:
    original = result(complete=complete)
    text = render("json", original)
    assert text.endswith("}\n")
    assert "龙虾" in text
    assert SuiteResult.from_dict(json.loads(text)) == original


def parse_junit(text: str) -> ET.Element:
    assert text.startswith("<?xml")
    return ET.fromstring(text)


def test_junit_one_testcase_per_record_with_failure_and_skipped() -> None:
    original = result()
    root = parse_junit(render("junit", original))
    (testsuite,) = root.findall("testsuite")
    cases = testsuite.findall("testcase")
    assert len(cases) == len(original.checks)
    assert testsuite.attrib["tests"] == str(len(original.checks))
    assert (testsuite.attrib["failures"], testsuite.attrib["skipped"], testsuite.attrib["errors"]) == (
        "1",
        "1",
        "0",
    )
    assert testsuite.attrib["time"] == "2.500"
    names = [c.attrib["name"] for c in cases]
    assert "errors.trace_id [GET /v2/orders/{order_id}]" in names
    assert "ratelimit.enforced" in names
    by_name = dict(zip(names, cases, strict=True))
    failure = by_name["errors.trace_id [GET /v2/orders/{order_id}]"].find("failure")
    assert failure is not None
    assert failure.attrib["message"] == 'trace <a> & "b" differ (1 of 2 failed)'
    assert failure.attrib["type"] == "errors.trace_id"
    assert json.loads(failure.text or "") == {"curl": CURL, "response": {"status": 404, "body": "龙虾"}}
    skipped = by_name["auth.expired_token"].find("skipped")
    assert skipped is not None
    assert skipped.attrib["message"] == "tokens live 7200 s"
    warn_out = by_name["datetime.utc [GET /v2/orders]"].find("system-out")
    assert warn_out is not None
    assert warn_out.text == "warning: slow"
    passed = by_name["ratelimit.enforced"]
    assert list(passed) == []


def test_junit_marks_an_incomplete_run_as_an_error() -> None:
    root = parse_junit(render("junit", result(complete=False, failing=False)))
    testsuite = root.find("testsuite")
    assert testsuite is not None
    assert testsuite.attrib["errors"] == "1"
    assert testsuite.find("error") is not None
    props = {p.attrib["name"]: p.attrib["value"] for p in testsuite.iter("property")}
    assert props == {"target": "http://127.0.0.1:8080", "complete": "false"}


def test_junit_survives_unparsable_timestamps() -> None:
    broken = SuiteResult("contract", "t", "yesterday", "today")
    testsuite = parse_junit(render("junit", broken)).find("testsuite")
    assert testsuite is not None
    assert testsuite.attrib["time"] == "0.000"


def test_junit_stays_parsable_with_control_characters_in_messages() -> None:
    record = CheckRecord("auth.missing", "Missing", Status.FAIL, "answered 401 \x1b[31mAUTH\x00", {})
    parse_junit(render("junit", SuiteResult("contract", "t", "a", "b", (record,))))


def lines_of(text: str) -> list[str]:
    assert text.endswith("\n")
    return text.rstrip("\n").split("\n")


@pytest.mark.parametrize(
    ("complete", "failing", "verdict"),
    [
        (True, True, "FAILED"),
        (True, False, "PASSED"),
        (False, False, "INCOMPLETE"),
        (False, True, "INCOMPLETE"),
    ],
)
def test_console_ends_with_a_verdict_line(complete: bool, failing: bool, verdict: str) -> None:
    original = result(complete=complete, failing=failing)
    last = lines_of(render("console", original))[-1]
    counts = original.counts()
    assert last == (
        f"{verdict}: {counts['pass']} passed, {counts['fail']} failed, {counts['warn']} warnings, "
        f"{counts['skip']} skipped, 42 cases against http://127.0.0.1:8080"
    )


def test_console_lists_each_check_once_worst_first_and_shows_failures() -> None:
    lines = lines_of(render("console", result()))
    assert lines[0].split() == ["check", "status", "operations"]
    table = lines[1 : lines.index("")]
    assert [line.split()[0] for line in table] == [
        "errors.trace_id", "datetime.utc", "errors.envelope", "ratelimit.enforced", "auth.expired_token",
    ]  # fmt: skip
    assert table[0].split()[1:] == ["fail", "1/2", "failing"]
    assert table[-1].split(None, 2)[1:] == ["skip", "tokens live 7200 s"]
    assert "Failures:" in lines
    assert '  [errors.trace_id] GET /v2/orders/{order_id}: trace <a> & "b" differ (1 of 2 failed)' in lines
    assert f"      reproduce: {CURL}" in lines


def test_console_without_cases_metric_or_checks() -> None:
    text = render("console", SuiteResult("contract", "http://x", "a", "b"))
    assert lines_of(text)[-1] == "PASSED: 0 passed, 0 failed, 0 warnings, 0 skipped against http://x"
