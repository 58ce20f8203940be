"""API errors and the one place that renders the error envelope.

Handlers raise `ApiError`; the pipeline turns it into a response through
`ErrorRenderer`, which is also where the envelope faults bite.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.responses import Response

__all__ = [
    "ApiError",
    "ErrorRenderer",
    "conflict",
    "not_found",
    "render_json",
    "validation_error",
]

JSON_TYPE = "application/json"


class ApiError(Exception):
    """An error answer: HTTP status, machine code, envelope type and a human message."""

    def __init__(
        self,
        status: int,
        code: str,
        type_: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.type = type_
        self.message = message
        self.headers = headers or {}


def validation_error(message: str, code: str = "VALIDATION_ERROR") -> ApiError:
    return ApiError(400, code, "validation", message)


def not_found(code: str, message: str) -> ApiError:
    return ApiError(404, code, "not_found", message)


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, "conflict", message)


def render_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON; falls back to ASCII escapes when input smuggled in lone surrogates."""
    try:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class ErrorRenderer:
    """Builds error bodies and responses; `flat` and `mismatch` are the envelope faults."""

    __slots__ = ("_flat", "_mismatch")

    def __init__(self, *, flat: bool = False, mismatch: bool = False) -> None:
        self._flat = flat
        self._mismatch = mismatch

    def body(self, error: ApiError, trace_id: str) -> bytes:
        if self._flat:
            return render_json({"code": error.code, "message": error.message})
        shown = secrets.token_hex(16) if self._mismatch else trace_id
        return render_json(
            {"error": {"code": error.code, "type": error.type, "message": error.message, "trace_id": shown}}
        )

    def response(self, error: ApiError, trace_id: str) -> Response:
        return Response(
            self.body(error, trace_id), status_code=error.status, headers=error.headers, media_type=JSON_TYPE
        )
