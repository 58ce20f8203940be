"""Command-line interface. `sys.exit` is called here and nowhere else."""

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, EXIT_USAGE, cli, main

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "cli", "main"]
