"""Fixtures for the preflight self-tests: one private CA per session, targets on free loopback ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clawcheck.core.results import Status, SuiteResult
from clawcheck.sandbox import Sandbox

from .targets import Certificates


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("preflight-ca"))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def statuses(result: SuiteResult) -> dict[str, Status]:
    return {record.id: record.status for record in result.checks}


def failing(result: SuiteResult) -> set[str]:
    return {record.id for record in result.failed()}


def record(result: SuiteResult, check_id: str) -> dict[str, object]:
    (found,) = [r for r in result.checks if r.id == check_id]
    return found.to_dict()
