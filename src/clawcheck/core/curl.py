"""Reproducible `curl` commands for evidence, with credentials replaced by shell variables."""

from __future__ import annotations

import shlex
from collections.abc import Mapping

__all__ = ["TOKEN_VARIABLE", "to_curl"]

TOKEN_VARIABLE = "OPENCLAW_TOKEN"
# Set by curl itself or meaningless to replay.
_SKIP = frozenset({"content-length", "host", "accept-encoding", "connection", "user-agent"})


def to_curl(method: str, url: str, headers: Mapping[str, str], body: bytes | str | None) -> str:
    """A one-line curl command; a bearer token becomes `$OPENCLAW_TOKEN`, never its value."""
    parts = ["curl", "-sS", "-i", "-X", method.upper(), shlex.quote(url)]
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in _SKIP:
            continue
        if lowered == "authorization":
            scheme = value.partition(" ")[0] or "Bearer"
            # Double quotes so the shell expands the variable.
            parts += ["-H", f'"Authorization: {scheme} ${TOKEN_VARIABLE}"']
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        parts += ["--data-raw", shlex.quote(text)]
    return " ".join(parts)
