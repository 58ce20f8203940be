"""Stateful runs: schemathesis follows the spec's links (create -> read -> cancel ...) through the run."""

from __future__ import annotations

from typing import Any

from clawcheck.contract.exchange import Exchange
from clawcheck.contract.run import ContractRun

__all__ = ["build_state_machine"]


def build_state_machine(schema: Any, run: ContractRun) -> Any:
    """A state machine class whose steps go through the run's client and checks, one shop per scenario."""
    base = schema.as_state_machine()

    class ClawcheckStateMachine(base):  # type: ignore[misc, valid-type]
        shop: str
        attempts: list[Exchange]

        def setup(self) -> None:
            # Links chain ids across steps, and ids are per shop: one shop per scenario.
            self.shop = run.client.next_shop()
            self.attempts = []

        def call(self, case: Any, **kwargs: Any) -> Any:
            response, self.attempts = run.call(case, shop=self.shop)
            return response

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            run.verify(case, response, self.attempts)

    return ClawcheckStateMachine
