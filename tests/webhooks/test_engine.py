"""The engine's parts: settings, P95, the probe client, preflight, redaction, the registry, the docs."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

import clawcheck.webhooks as webhooks
from clawcheck.core.results import CheckRecord, Status
from clawcheck.errors import ConfigError, TargetError, TargetUnreachable
from clawcheck.reporting import render
from clawcheck.serving import ASGIServer
from clawcheck.webhooks import (
    CHECKS,
    SECRET_ENV,
    CheckKind,
    Probe,
    ProbeError,
    check_ids,
    preflight,
    resolve_settings,
    run_suite,
)
from clawcheck.webhooks.checks.latency import nearest_rank

from .receivers import FAULTS, SECRET, FaultyReceiver, serve, settings_for

ROOT = Path(__file__).resolve().parents[2]

# -- settings -------------------------------------------------------------------------------------------


def test_secret_from_the_environment_and_never_in_repr() -> None:
    settings = resolve_settings(url="http://127.0.0.1:9/hook", secret=None, env={SECRET_ENV: SECRET})
    assert settings.secret == SECRET
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"secret": ""}, "secret is empty"),
        ({"secret": None}, SECRET_ENV),
        ({"secret": "s", "probe": "http://127.0.0.1:9/probe"}, "{event_id}"),
        ({"secret": "s", "url": "ftp://example.com/hook"}, "--url must be an http"),
        ({"secret": "s", "burst": 0}, "burst must be positive"),
    ],
)
def test_bad_settings_are_config_errors(options: dict[str, Any], fragment: str) -> None:
    arguments: dict[str, Any] = {"url": "http://127.0.0.1:9/hook", "env": {}, **options}
    with pytest.raises(ConfigError, match=fragment.replace("{", r"\{").replace("}", r"\}")):
        resolve_settings(**arguments)


# -- P95 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "rank"),
    [(1, 1), (2, 2), (8, 8), (19, 19), (20, 19), (21, 20), (99, 95), (100, 95), (101, 96), (1000, 950)],
)
def test_p95_is_the_nearest_rank_of_all_samples(count: int, rank: int) -> None:
    samples = [float(n) for n in range(count, 0, -1)]  # unsorted on purpose
    assert nearest_rank(samples, 95) == (float(rank), rank)


def test_nearest_rank_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="no samples"):
        nearest_rank([], 95)
    with pytest.raises(ValueError, match="percentile"):
        nearest_rank([1.0], 0)


# -- the probe and preflight ----------------------------------------------------------------------------


async def _probe(request: Request) -> Response:
    mode, event_id = request.path_params["mode"], request.path_params["event_id"]
    answers: dict[str, Response] = {
        "ok": JSONResponse({"event_id": event_id, "processed": 0}),
        "text": PlainTextResponse("processed: 0"),
        "shape": JSONResponse({"id": event_id, "count": 0}),
        "error": PlainTextResponse("boom", status_code=500),
        "bool": JSONResponse({"event_id": event_id, "processed": False}),
        "other": JSONResponse({"event_id": "evt_other", "processed": 0}),
        "negative": JSONResponse({"event_id": event_id, "processed": -1}),
        "liar": JSONResponse({"event_id": event_id, "processed": 1}),
    }
    return answers[mode]


async def _hook(request: Request) -> Response:
    return JSONResponse({"error": "unsigned"}, status_code=401)


async def _moved(request: Request) -> Response:
    return RedirectResponse("https://example.com/hook", status_code=307)


async def _gateway(request: Request) -> Response:
    return PlainTextResponse("Service Unavailable", status_code=503)


@pytest.fixture(scope="module")
def scripted() -> Iterator[ASGIServer]:
    app = Starlette(
        routes=[
            Route("/hook", _hook, methods=["POST"]),
            Route("/moved", _moved, methods=["POST"]),
            Route("/gateway", _gateway, methods=["POST"]),
            Route("/probe-{mode}/{event_id}", _probe, methods=["GET"]),
        ]
    )
    with ASGIServer(app) as server:
        yield server


def _settings(server: ASGIServer, path: str = "/hook", probe: str | None = "ok") -> webhooks.ReceiverSettings:
    template = f"{server.base_url}/probe-{probe}/{{event_id}}" if probe else None
    return resolve_settings(url=server.base_url + path, secret=SECRET, probe=template)


@pytest.mark.parametrize("mode", ["text", "shape", "error", "bool", "other", "negative"])
def test_probe_garbage_is_a_probe_error(scripted: ASGIServer, mode: str) -> None:
    probe = Probe(_settings(scripted, probe=mode))
    try:
        with pytest.raises(ProbeError, match="expected"):
            probe.count("evt_abc")
    finally:
        probe.close()


def test_probe_quotes_the_event_id(scripted: ASGIServer) -> None:
    probe = Probe(_settings(scripted))
    try:
        assert probe.url("evt_a/b c") == f"{scripted.base_url}/probe-ok/evt_a%2Fb%20c"
        assert probe.count("evt_abc") == 0
    finally:
        probe.close()


def test_preflight_accepts_a_receiver_and_a_probe(scripted: ASGIServer) -> None:
    preflight(_settings(scripted))


@pytest.mark.parametrize(
    ("path", "probe", "error", "fragment"),
    [
        ("/hook", "error", ConfigError, "--probe is not usable"),
        ("/hook", "text", ConfigError, "not JSON"),
        ("/hook", "liar", ConfigError, "never sent, was processed 1 times"),
        ("/nowhere", None, TargetError, "answered 404: no webhook endpoint"),
        ("/moved", None, TargetError, "does not follow redirects"),
        ("/gateway", None, TargetUnreachable, "503 from a gateway"),
    ],
)
def test_preflight_refuses_unusable_input(
    scripted: ASGIServer, path: str, probe: str | None, error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error, match=fragment) as caught:
        preflight(_settings(scripted, path, probe))
    assert "\n" not in str(caught.value)


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_preflight_refuses_an_unreachable_receiver(closed_port: int) -> None:
    settings = resolve_settings(url=f"http://127.0.0.1:{closed_port}/hook", secret=SECRET)
    with pytest.raises(TargetUnreachable, match="connection refused"):
        preflight(settings)


def test_a_receiver_that_vanished_fails_its_checks_it_does_not_crash_the_run(closed_port: int) -> None:
    settings = resolve_settings(url=f"http://127.0.0.1:{closed_port}/hook", secret=SECRET, timeout=2)
    result = run_suite(settings, only=["webhook.valid_accepted", "webhook.missing_signature"])
    assert [r.status for r in result.checks] == [Status.FAIL, Status.FAIL]
    assert all("no answer" in r.message for r in result.checks)


def test_unknown_check_ids_are_refused_before_sending() -> None:
    settings = resolve_settings(url="http://127.0.0.1:9/hook", secret=SECRET)
    with pytest.raises(ConfigError, match=r"unknown webhook check 'webhook\.nope'"):
        run_suite(settings, only=["webhook.nope"])


def test_ctrl_c_between_checks_returns_an_incomplete_result(scripted: ASGIServer) -> None:
    seen: list[CheckRecord] = []

    def interrupt(record: CheckRecord) -> None:
        seen.append(record)
        if len(seen) == 2:
            raise KeyboardInterrupt

    result = run_suite(_settings(scripted, probe=None), on_record=interrupt)
    assert not result.complete
    assert not result.passed
    assert len(result.checks) == 2


# -- the secret never appears ---------------------------------------------------------------------------


class LeakyReceiver(FaultyReceiver):
    """Accepts deliveries without a signature, and echoes the secret in every answer."""

    async def deliver(self, request: Request) -> Response:
        response = await super().deliver(request)
        leaked = {"error": f"expected a signature made with {SECRET}", "secret": SECRET, "echo": SECRET}
        headers = {"X-Debug-Secret": SECRET, "Set-Cookie": f"s={SECRET}"}
        return JSONResponse(leaked, status_code=response.status_code, headers=headers)


def test_the_secret_never_reaches_a_record_or_a_report() -> None:
    with serve(LeakyReceiver([SECRET], "accept-missing-signature")) as server:
        result = run_suite(settings_for(server, burst=8, settle=0.3))
    assert {r.id for r in result.failed()} == FAULTS["accept-missing-signature"].breaks
    outputs = [render(name, result) for name in ("json", "junit", "console")]
    assert all(SECRET not in text for text in outputs)
    evidence = result.failed()[0].evidence
    assert evidence["curl"].startswith("curl ")
    assert "X-OpenClaw-Signature" not in evidence["curl"]
    assert "***" in json.dumps(evidence)


def test_the_signature_is_shown_as_sent_in_the_curl() -> None:
    with serve(FaultyReceiver([SECRET], "accept-stale")) as server:
        result = run_suite(settings_for(server), only=["webhook.stale_timestamp"])
    (record,) = result.checks
    assert record.status is Status.FAIL
    assert "X-OpenClaw-Signature: v1=" in record.evidence["curl"]
    assert record.evidence["received"]["status"] == 200
    assert "301 s ago" in record.evidence["sent"]["note"]


# -- registry, public surface, docs ---------------------------------------------------------------------


def test_every_check_is_registered_once_with_a_stable_id_and_titles() -> None:
    ids = check_ids()
    assert len(ids) == len(set(ids)) == len(CHECKS) >= 30
    for check in CHECKS:
        assert check.id.startswith("webhook.")
        assert check.id == check.id.lower()
        assert check.title
        assert check.title_zh
        assert check.rule in {"2.1", "2.2", "2.3", "2.4", "2.5", "2.6"}
        # The naming rule the docs state: `_processed` ids, and only those, need the probe.
        assert (check.kind is CheckKind.PROCESSING) == check.id.endswith("_processed"), check.id


def test_the_public_surface_is_importable() -> None:
    for name in webhooks.__all__:
        assert getattr(webhooks, name) is not None


def test_the_docs_describe_every_check_and_fault() -> None:
    page = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    for check_id in check_ids():
        assert f"`{check_id}`" in page, f"docs/webhooks.md does not describe {check_id}"
    for name in FAULTS:
        assert f"`{name}`" in page, f"docs/webhooks.md does not name fault {name}"


def test_the_docs_name_exactly_the_faults_that_break_each_check() -> None:
    page = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    documented: dict[str, set[str]] = {}
    for line in page.splitlines():
        if line.startswith("| `webhook."):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            documented[cells[0].strip("`")] = set(re.findall(r"`([a-z-]+)`", cells[-1]))
    actual = {check_id: {n for n, f in FAULTS.items() if check_id in f.breaks} for check_id in check_ids()}
    assert documented == actual
