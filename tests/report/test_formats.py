"""write_reports: the directory, the registry, the language table, checklist.json, JUnit and Markdown."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from clawcheck.core.checklist import Checklist, ItemStatus
from clawcheck.core.results import SuiteResult
from clawcheck.errors import ConfigError
from clawcheck.report import DEFAULT_FORMATS, RENDERERS, render, write_reports
from clawcheck.report.i18n import _TABLE, texts

from .conftest import Rendered
from .sample import HOSTILE, WAIVER, make_checklist

# -- the directory -------------------------------------------------------------------------------------


def test_every_format_and_suite_is_written(rendered: Rendered) -> None:
    files = rendered.files
    assert set(files) == {*DEFAULT_FORMATS, "suites/contract", "suites/webhooks", "suites/load"}
    assert {p.name for p in files.values()} >= {"checklist.json", "report.html", "report.md", "junit.xml",
                                                "report.pdf"}  # fmt: skip
    assert all(path.parent in (rendered.out, rendered.out / "suites") for path in files.values())
    assert not list(rendered.out.rglob(".*.tmp"))  # written atomically, nothing left behind


def test_checklist_json_is_canonical(rendered: Rendered) -> None:
    assert rendered.text("json") == rendered.checklist.to_json()
    assert Checklist.read_json(rendered.files["json"]).to_dict() == rendered.checklist.to_dict()


def test_suite_documents_are_the_evidence(rendered: Rendered) -> None:
    for name, result in rendered.checklist.suites.items():
        assert SuiteResult.read_json(rendered.files[f"suites/{name}"]) == SuiteResult.from_dict(
            result.to_dict()
        )
    # Every local evidence link of an item points at a file that exists.
    for item in rendered.checklist.items:
        for link in item.evidence:
            if not link.startswith("https://"):
                assert (rendered.out / link.split("#")[0]).is_file(), link


def test_a_subset_of_formats(tmp_path: Path) -> None:
    files = write_reports(make_checklist(), tmp_path, formats=("md", "json"))
    assert set(files) == {"md", "json", "suites/contract", "suites/webhooks", "suites/load"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checklist.json", "report.md", "suites"]


def test_unknown_format_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match=r"unknown report format 'docx'; known: html, json, junit, md, pdf"):
        write_reports(make_checklist(), out, formats=("json", "docx"))
    assert not out.exists()


def test_unsupported_language_is_one_line() -> None:
    with pytest.raises(ConfigError) as caught:
        render("md", replace(make_checklist(), lang="fr"))
    assert str(caught.value) == "unsupported report language 'fr'; use one of: zh-CN, en"


def test_suite_name_cannot_leave_the_directory(tmp_path: Path) -> None:
    checklist = make_checklist()
    escaping = replace(checklist, suites={"../outside": checklist.suites["contract"]})
    with pytest.raises(ConfigError, match="cannot be a file name"):
        write_reports(escaping, tmp_path / "out", formats=("json",))
    assert not (tmp_path / "outside.json").exists()


def test_unwritable_directory_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cannot write the reports to .*pass a writable --out directory"):
        write_reports(make_checklist(), blocker / "out", formats=("json",))


def test_each_format_is_registered_once_with_its_own_file() -> None:
    assert set(RENDERERS.names()) == set(DEFAULT_FORMATS)
    filenames = [r.filename for r in RENDERERS]
    assert len(set(filenames)) == len(filenames)


# -- language --------------------------------------------------------------------------------------------


def test_translation_table_is_complete() -> None:
    for key, (zh, en) in _TABLE.items():
        assert zh.strip(), key
        assert en.strip(), key
        assert re.findall(r"{\w+}", zh) == re.findall(r"{\w+}", en), key  # same placeholders


@pytest.mark.parametrize(
    ("lang", "statuses", "verdicts"),
    [
        ("zh-CN", ["通过", "未通过", "豁免", "未运行"], ["验收通过", "验收未通过", "未完成"]),
        ("en", ["pass", "fail", "waived", "not run"], ["ACCEPTED", "REJECTED", "INCOMPLETE"]),
    ],
)
def test_status_and_verdict_words(lang: str, statuses: list[str], verdicts: list[str]) -> None:
    t = texts(lang)
    assert [t.status(str(s)) for s in ItemStatus] == statuses
    assert [t.verdict(v) for v in ("accepted", "rejected", "incomplete")] == verdicts


def test_english_report_has_no_chinese_labels(en: Rendered) -> None:
    text = en.text("md") + en.text("html")
    for word in ("通过", "豁免", "未运行", "检查项", "结论", "压测"):
        assert word not in text, word


def test_chinese_report_uses_chinese_labels(zh: Rendered) -> None:
    for name in ("md", "html", "junit"):
        text = zh.text(name)
        for word in ("通过", "未通过", "豁免", "未运行") if name != "junit" else ("豁免", "未运行"):
            assert word in text, (name, word)
    assert "## 结论: **验收未通过**" in zh.text("md")


# -- every item everywhere ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["html", "md", "junit"])
def test_every_item_id_appears(rendered: Rendered, name: str) -> None:
    text = rendered.text(name)
    for item in rendered.checklist.items:
        assert item.id in text, (name, item.id)


def test_verdicts_of_accepted_and_incomplete_runs() -> None:
    checklist = make_checklist()
    passing = checklist.with_items(i for i in checklist.items if i.status is ItemStatus.PASS)
    assert passing.verdict == "accepted"
    assert "## 结论: **验收通过**" in render("md", passing).decode()
    incomplete = replace(checklist, complete=False)
    assert "## 结论: **未完成**" in render("md", incomplete).decode()
    english = render("md", replace(incomplete, lang="en")).decode()
    assert "## Verdict: **INCOMPLETE**" in english
    assert "cannot be signed off" in english


# -- JUnit -------------------------------------------------------------------------------------------------


def test_junit_counts_match_the_checklist(rendered: Rendered) -> None:
    root = ET.fromstring(rendered.files["junit"].read_bytes())
    checklist = rendered.checklist
    counts = checklist.counts()
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == _ids_in_stage_order(checklist)
    assert root.get("tests") == str(len(checklist.items))
    assert root.get("failures") == str(counts["fail"]) == str(len(root.findall(".//failure")))
    assert root.get("skipped") == str(counts["not_run"]) == str(len(root.findall(".//skipped")))
    assert root.get("errors") == "0"
    for suite in root.findall("testsuite"):
        assert suite.get("tests") == str(len(suite.findall("testcase")))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))
        assert suite.get("skipped") == str(len(suite.findall("testcase/skipped")))
    assert [s.get("name") for s in root.findall("testsuite")] == [
        f"clawcheck.accept.{stage}"
        for stage in ("preflight", "lint", "contract", "webhooks", "platforms", "load")
    ]


def _ids_in_stage_order(checklist: Checklist) -> list[str]:
    grouped = checklist.by_stage()
    order = ("preflight", "lint", "contract", "webhooks", "platforms", "load")
    return [item.id for stage in order for item in grouped.get(stage, [])]


def test_junit_waived_item_passes_and_says_why(rendered: Rendered) -> None:
    root = ET.fromstring(rendered.files["junit"].read_bytes())
    case = root.find(".//testcase[@name='op.createOrder.contract']")
    assert case is not None
    assert case.find("failure") is None
    assert case.find("skipped") is None
    out = case.findtext("system-out") or ""
    word = "豁免" if rendered.checklist.lang.startswith("zh") else "waived"
    assert out.startswith(word)
    assert WAIVER.reason in out
    assert WAIVER.signer in out
    failure = root.find(".//testcase[@name='op.getOrder.contract']/failure")
    assert failure is not None
    assert failure.get("message") == HOSTILE


def test_junit_incomplete_run_has_an_error() -> None:
    root = ET.fromstring(render("junit", replace(make_checklist(), complete=False)))
    assert root.get("errors") == "1"
    error = root.find("./testsuite[@name='clawcheck.accept.run']/testcase[@name='run.complete']/error")
    assert error is not None


# -- Markdown ----------------------------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


def test_markdown_tables_stay_tables(rendered: Rendered) -> None:
    """Hostile text (pipes, tags, backticks) never adds a column or becomes markup."""
    lines = rendered.text("md").splitlines()
    in_code = False
    width = 0
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("|"):
            width = 0
            continue
        if width == 0:
            width = len(_cells(line))
        assert len(_cells(line)) == width, line
    md = rendered.text("md")
    assert "<script>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_markdown_shows_waiver_and_failing_evidence(rendered: Rendered) -> None:
    md = rendered.text("md")
    word = "豁免" if rendered.checklist.lang.startswith("zh") else "waived"
    row = next(
        line for line in md.splitlines() if line.startswith("| **") and "`op.createOrder.contract`" in line
    )
    assert row.startswith(f"| **{word}** |")
    assert WAIVER.reason in row
    assert WAIVER.signer in row
    assert "```bash\ncurl -sS -i -X POST 'http://127.0.0.1:18080/v2/orders/create'" in md
    failed = [c for r in rendered.checklist.suites.values() for c in r.failed()]
    assert md.count("\n### `") == len(failed)


def test_json_loads_and_matches_summary(rendered: Rendered) -> None:
    data = json.loads(rendered.text("json"))
    assert data["summary"] == rendered.checklist.counts()
    assert data["verdict"] == "rejected"
