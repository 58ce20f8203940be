"""The `clawcheck` command group. The only place that turns results into exit codes."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from clawcheck import __version__
from clawcheck.errors import ClawcheckError

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "cli", "main"]

EXIT_OK = 0
EXIT_FAILED = 1  # a check or lint rule failed
EXIT_USAGE = 2  # bad input: usage, config, spec, unreachable target, wrong credentials


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clawcheck")
def cli() -> None:
    """clawcheck: contract tests and acceptance evidence for OpenClaw (龙虾) integrations."""


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: every ClawcheckError becomes one line on stderr and exit 2."""
    # Command modules register themselves on `cli` when imported.
    from clawcheck.cli import commands  # noqa: F401

    try:
        code = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except ClawcheckError as exc:
        click.echo(f"clawcheck: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("clawcheck: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        # One line, like every other input mistake; `--help` has the usage.
        click.echo(f"clawcheck: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
