"""Sandbox latency and error injection: deterministic schedules, the error envelope, config and CLI."""

from __future__ import annotations

import time

import httpx
import pytest

from clawcheck.errors import ConfigError
from clawcheck.sandbox import Sandbox, SandboxConfig
from clawcheck.sandbox.injection import INJECTED_FAULT, InjectionPlan, LatencyRule, parse_rule


def test_parse_rule_expands_repeats_and_reads_errors() -> None:
    rule = parse_rule("get /healthz latency=5*3,40 errors=2/10 status=503")
    assert rule == LatencyRule("GET /healthz", (5.0, 5.0, 5.0, 40.0), errors=2, per=10, status=503)
    assert rule.schedule(6) == [5.0, 5.0, 5.0, 40.0, 5.0, 5.0]
    assert [rule.fails(i) for i in (0, 1, 2, 9, 10, 11, 12)] == [True, True, False, False, True, True, False]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty rule"),
        ("/healthz latency=5", "start with 'METHOD /path'"),
        ("GET /healthz latency=abc", "is not a number"),
        ("GET /healthz latency=5*0", "repeat count must be at least 1"),
        ("GET /healthz latency=-1", "outside"),
        ("GET /healthz errors=5/4", "errors must be K/N"),
        ("GET /healthz status=404", "status must be 500 or 503"),
        ("GET /healthz colour=red", "unknown key 'colour'"),
        ("GET /healthz latency", "is not key=value"),
    ],
)
def test_bad_rules_are_config_errors(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_rule(spec)


def test_two_rules_for_one_operation_are_refused() -> None:
    with pytest.raises(ConfigError, match="two rules for GET /healthz"):
        InjectionPlan.of(["GET /healthz latency=1", "GET /healthz latency=2"])


def test_config_accepts_text_rules_and_falls_back_to_the_wildcard() -> None:
    config = SandboxConfig(latency=["* latency=3", "POST /v2/orders/create latency=7"])  # type: ignore[arg-type]
    assert isinstance(config.latency, InjectionPlan)
    assert config.latency.rule_for("POST /v2/orders/create") == LatencyRule("POST /v2/orders/create", (7.0,))
    rule = config.latency.rule_for("GET /healthz")
    assert rule is not None
    assert rule.latency_ms == (3.0,)


def test_errors_follow_the_schedule_with_the_envelope() -> None:
    config = SandboxConfig(latency=InjectionPlan.of(["GET /healthz errors=2/5 status=503"]))
    with Sandbox(config) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        answers = [http.get("/healthz") for _ in range(10)]
    assert [r.status_code for r in answers] == [503, 503, 200, 200, 200] * 2
    failed = answers[0]
    error = failed.json()["error"]
    assert error["code"] == INJECTED_FAULT
    assert error["type"] == "platform"
    assert error["trace_id"] == failed.headers["x-openclaw-trace-id"]


def test_latency_is_added_per_request_of_the_operation_only() -> None:
    config = SandboxConfig(latency=InjectionPlan.of(["GET /healthz latency=0,120"]))
    with Sandbox(config) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        http.get("/healthz")  # warm the connection
        timings = []
        for _ in range(4):
            started = time.perf_counter()
            http.get("/healthz")
            timings.append(time.perf_counter() - started)
        other = http.get("/v2/orders")  # another operation: not delayed, auth still applies
    # requests 1..4 of the operation: latency 120, 0, 120, 0 ms
    assert timings[0] >= 0.12
    assert timings[2] >= 0.12
    assert other.status_code == 401


def test_templated_paths_match_their_operation() -> None:
    config = SandboxConfig(latency=InjectionPlan.of(["GET /v2/orders/{order_id} errors=1/1"]))
    with Sandbox(config) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        assert http.get("/v2/orders/ord_123").status_code == 500
        assert http.get("/v2/orders").status_code == 401  # the list is another operation


def test_cli_rejects_a_bad_inject_spec() -> None:
    from click.testing import CliRunner

    from clawcheck.cli import (
        cli,
        commands,  # noqa: F401
    )

    result = CliRunner().invoke(cli, ["sandbox", "--inject", "GET /healthz latency=x"])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError)
