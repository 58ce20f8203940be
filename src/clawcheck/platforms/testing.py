"""In-process mocks for Python clients: httpx through respx, requests through a transport adapter.

Requests to the platform's real host names are answered by the mock, in the test's own
process; every other request goes where it was going (loopback servers, receivers).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import respx

from clawcheck.platforms import build_mock
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import MockRequest, MockResponse
from clawcheck.platforms.scenarios import ScenarioSpec

__all__ = ["in_process", "intercept_httpx", "intercept_requests"]


@contextmanager
def in_process(
    name: str,
    *,
    environment: str = "sandbox",
    scenarios: Iterable[str | ScenarioSpec] = (),
    webhook_url: str | None = None,
    requests: bool = True,
) -> Iterator[Mock]:
    """A mock of `name` answering httpx (and, with `requests=True`, requests) at the real hosts."""
    mock = build_mock(name, environment=environment, scenarios=scenarios, webhook_url=webhook_url)
    with ExitStack() as stack:
        stack.enter_context(intercept_httpx(mock))
        if requests:
            stack.enter_context(intercept_requests(mock))
        stack.callback(mock.close)
        yield mock


@contextmanager
def intercept_httpx(mock: Mock) -> Iterator[respx.MockRouter]:
    hosts = tuple(h.name for h in mock.platform.hosts)
    with respx.mock(assert_all_called=False, assert_all_mocked=False) as router:
        router.route(host__in=hosts).mock(side_effect=lambda request: _answer_httpx(mock, request))
        router.route().pass_through()
        yield router


def _answer_httpx(mock: Mock, request: httpx.Request) -> httpx.Response:
    response = mock.handle(
        MockRequest.build(
            request.method,
            request.url.path,
            host=request.url.host,
            scheme=request.url.scheme,
            query_string=request.url.query.decode("ascii", "replace"),
            headers=request.headers.multi_items(),
            body=request.read(),
            raw_path=request.url.raw_path.decode("ascii", "replace").split("?", 1)[0],
        )
    )
    _pause(response)
    return httpx.Response(response.status, headers=response.headers, content=response.body)


@contextmanager
def intercept_requests(mock: Mock) -> Iterator[None]:
    """Answer `requests` calls to the mock's hosts (as `responses` does: by wrapping
    `HTTPAdapter.send`), for SDKs built on requests that cannot be given a base URL."""
    from requests.adapters import HTTPAdapter

    hosts = {h.name for h in mock.platform.hosts}
    original = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
        from urllib.parse import urlsplit

        parts = urlsplit(request.url)
        if parts.hostname not in hosts:
            return original(adapter, request, *args, **kwargs)
        body = request.body or b""
        answer = mock.handle(
            MockRequest.build(
                request.method,
                parts.path or "/",
                host=parts.hostname or "",
                scheme=parts.scheme,
                query_string=parts.query,
                headers=request.headers.items(),
                body=body.encode("utf-8") if isinstance(body, str) else bytes(body),
                raw_path=parts.path or "/",
            )
        )
        _pause(answer)
        return _requests_response(adapter, request, answer)

    HTTPAdapter.send = send  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        HTTPAdapter.send = original  # type: ignore[method-assign]


def _requests_response(adapter: Any, request: Any, answer: MockResponse) -> Any:
    import io

    from requests.structures import CaseInsensitiveDict
    from urllib3 import HTTPResponse

    raw = HTTPResponse(
        body=io.BytesIO(answer.body),
        headers=answer.headers,
        status=answer.status,
        preload_content=False,
        decode_content=False,
    )
    response = adapter.build_response(request, raw)
    response.headers = CaseInsensitiveDict(answer.headers)
    return response


def _pause(response: MockResponse) -> None:
    if response.delay > 0:
        time.sleep(response.delay)
