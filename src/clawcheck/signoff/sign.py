"""Signing a report directory: the first signature fixes the manifest, the second signs the same one."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

from clawcheck.core.results import utc_now
from clawcheck.errors import ConfigError
from clawcheck.signoff.files import MANIFEST_NAME, SIGNATURES_DIR, atomic_write
from clawcheck.signoff.keys import SigningKey
from clawcheck.signoff.manifest import Manifest, build_manifest, read_manifest, write_manifest
from clawcheck.signoff.record import Role, SignatureRecord, parse_role, signature_path

__all__ = ["existing_signatures", "sign_report"]


def existing_signatures(directory: Path) -> list[Path]:
    folder = directory / SIGNATURES_DIR
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def sign_report(
    directory: Path | str, key: SigningKey, signer: str, role: Role | str, *, demo: bool = False
) -> SignatureRecord:
    """Sign `directory` as `role`; writes MANIFEST.json (unless already signed) and signatures/<role>.json.

    Before anyone signed, MANIFEST.json is (re)written from the files as they are. Once a
    signature exists, the manifest is fixed: the files must still match it, every existing
    signature must verify against it, and the new signature covers the same digest.
    A demo key (or `demo=True`) marks the signature as demo.
    """
    folder = Path(directory)
    try:
        side = parse_role(str(role))
    except ValueError as exc:
        raise ConfigError(f"{exc}; pass --role seller or --role platform") from None
    name = signer.strip()
    if not name or not name.isprintable():
        raise ConfigError("the signer name is empty or has control characters; pass --signer 'Full Name'")
    current = build_manifest(folder)  # ConfigError when folder is not a report directory
    target = folder / signature_path(side)
    if target.exists():
        raise ConfigError(
            f"{folder} is already signed as {side} ({signature_path(side)}); "
            "delete that file first to sign again as this role"
        )
    others = existing_signatures(folder)
    manifest = _fixed_manifest(folder, current) if others else current
    if not others:
        try:
            write_manifest(folder, manifest)
        except OSError as exc:
            raise ConfigError(
                f"cannot write {folder / MANIFEST_NAME}: {exc.strerror}; make {folder} writable"
            ) from None
    public = key.public
    unsigned = SignatureRecord(
        signer=name,
        role=side,
        public_key=public.text,
        fingerprint=public.fingerprint,
        signed_at=utc_now(),
        digest=manifest.digest,
        signature="",
        demo=demo or key.demo,
    )
    signature = base64.b64encode(key.sign(unsigned.statement())).decode("ascii")
    record = replace(unsigned, signature=signature)
    try:
        atomic_write(target, record.to_bytes())
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror}; make {folder} writable") from None
    return record


def _fixed_manifest(folder: Path, current: Manifest) -> Manifest:
    """The manifest an earlier signature fixed, provided nothing changed since."""
    try:
        signed = read_manifest(folder)
    except FileNotFoundError:
        raise ConfigError(
            f"{folder} has signatures but no {MANIFEST_NAME}; restore it or start the sign-off again"
        ) from None
    except ValueError as exc:
        raise ConfigError(f"{folder / MANIFEST_NAME} is not a valid manifest: {exc}; restore it") from None
    if signed != current:
        raise ConfigError(
            f"{folder} changed since the first signature: {_first_difference(signed, current)}; "
            f"run `clawcheck verify {folder}` to see every change"
        )
    for path in existing_signatures(folder):
        try:
            record = SignatureRecord.read(path)
            record.check()
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{path.relative_to(folder).as_posix()} does not verify ({exc}); "
                f"run `clawcheck verify {folder}` before countersigning"
            ) from None
        if record.digest != signed.digest:
            raise ConfigError(
                f"{path.relative_to(folder).as_posix()} signs a different manifest; "
                f"run `clawcheck verify {folder}` before countersigning"
            )
    return signed


def _first_difference(signed: Manifest, current: Manifest) -> str:
    for path in sorted(set(signed.files) | set(current.files)):
        if signed.files.get(path) != current.files.get(path):
            return path
    return MANIFEST_NAME  # same files, other fields: the manifest itself was edited
