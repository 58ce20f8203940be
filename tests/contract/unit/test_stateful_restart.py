"""test_stateful restarts when Hypothesis cannot replay a live-state choice, unless a failure was found."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis.errors import FlakyStrategyDefinition

from clawcheck.contract import suite


class FakeRun:
    def __init__(self) -> None:
        self.recorder = SimpleNamespace(failures=0)
        self.extra_metrics: dict[str, Any] = {"examples_per_operation": 5}


def machine_raising(times: int, run: FakeRun, *, fail: bool) -> type:
    calls = {"n": 0}

    class Machine:
        @staticmethod
        def run(settings: Any) -> None:
            calls["n"] += 1
            if calls["n"] <= times:
                if fail:
                    run.recorder.failures += 1
                raise FlakyStrategyDefinition("Inconsistent data generation")

    Machine.calls = calls  # type: ignore[attr-defined]
    return Machine


def test_restarts_without_a_new_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    run = FakeRun()
    machine = machine_raising(2, run, fail=False)
    monkeypatch.setattr(suite, "build_state_machine", lambda schema, r: machine)
    suite.test_stateful(object(), run)  # type: ignore[arg-type]
    assert machine.calls["n"] == 3  # type: ignore[attr-defined]
    assert run.extra_metrics["stateful_restarts"] == 2


def test_gives_up_quietly_after_the_last_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    run = FakeRun()
    machine = machine_raising(10, run, fail=False)
    monkeypatch.setattr(suite, "build_state_machine", lambda schema, r: machine)
    suite.test_stateful(object(), run)  # type: ignore[arg-type]
    assert machine.calls["n"] == suite.STATEFUL_ATTEMPTS  # type: ignore[attr-defined]


def test_a_failure_found_before_the_flaky_replay_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    run = FakeRun()
    machine = machine_raising(1, run, fail=True)
    monkeypatch.setattr(suite, "build_state_machine", lambda schema, r: machine)
    with pytest.raises(FlakyStrategyDefinition):
        suite.test_stateful(object(), run)  # type: ignore[arg-type]
