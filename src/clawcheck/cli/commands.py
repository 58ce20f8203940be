"""Imports every command module so that each registers itself on the group once."""

from clawcheck.cli import contract, lint, load, mock, sandbox, webhooks  # noqa: F401
