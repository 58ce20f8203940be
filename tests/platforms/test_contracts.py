"""Each mock platform passes a schema-driven contract run against its own spec.

Schemathesis generates positive and negative cases for every operation of
`specs/platforms/<name>.yaml`; a correct client's auth (`Platform.authorize`) signs what is
actually sent; the mock answers over real HTTP; schemathesis's own checks judge the answer
(no 5xx, documented status, content type, headers and body schema).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from clawcheck.platforms import PLATFORMS, load_all
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import ClientRequest
from clawcheck.platforms.registry import spec_path
from clawcheck.platforms.server import MockServer

load_all()
NAMES = PLATFORMS.names()
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", params=NAMES)
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Mock, MockServer]]:
    mock = Mock(PLATFORMS.get(request.param), enforce_rate_limits=False)
    with MockServer(mock) as server:
        yield mock, server


def _host_for(operation: Any, mock: Mock, server: MockServer) -> str:
    """The real host the operation lives on (operation-level `servers`), for the mock's environment."""
    servers = operation.definition.raw.get("servers") or []
    hosts = [mock.platform.host(urlsplit(s.get("url", "")).hostname or "") for s in servers]
    for wanted in (mock.environment, "any"):
        for host in hosts:
            if host is not None and host.environment == wanted:
                return host.name
    return server.primary.name


def _send(
    mock: Mock, server: MockServer, host: str, case: schemathesis.Case, client: httpx.Client
) -> httpx.Response:
    import requests

    kwargs = case.as_transport_kwargs(base_url="https://placeholder.invalid")
    prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in _REQUEST_ARGS}).prepare()
    parts = urlsplit(prepared.url)
    body = prepared.body or b""
    outgoing = ClientRequest(
        method=prepared.method or "GET",
        url=f"https://{host}{parts.path}",
        query=parse_qsl(parts.query, keep_blank_values=True),
        headers={k: v for k, v in prepared.headers.items() if k.lower() != "content-length"},
        body=body.encode() if isinstance(body, str) else body,
    )
    signed = mock.platform.authorize(outgoing, time.time())
    local = server.url_for(host) + signed.path
    return client.request(
        signed.method, local, params=signed.query, headers=signed.headers, content=signed.body
    )


_REQUEST_ARGS = {"method", "url", "headers", "params", "json", "data", "files", "cookies"}


def _conformance(operation: Any, mock: Mock, server: MockServer, client: httpx.Client) -> Callable[[], None]:
    host = _host_for(operation, mock, server)
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=strategy)
    def conforms(case: schemathesis.Case) -> None:
        response = _send(mock, server, host, case, client)
        case.validate_response(response, checks=CHECKS)

    return conforms


def test_every_operation_conforms_to_the_platform_spec(served: tuple[Mock, MockServer]) -> None:
    mock, server = served
    schema = schemathesis.openapi.from_path(spec_path(type(mock.platform)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the spec has no operations"
    with httpx.Client(timeout=10.0) as client:
        for operation in operations:
            _conformance(operation, mock, server, client)()
