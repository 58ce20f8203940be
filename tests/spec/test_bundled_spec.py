"""The OpenClaw spec that ships with clawcheck must pass its own lint."""

from __future__ import annotations

from clawcheck.spec import bundled_spec_path, lint_paths


def test_bundled_spec_is_clean() -> None:
    report = lint_paths([bundled_spec_path()])
    listing = "\n".join(f"{f.file}:{f.pointer}: [{f.rule}] {f.message}" for f in report.findings)
    assert report.ok, f"the bundled spec has findings:\n{listing}"
