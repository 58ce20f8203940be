"""`clawcheck lint` through click's CliRunner and as a real process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import clawcheck.cli.lint as lint_cli
from clawcheck.cli.app import cli
from clawcheck.errors import ConfigError, SpecError


def run(*args: str) -> tuple[int | None, str]:
    result = CliRunner().invoke(cli, ["lint", *args], standalone_mode=False, catch_exceptions=False)
    return result.return_value, result.stdout


def test_clean_spec_exits_0_with_a_summary(data: Path) -> None:
    assert run(str(data / "clean.yaml")) == (0, "OK: 1 file, 6 rules, no findings\n")


def test_findings_exit_1_one_line_each(data: Path) -> None:
    path = data / "sla_not_looser.yaml"
    code, out = run(str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:/paths/~1v2~1orders~1create/post/x-sla: [sla.not_looser] x-sla.p95_ms of "
        "POST /v2/orders/create is 1000; the acceptance SLA allows at most 800: lower it to 800 or less",
        f"{path}:/paths/~1v2~1orders/get/x-sla: [sla.not_looser] x-sla.success_rate of GET /v2/orders "
        "is 0.99; the acceptance SLA requires at least 0.995: raise it to 0.995 or more",
        "2 findings in 1 file",
    ]


def test_several_paths_are_counted(data: Path) -> None:
    code, out = run(str(data / "clean.yaml"), str(data / "operation_id_unique.yaml"))
    assert code == 1
    assert out.splitlines()[-1] == "2 findings in 2 files"


def test_github_format_annotates_the_line(data: Path) -> None:
    path = data / "sla_not_looser.yaml"
    code, out = run(str(path), "--format", "github")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(
        f"::error file={path},line=10,title=sla.not_looser::/paths/~1v2~1orders~1create/post"
    )
    assert "%3A" not in first.split("::", 2)[2], "only properties escape ':'"


def test_json_writes_the_results_document(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "lint.json"
    code, _ = run(str(data / "errors_envelope.yaml"), "--json", str(out))
    assert code == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["suite"], document["passed"]) == ("lint", False)
    failed = [c for c in document["checks"] if c["status"] == "fail"]
    assert [c["id"] for c in failed] == ["errors.envelope"]
    assert len(failed[0]["evidence"]["findings"]) == 3


def test_unwritable_json_path_is_a_config_error(data: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot write"):
        run(str(data / "clean.yaml"), "--json", str(blocker / "lint.json"))


def test_unusable_spec_raises_spec_error(data: Path) -> None:
    with pytest.raises(SpecError, match="does not resolve"):
        run(str(data / "broken_local_ref.yaml"))


def test_default_paths_are_the_specs_under_cwd(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "specs" / "v2").mkdir(parents=True)
    shutil.copy(data / "clean.yaml", tmp_path / "specs" / "v2" / "a.yaml")
    shutil.copy(data / "sla_declared.yaml", tmp_path / "specs" / "b.yaml")
    monkeypatch.chdir(tmp_path)
    code, out = run()
    assert code == 1
    assert out.splitlines()[0].startswith("specs/b.yaml:/paths/~1v2~1things/get: [sla.declared]")
    assert out.splitlines()[-1] == "3 findings in 2 files"


def test_without_specs_the_bundled_spec_is_linted(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(lint_cli, "bundled_spec_path", lambda: data / "clean.yaml")
    assert run() == (0, "OK: 1 file, 6 rules, no findings\n")


# A real process: the console entry point, exit codes, and stderr without tracebacks.
def clawcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clawcheck", "lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_process_exit_codes(data: Path, tmp_path: Path) -> None:
    clean = clawcheck(str(data / "clean.yaml"), cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "OK: 1 file, 6 rules, no findings\n", "")
    findings = clawcheck(str(data / "idempotency_declared.yaml"), cwd=tmp_path)
    assert findings.returncode == 1
    assert findings.stdout.splitlines()[-1] == "2 findings in 1 file"
    assert findings.stderr == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing.yaml", "spec not found: {path}; pass an existing file or run from the project root"),
        ("broken_yaml.yaml", "{path}:7:7: not valid YAML ("),
        ("broken_file_ref.yaml", "{path}: $ref 'refs/common.yaml#/components/responses/Gone'"),
        ("ref_cycle.yaml", "{path}: $ref cycle at /components/schemas/A"),
    ],
)
def test_process_unusable_input_exits_2_with_one_line(
    data: Path, tmp_path: Path, name: str, expected: str
) -> None:
    path = data / name
    result = clawcheck(str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("clawcheck: error: " + expected.format(path=path))
