"""Every error body is the OpenClaw envelope, and its trace id is the response's."""

from __future__ import annotations

from clawcheck.contract.checks._base import CheckFailed, CheckInput, CheckKind, check

ERROR_TYPES = frozenset({"auth", "validation", "rate_limit", "not_found", "conflict", "platform"})
TRACE_HEADER = "x-openclaw-trace-id"


@check(
    "errors.envelope",
    title="Error bodies use the OpenClaw error envelope",
    title_zh="错误响应使用统一错误结构",
    kind=CheckKind.RESPONSE,
)
def error_envelope(ctx: CheckInput) -> bool:
    """Every 4xx/5xx body is {"error": {"code", "type", "message", "trace_id"}} with a known type."""
    ex = ctx.exchange
    if ex.status < 400:
        return False
    body = ex.json()
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        shown = ex.body[:120].decode("utf-8", "replace")
        raise CheckFailed(f'{ex.status} body is not an {{"error": {{...}}}} envelope: {shown!r}', ex)
    error = body["error"]
    problems = [
        f"`{name}` missing or not a non-empty string"
        for name in ("code", "message", "trace_id")
        if not isinstance(error.get(name), str) or (name != "message" and not error.get(name))
    ]
    if error.get("type") not in ERROR_TYPES:
        problems.append(f"`type` is {error.get('type')!r}, expected one of {', '.join(sorted(ERROR_TYPES))}")
    if problems:
        raise CheckFailed(f"{ex.status} error envelope: " + "; ".join(problems), ex)
    return True


@check(
    "errors.trace_id",
    title="Every response carries X-OpenClaw-Trace-Id, equal to the error's trace_id",
    title_zh="每个响应带 X-OpenClaw-Trace-Id 且与错误体 trace_id 一致",
    kind=CheckKind.RESPONSE,
)
def trace_id(ctx: CheckInput) -> bool:
    """The trace header is on every response; an error body's trace_id repeats it."""
    ex = ctx.exchange
    header = ex.header(TRACE_HEADER)
    if not header:
        raise CheckFailed(f"{ex.status} response has no X-OpenClaw-Trace-Id header", ex)
    body = ex.json()
    if ex.status >= 400 and isinstance(body, dict) and isinstance(body.get("error"), dict):
        in_body = body["error"].get("trace_id")
        if isinstance(in_body, str) and in_body != header:
            raise CheckFailed(f"error trace_id {in_body!r} differs from X-OpenClaw-Trace-Id {header!r}", ex)
    return True
