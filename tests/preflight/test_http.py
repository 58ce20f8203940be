"""The preflight against real plain-http targets on loopback: the sandbox, and one target per broken rule."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from clawcheck.core.results import Status
from clawcheck.preflight import PreflightSettings, check_ids, run_preflight
from clawcheck.sandbox import Sandbox
from clawcheck.serving import ASGIServer

from .conftest import failing, record, statuses
from .targets import HEALTHY, Served, health_app

ALL = set(check_ids())


def sandbox_settings(base_url: str, **overrides: Any) -> PreflightSettings:
    return PreflightSettings(base_url=base_url, environment_kind="sandbox", **overrides)


def test_the_embedded_sandbox_passes_every_check(sandbox: Sandbox) -> None:
    result = run_preflight(sandbox_settings(sandbox.base_url))
    assert result.suite == "preflight"
    assert result.passed
    assert result.complete
    assert statuses(result) == {
        "preflight.health": Status.PASS,
        "preflight.tls.version": Status.SKIP,  # plain http to loopback
        "preflight.tls.certificate": Status.SKIP,
        "preflight.clock_skew": Status.PASS,
        "preflight.environment_host": Status.PASS,
        "preflight.api_version": Status.PASS,
    }
    assert all(r.title and r.title_zh for r in result.checks)
    assert result.metrics["health_status"] == 200


def test_a_clean_asgi_target_passes() -> None:
    with ASGIServer(health_app()) as server:  # uvicorn sends the Date header
        result = run_preflight(sandbox_settings(server.base_url, expected_api_version="2.0"))
    assert failing(result) == set()
    assert statuses(result)["preflight.api_version"] is Status.PASS


# -- preflight.health ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "words"),
    [
        (health_app(status=503, body={"error": {"code": "UNAVAILABLE"}}), "answered 503, not 2xx"),
        (health_app(status=302, headers=(("location", "https://elsewhere/"),)), "redirects are not followed"),
        (health_app(body=b"<html>login</html>", content_type="text/html"), "text/html, not JSON"),
        (health_app(body={**HEALTHY, "status": "degraded"}), "status 'degraded', not 'ok'"),
    ],
    ids=["503", "redirect", "html", "status-not-ok"],
)
def test_an_unhealthy_answer_fails_health(app: Any, words: str) -> None:
    with ASGIServer(app) as server:
        result = run_preflight(sandbox_settings(server.base_url))
    assert failing(result) == {"preflight.health"}
    assert words in str(record(result, "preflight.health")["message"])


def test_an_unreachable_target_fails_health_with_one_line() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_preflight(sandbox_settings(f"http://127.0.0.1:{port}"))
    assert failing(result) == {"preflight.health"}
    message = str(record(result, "preflight.health")["message"])
    assert "connection refused" in message
    assert "\n" not in message
    assert "Traceback" not in message
    found = statuses(result)
    assert found["preflight.clock_skew"] is Status.SKIP
    assert found["preflight.api_version"] is Status.SKIP


def test_a_target_slower_than_the_timeout_fails_health() -> None:
    with ASGIServer(health_app(delay=0.6)) as server:
        result = run_preflight(sandbox_settings(server.base_url, timeout=0.1))
    assert failing(result) == {"preflight.health"}
    assert "no answer within 0.1 s" in str(record(result, "preflight.health")["message"])


# -- preflight.clock_skew ----------------------------------------------------------------------------------


def test_a_clock_an_hour_ahead_fails() -> None:
    with Served(health_app(date_offset=3600)) as server:
        result = run_preflight(sandbox_settings(server.base_url))
    assert failing(result) == {"preflight.clock_skew"}
    found = record(result, "preflight.clock_skew")
    evidence: Any = found["evidence"]
    assert 3590 < evidence["skew_s"] < 3610
    assert {"target_date", "target_utc", "local_utc", "max_clock_skew_s"} <= set(evidence)
    assert "ahead of" in str(found["message"])


def test_a_clock_behind_beyond_a_tighter_bound_fails() -> None:
    with Served(health_app(date_offset=-120)) as server:
        result = run_preflight(sandbox_settings(server.base_url, max_clock_skew=90))
    assert failing(result) == {"preflight.clock_skew"}
    assert "behind" in str(record(result, "preflight.clock_skew")["message"])


def test_a_clock_two_minutes_off_warns() -> None:
    with Served(health_app(date_offset=-120)) as server:
        result = run_preflight(sandbox_settings(server.base_url))
    assert result.passed
    assert statuses(result)["preflight.clock_skew"] is Status.WARN


@pytest.mark.parametrize(
    "app",
    [health_app(), health_app(headers=(("date", "yesterday at noon"),))],
    ids=["missing", "unparseable"],
)
def test_no_usable_date_header_warns(app: Any) -> None:
    with Served(app, date_header=False) as server:
        result = run_preflight(sandbox_settings(server.base_url))
    assert result.passed
    assert statuses(result)["preflight.clock_skew"] is Status.WARN


def test_a_clock_in_sync_passes() -> None:
    with Served(health_app(date_offset=0)) as server:
        result = run_preflight(sandbox_settings(server.base_url))
    assert statuses(result)["preflight.clock_skew"] is Status.PASS


# -- preflight.api_version ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected", "words"),
    [
        ("3.0.0", "v2", "the spec is 2.0.0 (major 2)"),
        ("2.0.0", "2.1", "2.1 is expected"),
        ("two", "v2", "not a version number"),
        (None, "v2", "has no `version`"),
    ],
    ids=["major", "expected-minor", "garbage", "missing"],
)
def test_a_wrong_or_missing_version_fails(version: str | None, expected: str, words: str) -> None:
    body = (
        {**HEALTHY, "version": version} if version is not None else {"status": "ok", "time": HEALTHY["time"]}
    )
    with ASGIServer(health_app(body=body)) as server:
        result = run_preflight(sandbox_settings(server.base_url, expected_api_version=expected))
    assert failing(result) == {"preflight.api_version"}
    assert words in str(record(result, "preflight.api_version")["message"])


@pytest.mark.parametrize("version", ["v2", "2.4.1", "2.0.0-rc.1"])
def test_any_v2_version_satisfies_v2(version: str) -> None:
    with ASGIServer(health_app(body={**HEALTHY, "version": version})) as server:
        result = run_preflight(sandbox_settings(server.base_url))
    assert statuses(result)["preflight.api_version"] is Status.PASS


def test_no_expected_version_still_requires_the_spec_major() -> None:
    with ASGIServer(health_app(body={**HEALTHY, "version": "1.9"})) as server:
        result = run_preflight(sandbox_settings(server.base_url, expected_api_version=None))
    assert failing(result) == {"preflight.api_version"}


# -- preflight.environment_host and plain http ------------------------------------------------------------


def test_a_production_run_against_loopback_fails_the_environment(sandbox: Sandbox) -> None:
    result = run_preflight(PreflightSettings(sandbox.base_url, "production"))
    assert failing(result) == {"preflight.environment_host"}
    assert "is a loopback host" in str(record(result, "preflight.environment_host")["message"])
    assert (
        statuses(result)["preflight.tls.version"] is Status.SKIP
    )  # loopback http is fine in any environment


# Hosts that are not loopback are judged from the URL alone; these checks never open a socket.
NO_NETWORK = ["preflight.environment_host", "preflight.tls.version", "preflight.tls.certificate"]


@pytest.mark.parametrize(
    ("url", "kind", "environment", "tls"),
    [
        ("http://api.openclaw.example", "production", Status.PASS, Status.FAIL),
        ("http://api.sandbox.openclaw.example", "production", Status.FAIL, Status.FAIL),
        ("http://uat2.openclaw.example", "sandbox", Status.PASS, Status.WARN),
        ("http://api.openclaw.example", "sandbox", Status.FAIL, Status.WARN),
        ("http://10.1.2.3:8080", "sandbox", Status.WARN, Status.WARN),
        ("http://10.1.2.3:8080", "production", Status.WARN, Status.FAIL),
    ],
)
def test_hosts_are_judged_against_the_declared_environment(
    url: str, kind: str, environment: Status, tls: Status
) -> None:
    result = run_preflight(PreflightSettings(url, kind), only=NO_NETWORK)
    found = statuses(result)
    assert found["preflight.environment_host"] is environment
    assert found["preflight.tls.version"] is tls
    assert found["preflight.tls.certificate"] is Status.SKIP
    assert "health_status" not in result.metrics  # nothing was requested


# -- the results document ----------------------------------------------------------------------------------


def test_a_password_in_the_url_never_reaches_the_results(sandbox: Sandbox) -> None:
    secret = "hunter2-very-secret"
    url = sandbox.base_url.replace("http://", f"http://ops:{secret}@")
    settings = PreflightSettings(url, "production")
    result = run_preflight(settings)
    assert secret not in json.dumps(result.to_dict(), ensure_ascii=False)
    assert secret not in repr(settings)
    assert result.target == sandbox.base_url


def test_progress_is_reported_per_check_in_order(sandbox: Sandbox) -> None:
    seen: list[str] = []
    result = run_preflight(sandbox_settings(sandbox.base_url), on_record=lambda r: seen.append(r.id))
    assert seen == [r.id for r in result.checks] == check_ids()
    assert set(seen) == ALL
