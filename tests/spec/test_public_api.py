from __future__ import annotations

import clawcheck.spec as spec


def test_public_names_are_exported() -> None:
    assert set(spec.__all__) == {
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
    }
    assert all(hasattr(spec, name) for name in spec.__all__)
