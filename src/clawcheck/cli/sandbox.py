"""`clawcheck sandbox`: run the embedded OpenClaw v2 sandbox in the foreground until Ctrl-C."""

from __future__ import annotations

import click

from clawcheck.cli.app import cli
from clawcheck.sandbox import FAULTS, Sandbox, SandboxConfig
from clawcheck.sandbox.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEMO_SHOP_ID
from clawcheck.sandbox.injection import InjectionPlan

__all__ = ["mask_secret", "sandbox_command"]


def mask_secret(secret: str) -> str:
    """The default secret is public and shown whole; any other shows its last four characters only."""
    if secret == DEFAULT_CLIENT_SECRET:
        return secret
    return "****" + secret[-4:] if len(secret) > 8 else "****"


def _list_faults() -> None:
    width = max(len(name) for name in FAULTS)
    for fault in FAULTS.values():
        click.echo(f"{fault.name:<{width}}  {fault.check_id:<22}  {fault.description}")


@cli.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port."
)
@click.option("--client-id", default=DEFAULT_CLIENT_ID, show_default=True, help="OAuth client id to accept.")
@click.option(
    "--client-secret",
    default=DEFAULT_CLIENT_SECRET,
    show_default=True,
    help="OAuth client secret to accept (OPENCLAW_CLIENT_SECRET is not read here).",
)
@click.option(
    "--token-ttl", default=7200.0, show_default=True, type=float, help="Access token lifetime, seconds."
)
@click.option(
    "--rate-limit", default=10.0, show_default=True, type=float, help="Requests per second per shop."
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="NAME",
    help="Switch on a deliberate protocol violation (repeatable); see --list-faults.",
)
@click.option(
    "--list-faults", is_flag=True, help="List the fault switches and the checks they break, then exit."
)
@click.option("--no-seed", is_flag=True, help=f"Start with no demo stock in {DEMO_SHOP_ID}.")
@click.option(
    "--webhook-allow-host",
    "webhook_allow_hosts",
    multiple=True,
    metavar="HOST",
    help="Also deliver webhooks to HOST: a host name, IP address or network such as 10.0.0.0/8 "
    "(repeatable). Without it, only loopback receivers (127.0.0.0/8, ::1, localhost) are accepted.",
)
@click.option(
    "--inject",
    "injections",
    multiple=True,
    metavar="SPEC",
    help="Deterministic latency/error injection for one operation (repeatable), e.g. "
    "'GET /healthz latency=20*9,805 errors=4/1000 status=503' or '* latency=5'.",
)
def sandbox_command(
    host: str,
    port: int,
    client_id: str,
    client_secret: str,
    token_ttl: float,
    rate_limit: float,
    faults: tuple[str, ...],
    list_faults: bool,
    no_seed: bool,
    webhook_allow_hosts: tuple[str, ...],
    injections: tuple[str, ...],
) -> None:
    """Serve the whole OpenClaw v2 API locally, with real semantics, as a target for clawcheck."""
    if list_faults:
        _list_faults()
        return
    config = SandboxConfig(
        client_id=client_id,
        client_secret=client_secret,
        token_ttl=token_ttl,
        rate_limit=rate_limit,
        faults=frozenset(faults),
        seed=not no_seed,
        webhook_allow_hosts=frozenset(webhook_allow_hosts),
        latency=InjectionPlan.of(injections) if injections else None,
    )
    sandbox = Sandbox(config, host=host, port=port).start()
    url = sandbox.base_url
    token_url = f"{url}/v2/oauth/token"
    # Only the public default secret goes into the example; any other stays a shell variable.
    secret = client_secret if client_secret == DEFAULT_CLIENT_SECRET else '"$CLIENT_SECRET"'
    lines = [
        f"OpenClaw v2 sandbox listening on {url}",
        f"  client id:     {client_id}",
        f"  client secret: {mask_secret(client_secret)}",
        f"  shop id:       {DEMO_SHOP_ID}" + ("" if config.seed else " (not seeded)"),
        f"  faults:        {', '.join(sorted(config.faults)) or 'none'}",
        f"  webhooks to:   loopback{''.join(', ' + h for h in sorted(config.webhook_allow_hosts))}",
        f"  token:         curl -s -u {client_id}:{secret} -d grant_type=client_credentials {token_url}",
        "Press Ctrl-C to stop.",
    ]
    if injections:  # only when used: the banner's shape stays what scripts expect
        lines.insert(-2, f"  injection:     {'; '.join(injections)}")
    click.echo("\n".join(lines))
    try:
        sandbox.server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    click.echo("sandbox stopped")
