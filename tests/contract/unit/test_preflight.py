"""preflight: fail fast, with a message that says what to do, on an unusable target."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from clawcheck.contract.client import TargetClient
from clawcheck.contract.preflight import preflight
from clawcheck.contract.settings import resolve_settings
from clawcheck.errors import CredentialsRejected, TargetError, TargetNotOpenClaw, TargetUnreachable
from clawcheck.sandbox import Sandbox
from clawcheck.serving import ASGIServer

SECRET = "wrong-secret-0123456789"


@contextmanager
def client_for(
    url: str, *, secret: str = SECRET, client_id: str = "clawcheck-demo"
) -> Iterator[TargetClient]:
    settings = resolve_settings(
        target=url, client_id=client_id, client_secret=secret, shop_id="shop_demo", timeout=3.0, env={}
    )
    client = TargetClient(settings)
    try:
        yield client
    finally:
        client.close()


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def serving(health: Response) -> Iterator[str]:
    async def healthz(request: Request) -> Response:
        return health

    app = Starlette(routes=[Route("/healthz", healthz)])
    with ASGIServer(app) as server:
        yield server.base_url


def test_closed_port_is_unreachable() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    with client_for(url) as client, pytest.raises(TargetUnreachable) as error:
        preflight(client)
    message = str(error.value)
    assert f"cannot connect to {url}: connection refused" in message
    assert "clawcheck sandbox" in message
    assert "--target" in message
    assert error.value.__cause__ is not None  # the httpx error is kept as the cause


def test_html_health_page_is_not_openclaw() -> None:
    with (
        serving(HTMLResponse("<html>hello</html>")) as url,
        client_for(url) as client,
        pytest.raises(TargetNotOpenClaw) as error,
    ):
        preflight(client)
    message = str(error.value)
    assert f"GET {url}/healthz answered 200 text/html, not OpenClaw JSON" in message
    assert "--target must be the OpenClaw API base URL" in message


def test_json_error_on_health_is_not_openclaw() -> None:
    with (
        serving(JSONResponse({"detail": "Not Found"}, status_code=404)) as url,
        client_for(url) as client,
        pytest.raises(TargetNotOpenClaw, match="answered 404; an OpenClaw API serves its health at /healthz"),
    ):
        preflight(client)


def test_a_json_health_without_a_token_endpoint_is_not_openclaw() -> None:
    # 503 on /healthz is accepted (degraded but OpenClaw); the missing token endpoint is not.
    with (
        serving(JSONResponse({"status": "degraded"}, status_code=503)) as url,
        client_for(url) as client,
        pytest.raises(
            TargetNotOpenClaw, match=r"POST .*/v2/oauth/token answered 404 .* without an access_token"
        ),
    ):
        preflight(client)


def test_wrong_credentials_are_rejected_without_showing_the_secret(clean_sandbox: Sandbox) -> None:
    with (
        client_for(clean_sandbox.base_url) as client,
        pytest.raises(CredentialsRejected) as error,
    ):
        preflight(client)
    message = str(error.value)
    assert SECRET not in message
    assert SECRET not in repr(error.value)
    assert "clawcheck-demo" in message
    assert "401 AUTH_INVALID_CLIENT" in message
    assert "--client-id/--client-secret" in message
    assert "OPENCLAW_CLIENT_SECRET" in message
    assert isinstance(error.value, TargetError)


def test_a_good_sandbox_passes_and_its_token_is_registered_as_a_secret(clean_sandbox: Sandbox) -> None:
    with client_for(clean_sandbox.base_url, secret="clawcheck-demo-secret") as client:
        token = preflight(client)
        assert token.expires_in == 7200
        assert client.redactor.text(f"x {token.access_token} y") == "x *** y"
        assert client.redactor.text("clawcheck-demo-secret") == "***"
