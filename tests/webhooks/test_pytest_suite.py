"""`pytest suites/test_webhook_receiver.py` as users run it: one test per check, in a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from clawcheck.webhooks import check_ids

from .receivers import FAULTS, SECRET, receiver, ref, serve

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "suites" / "test_webhook_receiver.py"
# The receiver suite needs none of the contract suite's plugins; leaving them out saves seconds.
LEAN = ["-p", "no:clawcheck", "-p", "no:hypothesispytest", "-p", "no:schemathesis", "-p", "no:benchmark"]


def pytest_run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENCLAW_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(SUITE), "-p", "no:cacheprovider", "-q", "-rfs", *args],
        capture_output=True, text=True, cwd=ROOT, env={**base, **(env or {})}, timeout=180,
    )  # fmt: skip


def test_the_reference_receiver_passes_every_test() -> None:
    proc = pytest_run()
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"{len(check_ids())} passed" in proc.stdout


def test_a_faulty_receiver_fails_exactly_its_tests() -> None:
    fault = FAULTS["no-dedupe"]
    with serve(receiver("no-dedupe")) as server:
        proc = pytest_run(
            *LEAN,
            "--receiver-url", server.base_url + ref.WEBHOOK_PATH,
            "--receiver-probe", server.base_url + ref.PROBE_PATH,
            env={"OPENCLAW_WEBHOOK_SECRET": SECRET},
        )  # fmt: skip
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    failed = {
        line.split("[", 1)[1].split("]", 1)[0]
        for line in proc.stdout.splitlines()
        if line.startswith("FAILED")
    }
    assert failed == fault.breaks
    assert "reproduce: curl" in proc.stdout
    assert SECRET not in proc.stdout + proc.stderr


def test_without_a_probe_the_processing_tests_skip() -> None:
    with serve(receiver()) as server:
        proc = pytest_run(
            *LEAN, "--receiver-url", server.base_url + ref.WEBHOOK_PATH, "--receiver-secret", SECRET
        )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    processed = sum(1 for check_id in check_ids() if check_id.endswith("_processed"))
    assert f"{len(check_ids()) - processed} passed, {processed} skipped" in proc.stdout
    assert "no probe: processing cannot be observed" in proc.stdout


def test_an_unusable_receiver_stops_the_session_with_exit_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    proc = pytest_run(*LEAN, "--receiver-url", url, env={"OPENCLAW_WEBHOOK_SECRET": SECRET})
    assert proc.returncode == 2, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"clawcheck: error: cannot connect to {url}: connection refused" in proc.stdout + proc.stderr
