"""One request and its response, as every harness check sees it (independent of any HTTP library)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from clawcheck.core.curl import to_curl

__all__ = ["Exchange", "SentRequest"]

_NO_JSON = object()


@dataclass(frozen=True, slots=True)
class SentRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None = None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None

    def json(self) -> Any:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def curl(self) -> str:
        return to_curl(self.method, self.url, self.headers, self.body)

    def with_headers(self, **changes: str | None) -> SentRequest:
        """A copy with headers replaced (`None` removes one); names use `_` for `-`."""
        wanted = {name.replace("_", "-").lower(): value for name, value in changes.items()}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in wanted}
        for name, value in changes.items():
            if value is not None:
                headers[name.replace("_", "-")] = value
        return SentRequest(self.method, self.url, headers, self.body)


@dataclass(frozen=True, slots=True)
class Exchange:
    """A request and what came back. `operation` is the spec's `METHOD /path/{template}`."""

    operation: str
    request: SentRequest
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    elapsed: float
    _json: list[Any] = field(default_factory=list, repr=False, compare=False)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The parsed body, or None when it is not JSON (parsed once)."""
        if not self._json:
            content_type = self.headers.get("content-type", "")
            value: Any = _NO_JSON
            if self.body and ("json" in content_type or not content_type):
                try:
                    value = json.loads(self.body)
                except ValueError:
                    value = _NO_JSON
            self._json.append(value)
        value = self._json[0]
        return None if value is _NO_JSON else value

    @property
    def is_json(self) -> bool:
        self.json()
        return self._json[0] is not _NO_JSON

    def error_code(self) -> str | None:
        """The error code, read leniently (also from a flat body) so that a broken envelope is
        reported once, by errors.envelope, and not again by every check that reads codes."""
        body = self.json()
        if not isinstance(body, dict):
            return None
        error = body.get("error")
        code = error.get("code") if isinstance(error, dict) else body.get("code")
        return code if isinstance(code, str) else None

    def summary(self) -> str:
        code = self.error_code()
        return f"{self.status} {code}" if code else str(self.status)
