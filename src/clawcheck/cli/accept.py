"""`clawcheck accept`: the acceptance run, from preflight to the signed checklist."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import click

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, cli

__all__ = ["accept_command"]

EXIT_INTERRUPTED = 130


def _terminate_as_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the run like Ctrl-C: what was measured is written


@cli.command("accept")
@click.option(
    "--config",
    "config_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="clawcheck.toml (default: ./clawcheck.toml or [tool.clawcheck] in ./pyproject.toml).",
)
@click.option(
    "--env",
    "env_name",
    default=None,
    metavar="NAME",
    help="The environment of the configuration to accept (default: default_env).",
)
@click.option(
    "--out",
    default=None,
    type=click.Path(file_okay=False),
    help="Report root; the run writes OUT/<run id>/ (default: reports).",
)
@click.option(
    "--quick",
    is_flag=True,
    help="A short run (few examples, a 6 s load): a smoke test of the whole chain, not a sign-off.",
)
@click.option(
    "--lang", type=click.Choice(["zh-CN", "en"]), default=None, help="Report language (default: zh-CN)."
)
@click.option(
    "--stage",
    "stages",
    multiple=True,
    type=click.Choice(["preflight", "lint", "contract", "webhooks", "platforms", "load"]),
    help="Run only these stages (repeatable); the checklist then marks the rest not run.",
)
@click.option(
    "--seed", type=int, default=None, help="Hypothesis seed, recorded in the report, to repeat a run."
)
def accept_command(
    config_path: str | None,
    env_name: str | None,
    out: str | None,
    quick: bool,
    lang: str | None,
    stages: tuple[str, ...],
    seed: int | None,
) -> int:
    """Run the acceptance stages in order and write the checklist and reports.

    Preflight, lint, contract, webhooks, platform client checks and load; then
    reports/<run id>/ with checklist.json, report.html, report.md, junit.xml and
    report.pdf. With no configuration everything runs embedded and the report is signed
    with a throw-away demo key. Exit 0 only when every required item passed or was
    waived; 1 otherwise; 2 on bad input; 130 when interrupted.
    """
    from clawcheck.accept.run import AcceptOptions, run_accept, summary_table

    signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    options = AcceptOptions(
        config=Path(config_path) if config_path else None,
        env_name=env_name,
        out=Path(out) if out else None,
        quick=quick,
        lang=lang,
        stages=stages,
        seed=seed,
    )
    outcome = run_accept(options, echo=lambda line: click.echo(line, err=True))
    checklist = outcome.checklist
    click.echo(summary_table(checklist))
    for name, path in outcome.files.items():
        click.echo(f"  {name:<10} {path}")
    for line in outcome.signatures + outcome.notifications:
        click.echo(f"  {line}")
    if not checklist.complete:
        return EXIT_INTERRUPTED
    return EXIT_OK if checklist.accepted else EXIT_FAILED
