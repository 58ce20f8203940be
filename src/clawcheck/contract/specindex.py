"""What the contract checks need from the spec: operations, their links to reads, body schemas, SLAs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clawcheck.contract.checks import OperationInfo
from clawcheck.spec.loader import LoadedSpec
from clawcheck.spec.operations import iter_operations

__all__ = ["Link", "SpecIndex"]

_IDEMPOTENCY_HEADER = "idempotency-key"
_MAX_DEPTH = 12  # deep enough for any request body; stops recursive schemas


@dataclass(frozen=True, slots=True)
class Link:
    """An OpenAPI link from an operation's 2xx response to a read operation."""

    name: str
    target: OperationInfo
    parameters: Mapping[str, Any]
    locations: Mapping[str, str]  # parameter name -> in (path, query, header)


@dataclass(frozen=True, slots=True)
class SpecIndex:
    spec: LoadedSpec
    operations: Mapping[str, OperationInfo]
    links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)

    def info(self, label: str) -> OperationInfo:
        return self.operations[label]

    @classmethod
    def build(cls, spec: LoadedSpec) -> SpecIndex:
        global_security = spec.raw.get("security") or []
        infos: dict[str, OperationInfo] = {}
        by_id: dict[str, OperationInfo] = {}
        locations: dict[str, dict[str, str]] = {}
        raw_links: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for op in iter_operations(spec):
            params = [p.node for p in op.parameters(spec) if isinstance(p.node, dict)]
            locations[op.label] = {str(p.get("name")): str(p.get("in")) for p in params}
            has_key = any(
                p.get("in") == "header" and str(p.get("name", "")).lower() == _IDEMPOTENCY_HEADER
                for p in params
            )
            security = op.node.get("security", global_security)
            info = OperationInfo(
                label=op.label,
                method=op.method.upper(),
                path=op.path,
                operation_id=str(op.node.get("operationId", op.label)),
                # `{}` among the alternatives makes auth optional: no 401 is promised then.
                requires_auth=bool(security) and all(bool(req) for req in security),
                state_changing=op.method == "post" and has_key,
                body_schema=_body_schema(spec, op.node),
                sla=dict(op.node.get("x-sla") or {}),
                semantic_rejections=tuple(str(c) for c in op.node.get("x-semantic-rejections") or ()),
            )
            infos[op.label] = info
            by_id[info.operation_id] = info
            raw_links[op.label] = list(_links_of(spec, op.node))
        links: dict[str, tuple[Link, ...]] = {}
        for label, found in raw_links.items():
            resolved = []
            for name, link in found:
                target = by_id.get(str(link.get("operationId")))
                if target is None or target.method != "GET":
                    continue
                resolved.append(
                    Link(name, target, dict(link.get("parameters") or {}), locations[target.label])
                )
            links[label] = tuple(resolved)
        return cls(spec=spec, operations=infos, links=links)


def _links_of(spec: LoadedSpec, node: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for status, response in (node.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        response = spec.deref(response).node
        for name, link in ((response or {}).get("links") or {}).items():
            link = spec.deref(link).node
            if isinstance(link, dict):
                found.append((str(name), link))
    return found


def _body_schema(spec: LoadedSpec, node: Mapping[str, Any]) -> dict[str, Any] | None:
    body = node.get("requestBody")
    if body is None:
        return None
    body = spec.deref(body).node
    media = ((body or {}).get("content") or {}).get("application/json")
    if not isinstance(media, dict) or "schema" not in media:
        return None
    schema = deep_deref(spec, media["schema"])
    return schema if isinstance(schema, dict) else None


def deep_deref(spec: LoadedSpec, node: Any, depth: int = 0) -> Any:
    """A copy of `node` with every `$ref` replaced by its target (bounded depth)."""
    if depth > _MAX_DEPTH:
        return {}
    node = spec.deref(node).node
    if isinstance(node, dict):
        return {
            k: (v if k in {"example", "examples", "enum", "default"} else deep_deref(spec, v, depth + 1))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [deep_deref(spec, v, depth + 1) for v in node]
    return node
