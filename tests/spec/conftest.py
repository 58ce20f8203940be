"""Shared fixtures for the spec loader, lint rules and `clawcheck lint` tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write `text` to `tmp_path/name` and return the path."""

    def write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _finishes_within(seconds: float, func: Callable[[], T]) -> T | BaseException:
    """Run `func` in a thread; fail the test instead of hanging if it loops. Returns result or error."""
    outcome: list[T | BaseException] = []

    def target() -> None:
        try:
            outcome.append(func())
        except BaseException as exc:  # handed back to the test to inspect
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"did not finish within {seconds} s (a $ref loop?)"
    return outcome[0]


@pytest.fixture
def finishes_within() -> Callable[[float, Callable[[], T]], T | BaseException]:
    return _finishes_within
