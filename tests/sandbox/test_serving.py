"""ASGIServer, SandboxConfig and the public surface."""

from __future__ import annotations

import socket

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

import clawcheck.sandbox
from clawcheck.errors import ConfigError
from clawcheck.sandbox import FAULTS, Fault, Sandbox, SandboxConfig
from clawcheck.serving import ASGIServer


def _hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("hello")


def test_public_surface() -> None:
    assert sorted(clawcheck.sandbox.__all__) == ["FAULTS", "Fault", "Sandbox", "SandboxConfig", "create_app"]


def test_server_serves_any_asgi_app_on_a_free_port_and_stops() -> None:
    app = Starlette(routes=[Route("/", _hello)])
    with ASGIServer(app) as server:
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        assert httpx.get(server.base_url + "/").text == "hello"
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{server.port}/", timeout=1.0)


def test_port_in_use_is_a_config_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"127.0.0.1:{port}: address already in use"):
            Sandbox(port=port).start()


def test_config_defaults() -> None:
    config = SandboxConfig()
    assert (config.client_id, config.client_secret) == ("clawcheck-demo", "clawcheck-demo-secret")
    assert (config.token_ttl, config.rate_limit, config.seed, config.version) == (7200.0, 10.0, True, "2.0.0")
    assert config.faults == frozenset()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"token_ttl": 0}, "token ttl must be a positive number"),
        ({"token_ttl": float("nan")}, "token ttl must be a positive number"),
        ({"rate_limit": -1.0}, "rate limit must be a positive number"),
        ({"client_secret": ""}, "must not be empty"),
        ({"faults": frozenset({"nope"})}, "unknown sandbox fault.*nope.*known faults: accept-expired-token"),
    ],
)
def test_config_rejects_bad_values(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SandboxConfig(**options)  # type: ignore[arg-type]


def test_fault_registry_names_a_check_for_every_fault() -> None:
    assert len(FAULTS) == 11
    for name, fault in FAULTS.items():
        assert isinstance(fault, Fault)
        assert fault.name == name
        assert fault.check_id.count(".") == 1
        assert fault.description
