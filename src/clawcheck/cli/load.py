"""`clawcheck load`: Locust load with exact per-operation percentiles and SLA verdicts.

Nothing here imports Locust: the run happens in Locust subprocesses (`clawcheck.load.runner`).
"""

from __future__ import annotations

import json
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, cli
from clawcheck.core.results import utc_now
from clawcheck.errors import ConfigError

__all__ = ["load"]

EXIT_INTERRUPTED = 130
EMBEDDED_RATE_LIMIT = 1_000_000.0  # the embedded sandbox's per-shop limit: not what a load run measures


def _terminate_as_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


class _ProgressLine:
    """Rewrites one stderr line on a terminal; prints a line every 5 s otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, data: dict[str, Any]) -> None:
        line = (
            f"{data.get('elapsed', 0):7.1f} s  {data.get('requests', 0):>8} req  "
            f"{data.get('rps', 0):>8.1f} req/s  "
            f"P95 {data.get('p95_ms', 0):>7.1f} ms  failures {data.get('failures', 0)}"
        )
        if self.tty:
            click.echo("\r" + line, err=True, nl=False)
        elif time.monotonic() - self.last >= 5.0:
            click.echo(line, err=True)
            self.last = time.monotonic()

    def end(self) -> None:
        if self.tty:
            click.echo("", err=True)


@cli.command("load")
@click.option(
    "--target", default=None, metavar="URL", help="OpenClaw API base URL (default: embedded sandbox)."
)
@click.option("--client-id", default=None, help="OAuth2 client id (env OPENCLAW_CLIENT_ID).")
@click.option("--client-secret", default=None, help="OAuth2 client secret (env OPENCLAW_CLIENT_SECRET).")
@click.option("--shop-id", default=None, help="Shop id(s), comma-separated (env OPENCLAW_SHOP_ID).")
@click.option("--profile", default="smoke", show_default=True, help="smoke, go-live, soak or spike.")
@click.option(
    "--profiles",
    "profiles_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Profiles file (default: load/profiles.toml).",
)
@click.option("--users", type=click.IntRange(min=1), default=None, help="Concurrent users (profile's).")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Open model: requests/s scheduled by the clock, not by responses.",
)
@click.option("--duration", default=None, metavar="TIME", help="Run time: 30s, 5m, 1h (profile's).")
@click.option("--max-requests", type=click.IntRange(min=1), default=None, help="Stop after this many.")
@click.option(
    "--workers", type=click.IntRange(min=0, max=64), default=0, help="Local Locust worker processes."
)
@click.option(
    "--remote-workers",
    type=click.IntRange(min=0, max=1024),
    default=0,
    help="Also wait for this many workers started on other hosts (see docs/load.md).",
)
@click.option(
    "--master-port",
    type=click.IntRange(min=0, max=65535),
    default=0,
    help="The master's port for remote workers (binds all interfaces when --remote-workers is set).",
)
@click.option(
    "--operation",
    "operations",
    multiple=True,
    metavar="'METHOD /path'",
    help="Only these operations (repeatable).",
)
@click.option(
    "--sla",
    "slas",
    multiple=True,
    metavar="SPEC",
    help="Tighten an SLA: 'p95_ms=500' or 'METHOD /path success_rate=0.999'.",
)
@click.option(
    "--inject",
    "injections",
    multiple=True,
    metavar="SPEC",
    help="Embedded sandbox only: latency/error injection, as `clawcheck sandbox --inject`.",
)
@click.option(
    "--json", "json_path", default=None, type=click.Path(dir_okay=False), help="Write the results document."
)
def load(
    target: str | None,
    client_id: str | None,
    client_secret: str | None,
    shop_id: str | None,
    profile: str,
    profiles_path: str | None,
    users: int | None,
    rate: float | None,
    duration: str | None,
    max_requests: int | None,
    workers: int,
    remote_workers: int,
    master_port: int,
    operations: tuple[str, ...],
    slas: tuple[str, ...],
    injections: tuple[str, ...],
    json_path: str | None,
) -> int:
    """Load a target with Locust and give an exact P95 and success-rate verdict per operation."""
    from clawcheck.load.profiles import get_profile, parse_duration
    from clawcheck.load.report import RunInfo, build_result, render_table
    from clawcheck.load.runner import LoadPlan, run_locust
    from clawcheck.load.sla import parse_override, spec_operations
    from clawcheck.sandbox import Sandbox, SandboxConfig
    from clawcheck.sandbox.injection import InjectionPlan

    # Every input is checked before anything starts.
    chosen = get_profile(profile, Path(profiles_path) if profiles_path else None)
    if duration is not None:
        chosen = replace(chosen, duration=parse_duration(duration))
    if users is not None:
        chosen = replace(chosen, users=users)
    if rate is not None:
        chosen = replace(chosen, rate=rate)
    if max_requests is not None:
        chosen = replace(chosen, max_requests=max_requests)
    spec_ops = spec_operations()
    for text in slas:
        spec_ops = parse_override(text, spec_ops)
    weights = dict(chosen.weights)
    if operations:
        unknown = [op for op in operations if op not in weights]
        if unknown:
            raise ConfigError(
                f"--operation {unknown[0]!r} is not in the task mix; known: {', '.join(weights)}"
            )
        weights = {op: w for op, w in weights.items() if op in operations}
    if remote_workers and not master_port:
        raise ConfigError("--remote-workers needs --master-port: the port the remote workers connect to")
    if injections and target:
        raise ConfigError("--inject applies to the embedded sandbox only; drop --target or --inject")
    plan_inject = InjectionPlan.of(injections) if injections else None
    sandbox = None
    env: dict[str, str] = {}
    if target:
        from clawcheck.contract.client import TargetClient
        from clawcheck.contract.preflight import preflight
        from clawcheck.contract.settings import resolve_settings

        settings = resolve_settings(
            target=target, client_id=client_id, client_secret=client_secret, shop_id=shop_id
        )
        client = TargetClient(settings)
        try:
            preflight(client)  # unreachable, not OpenClaw, wrong credentials: exit 2 within seconds
        finally:
            client.close()
        env = {
            "OPENCLAW_CLIENT_ID": settings.client_id,
            "OPENCLAW_CLIENT_SECRET": settings.client_secret,
            "OPENCLAW_SHOP_ID": ",".join(settings.shops),
        }
    else:
        sandbox = Sandbox(SandboxConfig(rate_limit=EMBEDDED_RATE_LIMIT, latency=plan_inject))
    users_n = max(chosen.users, 1)
    plan = LoadPlan(
        target=target or "",
        users=users_n,
        # Open model: the whole pool at once, so the clock's schedule is not served by a ramp.
        spawn_rate=max(chosen.spawn_rate, users_n) if chosen.rate else chosen.spawn_rate,
        duration=chosen.duration,
        workers=workers,
        remote_workers=remote_workers,
        master_host="0.0.0.0" if remote_workers else "127.0.0.1",
        master_port=master_port,
        config={
            "weights": weights,
            "rate": chosen.rate,
            "pace": chosen.pace,
            "max_requests": chosen.max_requests,
            "shops": chosen.shops,
        },
        env=env,
    )
    mode = f"open model, {chosen.rate:g} req/s" if chosen.rate else f"closed model, {users_n} users"
    click.echo(
        f"clawcheck load: {target or 'embedded sandbox'}, profile {chosen.name}, {mode}, "
        f"{chosen.duration:g} s" + (f", {workers} workers" if workers else ""),
        err=True,
    )
    if remote_workers:
        click.echo(
            f"waiting for {remote_workers} remote worker(s): on each host, with the same OPENCLAW_* "
            "variables, run\n"
            f"  CLAWCHECK_LOAD='{json.dumps({**plan.config, 'workers': workers + remote_workers})}' "
            f"locust -f load/locustfile.py --worker --master-host THIS_HOST --master-port {master_port}",
            err=True,
        )
    progress = _ProgressLine()
    started_at = utc_now()
    previous = signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    try:
        if sandbox is not None:
            plan = replace(plan, target=sandbox.start().base_url)
        outcome = run_locust(plan, progress)
    finally:
        signal.signal(signal.SIGTERM, previous)
        progress.end()
        if sandbox is not None:
            sandbox.stop()
    from clawcheck.load.recorder import Recorder

    recorder = Recorder({name: op.declared for name, op in spec_ops.items()})
    recorder.merge(outcome.snapshot)
    settings_out = {
        **chosen.to_dict(),
        "weights": weights,
        "workers": workers + remote_workers,
        "mode": mode,
    }
    info = RunInfo(plan.target, started_at, utc_now(), outcome.complete, outcome.duration_s, settings_out)
    required = [op for op in weights if op in spec_ops]
    result = build_result(recorder, spec_ops, info, required)
    click.echo(render_table(result))
    if json_path:
        result.write_json(Path(json_path))
    if not result.complete:
        click.echo("clawcheck load: interrupted; results are incomplete and never a pass", err=True)
        return EXIT_INTERRUPTED
    return EXIT_OK if result.passed else EXIT_FAILED
