"""MANIFEST.json: what a report directory held when it was signed, and the digest both sides sign.

    {"schema": "clawcheck.manifest/1", "run_id", "files": {relative path: sha256 hex},
     "checklist_sha256", "spec_sha256", "tool_versions", "seeds"}

`files` covers every file except MANIFEST.json and `signatures/`. The digest is sha256 over
the canonical JSON of the manifest (sorted keys, no spaces, UTF-8), so it does not depend on
how the file is indented; the file itself is written in one fixed pretty form, and a file that
is not in that form was edited by hand.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clawcheck.errors import ConfigError
from clawcheck.signoff.files import MANIFEST_NAME, atomic_write, scan

__all__ = [
    "CHECKLIST_NAME",
    "MANIFEST_SCHEMA",
    "Manifest",
    "build_manifest",
    "canonical_json",
    "pretty_json",
    "provenance_fields",
    "read_manifest",
    "write_manifest",
]

MANIFEST_SCHEMA = "clawcheck.manifest/1"
CHECKLIST_NAME = "checklist.json"
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_KEYS = frozenset({"schema", "run_id", "files", "checklist_sha256", "spec_sha256", "tool_versions", "seeds"})


def canonical_json(value: Any) -> bytes:
    """The one byte string a JSON value signs as: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def pretty_json(value: Any) -> bytes:
    """The one form clawcheck writes signed documents in (readable, and checkable byte for byte)."""
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode(
        "utf-8"
    )


@dataclass(frozen=True, slots=True)
class Manifest:
    run_id: str
    files: Mapping[str, str]
    checklist_sha256: str
    spec_sha256: str | None = None
    tool_versions: Mapping[str, Any] = field(default_factory=dict)
    seeds: Any = None
    schema: str = MANIFEST_SCHEMA

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "run_id": self.run_id,
            "files": dict(self.files),
            "checklist_sha256": self.checklist_sha256,
            "spec_sha256": self.spec_sha256,
            "tool_versions": dict(self.tool_versions),
            "seeds": self.seeds,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Manifest:
        """Strict: a manifest with a missing, extra or mistyped field is not one (ValueError)."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if set(data) != _KEYS:
            odd = sorted(set(data) ^ _KEYS)
            raise ValueError(f"unexpected or missing fields: {', '.join(odd)}")
        if data["schema"] != MANIFEST_SCHEMA:
            raise ValueError(f"schema {data['schema']!r} is not {MANIFEST_SCHEMA}")
        files = data["files"]
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and _SHA256_HEX.match(v) for k, v in files.items()
        ):
            raise ValueError("files must map relative paths to sha256 hex")
        if not isinstance(data["run_id"], str) or not isinstance(data["checklist_sha256"], str):
            raise ValueError("run_id and checklist_sha256 must be strings")
        if data["spec_sha256"] is not None and not isinstance(data["spec_sha256"], str):
            raise ValueError("spec_sha256 must be a string or null")
        if not isinstance(data["tool_versions"], dict):
            raise ValueError("tool_versions must be an object")
        return cls(
            run_id=data["run_id"],
            files=files,
            checklist_sha256=data["checklist_sha256"],
            spec_sha256=data["spec_sha256"],
            tool_versions=data["tool_versions"],
            seeds=data["seeds"],
            schema=data["schema"],
        )

    @property
    def digest(self) -> str:
        """sha256 hex of the canonical JSON: the value every signature covers."""
        return hashlib.sha256(canonical_json(self.to_dict())).hexdigest()

    def to_bytes(self) -> bytes:
        return pretty_json(self.to_dict())


def provenance_fields(checklist: Any) -> dict[str, Any]:
    """run_id, spec hash, tool versions and seeds as `checklist.json` records them (else ValueError)."""
    if not isinstance(checklist, dict):
        raise ValueError("not a JSON object")
    run_id = checklist.get("run_id")
    if not isinstance(run_id, str) or not run_id:
        raise ValueError("it has no run_id")
    provenance = checklist.get("provenance") or {}
    if not isinstance(provenance, dict):
        raise ValueError("its provenance is not an object")
    spec_sha256 = provenance.get("spec_sha256")
    tool_versions = provenance.get("tool_versions") or {}
    if spec_sha256 is not None and not isinstance(spec_sha256, str):
        raise ValueError("provenance.spec_sha256 is not a string")
    if not isinstance(tool_versions, dict):
        raise ValueError("provenance.tool_versions is not an object")
    return {
        "run_id": run_id,
        "spec_sha256": spec_sha256,
        "tool_versions": tool_versions,
        "seeds": provenance.get("seeds"),
    }


def read_checklist(directory: Path) -> Any:
    """checklist.json parsed (ValueError when it is not JSON)."""
    try:
        return json.loads((directory / CHECKLIST_NAME).read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError("it is not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"it is not JSON (line {exc.lineno}: {exc.msg})") from exc


def build_manifest(directory: Path | str) -> Manifest:
    """Hash every file of a report directory; ConfigError when it is not one."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ConfigError(f"report directory {folder} does not exist; pass reports/<run id>/")
    if not (folder / CHECKLIST_NAME).is_file():
        raise ConfigError(
            f"{folder} has no {CHECKLIST_NAME}; pass a report directory written by `clawcheck accept`"
        )
    found = scan(folder)
    if found.symlinks:
        raise ConfigError(
            f"{folder} contains a symlink ({found.symlinks[0]}); put the file itself there before signing"
        )
    try:
        fields = provenance_fields(read_checklist(folder))
    except ValueError as exc:
        raise ConfigError(
            f"{folder / CHECKLIST_NAME} cannot be signed: {exc}; regenerate the report"
        ) from None
    return Manifest(files=found.files, checklist_sha256=found.files[CHECKLIST_NAME], **fields)


def read_manifest(directory: Path) -> Manifest:
    """MANIFEST.json exactly as written by `write_manifest` (ValueError for anything else)."""
    data = (directory / MANIFEST_NAME).read_bytes()
    try:
        manifest = Manifest.from_dict(json.loads(data.decode("utf-8")))
    except UnicodeDecodeError as exc:
        raise ValueError("not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON (line {exc.lineno}: {exc.msg})") from exc
    if manifest.to_bytes() != data:
        raise ValueError("edited after it was written (not in the form clawcheck writes)")
    return manifest


def write_manifest(directory: Path, manifest: Manifest) -> None:
    atomic_write(directory / MANIFEST_NAME, manifest.to_bytes())
