"""Profiles as data, and a run's results document and table, from synthetic recordings."""

from __future__ import annotations

from pathlib import Path

import pytest

from clawcheck.core.results import Status, SuiteResult
from clawcheck.errors import ConfigError
from clawcheck.load.profiles import get_profile, load_profiles, parse_duration
from clawcheck.load.recorder import Recorder
from clawcheck.load.report import RunInfo, build_result, ordered, render_table
from clawcheck.load.sla import spec_operations

CREATE = "POST /v2/orders/create"
HEALTH = "GET /healthz"


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("90s", 90), ("5m", 300), ("1h30m", 5400), ("2.5s", 2.5)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten", "5x", "0s", "25h", "-5s"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)


def test_profiles_are_data() -> None:
    profiles = load_profiles()
    assert set(profiles) == {"smoke", "go-live", "soak", "spike"}
    for profile in profiles.values():
        assert profile.duration > 0
        assert profile.max_requests > 0  # every run is bounded
        ops = spec_operations()
        assert set(profile.weights) <= set(ops)
        top = max(profile.weights.values())
        priority = [name for name, op in ops.items() if op.priority == 1]
        assert all(profile.weights[name] >= 10 for name in priority)
        assert profile.weights[CREATE] == top


def test_bad_profiles_file(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text("[profiles.x]\nusers = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="users must be a non-negative number"):
        load_profiles(path)
    path.write_text("[profiles.x]\nspeed = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key"):
        load_profiles(path)
    path.write_text("not toml [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_profiles(path)
    with pytest.raises(ConfigError, match="unknown load profile 'nope'"):
        get_profile("nope")


def recorded() -> Recorder:
    ops = spec_operations()
    recorder = Recorder({name: op.declared for name, op in ops.items()}, started=100.0)
    for i in range(2000):
        recorder.record(CREATE, 805.0 if i % 100 >= 88 else 30.0, 201, start_time=100 + i / 500)
        recorder.record(
            HEALTH, 5.0, 503 if i % 1000 < 1 else 200, error_code="INJECTED_FAULT", start_time=100
        )
    recorder.record("POST /v2/oauth/token", 9.0, 200, start_time=100)
    return recorder


def info(complete: bool = True) -> RunInfo:
    return RunInfo(
        "http://127.0.0.1:1", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:04.000Z", complete, 4.0, {}
    )


def test_results_document_has_a_record_per_operation_and_aspect() -> None:
    result = build_result(recorded(), spec_operations(), info(), [CREATE, HEALTH])
    by_key = {(c.id, c.operation): c for c in result.checks}
    assert [c.operation for c in result.checks] == [CREATE, CREATE, HEALTH, HEALTH, None]  # priority first
    assert by_key[("sla.p95", CREATE)].status is Status.FAIL
    assert by_key[("sla.success_rate", CREATE)].status is Status.PASS
    assert by_key[("sla.p95", HEALTH)].status is Status.PASS
    health_rate = by_key[("sla.success_rate", HEALTH)]
    assert health_rate.evidence["failures_by_code"] == {"INJECTED_FAULT": 2}
    assert by_key[("sla.overall", None)].status is Status.FAIL
    assert not result.passed
    metrics = result.metrics
    assert metrics["requests"] == 4001
    assert "POST /v2/oauth/token" in metrics["operations"]  # measured, not judged
    assert metrics["operations"][CREATE]["latency_ms"]["p95"] == pytest.approx(805, rel=0.001)
    assert [row["requests"] for row in metrics["series"]] == [2501, 500, 500, 500]
    again = SuiteResult.from_dict(result.to_dict())
    assert again.checks == result.checks


def test_incomplete_run_is_never_a_pass() -> None:
    recorder = Recorder()
    for _ in range(2000):
        recorder.record(HEALTH, 5.0, 200)
    result = build_result(recorder, spec_operations(), info(complete=False), [HEALTH])
    assert not result.passed
    overall = result.checks[-1]
    assert overall.status is Status.FAIL
    assert overall.evidence["verdict"] == "incomplete"


def test_table_lists_judged_and_measured_operations() -> None:
    table = render_table(build_result(recorded(), spec_operations(), info(), [CREATE, HEALTH]))
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["operation", "count", "fail"]
    assert lines[2].startswith(CREATE)
    assert lines[2].split()[-2:] == ["fail", "pass"]
    assert "POST /v2/oauth/token" in table
    assert "not judged" in table
    assert lines[-1].startswith("overall: fail")


def test_ordering_puts_priority_operations_first() -> None:
    names = ["GET /healthz", "POST /v2/shipments/confirm", "X /unknown", CREATE, "POST /v2/inventory/adjust"]
    assert ordered(names, spec_operations()) == [
        CREATE, "POST /v2/inventory/adjust", "POST /v2/shipments/confirm", "GET /healthz", "X /unknown",
    ]  # fmt: skip
