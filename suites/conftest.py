"""Options and the session fixture of the webhook receiver suite (`test_webhook_receiver.py`).

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

from clawcheck.errors import ClawcheckError, ConfigError
from clawcheck.webhooks import Context, open_context, preflight, resolve_settings

REFERENCE = Path(__file__).resolve().parents[1] / "examples" / "reference_receiver.py"


def pytest_addoption(parser: pytest.Parser) -> None:
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
