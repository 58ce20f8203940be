"""The resolved acceptance configuration of one environment: frozen values, secrets resolved.

Nothing here reads files or the environment; `clawcheck.config.schema` builds these values
from a validated TOML table and `Config.environment` hands them to the orchestrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from clawcheck.config.secrets import Secret
from clawcheck.core.checklist import Waiver

__all__ = [
    "EnvironmentConfig",
    "Kind",
    "LoadConfig",
    "NotifyConfig",
    "NotifyKind",
    "PlatformsConfig",
    "Role",
    "Signer",
    "SlaOverride",
    "WaiverConfig",
    "WebhooksConfig",
]


class Kind(StrEnum):
    """What the target is; the preflight checks that its host agrees."""

    SANDBOX = "sandbox"
    PRODUCTION = "production"


class Role(StrEnum):
    """The two parties that sign the checklist."""

    SELLER = "seller"
    PLATFORM = "platform"


class NotifyKind(StrEnum):
    WECOM = "wecom"
    FEISHU = "feishu"
    DINGTALK = "dingtalk"
    SLACK = "slack"


def _secret(secret: Secret | None) -> dict[str, str] | None:
    return None if secret is None else secret.to_dict()


@dataclass(frozen=True, slots=True)
class WebhooksConfig:
    """The seller's webhook receiver; `url` None means the reference receiver."""

    url: str | None = None
    secret: Secret | None = None  # required with url
    probe: str | None = None  # URL template with {event_id}

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "secret": _secret(self.secret), "probe": self.probe}


@dataclass(frozen=True, slots=True)
class PlatformsConfig:
    """The seller's adapter run against one mock platform; `adapter` None means the reference adapter."""

    platform: str
    adapter: str | tuple[str, ...] | None = None  # a shell-style command line or an argv
    scenarios: tuple[str, ...] = ()  # "token-expiry:ttl=5", names checked by the platforms stage
    duration: float | None = None  # seconds the adapter is asked to run (CLAWCHECK_DURATION)
    timeout: float | None = None  # seconds before the adapter is killed

    def to_dict(self) -> dict[str, Any]:
        adapter = list(self.adapter) if isinstance(self.adapter, tuple) else self.adapter
        return {
            "platform": self.platform,
            "adapter": adapter,
            "scenarios": list(self.scenarios),
            "duration": self.duration,
            "timeout": self.timeout,
        }


@dataclass(frozen=True, slots=True)
class LoadConfig:
    """A load profile by name and the overrides of its values; None keeps the profile's."""

    profile: str | None = None
    users: int | None = None
    spawn_rate: float | None = None
    duration: float | None = None  # seconds
    max_requests: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "users": self.users,
            "spawn_rate": self.spawn_rate,
            "duration": self.duration,
            "max_requests": self.max_requests,
        }


@dataclass(frozen=True, slots=True)
class SlaOverride:
    """A tighter SLA for one operation (`POST /v2/orders/create`) or every one (`*`).

    The file check bounds it by the protocol's maxima; the orchestrator also checks it against
    the operation's own `x-sla` (an override may only tighten).
    """

    operation: str  # "POST /v2/orders/create" or "*"
    p95_ms: float | None = None
    success_rate: float | None = None  # written `success` in the file

    @property
    def everywhere(self) -> bool:
        return self.operation == "*"

    def to_load_arg(self) -> str:
        """The same override in `clawcheck load --sla` syntax (`load.sla.parse_override`)."""
        words = [] if self.everywhere else [self.operation]
        if self.p95_ms is not None:
            words.append(f"p95_ms={self.p95_ms:g}")
        if self.success_rate is not None:
            words.append(f"success_rate={self.success_rate:g}")
        return " ".join(words)

    def to_dict(self) -> dict[str, Any]:
        return {"operation": self.operation, "p95_ms": self.p95_ms, "success": self.success_rate}


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signs for one side: a display name and the public key file (absolute)."""

    role: Role
    name: str
    key: Path

    def to_dict(self) -> dict[str, str]:
        return {"role": str(self.role), "name": self.name, "key": str(self.key)}


@dataclass(frozen=True, slots=True)
class WaiverConfig:
    """A failed checklist item accepted anyway, with the reason and who accepted it."""

    item: str  # a checklist item id: "op.listOrders.p95"
    reason: str
    signer: str
    role: Role

    @property
    def waiver(self) -> Waiver:
        return Waiver(reason=self.reason, signer=self.signer, role=str(self.role))

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, **self.waiver.to_dict()}


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    """A chat bot told about the verdict; its URL carries a token, so both fields are secrets."""

    kind: NotifyKind
    url: Secret
    secret: Secret | None = None  # the bot's signing secret

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "url": self.url.to_dict(), "secret": _secret(self.secret)}


@dataclass(frozen=True, slots=True)
class EnvironmentConfig:
    """Everything one acceptance run against one environment needs, secrets resolved.

    `target` None means the embedded sandbox (no credentials, no shop: its demo ones are used).
    """

    name: str
    kind: Kind = Kind.SANDBOX
    target: str | None = None  # base URL without /v2
    client_id: str | None = None
    client_secret: Secret | None = None
    shop_id: str | None = None
    api_version: str | None = None  # what the target must report, e.g. "v2"
    webhooks: WebhooksConfig = WebhooksConfig()
    platforms: PlatformsConfig | None = None  # None: no [platforms] table
    load: LoadConfig = LoadConfig()
    sla: tuple[SlaOverride, ...] = ()
    signers: tuple[Signer, ...] = ()
    waivers: tuple[WaiverConfig, ...] = ()
    notify: tuple[NotifyConfig, ...] = ()  # the file's [[notify]], resolved with this environment

    @property
    def embedded(self) -> bool:
        return self.target is None

    def secrets(self) -> list[str]:
        """Every secret value of this run, for `Redactor(secrets)`: none may reach any output."""
        found = [self.client_secret, self.webhooks.secret]
        for notify in self.notify:
            found += [notify.url, notify.secret]
        return [secret.reveal() for secret in found if secret is not None]

    def signer(self, role: Role | str) -> Signer | None:
        return next((s for s in self.signers if s.role == role), None)

    def waiver_for(self, item: str) -> Waiver | None:
        return next((w.waiver for w in self.waivers if w.item == item), None)

    def to_dict(self) -> dict[str, Any]:
        """The environment as the checklist's provenance records it: variable names, never values."""
        return {
            "name": self.name,
            "kind": str(self.kind),
            "target": self.target,
            "client_id": self.client_id,
            "client_secret": _secret(self.client_secret),
            "shop_id": self.shop_id,
            "api_version": self.api_version,
            "webhooks": self.webhooks.to_dict(),
            "platforms": None if self.platforms is None else self.platforms.to_dict(),
            "load": self.load.to_dict(),
            "sla": [s.to_dict() for s in self.sla],
            "signers": [s.to_dict() for s in self.signers],
            "waivers": [w.to_dict() for w in self.waivers],
            "notify": [n.to_dict() for n in self.notify],
        }
