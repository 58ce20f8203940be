"""OpenAPI specs: loading with `$ref` checks, and the lint rules of the OpenClaw protocol.

load_spec(path) -> LoadedSpec          every $ref resolved or SpecError
lint_paths(paths) -> LintReport        findings of every registered rule
RULES                                  the rule registry (openapi.valid first)
"""

from __future__ import annotations

from clawcheck.spec.lint import LintReport, lint_paths, lint_spec
from clawcheck.spec.loader import (
    LoadedSpec,
    Resolved,
    bundled_spec_path,
    default_spec_paths,
    load_spec,
)
from clawcheck.spec.operations import Operation, iter_operations
from clawcheck.spec.registry import RULES, Finding, Rule, RuleCheck, RuleRegistry

__all__ = [
    "RULES",
    "Finding",
    "LintReport",
    "LoadedSpec",
    "Operation",
    "Resolved",
    "Rule",
    "RuleCheck",
    "RuleRegistry",
    "bundled_spec_path",
    "default_spec_paths",
    "iter_operations",
    "lint_paths",
    "lint_spec",
    "load_spec",
]
