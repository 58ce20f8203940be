"""The lint rules. Each is one registered function; adding a rule touches only this file.

Rules read the document defensively (it may have failed `openapi.valid`) and report each
problem once, at the place where it must be fixed: a response component shared by twenty
operations is one finding at the component, not twenty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openapi_spec_validator as osv
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError

from clawcheck.spec.loader import LoadedSpec, Resolved, is_ref
from clawcheck.spec.operations import iter_operations
from clawcheck.spec.pointer import join, to_pointer
from clawcheck.spec.registry import RULES, Finding, finding

__all__ = ["ACCEPTANCE_P95_MS", "ACCEPTANCE_SUCCESS_RATE", "ERROR_SCHEMA_REF"]

# The acceptance SLA from the OpenClaw protocol; an operation may tighten it, never loosen it.
ACCEPTANCE_P95_MS = 800
ACCEPTANCE_SUCCESS_RATE = 0.995
ERROR_SCHEMA_REF = "#/components/schemas/Error"
_ERROR_CONTENT = f"content: {{application/json: {{schema: {{$ref: '{ERROR_SCHEMA_REF}'}}}}}}"
_SLA_EXAMPLE = f"x-sla: {{p95_ms: {ACCEPTANCE_P95_MS}, success_rate: {ACCEPTANCE_SUCCESS_RATE}}}"


def _number(value: Any) -> float | None:
    """`value` if YAML gave a number (a bool is not one), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def _short(message: str) -> str:
    """The first line of a validator message, without a long dump of the offending value."""
    line = message.strip().splitlines()[0] if message.strip() else "invalid"
    if (len(line) > 160 or line[:1] in "{[") and " is not " in line:
        line = "value " + line[line.rindex(" is not ") + 1 :]
    return line if len(line) <= 200 else line[:199] + "…"


@RULES.register("openapi.valid", "The document is valid OpenAPI (openapi-spec-validator)")
def openapi_valid(spec: LoadedSpec) -> Iterator[Finding]:
    rule = "openapi.valid"
    version = spec.version
    cls = osv.OpenAPIV31SpecValidator if version.startswith("3.1") else osv.OpenAPIV30SpecValidator
    # base_uri lets the validator follow relative-file refs exactly as the loader did.
    validator = cls(spec.raw, base_uri=spec.path.resolve().as_uri())
    schema_errors = list(validator.schema_validator.iter_errors(spec.raw))
    for error in schema_errors:
        pointer = to_pointer(str(token) for token in error.absolute_path)
        message = f"{_short(error.message)}; make it match OpenAPI {version}"
        if "is not valid under any of" in error.message:  # oneOf/anyOf: the raw text names no cause
            message = (
                f"matches none of the forms OpenAPI {version} allows here; check its required fields "
                "(a response needs `description`) and the spelling of its keys"
            )
        yield finding(rule, spec.path, pointer, message)
    if schema_errors:
        return  # the semantic pass assumes a schema-valid document and crashes on others
    try:
        for error in validator.root_validator(validator.schema_path):
            if isinstance(error, DuplicateOperationIDError):
                continue  # operation_id.unique reports it with both locations
            yield finding(rule, spec.path, "", f"{_short(error.message)}; fix it so the spec is valid")
    except Exception as exc:  # a validator crash must become a finding, never a traceback
        message = f"openapi-spec-validator stopped early ({type(exc).__name__}: {_short(str(exc))})"
        yield finding(rule, spec.path, "", f"{message}; fix the other findings and lint again")


def _sla(spec: LoadedSpec, operation_node: dict[str, Any], file: Path, pointer: str) -> Resolved | None:
    if "x-sla" not in operation_node:
        return None
    return spec.deref(operation_node["x-sla"], file, join(pointer, "x-sla"))


@RULES.register("sla.declared", "Every operation declares x-sla with p95_ms and success_rate")
def sla_declared(spec: LoadedSpec) -> Iterator[Finding]:
    rule = "sla.declared"
    for op in iter_operations(spec):
        sla = _sla(spec, op.node, op.file, op.pointer)
        if sla is None:
            yield finding(rule, op.file, op.pointer, f"{op.label} has no x-sla; add {_SLA_EXAMPLE}")
            continue
        if not isinstance(sla.node, dict):
            yield finding(
                rule, sla.file, sla.pointer, f"x-sla of {op.label} is not a mapping; use {_SLA_EXAMPLE}"
            )
            continue
        p95 = _number(sla.node.get("p95_ms"))
        if p95 is None or p95 <= 0:
            raw = sla.node.get("p95_ms")
            shown = "missing" if raw is None else f"{raw!r}, not a positive number"
            yield finding(
                rule,
                sla.file,
                sla.pointer,
                f"x-sla.p95_ms of {op.label} is {shown}; set it in milliseconds, at most {ACCEPTANCE_P95_MS}",
            )
        rate = _number(sla.node.get("success_rate"))
        if rate is None or not 0 < rate <= 1:
            raw = sla.node.get("success_rate")
            shown = "missing" if raw is None else f"{raw!r}, not a number in (0, 1]"
            yield finding(
                rule,
                sla.file,
                sla.pointer,
                f"x-sla.success_rate of {op.label} is {shown}; write a fraction, e.g. 0.995 for 99.5%",
            )


@RULES.register("sla.not_looser", "No x-sla is looser than the acceptance SLA (p95 800 ms, 99.5%)")
def sla_not_looser(spec: LoadedSpec) -> Iterator[Finding]:
    rule = "sla.not_looser"
    for op in iter_operations(spec):
        sla = _sla(spec, op.node, op.file, op.pointer)
        if sla is None or not isinstance(sla.node, dict):
            continue  # sla.declared reports it
        p95, rate = _number(sla.node.get("p95_ms")), _number(sla.node.get("success_rate"))
        if p95 is not None and p95 > ACCEPTANCE_P95_MS:
            yield finding(
                rule,
                sla.file,
                sla.pointer,
                f"x-sla.p95_ms of {op.label} is {p95}; the acceptance SLA allows at most "
                f"{ACCEPTANCE_P95_MS}: lower it to {ACCEPTANCE_P95_MS} or less",
            )
        if rate is not None and 0 < rate < ACCEPTANCE_SUCCESS_RATE:
            yield finding(
                rule,
                sla.file,
                sla.pointer,
                f"x-sla.success_rate of {op.label} is {rate}; the acceptance SLA requires at least "
                f"{ACCEPTANCE_SUCCESS_RATE}: raise it to {ACCEPTANCE_SUCCESS_RATE} or more",
            )


def _is_error_status(code: str) -> bool:
    return code == "default" or re.fullmatch(r"[45](\d\d|XX)", code, re.IGNORECASE) is not None


def _json_media(content: dict[str, Any]) -> str | None:
    for media_type in content:
        if media_type.split(";")[0].strip().lower() == "application/json":
            return media_type
    return None


@RULES.register("errors.envelope", "Every 4xx/5xx/default response uses the shared Error envelope")
def errors_envelope(spec: LoadedSpec) -> Iterator[Finding]:
    rule = "errors.envelope"
    error_schema = spec.find("/components/schemas/Error")
    shared: set[tuple[Path, str]] = set()
    if error_schema is not None:
        # Any hop of the shared schema's own chain counts: a ref straight to its final target is fine.
        hops = spec.chain(error_schema.node, error_schema.file, error_schema.pointer)
        shared = {(hop.file, hop.pointer) for hop in hops}
    reported: set[tuple[Path, str]] = set()
    use = f"$ref: '{ERROR_SCHEMA_REF}'"
    for op in iter_operations(spec):
        responses = op.node.get("responses")
        if not isinstance(responses, dict):
            continue
        for code, response in responses.items():
            if not _is_error_status(code):
                continue
            written_at = join(op.pointer, "responses", code)
            resolved = spec.deref(response, op.file, written_at)
            if (resolved.file, resolved.pointer) in reported or not isinstance(resolved.node, dict):
                continue
            reported.add((resolved.file, resolved.pointer))
            what = f"{op.label} response {code}"
            if resolved.pointer != written_at or resolved.file != op.file:
                what = f"response {resolved.pointer} (used by {op.label} {code})"
            content = resolved.node.get("content")
            media = _json_media(content) if isinstance(content, dict) else None
            if media is None or not isinstance(content, dict):
                yield finding(
                    rule,
                    resolved.file,
                    resolved.pointer,
                    f"{what} has no application/json content; add {_ERROR_CONTENT}",
                )
                continue
            media_node = spec.deref(content[media], resolved.file, join(resolved.pointer, "content", media))
            schema = media_node.node.get("schema") if isinstance(media_node.node, dict) else None
            hops = spec.chain(schema, media_node.file, join(media_node.pointer, "schema"))
            if not is_ref(schema) or not shared.intersection((h.file, h.pointer) for h in hops[1:]):
                found = "none"
                if is_ref(schema):
                    found = f"$ref {schema['$ref']!r}"
                elif schema is not None:
                    found = "an inline schema"
                if error_schema is None:
                    found += ", and the spec defines no components/schemas/Error"
                yield finding(
                    rule,
                    media_node.file,
                    join(media_node.pointer, "schema"),
                    f"{what} does not use the shared Error envelope (schema: {found}); set schema: {use}",
                )


@RULES.register("idempotency.declared", "Every state-changing POST declares the Idempotency-Key header")
def idempotency_declared(spec: LoadedSpec) -> Iterator[Finding]:
    rule = "idempotency.declared"
    for op in iter_operations(spec):
        # The token endpoint creates no state a retry could duplicate, so it takes no key.
        if op.method != "post" or op.path.rstrip("/").endswith("/oauth/token"):
            continue
        keys = [
            param
            for param in op.parameters(spec)
            if isinstance(param.node, dict)
            and param.node.get("in") == "header"
            and str(param.node.get("name", "")).lower() == "idempotency-key"
        ]
        if not keys:
            yield finding(
                rule,
                op.file,
                op.pointer,
                f"{op.label} changes state but declares no Idempotency-Key header parameter; add one "
                "(in: header, name: Idempotency-Key, required: true), e.g. a $ref to components/parameters",
            )
        elif keys[0].node.get("required") is not True:
            yield finding(
                rule,
                keys[0].file,
                keys[0].pointer,
                f"the Idempotency-Key header of {op.label} is optional, but the protocol rejects a POST "
                "without it (400 IDEMPOTENCY_KEY_REQUIRED): set required: true",
            )


@RULES.register("operation_id.unique", "Every operation has an operationId, and no two share one")
def operation_id_unique(spec: LoadedSpec) -> Iterator[Finding]:
    rule = "operation_id.unique"
    first_use: dict[str, tuple[str, str]] = {}
    for op in iter_operations(spec):
        operation_id = op.node.get("operationId")
        if not isinstance(operation_id, str) or not operation_id.strip():
            yield finding(
                rule,
                op.file,
                op.pointer,
                f"{op.label} has no operationId; add a unique one (reports and clients use it as the name)",
            )
            continue
        here = join(op.pointer, "operationId")
        if operation_id in first_use:
            label, where = first_use[operation_id]
            yield finding(
                rule,
                op.file,
                here,
                f"operationId {operation_id!r} of {op.label} is already used by {label} at {where}; "
                "rename one of them",
            )
        else:
            first_use[operation_id] = (op.label, f"{op.file}:{here}")
