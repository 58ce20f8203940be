"""`clawcheck contract` from the outside: exit codes, one-line errors, interruption, secrets."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from clawcheck.sandbox import Sandbox, SandboxConfig
from clawcheck.serving import ASGIServer

SECRET = "s3cr3t-Client-Secret-for-tests"
BEARER_VALUE = re.compile(r"Bearer\s+(?!\$OPENCLAW_TOKEN|\*\*\*)[A-Za-z0-9_.~+/-]{8,}")


def clawcheck(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300):
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENCLAW_")}
    base["HYPOTHESIS_STORAGE_DIRECTORY"] = str(cwd / "hypothesis")
    return subprocess.run(
        [sys.executable, "-m", "clawcheck", *args],
        capture_output=True, text=True, cwd=cwd, env={**base, **(env or {})}, timeout=timeout,
    )  # fmt: skip


def assert_usage_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, (proc.stdout[-2000:], proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("clawcheck: error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig(client_secret=SECRET, token_ttl=2, rate_limit=1000)) as running:
        yield running


def target_args(base_url: str) -> list[str]:
    shops = ",".join(f"shop_t{n}" for n in range(8))
    return ["--target", base_url, "--client-id", "clawcheck-demo", "--shop-id", shops, "--rate-limit", "1000"]


def test_missing_spec(tmp_path: Path) -> None:
    proc = clawcheck("contract", "--spec", "missing.yaml", cwd=tmp_path)
    assert_usage_error(proc, "missing.yaml")


def test_spec_with_broken_ref(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n"
        "        '200':\n          $ref: '#/components/responses/Nope'\n",
        encoding="utf-8",
    )
    proc = clawcheck("contract", "--spec", str(spec), cwd=tmp_path)
    assert_usage_error(proc, "#/components/responses/Nope")


def test_target_refusing_connections_fails_fast(tmp_path: Path, closed_port: int) -> None:
    started = time.monotonic()
    proc = clawcheck("contract", *target_args(f"http://127.0.0.1:{closed_port}"), cwd=tmp_path,
                     env={"OPENCLAW_CLIENT_SECRET": "x"})  # fmt: skip
    assert_usage_error(proc, "connection refused")
    assert time.monotonic() - started < 10


def test_target_answering_html(tmp_path: Path) -> None:
    app = Starlette(routes=[Route("/{path:path}", lambda request: HTMLResponse("<html>login</html>"))])
    with ASGIServer(app) as server:
        proc = clawcheck("contract", *target_args(server.base_url), cwd=tmp_path,
                         env={"OPENCLAW_CLIENT_SECRET": "x"})  # fmt: skip
    assert_usage_error(proc, "text/html", "not OpenClaw JSON")


def test_wrong_credentials_are_refused_before_any_case(tmp_path: Path, sandbox: Sandbox) -> None:
    proc = clawcheck("contract", *target_args(sandbox.base_url), cwd=tmp_path,
                     env={"OPENCLAW_CLIENT_SECRET": "not-the-secret"})  # fmt: skip
    assert_usage_error(proc, "refused client id 'clawcheck-demo'", "AUTH_INVALID_CLIENT")
    assert "not-the-secret" not in proc.stderr + proc.stdout
    assert "PASS" not in proc.stderr  # no case was generated


def test_missing_credentials_name_option_and_variable(tmp_path: Path, sandbox: Sandbox) -> None:
    proc = clawcheck("contract", "--target", sandbox.base_url, "--shop-id", "shop_a", cwd=tmp_path)
    assert_usage_error(proc, "--client-id", "OPENCLAW_CLIENT_ID")


def test_unknown_fault_and_bad_operation_pattern(tmp_path: Path) -> None:
    assert_usage_error(
        clawcheck("contract", "--fault", "nope", cwd=tmp_path),
        "unknown sandbox fault(s): nope",
        "known faults:",
    )
    assert_usage_error(clawcheck("contract", "--operation", "(", cwd=tmp_path), "--operation")


def test_pytest_plugin_reports_unreachable_target(tmp_path: Path, closed_port: int) -> None:
    from clawcheck.contract import suite

    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", suite.__file__, "-c", str(tmp_path / "pytest.ini"), "-p",
         "no:cacheprovider", "--target", f"http://127.0.0.1:{closed_port}", "--client-id", "a",
         "--client-secret", "b", "--shop-id", "shop_a"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "connection refused" in proc.stdout + proc.stderr


def test_failing_run_writes_evidence_and_no_secret(tmp_path: Path) -> None:
    config = SandboxConfig(
        client_secret=SECRET, token_ttl=2, rate_limit=1000, faults=frozenset({"local-time"})
    )
    with Sandbox(config) as running:
        proc = clawcheck(
            "contract", *target_args(running.base_url), "--examples", "2", "--no-shrink",
            "--operation", "orders/create", "--operation", "oauth/token",
            "--json", "out/results.json", "--junit", "out/junit.xml",
            cwd=tmp_path, env={"OPENCLAW_CLIENT_SECRET": SECRET},
        )  # fmt: skip
    assert proc.returncode == 1, proc.stderr[-3000:]
    document = json.loads((tmp_path / "out/results.json").read_text(encoding="utf-8"))
    failed = [c for c in document["checks"] if c["status"] == "fail"]
    assert {c["id"] for c in failed} >= {"datetime.utc"}
    assert all(c["evidence"]["curl"].startswith("curl ") for c in failed)
    outputs = [
        proc.stdout,
        proc.stderr,
        *(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()),
    ]
    for text in outputs:
        assert SECRET not in text
        assert not BEARER_VALUE.search(text), BEARER_VALUE.search(text)
    assert "[datetime.utc]" in proc.stdout


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_still_writes_incomplete_results(tmp_path: Path, signum: int) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENCLAW_")}
    proc = subprocess.Popen(
        [sys.executable, "-c",
         "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
         "from clawcheck.cli import main; main(sys.argv[1:])",
         "contract", "--examples", "200", "--json", "results.json"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**base, "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / "h")},
    )  # fmt: skip
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until cases are flowing
        if "PASS" in line or "FAIL" in line:
            break
    time.sleep(0.5)  # inside an operation's generated cases, where an interrupt is easiest to lose
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out[-3000:], err[-2000:])
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert document["complete"] is False
    assert document["passed"] is False
    assert document["metrics"]["cases"] > 0


def test_target_vanishing_mid_run_is_a_failure_not_a_pass(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENCLAW_")}
    sandbox = Sandbox(SandboxConfig(client_secret=SECRET, rate_limit=1000)).start()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "clawcheck", "contract", *target_args(sandbox.base_url),
             "--examples", "50", "--json", "results.json"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**base, "OPENCLAW_CLIENT_SECRET": SECRET,
                 "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / "h")},
        )  # fmt: skip
        assert proc.stderr is not None
        for line in proc.stderr:
            if "PASS" in line or "FAIL" in line:
                break
    finally:
        sandbox.stop()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err[-2000:]
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert document["passed"] is False
    errors = [c for c in document["checks"] if c["id"] == "suite.error"]
    assert errors
    assert errors[0]["status"] == "fail"
    assert "TargetUnreachable" in errors[0]["message"] or "could not be sent" in errors[0]["message"]
    assert SECRET not in out + err
