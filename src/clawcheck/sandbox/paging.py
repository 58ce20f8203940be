"""Cursor pagination shared by the list operations: `limit` and an opaque `cursor`.

A cursor is the URL-safe base64 of a one-letter tag and a sequence number (`o12`: after
order 12), so a cursor of one list is not a cursor of another.
"""

from __future__ import annotations

import base64
import binascii
import re

from starlette.datastructures import QueryParams

from clawcheck.sandbox.errors import validation_error

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "cursor_for", "cursor_seq", "page_limit", "single"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_LIMIT = re.compile(r"[0-9]{1,4}", re.ASCII)
_CURSOR = re.compile(r"[A-Za-z0-9_-]{2,40}", re.ASCII)


def single(query: QueryParams, name: str) -> str | None:
    """A query parameter given at most once."""
    values = query.getlist(name)
    if len(values) > 1:
        raise validation_error(f"query parameter {name!r} must be given at most once")
    return values[0] if values else None


def page_limit(query: QueryParams) -> int:
    raw = single(query, "limit")
    if raw is None:
        return DEFAULT_LIMIT
    limit = int(raw) if _LIMIT.fullmatch(raw) else 0
    if not 1 <= limit <= MAX_LIMIT:
        raise validation_error(f"query parameter 'limit' must be an integer from 1 to {MAX_LIMIT}")
    return limit


def cursor_for(tag: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{tag}{seq}".encode()).decode().rstrip("=")


def cursor_seq(cursor: str, tag: str, issued: int) -> int:
    """The sequence number in `cursor`, which must be below `issued`; else 400 INVALID_CURSOR."""
    try:
        if _CURSOR.fullmatch(cursor) is None:
            raise ValueError(cursor)
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        match = re.fullmatch(rf"{tag}([0-9]{{1,12}})", decoded, re.ASCII)
        if match is None or int(match.group(1)) >= issued:
            raise ValueError(cursor)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise validation_error("cursor is not one this API returned", code="INVALID_CURSOR") from None
    return int(match.group(1))
