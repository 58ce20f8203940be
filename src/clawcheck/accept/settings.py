"""From options and configuration to a plan: every input mistake is found here, before traffic.

No configuration: everything embedded (the sandbox, the reference receiver, the reference
adapter against the Shopee mock), signed with a throw-away demo key the report marks.
"""

from __future__ import annotations

import os
import random
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clawcheck.accept.items import OperationInfo
from clawcheck.accept.stages import StageContext
from clawcheck.config import Config, EnvironmentConfig
from clawcheck.core.checklist import Checklist, Waiver
from clawcheck.errors import ConfigError

__all__ = ["Plan", "resolve"]

DEFAULT_PLATFORM = "shopee"
EMBEDDED_SCENARIOS = ("pagination-edges", "rate-limit-burst:every=6,window=0.5", "token-expiry:ttl=2")
LANGS = ("zh-CN", "en")


@dataclass
class Plan:
    environment_name: str
    environment_kind: str
    target: str | None
    spec: Path
    out_root: Path
    lang: str
    seed: int
    quick: bool
    operations: list[OperationInfo]
    env: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    waivers: list[tuple[str, Waiver]] = field(default_factory=list)
    webhook_url: str | None = None
    webhook_probe: str | None = None
    platform: str = DEFAULT_PLATFORM
    adapter: str | None = None
    platform_scenarios: tuple[str, ...] = ()
    platform_duration: float = 0.0
    platform_timeout: float = 120.0
    load_profile: str = "smoke"
    load_options: dict[str, str] = field(default_factory=dict)
    adapter_cwd: Path | None = None
    sla_overrides: tuple[str, ...] = ()
    api_version: str | None = None
    signers: dict[str, Any] = field(default_factory=dict)
    notify_targets: list[Any] = field(default_factory=list)
    config_summary: dict[str, Any] = field(default_factory=dict)

    @property
    def demo_signing(self) -> bool:
        return not self.signers

    @property
    def target_label(self) -> str:
        return self.target or "embedded sandbox"

    @property
    def environment_label(self) -> str:
        return f"{self.environment_name} ({self.environment_kind}, {self.target_label})"

    def context(self, out_dir: Path, echo: Callable[[str], None]) -> StageContext:
        return StageContext(
            out=out_dir,
            quick=self.quick,
            target=self.target,
            environment_kind=self.environment_kind,
            env=self.env,
            spec=self.spec,
            seed=self.seed,
            webhook_url=self.webhook_url,
            webhook_probe=self.webhook_probe,
            platform=self.platform,
            adapter=self.adapter,
            adapter_cwd=self.adapter_cwd,
            platform_scenarios=self.platform_scenarios,
            platform_duration=self.platform_duration,
            platform_timeout=self.platform_timeout,
            load_profile=self.load_profile,
            load_options=self.load_options,
            sla_overrides=self.sla_overrides,
            api_version=self.api_version,
            echo=echo,
        )

    def sign(self, out_dir: Path) -> list[str]:
        """Sign the report: with the demo key when no signer is configured (marked as such).

        Configured signers sign later, each with their own key (`clawcheck sign`): the run
        never holds a real private key.
        """
        if not self.demo_signing:
            return []
        from clawcheck.signoff import demo_key, sign_report

        key = demo_key()
        signed = []
        for role in ("seller", "platform"):
            record = sign_report(out_dir, key, f"clawcheck demo ({role})", role, demo=True)
            signed.append(f"{role}: demo key {getattr(record, 'fingerprint', '')}")
        return signed

    def notify(self, checklist: Checklist, out_dir: Path) -> list[str]:
        if not self.notify_targets:
            return []
        from clawcheck.notify import Message, notify

        message = Message.from_checklist(checklist, report_link=str((out_dir / "report.html").resolve()))
        return [f"notify {outcome}" for outcome in notify(self.notify_targets, message)]


def resolve(options: Any) -> Plan:
    """The plan of a run from `AcceptOptions`, the configuration file and the environment."""
    from clawcheck.accept.run import operations_of
    from clawcheck.config import load_config
    from clawcheck.spec.loader import bundled_spec_path, load_spec

    if options.lang is not None and options.lang not in LANGS:
        raise ConfigError(f"--lang must be one of {', '.join(LANGS)}, not {options.lang!r}")
    config = load_config(options.config) if options.config else load_config()
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
    if config is None:
        if options.env_name:
            raise ConfigError(
                f"--env {options.env_name}: no clawcheck.toml found; write one (see docs/config.md)"
            )
        spec = bundled_spec_path()
        load_spec(spec)
        return Plan(
            environment_name="embedded",
            environment_kind="sandbox",
            target=None,
            spec=spec,
            out_root=options.out or Path("reports"),
            lang=options.lang or "zh-CN",
            seed=seed,
            quick=options.quick,
            operations=operations_of(spec),
            config_summary={"source": "none: embedded defaults"},
            # The smoke profile's 5,000-request cap is too few for success-rate verdicts.
            load_options={"max-requests": "60000"},
            # The scenarios that give every client check something to judge.
            platform_scenarios=EMBEDDED_SCENARIOS,
            platform_duration=3.0,
        )
    env = config.environment(options.env_name)
    spec = config.spec or bundled_spec_path()
    load_spec(spec)  # a broken spec stops here, named
    plan = Plan(
        environment_name=env.name,
        environment_kind=str(env.kind),
        target=env.target,
        spec=spec,
        out_root=options.out or config.out or Path("reports"),
        lang=options.lang or config.lang or "zh-CN",
        seed=seed,
        quick=options.quick,
        operations=operations_of(spec),
        secrets=list(env.secrets()),
        api_version=env.api_version,
        config_summary=config.provenance(env),
    )
    _apply_environment(plan, env, config)
    _check_sla(plan)
    _check_waivers(plan)
    if plan.target:
        _check_target(plan)  # unreachable, not OpenClaw, wrong credentials: before any load
    return plan


def _apply_environment(plan: Plan, env: EnvironmentConfig, config: Config) -> None:
    if env.client_id:
        plan.env["OPENCLAW_CLIENT_ID"] = env.client_id
    if env.client_secret is not None:
        plan.env["OPENCLAW_CLIENT_SECRET"] = env.client_secret.reveal()
    if env.shop_id:
        plan.env["OPENCLAW_SHOP_ID"] = env.shop_id
    hooks = env.webhooks
    if hooks.url:
        plan.webhook_url, plan.webhook_probe = hooks.url, hooks.probe
        if hooks.secret is not None:
            plan.env["OPENCLAW_WEBHOOK_SECRET"] = hooks.secret.reveal()
    platforms = env.platforms
    if platforms is not None:
        plan.platform = platforms.platform or DEFAULT_PLATFORM
        adapter = platforms.adapter
        plan.adapter = shlex.join(adapter) if isinstance(adapter, tuple) else adapter
        plan.adapter_cwd = config.root  # adapter commands are relative to the configuration file
        plan.platform_scenarios = tuple(platforms.scenarios)
        plan.platform_duration = float(platforms.duration or 0.0)
        plan.platform_timeout = float(platforms.timeout or 120.0)
    load = env.load
    plan.load_profile = load.profile or "smoke"
    if load.users:
        plan.load_options["users"] = str(load.users)
    if load.max_requests:
        plan.load_options["max-requests"] = str(load.max_requests)
    if load.duration:
        plan.load_options["duration"] = f"{load.duration:g}s"
    plan.sla_overrides = tuple(override.to_load_arg() for override in env.sla)
    plan.waivers = [(w.item, w.waiver) for w in env.waivers]
    plan.signers = {str(signer.role): signer for signer in env.signers}
    from clawcheck.notify import NotifyTarget

    # Built here so that a bad bot URL stops the run before any traffic (one line, exit 2).
    plan.notify_targets = [
        NotifyTarget(str(n.kind), n.url.reveal(), n.secret.reveal() if n.secret else None) for n in env.notify
    ]


def _check_waivers(plan: Plan) -> None:
    """A waiver must name an item a run can produce: found before the run, not after it."""
    from clawcheck.accept.items import known_item_id

    for item, _ in plan.waivers:
        if not known_item_id(item, plan.operations):
            raise ConfigError(
                f"waiver for {item!r}: no run produces that checklist item; use an id such as "
                "op.createOrder.p95 or webhooks.wrong_secret (see checklist.json of a run)"
            )


def _check_sla(plan: Plan) -> None:
    """Overrides may only tighten the spec's SLAs: a looser one stops the run, named."""
    from clawcheck.load.sla import parse_override, spec_operations

    operations = spec_operations(plan.spec)
    for override in plan.sla_overrides:
        operations = parse_override(override, operations)


def _check_target(plan: Plan) -> None:
    from clawcheck.contract.client import TargetClient
    from clawcheck.contract.preflight import preflight
    from clawcheck.contract.settings import resolve_settings

    settings = resolve_settings(
        target=plan.target,
        client_id=plan.env.get("OPENCLAW_CLIENT_ID"),
        client_secret=plan.env.get("OPENCLAW_CLIENT_SECRET"),
        shop_id=plan.env.get("OPENCLAW_SHOP_ID"),
        env={**os.environ, **plan.env},
    )
    client = TargetClient(settings)
    try:
        preflight(client)
    finally:
        client.close()
