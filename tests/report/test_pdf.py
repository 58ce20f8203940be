"""report.pdf: Chinese text renders and extracts, every item id is there, pages number and rasterize."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from clawcheck.core.checklist import ChecklistItem, ItemStatus
from clawcheck.report import render

from .conftest import Rendered
from .sample import WAIVER, make_checklist

PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
needs_pdftoppm = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")


def pdf_text(path: Path, *pages: int) -> str:
    assert PDFTOTEXT is not None
    args = [PDFTOTEXT, "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    done = subprocess.run([*args, str(path), "-"], capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def squeeze(text: str) -> str:
    """Without whitespace: a cell may wrap an id or a sentence anywhere."""
    return "".join(text.split())


def test_pdf_is_a_pdf(rendered: Rendered) -> None:
    data = rendered.files["pdf"].read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


def test_same_checklist_same_bytes() -> None:
    """Built in reportlab's invariant mode: a signature over the PDF can be checked by re-rendering."""
    checklist = make_checklist()
    assert render("pdf", checklist) == render("pdf", checklist)


@needs_pdftotext
def test_chinese_pdf_text(zh: Rendered) -> None:
    text = pdf_text(zh.files["pdf"])
    flat = squeeze(text)
    for words in (
        "《OpenClaw进阶联调验收清单》",
        "验收未通过",
        "卖家",
        "平台",
        "签字",
        "日期",
        "第1/2页",
        "豁免",
    ):
        assert words in flat, words
    assert "演示密钥" in flat  # the demo-key banner and watermark
    for item in zh.checklist.items:
        assert item.id in flat, item.id
    assert squeeze(WAIVER.reason) in flat
    assert WAIVER.signer in flat


@needs_pdftotext
def test_english_pdf_text(en: Rendered) -> None:
    flat = squeeze(pdf_text(en.files["pdf"]))
    for words in (
        "OpenClawIntegrationAcceptanceChecklist",
        "REJECTED",
        "Seller'sengineer",
        "Platform'stechnicalcontact",
        "Page1of2",
    ):
        assert words in flat, words
    assert "DEMOKEY" not in flat
    for item in en.checklist.items:
        assert item.id in flat, item.id


def _many_items(count: int) -> list[ChecklistItem]:
    return [
        ChecklistItem(
            id=f"contract.check_{n:03d}",
            stage="contract",
            title_zh=f"第 {n} 项检查：幂等与错误信封" * 2,
            title_en=f"check {n}",
            requirement_zh="响应符合 OpenAPI 规范及协议检查" * 3,
            requirement_en="conforms",
            status=ItemStatus.FAIL if n % 7 == 0 else ItemStatus.PASS,
            message="x" * 1000,
        )
        for n in range(count)
    ]


@needs_pdftotext
def test_long_checklist_repeats_the_header_and_numbers_pages(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(render("pdf", make_checklist().with_items(_many_items(120))))
    last = squeeze(pdf_text(path)).split("第1/")[1].split("页")[0]
    pages = int(last)
    assert pages >= 5
    for page in (2, pages - 1):
        text = squeeze(pdf_text(path, page))
        assert "状态编号项目/要求实测/说明" in text, page  # the repeated header row
        assert f"第{page}/{pages}页" in text
    assert "contract.check_119" in squeeze(pdf_text(path, pages - 1, pages))


@needs_pdftoppm
def test_pdf_rasterizes(rendered: Rendered, tmp_path: Path) -> None:
    assert PDFTOPPM is not None
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "50", str(rendered.files["pdf"]), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    for page in pages:
        data = page.read_bytes()
        assert data.startswith(b"\x89PNG")
        assert len(data) > 5_000


def test_incomplete_and_accepted_render() -> None:
    """Every verdict's style exists (a missing colour would raise while building)."""
    checklist = make_checklist("en", demo_key=False)
    for variant in (replace(checklist, complete=False), checklist.with_items(checklist.items[:2])):
        assert render("pdf", variant).startswith(b"%PDF-")
