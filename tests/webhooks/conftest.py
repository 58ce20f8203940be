"""Fixtures for the webhook suite's self-tests: real receivers on free loopback ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clawcheck.serving import ASGIServer

from .receivers import receiver, serve


@pytest.fixture(scope="module")
def reference() -> Iterator[ASGIServer]:
    """The reference receiver, shared by a module's tests (every check uses fresh event ids)."""
    with serve(receiver()) as server:
        yield server
