"""The files of a report directory: which ones a manifest covers, their hashes, atomic writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MANIFEST_NAME", "SIGNATURES_DIR", "Scan", "atomic_write", "scan", "sha256_file"]

MANIFEST_NAME = "MANIFEST.json"
SIGNATURES_DIR = "signatures"


@dataclass(frozen=True, slots=True)
class Scan:
    """Every covered file by relative POSIX path, and the symlinks found (never covered)."""

    files: dict[str, str]
    symlinks: tuple[str, ...]


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def covered(relative: str) -> bool:
    """The manifest covers everything but itself and the signatures made over it."""
    return relative != MANIFEST_NAME and relative.split("/", 1)[0] != SIGNATURES_DIR


def scan(directory: Path) -> Scan:
    files: dict[str, str] = {}
    symlinks: list[str] = []
    for root, dirs, names in os.walk(directory, followlinks=False):
        base = Path(root)
        # A symlinked folder is reported, never walked: its content could change behind the manifest.
        for name in [*dirs]:
            if (base / name).is_symlink():
                dirs.remove(name)
                names.append(name)
        for name in names:
            path = base / name
            relative = path.relative_to(directory).as_posix()
            if not covered(relative):
                continue
            if path.is_symlink():
                symlinks.append(relative)
            elif path.is_file():
                files[relative] = sha256_file(path)
    return Scan(dict(sorted(files.items())), tuple(sorted(symlinks)))


def atomic_write(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes 0600; these files are meant to be shared
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
