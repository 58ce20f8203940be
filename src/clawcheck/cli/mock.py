"""`clawcheck mock` (serve a mock platform) and `clawcheck client` (judge an adapter against one)."""

from __future__ import annotations

from pathlib import Path

import click

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, cli
from clawcheck.errors import ConfigError

__all__ = ["client_command", "mock_command"]

EXIT_INTERRUPTED = 130


def _list_platforms() -> None:
    from clawcheck.platforms import load_all
    from clawcheck.platforms.registry import MODULES

    registry = load_all()
    for platform in (registry.get(name) for name in MODULES):
        hosts = ", ".join(f"{h.name} ({h.environment})" for h in platform.hosts)
        click.echo(f"{platform.name:<12} {platform.title}\n{'':<12} hosts: {hosts}")


def _list_scenarios() -> None:
    from clawcheck.platforms import SCENARIOS

    width = max(len(name) for name in SCENARIOS.names())
    for scenario in SCENARIOS:
        click.echo(f"{scenario.name:<{width}}  {scenario.describe()}")


def _write(path: str, text: str, option: str) -> None:
    try:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {option} {path}: {exc.strerror}; pass a writable path") from exc


_scenario_option = click.option(
    "--scenario",
    "scenarios",
    multiple=True,
    metavar="NAME[:k=v,...]",
    help="A fault scenario (repeatable, or joined with +), e.g. token-expiry:ttl=2; see --list-scenarios.",
)
_env_option = click.option(
    "--env",
    "environment",
    type=click.Choice(["sandbox", "production"]),
    default="sandbox",
    show_default=True,
    help="The environment the adapter is configured for; the other environment's hosts count as mistakes.",
)


@cli.command("mock")
@click.argument("platform", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=0, type=click.IntRange(0, 65535), help="Port of the primary host (0: free port)."
)
@_env_option
@_scenario_option
@click.option("--webhook-url", default=None, metavar="URL", help="Send the platform's notifications here.")
@click.option(
    "--journal",
    "journal_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the journal on exit.",
)
@click.option("--list", "list_platforms", is_flag=True, help="List the platforms and their hosts, then exit.")
@click.option("--list-scenarios", is_flag=True, help="List the fault scenarios, then exit.")
def mock_command(
    platform: str | None,
    host: str,
    port: int,
    environment: str,
    scenarios: tuple[str, ...],
    webhook_url: str | None,
    journal_path: str | None,
    list_platforms: bool,
    list_scenarios: bool,
) -> int:
    """Serve a mock PLATFORM (amazon, shopify, shopee, ...) on loopback until Ctrl-C.

    Prints the local URL of every real host of the platform and the credentials an adapter
    needs, as environment variables. On exit, prints the client-behaviour checks over
    everything the clients did.
    """
    if list_platforms:
        _list_platforms()
        return EXIT_OK
    if list_scenarios:
        _list_scenarios()
        return EXIT_OK
    if not platform:
        raise ConfigError("name a platform, e.g. `clawcheck mock shopee`; `clawcheck mock --list` lists them")
    from clawcheck.platforms import build_mock
    from clawcheck.platforms.behaviour import evaluate
    from clawcheck.platforms.server import MockServer
    from clawcheck.reporting import render

    mock = build_mock(platform, environment=environment, scenarios=scenarios, webhook_url=webhook_url)
    server = MockServer(mock, host=host, port=port).start()
    try:
        click.echo(f"clawcheck mock: {mock.platform.title} ({environment}) on {server.base_url}", err=True)
        for name, url in server.urls.items():
            click.echo(f"  {name:<45} -> {url}", err=True)
        if mock.scenario_specs:
            click.echo("  scenarios: " + ", ".join(str(s) for s in mock.scenario_specs), err=True)
        click.echo("# environment for your adapter:", err=True)
        for key, value in server.env().items():
            click.echo(f"export {key}='{value}'")
        click.echo("Ctrl-C stops; the journal is at " + server.base_url + "/_clawcheck/journal", err=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if journal_path:
        _write(journal_path, "", "--journal")
        mock.journal.write(Path(journal_path))
    if len(mock.journal):
        click.echo(render("console", evaluate(mock)), err=True)
    return EXIT_OK


@cli.command("client", context_settings={"ignore_unknown_options": True})
@click.argument("platform")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@_env_option
@_scenario_option
@click.option(
    "--timeout",
    default=120.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds the adapter may run.",
)
@click.option(
    "--duration",
    default=0.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Passed as CLAWCHECK_DURATION: how long the adapter should keep working.",
)
@click.option(
    "--port", default=0, type=click.IntRange(0, 65535), help="Port of the primary host (0: free port)."
)
@click.option(
    "--json", "json_path", default=None, type=click.Path(dir_okay=False), help="Write the results document."
)
@click.option("--junit", "junit_path", default=None, type=click.Path(dir_okay=False), help="Write JUnit XML.")
@click.option(
    "--journal",
    "journal_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the request journal.",
)
def client_command(
    platform: str,
    command: tuple[str, ...],
    environment: str,
    scenarios: tuple[str, ...],
    timeout: float,
    duration: float,
    port: int,
    json_path: str | None,
    junit_path: str | None,
    journal_path: str | None,
) -> int:
    """Run an adapter COMMAND against a mock PLATFORM and check how it behaved.

        clawcheck client shopee --scenario token-expiry -- python my_adapter.py

    The command gets CLAWCHECK_BASE_URL, CLAWCHECK_HOSTS, CLAWCHECK_ENV and the platform's
    credentials in its environment. Exit 0 when no check failed, 1 when one did, 2 on bad
    input, 130 when interrupted.
    """
    from clawcheck.platforms.clientrun import run_client_suite
    from clawcheck.reporting import render

    def ready(server: object) -> None:
        click.echo(
            f"clawcheck client: {platform} ({environment}) mock up; running {' '.join(command)}", err=True
        )

    result, mock = run_client_suite(
        platform,
        command,
        environment=environment,
        scenarios=scenarios,
        timeout=timeout,
        duration=duration,
        port=port,
        on_ready=ready,
    )
    click.echo(render("console", result))
    if json_path:
        _write(json_path, render("json", result), "--json")
    if junit_path:
        _write(junit_path, render("junit", result), "--junit")
    if journal_path:
        _write(journal_path, "", "--journal")
        mock.journal.write(Path(journal_path))
    if not result.complete:
        return EXIT_INTERRUPTED
    return EXIT_OK if result.passed else EXIT_FAILED
