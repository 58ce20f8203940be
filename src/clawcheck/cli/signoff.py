"""`clawcheck keys`, `clawcheck sign`, `clawcheck verify`: both sides sign a report directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, cli
from clawcheck.errors import ConfigError

__all__ = ["keys_group", "sign_command", "verify_command"]

_KEY_NAME = re.compile(r"^\w[\w.-]{0,63}$")


def _passphrase(variable: str | None) -> bytes | None:
    """The passphrase from an environment variable: never an option, so it stays out of shell history."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise ConfigError(f"environment variable {variable} is not set or empty; export the passphrase in it")
    return value.encode("utf-8")


_PASSPHRASE_ENV = click.option(
    "--passphrase-env",
    metavar="VAR",
    default=None,
    help="Name of the environment variable holding the private key's passphrase.",
)


@cli.group("keys")
def keys_group() -> None:
    """Ed25519 key pairs for signing acceptance reports (one per person)."""


@keys_group.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    default="keys",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to write NAME.key and NAME.pub.",
)
@_PASSPHRASE_ENV
def keys_new(name: str, directory: str, passphrase_env: str | None) -> int:
    """Create NAME.key (private, mode 0600) and NAME.pub (give it to the other side).

    With --passphrase-env VAR the private key is encrypted with the passphrase in $VAR.
    Never overwrites an existing key.
    """
    from clawcheck.signoff import generate_keypair

    if not _KEY_NAME.match(name):
        raise ConfigError(f"key name {name!r} is not usable; use letters, digits, '.', '-' or '_' (up to 64)")
    pair = generate_keypair(Path(directory) / name, passphrase=_passphrase(passphrase_env))
    protection = "encrypted" if pair.encrypted else "NOT encrypted: pass --passphrase-env VAR to encrypt"
    click.echo(f"private key: {pair.private_path} (mode 0600, {protection}); keep it, never send it")
    click.echo(f"public key:  {pair.public_path}; give it to the other side for --trusted-keys")
    click.echo(f"fingerprint: {pair.fingerprint}")
    return EXIT_OK


@keys_group.command("fingerprint")
@click.argument("public_key", metavar="NAME.pub")
def keys_fingerprint(public_key: str) -> int:
    """Print the fingerprint of a public key (compare it with its owner's out of band)."""
    from clawcheck.signoff import load_public_key

    click.echo(load_public_key(public_key).fingerprint)
    return EXIT_OK


@cli.command("sign")
@click.argument("directory", metavar="DIR")
@click.option("--key", "key_path", required=True, metavar="NAME.key", help="Your private key.")
@click.option("--signer", required=True, metavar="NAME", help="Your name, as it appears on the checklist.")
@click.option(
    "--role", required=True, type=click.Choice(["seller", "platform"]), help="The side you sign for."
)
@_PASSPHRASE_ENV
def sign_command(directory: str, key_path: str, signer: str, role: str, passphrase_env: str | None) -> int:
    """Sign a report directory (reports/<run id>/) as seller or platform.

    The first signature writes MANIFEST.json (sha256 of every file); the second signs the
    same manifest and is refused if any file changed since. Exit 0 signed, 2 bad input.
    """
    from clawcheck.signoff import load_private_key, sign_report

    key = load_private_key(key_path, _passphrase(passphrase_env))
    record = sign_report(directory, key, signer, role)
    folder = Path(directory)
    click.echo(f"signed {folder} as {record.role}: {record.signer} ({record.fingerprint})")
    click.echo(f"manifest digest: {record.digest}")
    other = "platform" if record.role == "seller" else "seller"
    if not (folder / "signatures" / f"{other}.json").exists():
        click.echo(f"next: clawcheck sign {folder} --role {other} --key NAME.key --signer NAME")
    return EXIT_OK


@cli.command("verify")
@click.argument("directory", metavar="DIR")
@click.option(
    "--trusted-keys",
    default=None,
    metavar="KEYS_DIR",
    help="Folder of the .pub files to trust; a signature by any other key (or a demo key) fails.",
)
def verify_command(directory: str, trusted_keys: str | None) -> int:
    """Check a signed report directory: every file, every signature, and both roles.

    Exit 0 when nothing changed and both seller and platform signed (with trusted keys if
    --trusted-keys is given), 1 when anything fails or a role has not signed, 2 bad input.
    """
    from clawcheck.signoff import verify_report

    result = verify_report(directory, trusted_keys)
    for line in result.lines():
        click.echo(line)
    return EXIT_OK if result.ok and result.complete else EXIT_FAILED
