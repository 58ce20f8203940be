"""`clawcheck webhooks` from the outside: exit codes, one-line errors, reports, no secret anywhere."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from clawcheck.serving import ASGIServer

from .receivers import SECRET, receiver, ref, serve


def clawcheck(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENCLAW_")}
    return subprocess.run(
        [sys.executable, "-m", "clawcheck", "webhooks", *args],
        capture_output=True, text=True, cwd=cwd, env={**base, **(env or {})}, timeout=120,
    )  # fmt: skip


def assert_usage_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, (proc.stdout[-2000:], proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("clawcheck: error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def reference() -> Iterator[ASGIServer]:
    with serve(receiver()) as server:
        yield server


def urls(server: ASGIServer) -> list[str]:
    return [
        "--url", server.base_url + ref.WEBHOOK_PATH,
        "--probe", server.base_url + ref.PROBE_PATH,
    ]  # fmt: skip


def test_unreachable_receiver(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = clawcheck(
        "--url", f"http://127.0.0.1:{port}/hook", cwd=tmp_path, env={"OPENCLAW_WEBHOOK_SECRET": SECRET}
    )
    assert_usage_error(proc, "cannot connect", "connection refused")


def test_garbage_probe(tmp_path: Path) -> None:
    async def garbage(request: object) -> PlainTextResponse:
        return PlainTextResponse("<html>not a probe</html>")

    app = Starlette(
        routes=[Route("/probe/{event_id}", garbage), Mount("/", receiver().app())],
    )
    with ASGIServer(app) as server:
        proc = clawcheck(*urls(server), cwd=tmp_path, env={"OPENCLAW_WEBHOOK_SECRET": SECRET})
    assert_usage_error(proc, "--probe is not usable", "not JSON")


@pytest.mark.parametrize("how", ["option", "env"])
def test_empty_secret(tmp_path: Path, reference: ASGIServer, how: str) -> None:
    if how == "option":
        proc = clawcheck(*urls(reference), "--secret", "", cwd=tmp_path)
    else:
        proc = clawcheck(*urls(reference), cwd=tmp_path, env={"OPENCLAW_WEBHOOK_SECRET": ""})
    assert_usage_error(proc, "secret is empty")


def test_probe_template_without_placeholder(tmp_path: Path, reference: ASGIServer) -> None:
    proc = clawcheck(
        "--url", reference.base_url + ref.WEBHOOK_PATH, "--probe", reference.base_url + "/probe/",
        cwd=tmp_path, env={"OPENCLAW_WEBHOOK_SECRET": SECRET},
    )  # fmt: skip
    assert_usage_error(proc, "{event_id}")


def test_a_conforming_receiver_passes_with_reports_and_no_secret(
    tmp_path: Path, reference: ASGIServer
) -> None:
    proc = clawcheck(
        *urls(reference), "--json", "out/results.json", "--junit", "out/results.xml",
        cwd=tmp_path, env={"OPENCLAW_WEBHOOK_SECRET": SECRET},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASSED: 37 passed, 0 failed" in proc.stdout
    assert "webhook.concurrent_processed" in proc.stdout
    document = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert document["suite"] == "webhooks"
    assert document["passed"] is True
    assert document["metrics"]["latency_ms"]["samples"] == 100
    suite = ET.parse(tmp_path / "out" / "results.xml").getroot().find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "37"
    assert suite.get("failures") == "0"
    everything = (
        proc.stdout
        + proc.stderr
        + "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    )
    assert SECRET not in everything


def test_a_faulty_receiver_fails_with_the_check_id_and_a_curl(tmp_path: Path) -> None:
    with serve(receiver("no-dedupe")) as server:
        proc = clawcheck(*urls(server), cwd=tmp_path, env={"OPENCLAW_WEBHOOK_SECRET": SECRET})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[webhook.duplicate_processed]" in proc.stdout
    assert "reproduce: curl -sS -i -X POST" in proc.stdout
    assert SECRET not in proc.stdout + proc.stderr
