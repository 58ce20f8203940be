"""`clawcheck load` bad input: one line on stderr, exit 2, before any load is sent."""

from __future__ import annotations

import socket
import sys

import pytest

from clawcheck.cli import main


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(["load", *args])
    code = exited.value.code
    assert isinstance(code, int)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "nope"], "unknown load profile 'nope'; known profiles: smoke, go-live, soak, spike"),
        (["--duration", "ten minutes"], "duration 'ten minutes' is not valid"),
        (["--duration", "0s"], "must be more than 0 s"),
        (["--sla", "p95_ms=900"], "loosens"),
        (["--sla", "GET /healthz success_rate=0.9"], "loosens GET /healthz"),
        (["--operation", "GET /nope"], "is not in the task mix"),
        (["--inject", "GET /healthz latency=x"], "is not a number"),
        (["--target", "http://127.0.0.1:9", "--inject", "* latency=1"], "embedded sandbox only"),
        (["--remote-workers", "2"], "--remote-workers needs --master-port"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, err = run_cli(capsys, *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1, err


def test_unreachable_target_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    target = f"http://127.0.0.1:{free_port()}"
    args = ["--target", target, "--client-id", "c", "--client-secret", "s", "--shop-id", "shop_demo"]
    code, err = run_cli(capsys, *args)
    assert code == 2
    assert "cannot connect" in err
    assert "connection refused" in err
    assert err.count("\n") == 1, err


def test_nothing_here_imports_locust() -> None:
    # Locust monkey-patches the stdlib at import; the CLI and the measurement modules must not load it.
    import clawcheck.cli.commands
    import clawcheck.load.report
    import clawcheck.load.runner  # noqa: F401

    assert "locust" not in sys.modules
    assert "gevent" not in sys.modules
