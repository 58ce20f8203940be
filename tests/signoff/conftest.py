"""A sample report directory (what `clawcheck accept` writes) and the two sides' keys."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from clawcheck.core.checklist import Checklist, ChecklistItem, ItemStatus
from clawcheck.core.results import CheckRecord, Status, SuiteResult
from clawcheck.signoff import SigningKey, generate_keypair, load_private_key, sign_report

SPEC_SHA256 = "5" * 64
PROVENANCE = {
    "spec_sha256": SPEC_SHA256,
    "tool_versions": {"clawcheck": "0.1.0", "schemathesis": "4.32.0", "python": "3.11.9"},
    "seeds": {"contract": 1234, "load": 42},
    "config": {"environment": "staging"},
}
# Every file of the signed sample, so the tamper tests provably cover each one.
SIGNED_FILES = (
    "MANIFEST.json",
    "checklist.json",
    "junit.xml",
    "report.html",
    "report.md",
    "report.pdf",
    "signatures/platform.json",
    "signatures/seller.json",
    "suites/contract.json",
    "suites/webhooks.json",
)


def write_report(folder: Path, run_id: str = "20260319T080000Z-a1b2") -> Path:
    suite = SuiteResult(
        suite="contract",
        target="http://127.0.0.1:8080",
        started_at="2026-03-19T08:00:00.000Z",
        finished_at="2026-03-19T08:03:00.000Z",
        checks=(CheckRecord("auth.token", "token endpoint", Status.PASS, title_zh="令牌接口"),),
    )
    item = ChecklistItem(
        id="op.createOrder.p95",
        stage="load",
        title_zh="创建订单 P95",
        title_en="createOrder P95",
        requirement_zh="P95 ≤ 800 ms",
        requirement_en="P95 ≤ 800 ms",
        status=ItemStatus.PASS,
        operation="POST /v2/orders/create",
        measured={"p95_ms": 412.0, "samples": 6000},
        evidence=("suites/contract.json#check=auth.token",),
    )
    checklist = Checklist(
        run_id=run_id,
        environment="staging",
        target="http://127.0.0.1:8080",
        started_at="2026-03-19T08:00:00.000Z",
        finished_at="2026-03-19T08:10:00.000Z",
        items=(item,),
        suites={"contract": suite},
        provenance=PROVENANCE,
    )
    checklist.write_json(folder / "checklist.json")
    suite.write_json(folder / "suites" / "contract.json")
    SuiteResult(
        "webhooks", "http://127.0.0.1:9000/hook", "2026-03-19T08:04:00.000Z", "2026-03-19T08:05:00.000Z"
    ).write_json(folder / "suites" / "webhooks.json")
    (folder / "report.html").write_text(
        "<!doctype html><title>OpenClaw进阶联调验收清单</title><p>结论：通过</p>\n", encoding="utf-8"
    )
    (folder / "report.md").write_text("# 《OpenClaw进阶联调验收清单》\n\n结论：通过\n", encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n")
    (folder / "junit.xml").write_text('<?xml version="1.0"?>\n<testsuites tests="1"/>\n', encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Keys:
    """The seller's and the platform's key pairs; `dir` holds both .pub files (the trusted keys)."""

    dir: Path
    seller: SigningKey
    platform: SigningKey


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("keys")
    for name in ("seller", "platform"):
        generate_keypair(folder / name)
    return Keys(folder, load_private_key(folder / "seller.key"), load_private_key(folder / "platform.key"))


@pytest.fixture(scope="session")
def signed_template(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Path:
    folder = write_report(tmp_path_factory.mktemp("signed") / "run")
    sign_report(folder, keys.seller, "李雷 (卖家)", "seller")
    sign_report(folder, keys.platform, "Han Meimei", "platform")
    return folder


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """An unsigned report directory."""
    return write_report(tmp_path / "run")


@pytest.fixture
def signed(tmp_path: Path, signed_template: Path) -> Path:
    """A report directory signed by both sides with the trusted keys; each test gets its own copy."""
    return Path(shutil.copytree(signed_template, tmp_path / "signed"))
