"""Run a seller's adapter (any language) against a mock platform and judge what it did.

The adapter is a command. It gets the mock's URLs and credentials in environment variables
(`MockServer.env()`), does its work, and exits; the journal of everything it sent is then
read by the client-behaviour checks. Its exit status is a check too (`client.adapter_exit`):
an adapter that crashed has not shown it can do the job.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from clawcheck.core.redact import Redactor
from clawcheck.core.results import CheckRecord, Status, SuiteResult, utc_now
from clawcheck.errors import ConfigError
from clawcheck.platforms import build_mock
from clawcheck.platforms.behaviour import evaluate
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.server import MockServer

__all__ = ["AdapterRun", "adapter_record", "run_adapter", "run_client_suite"]

_TAIL = 2000  # characters of the adapter's output kept as evidence


@dataclass(frozen=True, slots=True)
class AdapterRun:
    command: tuple[str, ...]
    exit_code: int | None  # None: killed (timeout or interrupted)
    duration: float
    stdout: str
    stderr: str
    timed_out: bool = False
    interrupted: bool = False


def split_command(command: str | Sequence[str]) -> list[str]:
    parts = shlex.split(command) if isinstance(command, str) else list(command)
    if not parts:
        raise ConfigError("no adapter command given; pass the command that runs your adapter after --")
    return parts


def run_adapter(
    command: str | Sequence[str], env: Mapping[str, str], *, timeout: float, cwd: str | None = None
) -> AdapterRun:
    """Run the adapter to completion (or `timeout`), with `env` added to this process's environment."""
    argv = split_command(command)
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            argv,
            env={**os.environ, **env},
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
    except FileNotFoundError:
        raise ConfigError(f"cannot run the adapter: {argv[0]!r} not found; check the command") from None
    except PermissionError:
        raise ConfigError(f"cannot run the adapter: {argv[0]!r} is not executable") from None
    timed_out = interrupted = False
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        process.kill()
        stdout, stderr = process.communicate()
    except KeyboardInterrupt:
        interrupted = True
        process.kill()
        stdout, stderr = process.communicate()
    code = None if timed_out or interrupted else process.returncode
    return AdapterRun(tuple(argv), code, time.monotonic() - started, stdout, stderr, timed_out, interrupted)


def adapter_record(run: AdapterRun, redactor: Redactor, timeout: float) -> CheckRecord:
    title = "the adapter finished its work and exited 0"
    title_zh = "适配器完成任务并以 0 退出"
    evidence = {
        "command": redactor.text(shlex.join(run.command)),
        "exit_code": run.exit_code,
        "duration_s": round(run.duration, 3),
        "stdout_tail": redactor.text(run.stdout[-_TAIL:]),
        "stderr_tail": redactor.text(run.stderr[-_TAIL:]),
    }
    if run.exit_code == 0:
        return CheckRecord(
            "client.adapter_exit",
            title,
            Status.PASS,
            f"exited 0 after {run.duration:.1f} s",
            evidence,
            title_zh=title_zh,
        )
    if run.timed_out:
        message = f"did not finish within {timeout:g} s (killed)"
    elif run.interrupted:
        message = "interrupted before it finished"
    else:
        last = (run.stderr.strip() or run.stdout.strip()).splitlines()[-1:] or [""]
        message = f"exited {run.exit_code}: {redactor.text(last[0])[:300]}"
    return CheckRecord("client.adapter_exit", title, Status.FAIL, message, evidence, title_zh=title_zh)


def run_client_suite(
    platform: str,
    command: str | Sequence[str],
    *,
    environment: str = "sandbox",
    scenarios: Iterable[str] = (),
    timeout: float = 120.0,
    duration: float = 0.0,
    port: int = 0,
    webhook_url: str | None = None,
    on_ready: Callable[[MockServer], None] | None = None,
) -> tuple[SuiteResult, Mock]:
    """Serve the mock, run the adapter against it, and judge the journal."""
    mock = build_mock(platform, environment=environment, scenarios=scenarios, webhook_url=webhook_url)
    started = utc_now()
    with MockServer(mock, port=port) as server:
        if on_ready is not None:
            on_ready(server)
        env = {**server.env(), "CLAWCHECK_DURATION": f"{duration:g}"}
        run = run_adapter(command, env, timeout=timeout)
        mock.flush_webhooks(timeout=5.0)
    redactor = Redactor(mock.secrets())
    record = adapter_record(run, redactor, timeout)
    result = evaluate(mock, started_at=started, extra=[record], complete=not run.interrupted)
    result = SuiteResult.from_dict(redactor.data(result.to_dict()))
    return result, mock
