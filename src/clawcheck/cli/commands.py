"""Imports every command module so that each registers itself on the group once."""

from clawcheck.cli import accept, contract, lint, load, mock, sandbox, signoff, webhooks  # noqa: F401
