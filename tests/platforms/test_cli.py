"""`clawcheck mock` and `clawcheck client`: listings, one-line usage errors, and adapters judged end
to end (passing, crashing, leaking a token, hanging, or calling the wrong environment's host)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from clawcheck.cli import main
from clawcheck.core.registry import Registry
from clawcheck.core.results import Status, SuiteResult
from clawcheck.platforms.behaviour import CLIENT_CHECKS
from clawcheck.platforms.model import Platform
from clawcheck.platforms.registry import MODULES, load_all
from clawcheck.platforms.scenarios import SCENARIOS
from clawcheck.platforms.shopee import PARTNERS

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ROOT / "examples" / "adapters"
SHOPEE_TOKEN = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")  # Shopee's token format


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The CLI in this process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    assert isinstance(code, int)
    return code, out, err


def error_lines(err: str) -> list[str]:
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("clawcheck: error:")]


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return str(path)


def checks(path: Path) -> dict[str, Status]:
    return {c.id: c.status for c in SuiteResult.read_json(path).checks}


# -- mock: listings and usage errors ------------------------------------------------------------


def listed_platforms(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]


def test_mock_list_names_every_platform(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "mock", "--list")
    assert code == 0
    assert sorted(listed_platforms(out)) == sorted(MODULES)
    assert len(listed_platforms(out)) == 7
    assert "sandbox.walmartapis.com (sandbox)" in out


def test_mock_list_keeps_the_documented_order_whatever_was_imported_first(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when a program (or a test session) imported the platform modules in another order first.
    imported_backwards: Registry[type[Platform]] = Registry("platform")
    for name in reversed(MODULES):
        imported_backwards.add(name, load_all().get(name))
    monkeypatch.setattr("clawcheck.platforms.load_all", lambda: imported_backwards)
    code, out, _ = run_main(capsys, "mock", "--list")
    assert code == 0
    assert listed_platforms(out) == list(MODULES)


def test_mock_list_scenarios_names_every_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "mock", "--list-scenarios")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert sorted(listed) == sorted(SCENARIOS.names())
    assert len(listed) == 7
    assert "every=8, window=1.5" in out


def test_mock_of_an_unknown_platform_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "mock", "nope")
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == error_lines(err)
    assert len(error_lines(err)) == 1
    assert "'nope'" in err
    assert all(name in err for name in MODULES)


def test_mock_without_a_platform_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "mock")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "name a platform" in error_lines(err)[0]


def test_mock_list_in_a_fresh_process_is_in_the_documented_order() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clawcheck", "mock", "--list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert listed_platforms(done.stdout) == list(MODULES)


BAD_SCENARIOS = {
    "unknown": (["shopee", "--scenario", "nope"], "unknown scenario 'nope'"),
    "parameter": (["shopify", "--scenario", "webhook-secret-rotated:x=1"], "has no parameter 'x'"),
    "inapplicable": (["lazada", "--scenario", "webhook-secret-rotated"], "does not apply to lazada"),
}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_mock_with_a_bad_scenario_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    def serve(self: object) -> None:
        raise AssertionError("the bad scenario was accepted: the mock would serve until Ctrl-C")

    monkeypatch.setattr("clawcheck.platforms.server.MockServer.start", serve)
    args, expected = BAD_SCENARIOS[case]
    code, out, err = run_main(capsys, "mock", *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert expected in error_lines(err)[0]


# -- client: the reference adapter, end to end --------------------------------------------------


def test_client_runs_the_shopee_reference_adapter_and_writes_no_secret(tmp_path: Path) -> None:
    out_json = tmp_path / "out.json"
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "clawcheck",
            "client",
            "shopee",
            "--json",
            str(out_json),
            "--",
            sys.executable,
            "examples/adapters/shopee_adapter.py",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert time.monotonic() - started < 60
    assert "client.adapter_exit" in done.stdout
    assert all(check.id in done.stdout for check in CLIENT_CHECKS)
    assert "PASSED" in done.stdout
    result = SuiteResult.read_json(out_json)
    assert result.suite == "client-behaviour"
    assert result.passed
    assert result.complete
    assert {c.id for c in result.checks} == {"client.adapter_exit", *(c.id for c in CLIENT_CHECKS)}
    statuses = checks(out_json)
    assert statuses["client.adapter_exit"] == Status.PASS
    assert statuses["client.signing"] == Status.PASS
    # Shopee's tokens are random: none of the token format, and no partner key, anywhere.
    for text in (out_json.read_text(encoding="utf-8"), done.stdout, done.stderr):
        assert PARTNERS["sandbox"].key not in text
        assert PARTNERS["production"].key not in text
        assert not SHOPEE_TOKEN.search(text)


# -- client: broken adapters -------------------------------------------------------------------


def test_a_failing_adapter_fails_adapter_exit_with_its_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    adapter = script(
        tmp_path,
        "broken.py",
        """
        import sys
        print("starting", flush=True)
        print("broken adapter: no orders found", file=sys.stderr)
        sys.exit(1)
        """,
    )
    out_json = tmp_path / "out.json"
    code, out, _ = run_main(
        capsys, "client", "shopee", "--json", str(out_json), "--", sys.executable, adapter
    )
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("client.adapter_exit"))
    assert "fail" in line
    assert "exited 1: broken adapter: no orders found" in line
    record = next(c for c in SuiteResult.read_json(out_json).checks if c.id == "client.adapter_exit")
    assert record.evidence["stderr_tail"].strip() == "broken adapter: no orders found"
    assert record.evidence["stdout_tail"].strip() == "starting"
    assert not SuiteResult.read_json(out_json).passed


def test_a_token_the_adapter_prints_is_redacted_everywhere(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    leaked = tmp_path / "leaked.txt"
    adapter = script(
        tmp_path,
        "leaky.py",
        """
        import os, pathlib, sys
        token = os.environ["SHOPEE_ACCESS_TOKEN"]
        refresh = os.environ["SHOPEE_REFRESH_TOKEN"]
        pathlib.Path(sys.argv[1]).write_text(token + "\\n" + refresh)
        print(f"refresh={refresh} key={os.environ['SHOPEE_PARTNER_KEY']}")
        print(f"could not list orders with token {token}", file=sys.stderr)
        sys.exit(1)
        """,
    )
    out_json, journal = tmp_path / "out.json", tmp_path / "journal.json"
    code, out, err = run_main(
        capsys,
        "client",
        "shopee",
        "--json",
        str(out_json),
        "--journal",
        str(journal),
        "--",
        sys.executable,
        adapter,
        str(leaked),
    )
    assert code == 1
    token, refresh = leaked.read_text().split("\n")
    assert len(token) == 32
    assert "exited 1: could not list orders with token ***" in out
    written = out_json.read_text(encoding="utf-8")
    record = next(c for c in SuiteResult.read_json(out_json).checks if c.id == "client.adapter_exit")
    assert "***" in record.evidence["stderr_tail"]
    assert "***" in record.evidence["stdout_tail"]
    for text in (out, err, written, journal.read_text(encoding="utf-8")):
        assert token not in text
        assert refresh not in text
        assert PARTNERS["sandbox"].key not in text


def test_an_adapter_command_that_does_not_exist_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-adapter")
    code, out, err = run_main(capsys, "client", "shopee", "--", missing)
    assert code == 2
    assert out == ""
    (line,) = error_lines(err)
    assert "not found" in line
    assert missing in line


def test_an_adapter_that_overruns_the_timeout_is_killed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    adapter = script(tmp_path, "sleepy.py", "import time\ntime.sleep(30)\n")
    started = time.monotonic()
    code, out, _ = run_main(capsys, "client", "shopee", "--timeout", "1", "--", sys.executable, adapter)
    elapsed = time.monotonic() - started
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("client.adapter_exit"))
    assert "did not finish within 1 s" in line
    assert elapsed < 20


# -- client: environments ----------------------------------------------------------------------


def test_the_walmart_adapter_passes_in_production(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_json, junit, journal = tmp_path / "out.json", tmp_path / "junit.xml", tmp_path / "journal.json"
    code, out, _ = run_main(
        capsys,
        "client",
        "walmart",
        "--env",
        "production",
        "--json",
        str(out_json),
        "--junit",
        str(junit),
        "--journal",
        str(journal),
        "--",
        sys.executable,
        str(ADAPTERS / "walmart_adapter.py"),
    )
    assert code == 0, out
    statuses = checks(out_json)
    assert statuses["client.adapter_exit"] == Status.PASS
    assert statuses["client.environment_host"] == Status.PASS
    assert "went to production hosts" in out
    assert junit.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    entries = json.loads(journal.read_text(encoding="utf-8"))
    assert entries
    assert {e["host"] for e in entries} == {"marketplace.walmartapis.com"}


WRONG_HOST = """
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("walmart_reference_adapter", {path!r})
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
spec.loader.exec_module(module)


class ProductionAlways(module.Adapter):
    def host(self):
        return module.HOSTS["production"]


module.Adapter = ProductionAlways
sys.exit(module.main())
"""


def test_calling_the_production_host_from_the_sandbox_fails_environment_host(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    adapter = script(tmp_path, "wrong_host.py", WRONG_HOST.format(path=str(ADAPTERS / "walmart_adapter.py")))
    out_json = tmp_path / "out.json"
    code, out, _ = run_main(
        capsys, "client", "walmart", "--json", str(out_json), "--", sys.executable, adapter
    )
    assert code == 1
    assert checks(out_json)["client.environment_host"] == Status.FAIL
    line = next(line for line in out.splitlines() if line.startswith("client.environment_host"))
    assert "configured for sandbox" in line
    assert "marketplace.walmartapis.com" in line
