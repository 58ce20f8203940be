"""Verification: any changed byte, added or removed file is named; signatures are judged one by one."""

from __future__ import annotations

import base64
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clawcheck.errors import ConfigError
from clawcheck.signoff import (
    Role,
    SignatureRecord,
    SignatureStatus,
    SigningKey,
    VerifyResult,
    build_manifest,
    demo_key,
    generate_keypair,
    load_private_key,
    sign_report,
    verify_report,
)
from clawcheck.signoff.manifest import write_manifest

from .conftest import SIGNED_FILES, Keys, write_report


def resign(record: SignatureRecord, key: SigningKey) -> SignatureRecord:
    """A record with a fresh, valid signature by `key`: what a forger with that key can make."""
    return replace(record, signature=base64.b64encode(key.sign(record.statement())).decode("ascii"))


def statuses(result: VerifyResult) -> dict[str, SignatureStatus]:
    return {str(check.role): check.status for check in result.signatures}


def test_sample_lists_every_file(signed: Path) -> None:
    found = sorted(p.relative_to(signed).as_posix() for p in signed.rglob("*") if p.is_file())
    assert tuple(found) == SIGNED_FILES


def test_clean_directory_signed_by_both_trusted_keys_is_complete(signed: Path, keys: Keys) -> None:
    result = verify_report(signed, keys.dir)
    assert result.problems == []
    assert (result.ok, result.complete, result.verdict) == (True, True, "complete")
    assert statuses(result) == {"seller": SignatureStatus.TRUSTED, "platform": SignatureStatus.TRUSTED}
    seller = result.signatures[0].record
    assert seller is not None
    lines = result.lines()
    assert lines[0] == (
        f"seller: valid, trusted key seller.pub, 李雷 (卖家) ({keys.seller.fingerprint}), "
        f"signed {seller.signed_at}"
    )
    assert lines[1].startswith(
        f"platform: valid, trusted key platform.pub, Han Meimei ({keys.platform.fingerprint})"
    )
    assert lines[-1] == "verdict: complete (seller and platform signed)"


def test_without_trusted_keys_signatures_are_valid_not_trusted(signed: Path) -> None:
    result = verify_report(signed)
    assert (result.ok, result.complete) == (True, True)
    assert statuses(result) == {"seller": SignatureStatus.VALID, "platform": SignatureStatus.VALID}
    assert "key not checked against trusted keys (pass --trusted-keys)" in result.lines()[0]


@pytest.mark.parametrize("relative", SIGNED_FILES)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    position=st.integers(min_value=-(10**6), max_value=10**6), flip=st.integers(min_value=1, max_value=255)
)
@example(position=0, flip=1)
@example(position=-1, flip=1)
def test_any_changed_byte_of_any_file_fails_and_names_it(
    signed_template: Path, keys: Keys, relative: str, position: int, flip: int
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(shutil.copytree(signed_template, Path(scratch) / "run"))
        path = folder / relative
        data = bytearray(path.read_bytes())
        data[position % len(data)] ^= flip
        path.write_bytes(bytes(data))
        result = verify_report(folder, keys.dir)
    assert not result.ok
    assert result.verdict == "failed"
    assert result.problems[0].startswith(f"{relative}: "), result.problems
    if relative != "MANIFEST.json" and not relative.startswith("signatures/"):
        assert result.problems[0].startswith(f"{relative}: content changed (sha256 ")


def test_changed_file_names_both_hashes(signed: Path, keys: Keys) -> None:
    old = verify_report(signed).digest
    (signed / "report.html").write_text("<p>结论：不通过</p>\n", encoding="utf-8")
    result = verify_report(signed, keys.dir)
    assert result.digest == old
    assert len(result.problems) == 1
    assert result.problems[0].startswith("report.html: content changed (sha256 ")
    assert result.lines()[-1] == "verdict: failed (1 problem; do not rely on this directory)"


@pytest.mark.parametrize("relative", ["notes.txt", "suites/load.json", ".DS_Store"])
def test_an_added_file_is_named(signed: Path, keys: Keys, relative: str) -> None:
    (signed / relative).write_text("{}", encoding="utf-8")
    result = verify_report(signed, keys.dir)
    assert result.problems == [f"extra file not in the manifest: {relative}"]


@pytest.mark.parametrize("relative", ["report.pdf", "suites/webhooks.json", "checklist.json"])
def test_a_removed_file_is_named(signed: Path, keys: Keys, relative: str) -> None:
    (signed / relative).unlink()
    result = verify_report(signed, keys.dir)
    assert result.problems == [f"missing file: {relative}"]


def test_a_removed_manifest_is_named(signed: Path, keys: Keys) -> None:
    (signed / "MANIFEST.json").unlink()
    result = verify_report(signed, keys.dir)
    assert result.problems == ["missing file: MANIFEST.json"]
    assert statuses(result) == {"seller": SignatureStatus.UNCHECKED, "platform": SignatureStatus.UNCHECKED}
    assert not result.complete


def test_a_stray_file_among_the_signatures_is_named(signed: Path, keys: Keys) -> None:
    (signed / "signatures" / "auditor.json").write_text("{}", encoding="utf-8")
    result = verify_report(signed, keys.dir)
    assert result.problems == ["extra file in signatures/, not a signature: signatures/auditor.json"]


def test_a_symlink_is_named(signed: Path, keys: Keys, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.html"
    shutil.copy(signed / "report.html", target)
    (signed / "report.html").unlink()
    (signed / "report.html").symlink_to(target)
    result = verify_report(signed, keys.dir)
    assert result.problems == ["symlink not allowed: report.html", "missing file: report.html"]


def test_one_role_is_incomplete_not_failed(report: Path, keys: Keys) -> None:
    sign_report(report, keys.seller, "李雷", "seller")
    result = verify_report(report, keys.dir)
    assert (result.ok, result.complete, result.verdict) == (True, False, "incomplete")
    assert statuses(result)["platform"] is SignatureStatus.MISSING
    assert result.lines()[-2:] == [
        "platform: missing, not signed yet",
        "verdict: incomplete (platform not signed yet)",
    ]


def test_unsigned_directory_is_incomplete(report: Path) -> None:
    result = verify_report(report)
    assert result.problems == ["missing file: MANIFEST.json"]
    assert result.lines()[-1] == "verdict: failed (1 problem; do not rely on this directory)"


def test_untrusted_key_is_named_by_fingerprint(signed: Path, keys: Keys, tmp_path: Path) -> None:
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    shutil.copy(keys.dir / "seller.pub", trusted)
    result = verify_report(signed, trusted)
    assert statuses(result) == {"seller": SignatureStatus.TRUSTED, "platform": SignatureStatus.UNTRUSTED}
    assert result.problems == [
        f"signatures/platform.json: key {keys.platform.fingerprint} of Han Meimei is untrusted "
        f"(no .pub file in {trusted} holds it)"
    ]
    assert result.lines()[1].startswith(f"platform: UNTRUSTED key {keys.platform.fingerprint}, Han Meimei")
    assert not result.complete


def test_resigning_after_a_change_is_caught_by_trusted_keys(signed: Path, keys: Keys, tmp_path: Path) -> None:
    # Someone edits the report, deletes the signatures and signs both roles with their own key.
    (signed / "report.md").write_text("# 结论：通过（已篡改）\n", encoding="utf-8")
    shutil.rmtree(signed / "signatures")
    generate_keypair(tmp_path / "mallory")
    mallory = load_private_key(tmp_path / "mallory.key")
    sign_report(signed, mallory, "李雷 (卖家)", "seller")
    sign_report(signed, mallory, "Han Meimei", "platform")
    result = verify_report(signed, keys.dir)
    assert statuses(result) == {"seller": SignatureStatus.UNTRUSTED, "platform": SignatureStatus.UNTRUSTED}
    assert all(mallory.fingerprint in problem for problem in result.problems)
    assert len(result.problems) == 2


def test_a_signature_over_a_different_manifest_fails(signed: Path, keys: Keys, tmp_path: Path) -> None:
    other = write_report(tmp_path / "other", run_id="20260320T080000Z-ffff")
    sign_report(other, keys.platform, "Han Meimei", "platform")
    shutil.copy(other / "signatures" / "platform.json", signed / "signatures" / "platform.json")
    result = verify_report(signed, keys.dir)
    assert statuses(result) == {"seller": SignatureStatus.TRUSTED, "platform": SignatureStatus.INVALID}
    assert len(result.problems) == 1
    assert result.problems[0].startswith("signatures/platform.json: signs a different manifest (digest ")


def test_only_foreign_signatures_put_the_manifest_in_doubt(report: Path, keys: Keys, tmp_path: Path) -> None:
    sign_report(report, keys.seller, "李雷", "seller")
    other = write_report(tmp_path / "other", run_id="20260320T080000Z-ffff")
    sign_report(other, keys.seller, "李雷", "seller")
    shutil.copy(other / "signatures" / "seller.json", report / "signatures" / "seller.json")
    result = verify_report(report, keys.dir)
    assert result.problems[0].startswith("MANIFEST.json: its digest ")
    assert "not the digest any signature covers" in result.problems[0]
    assert result.problems[1].startswith("signatures/seller.json: signs a different manifest")


def test_a_signature_file_under_the_wrong_role_fails(signed: Path, keys: Keys) -> None:
    (signed / "signatures" / "platform.json").unlink()
    shutil.copy(signed / "signatures" / "seller.json", signed / "signatures" / "platform.json")
    result = verify_report(signed, keys.dir)
    assert result.problems == [
        "signatures/platform.json: it records role seller; a signature file is named after its role"
    ]


def test_a_record_resigned_with_another_key_but_old_fingerprint_fails(signed: Path, keys: Keys) -> None:
    path = signed / "signatures" / "seller.json"
    record = SignatureRecord.read(path)
    impostor = demo_key()
    forged = resign(replace(record, public_key=impostor.public.text, demo=False), impostor)
    path.write_bytes(forged.to_bytes())
    result = verify_report(signed, keys.dir)
    assert result.problems == [
        f"signatures/seller.json: fingerprint {keys.seller.fingerprint} "
        "is not the fingerprint of its public key"
    ]


def test_demo_signatures_are_reported_as_demo(report: Path, keys: Keys) -> None:
    key = demo_key()
    sign_report(report, key, "演示卖家", "seller")
    sign_report(report, key, "演示平台", "platform")
    result = verify_report(report)
    assert (result.ok, result.complete, result.demo) == (True, True, True)
    assert statuses(result) == {"seller": SignatureStatus.DEMO, "platform": SignatureStatus.DEMO}
    assert "DEMO key" in result.lines()[0]
    assert result.lines()[-1] == (
        "verdict: complete (seller and platform signed with demo keys: a demonstration, not an acceptance)"
    )


def test_demo_signatures_are_never_trusted(report: Path, keys: Keys, tmp_path: Path) -> None:
    key = demo_key()
    sign_report(report, key, "演示卖家", "seller")
    sign_report(report, keys.platform, "Han Meimei", "platform")
    trusted = Path(shutil.copytree(keys.dir, tmp_path / "trusted"))
    (trusted / "demo.pub").write_text(key.public.text + "\n", encoding="ascii")  # even if listed
    result = verify_report(report, trusted)
    assert statuses(result) == {"seller": SignatureStatus.DEMO, "platform": SignatureStatus.TRUSTED}
    assert result.problems == [
        f"signatures/seller.json: signed with a demo key {key.fingerprint}; a demo signature is never "
        "trusted: sign with a key from `clawcheck keys new`"
    ]
    assert not result.complete


def test_signer_names_cannot_inject_terminal_sequences(report: Path, keys: Keys) -> None:
    # sign_report refuses such a name; a hand-made record signed with a real key is still defanged.
    record = sign_report(report, keys.seller, "李雷", "seller")
    evil = resign(replace(record, signer="李雷\x1b[2J"), keys.seller)
    (report / "signatures" / "seller.json").write_bytes(evil.to_bytes())
    result = verify_report(report, keys.dir)
    assert statuses(result)["seller"] is SignatureStatus.TRUSTED
    assert "\x1b" not in "\n".join(result.lines())
    assert "李雷?[2J" in result.lines()[0]


def test_manifest_fields_must_match_the_checklist(report: Path, keys: Keys) -> None:
    # A manifest edited before anyone signed (by hand, or by another tool) and then signed as is.
    manifest = replace(build_manifest(report), spec_sha256="0" * 64)
    write_manifest(report, manifest)
    record = resign(
        SignatureRecord(
            signer="李雷",
            role=Role.SELLER,
            public_key=keys.seller.public.text,
            fingerprint=keys.seller.fingerprint,
            signed_at="2026-03-19T08:20:00.000Z",
            digest=manifest.digest,
            signature="",
        ),
        keys.seller,
    )
    (report / "signatures").mkdir()
    (report / "signatures" / "seller.json").write_bytes(record.to_bytes())
    result = verify_report(report, keys.dir)
    assert result.problems == ["MANIFEST.json: spec_sha256 does not match checklist.json"]


def test_bad_input_is_a_config_error(tmp_path: Path, signed: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; pass reports/<run id>/"):
        verify_report(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match=r"trusted keys directory .* does not exist"):
        verify_report(signed, tmp_path / "no-keys")
