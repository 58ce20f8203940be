"""Options and session fixtures of the suites: the webhook receiver suite
(`test_webhook_receiver.py`) and the client-behaviour suite (`test_client_behaviour.py`).

    pytest suites/test_webhook_receiver.py --receiver-url URL \
        [--receiver-secret SECRET | env OPENCLAW_WEBHOOK_SECRET] [--receiver-probe URL_TEMPLATE]

Without --receiver-url, the reference receiver (examples/reference_receiver.py) is started
on a free loopback port for the session, with a random secret and its probe.
"""

from __future__ import annotations

import importlib.util
import secrets
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from clawcheck.core.results import SuiteResult
from clawcheck.errors import ClawcheckError, ConfigError
from clawcheck.webhooks import Context, open_context, preflight, resolve_settings

REFERENCE = Path(__file__).resolve().parents[1] / "examples" / "reference_receiver.py"


def pytest_addoption(parser: pytest.Parser) -> None:
    _client_options(parser)
    group = parser.getgroup("clawcheck-webhooks", "OpenClaw webhook receiver suite (clawcheck)")
    group.addoption(
        "--receiver-url",
        default=None,
        metavar="URL",
        help="the receiver's webhook endpoint (default: the reference receiver on a free port)",
    )
    group.addoption(
        "--receiver-secret",
        default=None,
        metavar="SECRET",
        help="the receiver's signing secret (prefer env OPENCLAW_WEBHOOK_SECRET)",
    )
    group.addoption(
        "--receiver-probe",
        default=None,
        metavar="URL_TEMPLATE",
        help="GET URL with {event_id} for the processing checks (without it they are skipped)",
    )


def _reference_app(secret: str) -> Any:
    spec = importlib.util.spec_from_file_location("reference_receiver", REFERENCE)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(REFERENCE)
    module = sys.modules.get("reference_receiver")
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules["reference_receiver"] = module
        spec.loader.exec_module(module)
    return module.Receiver([secret]).app()


@pytest.fixture(scope="session")
def webhook_context(request: pytest.FixtureRequest) -> Iterator[Context]:
    """The run's context: a preflighted receiver, the sender, the probe and the shared control."""
    option = request.config.getoption
    url, secret, probe = option("--receiver-url"), option("--receiver-secret"), option("--receiver-probe")
    with ExitStack() as stack:
        try:
            if url is None:
                if probe is not None:
                    raise ConfigError("--receiver-probe needs --receiver-url")
                from clawcheck.serving import ASGIServer

                secret = f"whsec_reference_{secrets.token_hex(16)}"
                server = stack.enter_context(ASGIServer(_reference_app(secret)))
                url, probe = f"{server.base_url}/webhooks/openclaw", f"{server.base_url}/probe/{{event_id}}"
            settings = resolve_settings(url=url, secret=secret, probe=probe)
            preflight(settings)
        except ClawcheckError as exc:
            pytest.exit(f"clawcheck: error: {exc}", returncode=2)
        yield stack.enter_context(open_context(settings))


# -- the client-behaviour suite (test_client_behaviour.py) -----------------------------------


def _client_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("clawcheck-client", "client-behaviour suite against mock platforms (clawcheck)")
    group.addoption(
        "--adapter",
        default=None,
        metavar="COMMAND",
        help="the seller's adapter command, run against the mock with its URLs and credentials in the "
        "environment (default: the reference adapters in examples/adapters/)",
    )
    group.addoption("--platform", default=None, metavar="NAME", help="the mock platform the adapter talks to")
    group.addoption(
        "--mock-scenario",
        action="append",
        default=[],
        metavar="NAME[:k=v,...]",
        help="a fault scenario for the mock (repeatable); see `clawcheck mock --list-scenarios`",
    )
    group.addoption(
        "--mock-env",
        default="sandbox",
        choices=("sandbox", "production"),
        help="the environment the adapter is configured for (default: sandbox)",
    )
    group.addoption("--adapter-timeout", default=120.0, type=float, help="seconds the adapter may run")
    group.addoption(
        "--adapter-duration",
        default=0.0,
        type=float,
        help="CLAWCHECK_DURATION: how long the adapter keeps working (tokens must outlive their TTL)",
    )


_client_results: dict[Any, SuiteResult] = {}


@pytest.fixture(scope="session")
def client_result_for() -> Any:
    """Runs each target's adapter once per session and keeps its result for every check's test."""

    def result(target: Any) -> SuiteResult:
        if target not in _client_results:
            from clawcheck.platforms.clientrun import run_client_suite

            try:
                _client_results[target], _ = run_client_suite(
                    target.platform,
                    target.command,
                    environment=target.environment,
                    scenarios=target.scenarios,
                    timeout=target.timeout,
                    duration=target.duration,
                )
            except ClawcheckError as exc:
                pytest.exit(f"clawcheck: error: {exc}", returncode=2)
        return _client_results[target]

    return result
