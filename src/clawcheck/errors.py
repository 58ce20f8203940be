"""The one exception tree of clawcheck.

    ClawcheckError                 any harness error the user can act on (CLI exit 2)
    ├── ConfigError                bad options, environment or configuration
    ├── SpecError                  a spec that cannot be read, parsed or resolved
    └── TargetError                the system under test cannot be used
        ├── TargetUnreachable      connection refused, DNS failure, timeout
        ├── TargetNotOpenClaw      it answers, but not like an OpenClaw API (HTML, 404 on /healthz)
        └── CredentialsRejected    the token endpoint refused the client credentials

    ContractFailure(AssertionError) a target broke the contract: pytest shows a failure, not an error

Every message is one line that says what is wrong and what to do; none ever
contains a token, secret or Authorization value.
"""

from __future__ import annotations

__all__ = [
    "ClawcheckError",
    "ConfigError",
    "ContractFailure",
    "CredentialsRejected",
    "SpecError",
    "TargetError",
    "TargetNotOpenClaw",
    "TargetUnreachable",
]


class ClawcheckError(Exception):
    """Root of every error clawcheck raises on purpose."""


class ConfigError(ClawcheckError):
    """Options, environment variables or configuration are unusable."""


class SpecError(ClawcheckError):
    """A spec file is missing, is not YAML/JSON, or has a `$ref` that does not resolve."""


class TargetError(ClawcheckError):
    """The target URL cannot be tested."""


class TargetUnreachable(TargetError):
    """Nothing usable answers at the target's address."""


class TargetNotOpenClaw(TargetError):
    """Something answers, but it is not an OpenClaw API."""


class CredentialsRejected(TargetError):
    """The target refused the configured client credentials."""


class ContractFailure(AssertionError):
    """One or more checks failed for a request; carries the check ids."""

    def __init__(self, message: str, check_ids: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.check_ids = check_ids
