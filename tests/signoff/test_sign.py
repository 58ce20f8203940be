"""Signing: the first signature fixes the manifest, the second signs the same one."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from clawcheck.core.timefmt import is_utc_z
from clawcheck.errors import ConfigError
from clawcheck.signoff import PublicKey, Role, SignatureRecord, build_manifest, demo_key, sign_report
from clawcheck.signoff.manifest import read_manifest, write_manifest

from .conftest import Keys


def test_first_signature_writes_manifest_and_record(report: Path, keys: Keys) -> None:
    record = sign_report(report, keys.seller, "李雷", "seller")
    manifest = read_manifest(report)
    assert manifest == build_manifest(report)
    on_disk = json.loads((report / "signatures" / "seller.json").read_text(encoding="utf-8"))
    assert on_disk == record.to_dict()
    assert set(on_disk) == {
        "signer",
        "role",
        "public_key",
        "fingerprint",
        "signed_at",
        "digest",
        "demo",
        "signature",
    }
    assert (record.signer, record.role, record.demo) == ("李雷", Role.SELLER, False)
    assert record.digest == manifest.digest
    assert record.fingerprint == keys.seller.fingerprint
    assert is_utc_z(record.signed_at)
    # Independent check with the raw key: the signature covers the record without its signature.
    statement = {k: v for k, v in on_disk.items() if k != "signature"}
    canonical = json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert PublicKey.parse(on_disk["public_key"]).verify(base64.b64decode(on_disk["signature"]), canonical)


def test_second_role_signs_the_same_manifest(report: Path, keys: Keys) -> None:
    first = sign_report(report, keys.seller, "李雷", "seller")
    manifest_bytes = (report / "MANIFEST.json").read_bytes()
    second = sign_report(report, keys.platform, "Han Meimei", Role.PLATFORM)
    assert second.digest == first.digest
    assert (report / "MANIFEST.json").read_bytes() == manifest_bytes
    assert SignatureRecord.read(report / "signatures" / "platform.json") == second


def test_unsigned_manifest_is_rewritten_from_the_files(report: Path, keys: Keys) -> None:
    write_manifest(report, build_manifest(report))
    (report / "report.md").write_text("# regenerated\n", encoding="utf-8")
    record = sign_report(report, keys.seller, "李雷", "seller")
    assert read_manifest(report) == build_manifest(report)
    assert record.digest == build_manifest(report).digest


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: (d / "report.html").write_text("<p>已修改</p>", encoding="utf-8"), "report.html"),
        (lambda d: (d / "added.txt").write_text("new", encoding="utf-8"), "added.txt"),
        (lambda d: (d / "junit.xml").unlink(), "junit.xml"),
    ],
    ids=["changed", "added", "removed"],
)
def test_countersigning_a_changed_directory_is_refused(
    report: Path, keys: Keys, change: Callable[[Path], object], named: str
) -> None:
    sign_report(report, keys.seller, "李雷", "seller")
    change(report)
    with pytest.raises(ConfigError) as caught:
        sign_report(report, keys.platform, "Han Meimei", "platform")
    assert str(caught.value).startswith(f"{report} changed since the first signature: {named};")
    assert not (report / "signatures" / "platform.json").exists()


def test_countersigning_over_a_broken_first_signature_is_refused(report: Path, keys: Keys) -> None:
    sign_report(report, keys.seller, "李雷", "seller")
    path = report / "signatures" / "seller.json"
    path.write_text(path.read_text(encoding="utf-8").replace("李雷", "王五"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"signatures/seller\.json does not verify"):
        sign_report(report, keys.platform, "Han Meimei", "platform")


def test_a_role_signs_once(report: Path, keys: Keys) -> None:
    sign_report(report, keys.seller, "李雷", "seller")
    with pytest.raises(ConfigError, match=r"already signed as seller .*delete that file first"):
        sign_report(report, keys.seller, "李雷", "seller")


@pytest.mark.parametrize(
    ("signer", "role", "message"),
    [
        ("李雷", "buyer", "role 'buyer' is not one of seller, platform"),
        ("  ", "seller", "signer name is empty"),
        ("a\nb", "seller", "has control characters"),
        ("a\x1b[2Jb", "seller", "has control characters"),
    ],
    ids=["role", "empty-signer", "multiline-signer", "escape-sequence"],
)
def test_bad_signer_or_role(report: Path, keys: Keys, signer: str, role: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        sign_report(report, keys.seller, signer, role)
    assert not (report / "MANIFEST.json").exists()


def test_demo_key_marks_the_signature(report: Path) -> None:
    key = demo_key()
    assert sign_report(report, key, "演示卖家", "seller").demo
    assert json.loads((report / "signatures" / "seller.json").read_text(encoding="utf-8"))["demo"] is True


def test_demo_flag_marks_a_real_key_too(report: Path, keys: Keys) -> None:
    assert sign_report(report, keys.seller, "李雷", "seller", demo=True).demo


def test_signing_a_missing_directory(tmp_path: Path, keys: Keys) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        sign_report(tmp_path / "nowhere", keys.seller, "李雷", "seller")
