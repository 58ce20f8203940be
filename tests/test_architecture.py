"""ARCHITECTURE.md's import rules, enforced: each package imports only what its row allows."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import clawcheck

PACKAGE = Path(clawcheck.__file__).parent
FIRST_PARTY = "clawcheck"
# Each package of clawcheck and the clawcheck packages it may import; None means anything.
ALLOWED: dict[str, set[str] | None] = {
    "errors": set(),
    "core": {"errors"},
    "reporting": {"core"},
    "signing": {"core", "errors"},
    "spec": {"core", "errors"},
    "serving": {"errors"},
    "sandbox": {"core", "errors", "serving", "signing"},
    "contract": {"core", "errors", "spec"},
    "webhooks": {"core", "errors", "signing"},
    "load": {"core", "errors", "spec"},
    "platforms": {"core", "errors", "serving", "signing"},
    "config": {"core", "errors"},
    "preflight": {"core", "errors", "spec"},
    "signoff": {"core", "errors"},
    "report": {"core", "errors", "load"},
    "notify": {"core", "errors"},
    "accept": None,  # the orchestrator: it runs every stage, like the CLI
    "pytest_plugin": {"contract", "sandbox", "platforms", "spec", "reporting", "core", "errors"},
    "cli": None,
    "__init__": set(),
    "__main__": {"cli"},
}
# Packages that must stay free of third-party imports.
STDLIB_ONLY = {"errors", "core", "reporting", "signing", "config"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def owner(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_every_package_has_a_rule() -> None:
    assert {owner(path) for path in modules()} <= set(ALLOWED)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layering(path: Path) -> None:
    package = owner(path)
    allowed = ALLOWED[package]
    for name in imported(path):
        parts = name.split(".")
        if parts[0] == FIRST_PARTY:
            target = parts[1] if len(parts) > 1 else "__init__"
            if allowed is not None and target != package and target != "__init__":
                assert target in allowed, f"{path.name}: {package} may not import clawcheck.{target}"
        elif package in STDLIB_ONLY:
            assert parts[0] in sys.stdlib_module_names or parts[0] == "__future__", (
                f"{path.name}: {package} must use the stdlib only, imports {name}"
            )
