"""A mock platform over real HTTP on loopback: one listener per real host of the platform.

One listener per host, not one for all: an adapter that picks the production host while
configured for the sandbox reaches the production listener, and the journal says so.
"""

from __future__ import annotations

import json
from types import TracebackType

from clawcheck.platforms.asgi import mock_app
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import Host
from clawcheck.serving import ASGIServer

__all__ = ["MockServer"]


class MockServer:
    """Serves `mock` until `stop()`; `port` is the primary host's (the environment's API host)."""

    def __init__(self, mock: Mock, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.mock = mock
        self.bind = host
        self.primary = primary_host(mock)
        self._servers: dict[str, ASGIServer] = {}
        for platform_host in mock.platform.hosts:
            wanted = port if platform_host is self.primary else 0
            self._servers[platform_host.name] = ASGIServer(
                mock_app(mock, platform_host), host=host, port=wanted
            )

    def start(self) -> MockServer:
        try:
            # The primary first: a taken --port fails before any other listener starts.
            self._servers[self.primary.name].start()
            for name, server in self._servers.items():
                if name != self.primary.name:
                    server.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.request_stop()  # all at once: each takes a few tenths of a second to wind down
        for server in self._servers.values():
            server.stop()
        self.mock.close()

    def wait(self, timeout: float | None = None) -> bool:
        return self._servers[self.primary.name].wait(timeout)

    @property
    def base_url(self) -> str:
        return self._servers[self.primary.name].base_url

    def url_for(self, host: str) -> str:
        return self._servers[host].base_url

    @property
    def urls(self) -> dict[str, str]:
        """Real host name -> local base URL."""
        return {name: server.base_url for name, server in self._servers.items()}

    def auth_url(self) -> str | None:
        host = primary_host(self.mock, role="auth")
        return self.url_for(host.name) if host.role == "auth" else None

    def env(self) -> dict[str, str]:
        """Everything an adapter is told: URLs, the environment, credentials."""
        env = {
            **self.mock.adapter_env(),
            "CLAWCHECK_BASE_URL": self.base_url,
            "CLAWCHECK_HOSTS": json.dumps(self.urls, separators=(",", ":")),
            "CLAWCHECK_CONTROL_URL": self.base_url + "/_clawcheck",
        }
        auth = self.auth_url()
        if auth:
            env["CLAWCHECK_AUTH_URL"] = auth
        return env

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def primary_host(mock: Mock, *, role: str = "api") -> Host:
    """The host of `role` for the mock's environment: exact environment first, then `any`."""
    hosts = mock.platform.hosts
    for wanted in (mock.environment, "any"):
        for host in hosts:
            if host.role == role and host.environment == wanted:
                return host
    if role != "api":
        return primary_host(mock)
    return hosts[0]
