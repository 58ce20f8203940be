"""The stages of an acceptance run, in order, each producing one `SuiteResult`.

The suites that run pytest or Locust run as `clawcheck <command> --json FILE` subprocesses:
each keeps its own process state (Hypothesis, pytest, gevent), a crash in one cannot take
the run down, and the acceptance run reads back the same results document any user can
produce by hand. Preflight runs in-process: it is a handful of requests.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clawcheck.core.results import CheckRecord, Status, SuiteResult, utc_now

__all__ = ["STAGES", "Stage", "StageContext", "interrupt_running", "run_command_stage"]

# Stage subprocesses running now: an interrupted acceptance run asks each to stop.
_RUNNING: set[subprocess.Popen[str]] = set()
_RUNNING_LOCK = threading.Lock()


def interrupt_running() -> None:
    """SIGINT to every running stage process: each writes its results, marked incomplete."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)


@dataclass
class StageContext:
    """What every stage needs: where to write, whom to test, with which settings."""

    out: Path  # the run's report directory; stage documents go to out/suites/
    quick: bool
    target: str | None  # None: the embedded sandbox
    environment_kind: str  # sandbox | production
    env: dict[str, str]  # environment for subprocesses (credentials as the commands read them)
    spec: Path
    seed: int
    webhook_url: str | None = None
    webhook_probe: str | None = None
    platform: str = "shopee"
    adapter: str | None = None
    adapter_cwd: Path | None = None
    platform_scenarios: tuple[str, ...] = ()
    platform_duration: float = 0.0
    platform_timeout: float = 120.0
    load_profile: str = "smoke"
    load_options: dict[str, str] = field(default_factory=dict)
    sla_overrides: tuple[str, ...] = ()
    api_version: str | None = None
    echo: Callable[[str], None] = print

    def suite_path(self, name: str) -> Path:
        return self.out / "suites" / f"{name}.json"


@dataclass(frozen=True)
class Stage:
    name: str
    title_zh: str
    title_en: str
    run: Callable[[StageContext], SuiteResult]


def _clawcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "clawcheck", *args]


def run_command_stage(
    ctx: StageContext,
    name: str,
    argv: Sequence[str],
    *,
    extra_env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    json_in_argv: bool = False,
) -> SuiteResult:
    """Run `argv` (a clawcheck command writing `--json`) and read its results document.

    Exit 0/1 are verdicts; 2 is bad input and 130 an interruption: both still produce a
    document when the command got far enough, else a `stage.error` record says what happened.
    """
    path = ctx.suite_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    env = {**os.environ, **ctx.env, **(extra_env or {})}
    started = utc_now()
    command = list(argv) if json_in_argv else [*argv, "--json", str(path)]
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        errors="replace",
    )  # fmt: skip
    tail: list[str] = []
    assert process.stdout is not None
    with _RUNNING_LOCK:
        _RUNNING.add(process)
    try:
        for line in process.stdout:
            tail = [*tail[-40:], line.rstrip()]
        code = process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)  # the command writes what it measured, marked incomplete
        process.wait(90)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
    if path.exists():
        return SuiteResult.read_json(path)
    message = next((line for line in reversed(tail) if line.strip()), f"exited {code}")
    record = CheckRecord(
        "stage.error",
        f"the {name} stage produced no results",
        Status.FAIL,
        message[:500],
        {"exit_code": code, "output_tail": tail[-15:]},
        title_zh=f"{name} 阶段未产生结果",
    )
    return SuiteResult(
        name, ctx.target or "embedded sandbox", started, utc_now(), (record,), complete=code != 130
    )


def _preflight(ctx: StageContext) -> SuiteResult:
    from clawcheck.preflight import PreflightSettings, run_preflight

    if ctx.target:
        return run_preflight(
            PreflightSettings(
                base_url=ctx.target,
                environment_kind=ctx.environment_kind,
                expected_api_version=ctx.api_version,
            )
        )
    from clawcheck.sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig()) as sandbox:
        return run_preflight(
            PreflightSettings(
                base_url=sandbox.base_url, environment_kind="sandbox", expected_api_version=ctx.api_version
            )
        )


def _lint(ctx: StageContext) -> SuiteResult:
    return run_command_stage(ctx, "lint", _clawcheck("lint", str(ctx.spec)))


def _contract(ctx: StageContext) -> SuiteResult:
    args = ["contract", "--spec", str(ctx.spec), "--seed", str(ctx.seed), "--no-shrink"]
    args += ["--examples", "3" if ctx.quick else "25"]
    if ctx.target:
        args += ["--target", ctx.target]
    return run_command_stage(ctx, "contract", _clawcheck(*args))


def _webhooks(ctx: StageContext) -> SuiteResult:
    if ctx.webhook_url:
        args = ["webhooks", "--url", ctx.webhook_url]
        if ctx.webhook_probe:
            args += ["--probe", ctx.webhook_probe]
        return run_command_stage(ctx, "webhooks", _clawcheck(*args))
    # No receiver configured: the reference receiver, started for the stage on a free port.
    import secrets

    from clawcheck.accept.reference import reference_receiver
    from clawcheck.serving import ASGIServer

    secret = f"whsec_reference_{secrets.token_hex(16)}"
    # Quiet: a delivery cut off by an interrupt must not print a uvicorn traceback into the run.
    with ASGIServer(reference_receiver(secret), log_level="critical") as server:
        args = ["webhooks", "--url", f"{server.base_url}/webhooks/openclaw"]
        args += ["--probe", f"{server.base_url}/probe/{{event_id}}"]
        return run_command_stage(
            ctx, "webhooks", _clawcheck(*args), extra_env={"OPENCLAW_WEBHOOK_SECRET": secret}
        )


def _platforms(ctx: StageContext) -> SuiteResult:
    from clawcheck.accept.reference import reference_adapter

    adapter = ctx.adapter or f"{sys.executable} {reference_adapter(ctx.platform)}"
    args = ["client", ctx.platform, "--env", ctx.environment_kind, "--timeout", f"{ctx.platform_timeout:g}"]
    for scenario in ctx.platform_scenarios:
        args += ["--scenario", scenario]
    if ctx.platform_duration:
        args += ["--duration", f"{ctx.platform_duration:g}"]
    # `client` takes the adapter after `--`; --json must come before it.
    path = ctx.suite_path("platforms")
    argv = _clawcheck(*args, "--json", str(path), "--", *shlex.split(adapter))
    return run_command_stage(ctx, "platforms", argv, cwd=ctx.adapter_cwd, json_in_argv=True)


def _load(ctx: StageContext) -> SuiteResult:
    args = ["load", "--profile", ctx.load_profile]
    options = dict(ctx.load_options)
    if ctx.quick:
        # Short, but long enough for the priority operations' success-rate verdicts (~770
        # error-free requests each at 99.5 %): a request cap, not the profile's, bounds it.
        # Bounded by requests, so a busy machine runs longer rather than judging too few.
        options.update({"duration": "20s", "max-requests": "18000"})
    for key, value in options.items():
        args += [f"--{key}", value]
    for override in ctx.sla_overrides:
        args += ["--sla", override]
    if ctx.target:
        args += ["--target", ctx.target]
    return run_command_stage(ctx, "load", _clawcheck(*args))


STAGES: tuple[Stage, ...] = (
    Stage("preflight", "预检", "Preflight", _preflight),
    Stage("lint", "规范检查", "Spec lint", _lint),
    Stage("contract", "契约测试", "Contract tests", _contract),
    Stage("webhooks", "Webhook 接收方", "Webhook receiver", _webhooks),
    Stage("platforms", "平台客户端行为", "Platform client behaviour", _platforms),
    Stage("load", "性能与 SLA", "Load and SLA", _load),
)
