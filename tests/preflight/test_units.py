"""The preflight's pure parts: settings, host classes, version matching, the spec facts, the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clawcheck.core.results import Status
from clawcheck.errors import ConfigError
from clawcheck.preflight import (
    CHECKS,
    HostKind,
    PreflightSettings,
    Probe,
    bundled_facts,
    check_ids,
    classify_host,
    is_loopback,
    run_check,
    run_preflight,
)
from clawcheck.preflight.apiversion import parse_version, satisfies
from clawcheck.preflight.observe import HealthObservation

DOCS = Path(__file__).resolve().parents[2] / "docs" / "preflight.md"

EXPECTED_IDS = [
    "preflight.health",
    "preflight.tls.version",
    "preflight.tls.certificate",
    "preflight.clock_skew",
    "preflight.environment_host",
    "preflight.api_version",
]


def test_the_checks_run_in_a_fixed_order() -> None:
    assert check_ids() == EXPECTED_IDS


def test_the_docs_describe_every_check() -> None:
    page = DOCS.read_text(encoding="utf-8")
    for check_id in check_ids():
        assert f"`{check_id}`" in page, f"docs/preflight.md does not describe {check_id}"


def test_every_check_has_both_titles_and_requirements() -> None:
    settings = PreflightSettings("https://api.sandbox.openclaw.example", "sandbox", min_cert_days=21)
    for check in CHECKS:
        english, chinese = check.requirements(settings)
        assert check.title
        assert check.title_zh
        assert english
        assert chinese
        assert "{" not in english + chinese
    assert "21" in CHECKS.get("preflight.tls.certificate").requirements(settings)[1]


# -- settings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"base_url": "ftp://host"}, "http:// or https:// URL"),
        ({"base_url": ""}, "base URL is empty"),
        ({"base_url": "https://host:99999"}, "invalid port"),
        ({"base_url": "https://host/?token=x"}, "query or fragment"),
        ({"environment_kind": "staging"}, "'sandbox' or 'production'"),
        ({"expected_api_version": "latest"}, "is not a version"),
        ({"timeout": 0}, "timeout must be a positive"),
        ({"min_cert_days": -1}, "min_cert_days must be 0 or more"),
        ({"min_cert_days": 1.5}, "whole number of days"),
        ({"max_clock_skew": float("nan")}, "max_clock_skew"),
        ({"ca_file": "/nonexistent/ca.pem"}, "not found"),
    ],
)
def test_bad_settings_are_one_line_config_errors(fields: dict[str, Any], words: str) -> None:
    values: dict[str, Any] = {"base_url": "https://api.openclaw.example", "environment_kind": "production"}
    with pytest.raises(ConfigError, match=words) as caught:
        PreflightSettings(**{**values, **fields})
    assert "\n" not in str(caught.value)


def test_a_ca_file_that_is_not_pem_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate", encoding="utf-8")
    with pytest.raises(ConfigError, match="holds no PEM certificate"):
        PreflightSettings("https://api.openclaw.example", "production", ca_file=str(bogus))


def test_an_expected_version_the_spec_contradicts_is_refused_before_any_request() -> None:
    settings = PreflightSettings("http://127.0.0.1:9", "sandbox", expected_api_version="v3")
    with pytest.raises(ConfigError, match="contradicts the bundled spec"):
        run_preflight(settings)


def test_an_unknown_check_id_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown preflight check"):
        run_preflight(PreflightSettings("http://127.0.0.1:9", "sandbox"), only=["preflight.nope"])


def test_the_target_is_parsed_once_for_every_check() -> None:
    target = PreflightSettings("HTTPS://u:pw-123456@[::1]:8443/openclaw/", "sandbox").target()
    assert (target.scheme, target.host, target.port) == ("https", "::1", 8443)
    assert target.display == "https://[::1]:8443/openclaw"
    assert target.url("/healthz") == "HTTPS://u:pw-123456@[::1]:8443/openclaw/healthz"
    assert target.password == "pw-123456"


# -- hosts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("localhost", HostKind.LOOPBACK),
        ("api.localhost", HostKind.LOOPBACK),
        ("127.0.0.2", HostKind.LOOPBACK),
        ("::1", HostKind.LOOPBACK),
        ("api.sandbox.openclaw.example", HostKind.SANDBOX),
        ("sandbox-api.openclaw.cn", HostKind.SANDBOX),
        ("openclaw-staging.example.com", HostKind.SANDBOX),
        ("uat2.openclaw.com", HostKind.SANDBOX),
        ("dev.openclaw.com", HostKind.SANDBOX),
        ("TEST.OpenClaw.com", HostKind.SANDBOX),
        ("latest.openclaw.com", HostKind.PRODUCTION),
        ("devices.openclaw.com", HostKind.PRODUCTION),
        ("contest.example", HostKind.PRODUCTION),
        ("api.openclaw.com", HostKind.PRODUCTION),
        ("10.0.0.5", HostKind.ADDRESS),
        ("2001:db8::1", HostKind.ADDRESS),
    ],
)
def test_hosts_are_classified_by_whole_words(host: str, kind: HostKind) -> None:
    assert classify_host(host).kind is kind


def test_loopback_is_judged_as_written() -> None:
    assert is_loopback("127.255.0.1")
    assert not is_loopback("localhost.example.com")
    assert not is_loopback("0.0.0.0")


# -- versions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("2.0.0", (2, 0, 0)),
        ("v2", (2,)),
        ("V2.1", (2, 1)),
        ("2.x", (2,)),
        ("2.1.*", (2, 1)),
        ("2.1.0-beta.1", (2, 1, 0)),
        ("two", None),
        ("", None),
        ("2..1", None),
    ],
)
def test_versions_parse_to_their_leading_numbers(text: str, parsed: tuple[int, ...] | None) -> None:
    assert parse_version(text) == parsed


def test_a_version_satisfies_every_number_asked_for() -> None:
    assert satisfies((2, 1, 3), (2,))
    assert satisfies((2, 1, 3), (2, 1))
    assert not satisfies((2, 1, 3), (2, 2))
    assert not satisfies((2,), (2, 1))


def test_the_spec_gives_the_health_path_its_healthy_status_and_the_api_version() -> None:
    facts = bundled_facts()
    assert facts.health_path == "/healthz"
    assert facts.healthy == frozenset({"ok"})
    assert (facts.api_version, facts.api_major) == ("2.0.0", 2)


# -- the runner --------------------------------------------------------------------------------------------


class _BrokenProbe(Probe):
    @property  # type: ignore[override]
    def health(self) -> HealthObservation:
        raise RuntimeError("observation exploded\nsecond line")


def test_a_check_that_breaks_is_a_fail_never_a_pass() -> None:
    probe = _BrokenProbe(PreflightSettings("http://127.0.0.1:9", "sandbox"), bundled_facts())
    found = run_check(probe, "preflight.health")
    assert found.status is Status.FAIL
    assert found.message == "the check could not run: RuntimeError: observation exploded"
