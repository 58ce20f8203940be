"""`Sandbox`: a sandbox app served on a real port, as a context manager."""

from __future__ import annotations

from types import TracebackType

from starlette.applications import Starlette

from clawcheck.sandbox.app import create_app
from clawcheck.sandbox.config import SandboxConfig
from clawcheck.sandbox.pipeline import Runtime
from clawcheck.serving import ASGIServer

__all__ = ["Sandbox"]


class Sandbox:
    """`with Sandbox(SandboxConfig(token_ttl=2)) as sb: httpx.get(sb.base_url + "/healthz")`."""

    def __init__(
        self, config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.config = config or SandboxConfig()
        self.app: Starlette = create_app(self.config)
        self.server = ASGIServer(self.app, host=host, port=port)

    @property
    def runtime(self) -> Runtime:
        """The live state and helpers, for tests that look behind the API."""
        runtime: Runtime = self.app.state.runtime
        return runtime

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def start(self) -> Sandbox:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
