"""`--operation` patterns: checked once against the spec, for the CLI and the pytest plugin alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from clawcheck.errors import ConfigError

__all__ = ["operation_regex"]


def operation_regex(patterns: Sequence[str], labels: Iterable[str]) -> str:
    """One regex matching any pattern; ConfigError for a bad pattern or one that matches nothing."""
    labels = list(labels)
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"--operation {pattern!r} is not a valid regular expression: {exc}") from None
        if not any(compiled.search(label) for label in labels):
            raise ConfigError(
                f"--operation {pattern!r} matches no operation of the spec; patterns match "
                "'METHOD /path', e.g. 'POST /v2/orders/create' or 'inventory'"
            )
    return "|".join(f"(?:{p})" for p in patterns)
