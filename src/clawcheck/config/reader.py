"""Typed, key-aware access to one TOML table: every mistake becomes one line naming the dotted key.

    Table(data, "environments.staging.webhooks", ctx, known=("url", "secret", "probe"))

checks for unknown keys (suggesting the closest known one) as soon as it is made, so a typo is
reported as a typo before the key it was meant to be is reported missing.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NoReturn

from clawcheck.config.secrets import Resolver, Secret, parse_reference
from clawcheck.errors import ConfigError

__all__ = ["Context", "Table", "dotted", "parse_seconds", "suggest", "toml_type"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")
MAX_SECONDS = 24 * 3600.0


def dotted(path: str, key: str | int) -> str:
    """`environments.staging` + `sla` / `"POST /v2/orders"` / 0 → the key as TOML would write it."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    part = key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)
    return f"{path}.{part}" if path else part


def suggest(word: str, known: Sequence[str]) -> str | None:
    """The known word meant: same but for case, else the one it abbreviates, else the closest."""
    folded = word.casefold()
    for candidates in (
        [k for k in known if k.casefold() == folded],
        [k for k in known if folded and k.casefold().startswith(folded)],
    ):
        if len(candidates) == 1:
            return candidates[0]
    matches = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, datetime | date | time):
        return "a date/time"
    return type(value).__name__


def parse_seconds(text: str) -> float | None:
    """`90`, `90s`, `5m`, `1h30m` → seconds (the grammar of load/profiles.toml); None if malformed."""
    match = _DURATION.match(text.strip())
    if not text.strip() or not match or not any(match.groups()):
        return None
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


@dataclass(frozen=True, slots=True)
class Context:
    """Where the table came from (for messages) and how its secrets are resolved."""

    source: str  # "clawcheck.toml", "pyproject.toml", or the path given
    resolve: Resolver

    def fail(self, key: str, problem: str) -> NoReturn:
        raise ConfigError(f"{self.source}: {key} {problem}")


class Table:
    """One table of the file with its dotted path; accessors validate type and value."""

    __slots__ = ("_ctx", "_data", "path")

    def __init__(self, data: Mapping[str, Any], path: str, ctx: Context, known: Sequence[str] | None) -> None:
        self._data = data
        self.path = path
        self._ctx = ctx
        if known is not None:
            for key in data:
                if key not in known:
                    close = suggest(key, known)
                    hint = (
                        f"did you mean {dotted(path, close)}?"
                        if close
                        else "known keys here: " + ", ".join(known)
                    )
                    ctx.fail(dotted(path, key), f"is not a known key; {hint}")

    def key(self, key: str) -> str:
        return dotted(self.path, key)

    def fail(self, key: str, problem: str, *, index: int | None = None) -> NoReturn:
        where = self.key(key)
        self._ctx.fail(where if index is None else dotted(where, index), problem)

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def value(self, key: str) -> Any:
        """The raw value (None when absent), for the rare key of several types."""
        return self._data.get(key)

    def _get(self, key: str, required: str | None) -> Any:
        if key not in self._data:
            if required is not None:
                self.fail(key, f"is required{required}")
            return None
        return self._data[key]

    def need(
        self,
        key: str,
        why: str = "",
        *,
        choices: Sequence[str] | None = None,
        pattern: re.Pattern[str] | None = None,
        shape: str = "",
    ) -> str:
        """A required string; `why` completes the sentence "<key> is required…"."""
        self._get(key, why)
        value = self.string(key, choices=choices, pattern=pattern, shape=shape)
        assert value is not None
        return value

    def string(
        self,
        key: str,
        *,
        choices: Sequence[str] | None = None,
        pattern: re.Pattern[str] | None = None,
        shape: str = "",
    ) -> str | None:
        """An optional string, not blank; `choices` or `pattern` (described by `shape`) constrain it."""
        value = self._get(key, None)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"must be a string, got {toml_type(value)}")
        if not value.strip():
            self.fail(key, "must not be empty")
        if choices is not None and value not in choices:
            choices = [str(c) for c in choices]  # StrEnum members would show as <Kind.SANDBOX: ...>
            close = suggest(value, choices)
            hint = f" (did you mean {close!r}?)" if close else ""
            self.fail(key, f"must be one of {', '.join(choices)}, got {value!r}{hint}")
        if pattern is not None and not pattern.match(value):
            self.fail(key, f"must be {shape}, got {value!r}")
        return value

    def integer(self, key: str, *, minimum: int) -> int | None:
        value = self._get(key, None)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, got {toml_type(value)}")
        if value < minimum:
            self.fail(key, f"must be at least {minimum}, got {value}")
        return value

    def number(
        self,
        key: str,
        *,
        above: float | None = None,
        least: float | None = None,
        most: float | None = None,
        why: str = "",
    ) -> float | None:
        """A float or integer: `above` is an exclusive lower bound, `least`/`most` inclusive bounds."""
        value = self._get(key, None)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"must be a number, got {toml_type(value)}")
        number = float(value)
        because = f" ({why})" if why else ""
        if not math.isfinite(number):
            self.fail(key, f"must be a finite number, got {number}")
        if above is not None and not number > above:
            self.fail(key, f"must be more than {above:g}, got {number:g}{because}")
        if least is not None and number < least:
            self.fail(key, f"must be at least {least:g}, got {number:g}{because}")
        if most is not None and number > most:
            self.fail(key, f"must be at most {most:g}, got {number:g}{because}")
        return number

    def seconds(self, key: str, *, allow_zero: bool = False) -> float | None:
        """Seconds as a number (`30`, `2.5`) or a duration string (`"30s"`, `"5m"`, `"1h30m"`)."""
        value = self._get(key, None)
        if value is None:
            return None
        if isinstance(value, str):
            parsed = parse_seconds(value)
            if parsed is None:
                self.fail(key, f'must be seconds (30) or a duration ("30s", "5m", "1h30m"), got {value!r}')
        elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(key, f'must be seconds (30) or a duration string ("5m"), got {toml_type(value)}')
        else:
            parsed = float(value)
        if parsed < 0 or (parsed == 0 and not allow_zero):
            self.fail(key, f"must be {'0 or more' if allow_zero else 'more than 0'} seconds, got {parsed:g}")
        if parsed > MAX_SECONDS:
            self.fail(key, f"must be at most 24 h, got {parsed:g} s")
        return parsed

    def strings(self, key: str) -> tuple[str, ...] | None:
        value = self._get(key, None)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(key, f"must be an array of strings, got {toml_type(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(key, f"must be a string, got {toml_type(item)}", index=index)
            if not item.strip():
                self.fail(key, "must not be empty", index=index)
        return tuple(value)

    def table(self, key: str, known: Sequence[str] | None) -> Table | None:
        value = self._get(key, None)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail(key, f"must be a table, got {toml_type(value)}")
        return Table(value, self.key(key), self._ctx, known)

    def tables(self, key: str, known: Sequence[str]) -> list[Table]:
        """An array of tables (`[[notify]]`), each with its index in the dotted key."""
        value = self._get(key, None)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"must be an array of tables ([[{self.key(key)}]]), got {toml_type(value)}")
        found: list[Table] = []
        for index, item in enumerate(value):
            where = f"{self.key(key)}[{index}]"
            if not isinstance(item, Mapping):
                self._ctx.fail(where, f"must be a table, got {toml_type(item)}")
            found.append(Table(item, where, self._ctx, known))
        return found

    def child(self, key: str, known: Sequence[str] | None) -> Table:
        """The sub-table at a key that is known to be present (a key of a free-form table)."""
        self._get(key, "")
        table = self.table(key, known)
        assert table is not None
        return table

    def need_secret(self, key: str, why: str = "", *, example: str) -> Secret:
        self._get(key, why)
        secret = self.secret(key, example=example)
        assert secret is not None
        return secret

    def secret(self, key: str, *, example: str) -> Secret | None:
        """A credential reference, resolved by the context; a literal value is refused unseen.

        No message here ever quotes the value: it may be the secret itself.
        """
        value = self._get(key, None)
        if value is None:
            return None
        how = f'write it as {{ env = "{example}" }} and export {example}'
        try:
            variable = parse_reference(value)
        except ValueError as exc:
            self.fail(key, f"is not a valid reference: {exc}; {how}")
        if variable is None:
            if isinstance(value, str):
                self.fail(key, f"must not be written in the file (it is a secret); {how}")
            self.fail(key, f"must be an environment variable reference, got {toml_type(value)}; {how}")
        return Secret(variable, self._ctx.resolve(variable, self.key(key)))
