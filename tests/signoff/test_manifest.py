"""MANIFEST.json: every file but itself and the signatures, provenance from checklist.json, one digest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clawcheck.errors import ConfigError
from clawcheck.signoff import MANIFEST_SCHEMA, Manifest, build_manifest
from clawcheck.signoff.manifest import read_manifest, write_manifest

from .conftest import PROVENANCE, SPEC_SHA256


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_hashes_every_file_and_takes_provenance_from_the_checklist(report: Path) -> None:
    (report / "signatures").mkdir()
    (report / "signatures" / "seller.json").write_text("{}", encoding="utf-8")
    (report / "MANIFEST.json").write_text("{}", encoding="utf-8")
    manifest = build_manifest(report)
    expected_files = {
        p.relative_to(report).as_posix(): sha256(p)
        for p in report.rglob("*")
        if p.is_file() and p.name != "MANIFEST.json" and "signatures" not in p.parts
    }
    assert dict(manifest.files) == expected_files
    assert list(manifest.files) == sorted(expected_files)
    assert "suites/contract.json" in manifest.files
    assert manifest.run_id == "20260319T080000Z-a1b2"
    assert manifest.checklist_sha256 == sha256(report / "checklist.json")
    assert manifest.spec_sha256 == SPEC_SHA256
    assert manifest.tool_versions == PROVENANCE["tool_versions"]
    assert manifest.seeds == PROVENANCE["seeds"]
    assert manifest.schema == MANIFEST_SCHEMA


def test_digest_is_sha256_of_canonical_json(report: Path) -> None:
    manifest = build_manifest(report)
    canonical = json.dumps(manifest.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert manifest.digest == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_written_manifest_reads_back_and_hand_edits_are_caught(report: Path) -> None:
    manifest = build_manifest(report)
    write_manifest(report, manifest)
    assert read_manifest(report) == manifest
    path = report / "MANIFEST.json"
    reformatted = json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=4)
    path.write_text(reformatted, encoding="utf-8")  # same content, other form: a hand edit
    with pytest.raises(ValueError, match="edited after it was written"):
        read_manifest(report)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("seeds"), "missing fields: seeds"),
        (lambda d: d.update(extra=1), "unexpected or missing fields: extra"),
        (lambda d: d.update(schema="other/9"), "is not clawcheck.manifest/1"),
        (lambda d: d["files"].update({"x": "nothex"}), "sha256 hex"),
    ],
    ids=["missing-field", "extra-field", "schema", "bad-hash"],
)
def test_manifest_fields_are_strict(
    report: Path, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = build_manifest(report).to_dict()
    change(data)
    with pytest.raises(ValueError, match=message):
        Manifest.from_dict(data)


def test_without_a_provenance_the_fields_are_empty(report: Path) -> None:
    path = report / "checklist.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["provenance"]
    path.write_text(json.dumps(data), encoding="utf-8")
    manifest = build_manifest(report)
    assert (manifest.spec_sha256, manifest.tool_versions, manifest.seeds) == (None, {}, None)


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; pass reports/<run id>/"):
        build_manifest(tmp_path / "nowhere")


def test_a_directory_without_checklist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"has no checklist\.json"):
        build_manifest(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not JSON"), ("[]", "not a JSON object"), ('{"items": []}', "has no run_id")],
    ids=["not-json", "not-object", "no-run-id"],
)
def test_a_checklist_that_cannot_be_signed(report: Path, content: str, message: str) -> None:
    (report / "checklist.json").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        build_manifest(report)
    assert "\n" not in str(caught.value)


def test_symlinks_are_refused(report: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("can change behind the manifest\n", encoding="utf-8")
    (report / "evidence.txt").symlink_to(outside)
    with pytest.raises(ConfigError, match=r"contains a symlink \(evidence.txt\)"):
        build_manifest(report)
