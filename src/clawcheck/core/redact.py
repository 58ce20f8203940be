"""Keep tokens and secrets out of everything clawcheck writes.

Two layers: structural (known header and field names are masked wherever they
appear) and literal (every secret value the run knows is scrubbed from any text),
so a secret echoed back by a buggy target in an odd place is still caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["MASK", "SENSITIVE_FIELDS", "SENSITIVE_HEADERS", "Redactor"]

MASK = "***"

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-shopify-access-token"}
)
SENSITIVE_FIELDS = frozenset(
    {"access_token", "refresh_token", "client_secret", "secret", "password", "token", "api_key"}
)
# Secrets shorter than this are not scrubbed literally: masking "a" everywhere would wreck evidence.
_MIN_LITERAL = 6


class Redactor:
    """Masks sensitive headers and fields, and scrubs every registered secret value."""

    __slots__ = ("_pattern", "_secrets")

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        fresh = {s for s in secrets if s and len(s) >= _MIN_LITERAL} - self._secrets
        if not fresh:
            return
        self._secrets |= fresh
        # Longest first, so a secret that contains another is masked whole.
        ordered = sorted(self._secrets, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def text(self, value: str) -> str:
        if self._pattern is None:
            return value
        return self._pattern.sub(MASK, value)

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {
            name: (self._mask_header(name, value) if name.lower() in SENSITIVE_HEADERS else self.text(value))
            for name, value in headers.items()
        }

    def data(self, value: Any) -> Any:
        """A copy of JSON-like data with sensitive fields masked and secrets scrubbed."""
        if isinstance(value, Mapping):
            return {
                k: (MASK if str(k).lower() in SENSITIVE_FIELDS and v else self.data(v))
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    @staticmethod
    def _mask_header(name: str, value: str) -> str:
        scheme, _, rest = value.partition(" ")
        if name.lower() in {"authorization", "proxy-authorization"} and rest:
            return f"{scheme} {MASK}"
        return MASK
