"""Shared fixtures: the bundled spec's index, and one clean sandbox for tests that only add
state under shops of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clawcheck.contract.specindex import SpecIndex
from clawcheck.sandbox import Sandbox
from clawcheck.spec.loader import bundled_spec_path, load_spec


@pytest.fixture(scope="session")
def bundled_index() -> SpecIndex:
    return SpecIndex.build(load_spec(bundled_spec_path()))


@pytest.fixture(scope="session")
def clean_sandbox() -> Iterator[Sandbox]:
    """A sandbox with the default configuration (10 requests per second per shop, 7200 s tokens)."""
    with Sandbox() as sandbox:
        yield sandbox
