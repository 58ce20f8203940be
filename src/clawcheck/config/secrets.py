"""Credentials in configuration: the file names an environment variable, never the value.

    client_secret = { env = "OPENCLAW_CLIENT_SECRET" }     # the table form
    client_secret = "${OPENCLAW_CLIENT_SECRET}"             # the string form, same meaning

A configuration file is committed, shared and attached to tickets; a secret written in it
leaks with it. So a literal string in a secret field is refused, and the value is read from
the environment only when one environment is chosen for a run (`Config.environment`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from clawcheck.errors import ConfigError

__all__ = ["ENV_NAME", "Resolver", "Secret", "env_resolver", "parse_reference", "placeholder_resolver"]

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_STRING_FORM = re.compile(r"^\$\{([^{}]*)\}$")

# (variable, dotted key) -> value. The key is only for messages; the value never is.
Resolver = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Secret:
    """A resolved credential and the variable it came from. `repr` and `str` never show the value."""

    env: str
    value: str = field(repr=False, compare=False)

    def reveal(self) -> str:
        """The value, for the one place that sends it (a token request, an HMAC key)."""
        return self.value

    def __str__(self) -> str:
        return f"${{{self.env}}}"

    def to_dict(self) -> dict[str, str]:
        """What a report may say about it: where it comes from."""
        return {"env": self.env}


def parse_reference(value: object) -> str | None:
    """The variable named by `{ env = "NAME" }` or `"${NAME}"`; None when `value` is neither form.

    A malformed variable name inside either form is a ValueError (the caller names the key).
    """
    name: object
    if isinstance(value, Mapping):
        if set(value) != {"env"}:
            keys = ", ".join(sorted(map(str, value))) or "none"
            raise ValueError(f"the table takes exactly one key, env (it has: {keys})")
        name = value["env"]
    elif isinstance(value, str) and (match := _STRING_FORM.match(value)):
        name = match.group(1)
    else:
        return None
    if not isinstance(name, str) or not ENV_NAME.match(name):
        raise ValueError("an environment variable name is letters, digits and _, not starting with a digit")
    return name


def env_resolver(environ: Mapping[str, str], source: str) -> Resolver:
    """Reads each variable from `environ`; unset or empty is a ConfigError naming key and variable."""

    def resolve(variable: str, key: str) -> str:
        value = environ.get(variable)
        if value is None:
            raise ConfigError(
                f"{source}: {key} reads environment variable {variable}, which is not set; "
                f"export {variable} before the run"
            )
        if not value:
            raise ConfigError(
                f"{source}: {key} reads environment variable {variable}, which is empty; set it"
            )
        return value

    return resolve


def placeholder_resolver(variable: str, key: str) -> str:
    """Validation without secrets: every environment is checked at load, none of its variables read."""
    return ""
