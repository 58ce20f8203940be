"""Findings and the rule registry: each lint rule is one registered object.

    @RULES.register("sla.declared", "Every operation declares x-sla")
    def sla_declared(spec: LoadedSpec) -> Iterator[Finding]: ...

Rules run in registration order; `openapi.valid` is registered first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from clawcheck.spec.loader import LoadedSpec

__all__ = ["RULES", "Finding", "Rule", "RuleCheck", "RuleRegistry", "finding"]


@dataclass(slots=True, frozen=True)
class Finding:
    """One thing a spec gets wrong: which rule, where (file and RFC 6901 pointer), what to change."""

    rule: str
    file: str
    pointer: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "file": self.file, "pointer": self.pointer, "message": self.message}


def finding(rule: str, file: Path, pointer: str, message: str) -> Finding:
    return Finding(rule=rule, file=str(file), pointer=pointer, message=message)


class RuleCheck(Protocol):
    def __call__(self, spec: LoadedSpec, /) -> Iterable[Finding]: ...


@dataclass(slots=True, frozen=True)
class Rule:
    id: str
    title: str
    check: RuleCheck

    def run(self, spec: LoadedSpec) -> list[Finding]:
        return list(self.check(spec))


class RuleRegistry:
    """Rules by id, in registration order."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(self, rule_id: str, title: str) -> Callable[[RuleCheck], RuleCheck]:
        def decorator(check: RuleCheck) -> RuleCheck:
            if rule_id in self._rules:
                raise ValueError(f"lint rule {rule_id!r} is registered twice")
            self._rules[rule_id] = Rule(id=rule_id, title=title, check=check)
            return check

        return decorator

    def get(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def ids(self) -> tuple[str, ...]:
        return tuple(self._rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(tuple(self._rules.values()))

    def __len__(self) -> int:
        return len(self._rules)


RULES = RuleRegistry()
