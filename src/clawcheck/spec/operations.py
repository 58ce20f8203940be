"""The operations of a loaded spec, with `$ref`ed path items and parameters followed.

Every accessor tolerates a malformed document (a list where a mapping belongs, and so on):
the lint rules still run on specs that fail `openapi.valid`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clawcheck.spec.loader import LoadedSpec, Resolved
from clawcheck.spec.pointer import join

__all__ = ["HTTP_METHODS", "Operation", "iter_operations"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(slots=True, frozen=True)
class Operation:
    """One operation; `file` and `pointer` say where its object is written."""

    path: str
    method: str
    file: Path
    pointer: str
    node: dict[str, Any]
    path_item: Resolved

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameters(self, spec: LoadedSpec) -> list[Resolved]:
        """Path-item and operation parameters, dereferenced; an operation one overrides its twin."""
        by_key: dict[tuple[str, str], Resolved] = {}
        unnamed: list[Resolved] = []
        for owner in (self.path_item, Resolved(self.file, self.pointer, self.node)):
            params = owner.node.get("parameters") if isinstance(owner.node, dict) else None
            if not isinstance(params, list):
                continue
            for index, param in enumerate(params):
                resolved = spec.deref(param, owner.file, join(owner.pointer, "parameters", index))
                if isinstance(resolved.node, dict) and isinstance(resolved.node.get("name"), str):
                    # Header names are case-insensitive, so `idempotency-key` overrides `Idempotency-Key`.
                    name = resolved.node["name"]
                    where = str(resolved.node.get("in"))
                    by_key[(where, name.lower() if where == "header" else name)] = resolved
                else:
                    unnamed.append(resolved)
        return [*by_key.values(), *unnamed]


def iter_operations(spec: LoadedSpec) -> Iterator[Operation]:
    """Every operation under `paths`, in document order."""
    paths = spec.raw.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        path_item = spec.deref(item, spec.path, join("/paths", path))
        if not isinstance(path_item.node, dict):
            continue
        for method in HTTP_METHODS:
            node = path_item.node.get(method)
            if isinstance(node, dict):
                yield Operation(
                    path=path,
                    method=method,
                    file=path_item.file,
                    pointer=join(path_item.pointer, method),
                    node=node,
                    path_item=path_item,
                )
