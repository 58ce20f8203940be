"""`ASGIServer`: any ASGI app under uvicorn in a background thread, on a real socket.

Used for the sandbox, and for mock platforms and webhook receivers alike:

    with ASGIServer(app) as server:          # port 0: a free port
        httpx.get(server.base_url + "/healthz")

The socket is bound here, before the thread starts, so "address in use" is a
`ConfigError` raised by `start()` rather than a log line in another thread.
"""

from __future__ import annotations

import errno
import math
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from clawcheck.errors import ConfigError

__all__ = ["ASGIServer"]

_POLL = 0.005  # seconds between looks at the server thread while starting


class ASGIServer:
    """Serves `app` on `host:port` from a daemon thread until `stop()`."""

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        startup_timeout: float = 10.0,
        shutdown_timeout: float = 5.0,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port  # the real port once started, when 0 was asked for
        self._log_level = log_level
        self._startup_timeout = startup_timeout
        self._shutdown_timeout = shutdown_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> ASGIServer:
        """Bind, serve, and return once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("ASGIServer.start() called twice")
        sock = self._bind()
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,  # never reconfigure the host program's logging
            log_level=self._log_level,
            access_log=False,
            ws="none",  # no websockets: keeps optional imports (and their warnings) out
            timeout_graceful_shutdown=math.ceil(self._shutdown_timeout),
        )
        server = self._server = uvicorn.Server(config)
        self._socket = sock
        thread = self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"asgi-server-{self.port}", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ConfigError(f"the server on {self.base_url} did not start; see the log above")
            time.sleep(_POLL)
        return self

    def _bind(self) -> socket.socket:
        try:
            family, kind, proto, _, address = socket.getaddrinfo(
                self.host, self.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            )[0]
        except socket.gaierror as exc:
            raise ConfigError(f"cannot listen on {self.host!r}: {exc.strerror}") from exc
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
        except OSError as exc:
            sock.close()
            where = f"{self.host}:{self.port}"
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"cannot listen on {where}: address already in use; pick another port"
                ) from exc
            raise ConfigError(f"cannot listen on {where}: {exc.strerror}") from exc
        return sock

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server stops (or `timeout` passes); True if it has stopped.

        Joins in short slices so Ctrl-C reaches the calling thread promptly.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        thread = self._thread
        while thread is not None and thread.is_alive():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            thread.join(0.25)
        return True

    def request_stop(self) -> None:
        """Ask the server to finish without waiting: lets several servers wind down together."""
        if self._server is not None:
            self._server.should_exit = True

    def stop(self) -> None:
        """Ask the server to finish, wait for the thread, and release the socket."""
        server, thread = self._server, self._thread
        if server is not None and thread is not None:
            server.should_exit = True
            thread.join(self._shutdown_timeout + 1.0)
            if thread.is_alive():  # connections that will not close: stop waiting for them
                server.force_exit = True
                thread.join(self._shutdown_timeout)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> ASGIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
