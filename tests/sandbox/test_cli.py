"""`clawcheck sandbox`: listing faults, bad options, and a real foreground run stopped by Ctrl-C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

import clawcheck.cli.sandbox  # registers the command on the group
from clawcheck.cli.app import cli
from clawcheck.sandbox import FAULTS

CLAWCHECK = str(Path(sys.executable).with_name("clawcheck"))
# Started from a script or CI, SIGINT may be inherited as ignored; a terminal's Ctrl-C is not.
RUN_LIKE_A_TERMINAL = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from clawcheck.cli import main; main(sys.argv[1:])"
)


def test_list_faults() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "--list-faults"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(FAULTS)
    for line, fault in zip(lines, FAULTS.values(), strict=True):
        assert line.split()[:2] == [fault.name, fault.check_id]


def test_help_documents_the_defaults() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "--help"])
    assert result.exit_code == 0
    for default in ("127.0.0.1", "8080", "clawcheck-demo-secret", "7200", "10.0"):
        assert default in result.output


def test_mask_secret() -> None:
    assert clawcheck.cli.sandbox.mask_secret("clawcheck-demo-secret") == "clawcheck-demo-secret"
    assert clawcheck.cli.sandbox.mask_secret("my-own-long-secret") == "****cret"
    assert clawcheck.cli.sandbox.mask_secret("short") == "****"


def test_unknown_fault_is_exit_2_with_one_line() -> None:
    done = subprocess.run(
        [CLAWCHECK, "sandbox", "--fault", "nope"], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "unknown sandbox fault(s): nope; known faults:" in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_foreground_run_serves_and_stops_cleanly_on_sigint() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            RUN_LIKE_A_TERMINAL,
            "sandbox",
            "--port",
            str(port),
            "--client-secret",
            "my-own-long-secret",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"listening on (http://\S+)", first)
        assert match, first
        base_url = match.group(1)
        assert base_url == f"http://127.0.0.1:{port}"
        banner = "".join(process.stdout.readline() for _ in range(6))
        assert "****cret" in banner
        assert "my-own-long-secret" not in banner
        assert "shop_demo" in banner
        assert "curl" in banner
        assert httpx.get(f"{base_url}/healthz").json()["status"] == "ok"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in err
    assert "sandbox stopped" in out


def test_port_in_use_is_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [CLAWCHECK, "sandbox", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"clawcheck: error: cannot listen on 127.0.0.1:{port}: address already in use; pick another port"
    )
