"""A process-wide record that the user asked the run to stop (Ctrl-C, SIGTERM).

The KeyboardInterrupt a signal raises can land inside code that swallows it (schemathesis's
per-operation subtests, Hypothesis internals); the flag cannot be swallowed, and the pytest
plugin checks it after every test.
"""

from __future__ import annotations

import threading

__all__ = ["REQUESTED", "request_stop"]

REQUESTED = threading.Event()


def request_stop() -> None:
    REQUESTED.set()
