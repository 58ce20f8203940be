"""The request journal: every request a mock received, what it answered, what it learnt.

Behaviour checks read only this. It never holds a token or a secret: tokens are
fingerprints, and query values of known secret names are masked on the way in.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from clawcheck.core.redact import MASK, SENSITIVE_FIELDS

__all__ = ["Journal", "JournalEntry", "find_datetimes"]

# Query parameter names whose values are secrets on some platform.
_SECRET_PARAMS = SENSITIVE_FIELDS | {
    "sign",
    "signature",
    "oauth_signature",
    "consumer_key",
    "consumer_secret",
    "oauth_consumer_key",
    "app_secret",
    "partner_key",
    "code",  # OAuth authorization codes
    "auth_code",
}

# An ISO 8601 date-time as clients send it: date, time, optional fraction and offset.
_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)"
    r"\s?(?P<offset>Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


@dataclass(slots=True)
class JournalEntry:
    """One request. `at` is true Unix time (not the skewed platform clock)."""

    seq: int
    at: float
    method: str
    host: str
    environment: str  # of the host: sandbox, production or any
    path: str
    query: dict[str, str] = field(default_factory=dict)
    status: int = 0
    duration: float = 0.0  # seconds the mock took, including any injected delay
    operation: str | None = None  # the route's name, None when no route matched
    shop: str | None = None
    token: str | None = None  # fingerprint
    token_state: str | None = None  # valid, expired, invalid, missing; None: the route needs none
    signature: str | None = None  # valid, invalid, missing; None: not signed on this platform
    signature_detail: str = ""
    retry_after: float | None = None  # on 429: the wait the platform asked for (or assumes)
    retry_after_advertised: bool = False
    throttle: str | None = None  # "limit" (the platform's rule) or "scenario" (injected)
    injected: str | None = None  # the scenario that answered instead of the platform
    client_timestamps: list[tuple[str, float]] = field(default_factory=list)
    datetimes: list[tuple[str, str]] = field(default_factory=list)  # (where, value) found in query/body
    notes: list[str] = field(default_factory=list)

    @property
    def finished(self) -> float:
        return self.at + self.duration

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": round(self.at, 6),
            "method": self.method,
            "host": self.host,
            "environment": self.environment,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "duration_ms": round(self.duration * 1000, 3),
            "operation": self.operation,
            "shop": self.shop,
            "token": self.token,
            "token_state": self.token_state,
            "signature": self.signature,
            "signature_detail": self.signature_detail,
            "retry_after": self.retry_after,
            "retry_after_advertised": self.retry_after_advertised,
            "throttle": self.throttle,
            "injected": self.injected,
            "client_timestamps": [list(t) for t in self.client_timestamps],
            "datetimes": [list(d) for d in self.datetimes],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JournalEntry:
        return cls(
            seq=data["seq"],
            at=data["at"],
            method=data["method"],
            host=data["host"],
            environment=data["environment"],
            path=data["path"],
            query=dict(data.get("query", {})),
            status=data.get("status", 0),
            duration=data.get("duration_ms", 0.0) / 1000,
            operation=data.get("operation"),
            shop=data.get("shop"),
            token=data.get("token"),
            token_state=data.get("token_state"),
            signature=data.get("signature"),
            signature_detail=data.get("signature_detail", ""),
            retry_after=data.get("retry_after"),
            retry_after_advertised=data.get("retry_after_advertised", False),
            throttle=data.get("throttle"),
            injected=data.get("injected"),
            client_timestamps=[(n, float(v)) for n, v in data.get("client_timestamps", [])],
            datetimes=[(w, v) for w, v in data.get("datetimes", [])],
            notes=list(data.get("notes", [])),
        )

    def label(self) -> str:
        return f"#{self.seq} {self.method} {self.host}{self.path} -> {self.status}"


def masked_query(query: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The query as the journal keeps it: first values, secrets masked."""
    kept: dict[str, str] = {}
    for key, value in query:
        if key in kept:
            continue
        kept[key] = MASK if key.lower() in _SECRET_PARAMS else value[:200]
    return kept


def is_iso_datetime(value: str) -> bool:
    return bool(_ISO.match(value.strip()))


def iso_offset(value: str) -> str | None:
    """The offset part of an ISO date-time (`Z`, `+08:00`), None when it has none."""
    found = _ISO.match(value.strip())
    return found.group("offset") if found else None


def find_datetimes(query: Sequence[tuple[str, str]], body: bytes, content_type: str) -> list[tuple[str, str]]:
    """ISO 8601 date-times the client sent, in the query and in a JSON body, with where."""
    found = [(f"query.{k}", v) for k, v in query if is_iso_datetime(v)]
    if not body or len(body) > 1_000_000:
        return found
    kind = content_type.lower()
    if "json" in kind:
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return found
        _walk(data, "body", found, depth=0)
    elif "x-www-form-urlencoded" in kind:
        form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        found.extend((f"form.{k}", v) for k, v in form if is_iso_datetime(v))
    return found


def _walk(value: Any, where: str, found: list[tuple[str, str]], *, depth: int) -> None:
    if depth > 32 or len(found) > 100:
        return
    if isinstance(value, str):
        if is_iso_datetime(value):
            found.append((where, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{where}.{key}", found, depth=depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value[:1000]):
            _walk(item, f"{where}[{index}]", found, depth=depth + 1)


class Journal:
    """Append-only, thread-safe list of entries, shared by every host of one mock."""

    def __init__(self) -> None:
        self._entries: list[JournalEntry] = []
        self._lock = threading.Lock()
        self._seq = 0

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def add(self, entry: JournalEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return sorted(self._entries, key=lambda e: e.seq)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries())

    def to_list(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.entries()]

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_list(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @staticmethod
    def read(path: Path) -> list[JournalEntry]:
        return [JournalEntry.from_dict(d) for d in json.loads(path.read_text(encoding="utf-8"))]
