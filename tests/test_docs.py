"""The documentation names what the code registers, so neither drifts from the other."""

from __future__ import annotations

from pathlib import Path

from clawcheck.contract.checks import CHECKS, load_all
from clawcheck.sandbox import FAULTS

ROOT = Path(__file__).resolve().parents[1]


def test_checks_page_lists_every_check_and_fault() -> None:
    load_all()
    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for check in CHECKS:
        assert f"`{check.id}`" in page, f"docs/checks.md does not describe {check.id}"
    for fault in FAULTS.values():
        assert f"`{fault.name}`" in page, f"docs/checks.md does not name fault {fault.name}"


def test_readme_quickstart_is_the_acceptance_run_then_the_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = quickstart.split("```bash\n")[1:]
    commands = [line for block in blocks for line in block.split("```", 1)[0].splitlines() if line.strip()]
    assert commands == ["clawcheck accept", "pytest"]


def test_ci_follows_the_readme_install_step() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install", 1)[1].split("```bash\n", 1)[1].split("\n", 1)[0]
    assert install in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_ci_runs_the_readme_main_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nclawcheck accept\n" in ci
