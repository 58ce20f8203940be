"""Run the registered rules over spec files and collect one immutable report.

The report knows nothing about output formats; the CLI prints it and `to_suite_result`
turns it into the results document every other format consumes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from clawcheck.core.results import CheckRecord, Status, SuiteResult, utc_now
from clawcheck.spec import rules as _rules  # noqa: F401  (registers the rules)
from clawcheck.spec.loader import LoadedSpec, load_spec
from clawcheck.spec.registry import RULES, Finding, Rule, RuleRegistry

__all__ = ["LintReport", "lint_paths", "lint_spec"]


@dataclass(slots=True, frozen=True)
class LintReport:
    """Findings for a set of spec files; `rules` are the ids that ran on every file."""

    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...] = ()
    started_at: str = ""
    finished_at: str = ""

    @property
    def ok(self) -> bool:
        return not self.findings

    def by_rule(self, rule_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule == rule_id)

    def to_suite_result(self, target: str) -> SuiteResult:
        """Suite `lint`: one check per rule, failed when the rule has findings, which are the evidence."""
        checks = []
        for rule in self.rules:
            found = self.by_rule(rule.id)
            message = ""
            if found:
                first = found[0]
                more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
                message = f"{first.file}:{first.pointer}: {first.message}{more}"
            checks.append(
                CheckRecord(
                    id=rule.id,
                    title=rule.title,
                    status=Status.FAIL if found else Status.PASS,
                    message=message,
                    evidence={"findings": [f.to_dict() for f in found], "files": list(self.files)},
                )
            )
        now = utc_now()
        return SuiteResult(
            suite="lint",
            target=target,
            started_at=self.started_at or now,
            finished_at=self.finished_at or now,
            checks=tuple(checks),
            metrics={"files": len(self.files), "rules": len(self.rules), "findings": len(self.findings)},
        )


def lint_spec(spec: LoadedSpec, registry: RuleRegistry = RULES) -> list[Finding]:
    """Every finding of every rule for one loaded spec, without repeats, in rule order."""
    findings: dict[Finding, None] = {}
    for rule in registry:
        findings.update(dict.fromkeys(rule.run(spec)))
    return list(findings)


def lint_paths(paths: Iterable[str | os.PathLike[str]], registry: RuleRegistry = RULES) -> LintReport:
    """Load and lint each file; a file that cannot be loaded raises SpecError (exit 2)."""
    started = utc_now()
    files: list[str] = []
    findings: list[Finding] = []
    for path in paths:
        spec = load_spec(path)
        files.append(str(spec.path))
        findings.extend(lint_spec(spec, registry))
    return LintReport(
        files=tuple(files),
        findings=tuple(findings),
        rules=tuple(registry),
        started_at=started,
        finished_at=utc_now(),
    )
