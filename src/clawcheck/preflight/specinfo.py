"""What the preflight takes from the bundled OpenClaw spec rather than hard-coding it.

The health operation (`operationId: getHealth`): its path, and the `status` values of its
200 body (`Health.status`, `enum: [ok]`); and the API version (`info.version`, "2.0.0").
The spec defines no version header: the health body's `version` is where a target says
which API it serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from clawcheck.errors import SpecError
from clawcheck.preflight.apiversion import parse_version
from clawcheck.spec import LoadedSpec, bundled_spec_path, iter_operations, load_spec

__all__ = ["HEALTH_OPERATION_ID", "SpecFacts", "bundled_facts", "spec_facts"]

HEALTH_OPERATION_ID = "getHealth"


@dataclass(frozen=True, slots=True)
class SpecFacts:
    health_path: str  # "/healthz"
    healthy: frozenset[str]  # the `status` values of a 200 health body: {"ok"}
    api_version: str  # info.version as written: "2.0.0"
    api_numbers: tuple[int, ...]  # (2, 0, 0)

    @property
    def api_major(self) -> int:
        return self.api_numbers[0]


def spec_facts(spec: LoadedSpec) -> SpecFacts:
    """The facts of `spec`; a SpecError names what is missing."""
    info = spec.raw.get("info")
    version = str(info.get("version", "")) if isinstance(info, dict) else ""
    numbers = parse_version(version)
    if numbers is None:
        raise SpecError(f"{spec.path}: info.version {version!r} is not a version such as 2.0.0")
    for operation in iter_operations(spec):
        if operation.method == "get" and operation.node.get("operationId") == HEALTH_OPERATION_ID:
            return SpecFacts(operation.path, _healthy(spec, operation.node), version, numbers)
    raise SpecError(
        f"{spec.path}: no GET operation {HEALTH_OPERATION_ID}; the preflight needs the health path"
    )


def _healthy(spec: LoadedSpec, operation: dict[str, Any]) -> frozenset[str]:
    """`status` enum of the 200 JSON body; empty when the spec does not constrain it."""
    node: Any = operation
    for key in ("responses", "200", "content", "application/json", "schema"):
        node = spec.deref(node).node if isinstance(node, dict) else None
        node = node.get(key) if isinstance(node, dict) else None
    schema = spec.deref(node).node if isinstance(node, dict) else None
    props = schema.get("properties") if isinstance(schema, dict) else None
    status = spec.deref(props.get("status")).node if isinstance(props, dict) and props.get("status") else None
    values = status.get("enum") if isinstance(status, dict) else None
    return frozenset(str(v) for v in values) if isinstance(values, list) else frozenset()


@cache
def _facts_of(path: Path) -> SpecFacts:
    return spec_facts(load_spec(path))


def bundled_facts() -> SpecFacts:
    """Facts of the spec shipped with clawcheck, read once per process."""
    return _facts_of(bundled_spec_path())
