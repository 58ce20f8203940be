"""Run `load/locustfile.py` in Locust subprocesses (local, or a master and N workers) and collect.

Locust itself never runs in this process (it monkey-patches the stdlib with gevent at
import): the master (or the single local process) writes its merged snapshot to a
file when it quits, and prints `CLAWCHECK-PROGRESS {json}` lines that become the live
progress line. Ctrl-C or SIGTERM here stops the subprocesses with SIGTERM (Locust
writes what it has), and the run is marked incomplete.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from clawcheck.core.bundled import bundled_file
from clawcheck.errors import ConfigError

__all__ = ["DEFAULT_LOCUSTFILE", "LoadOutcome", "LoadPlan", "run_locust"]

DEFAULT_LOCUSTFILE = bundled_file("load/locustfile.py", "load/locustfile.py")
PROGRESS_PREFIX = "CLAWCHECK-PROGRESS "  # the same as locust_plugin.PROGRESS_PREFIX (no locust import here)
ENV_CONFIG = "CLAWCHECK_LOAD"
_GRACE = 30.0  # seconds past the duration before a run is stopped as hung
_STOP_WAIT = 15.0


@dataclass(frozen=True, slots=True)
class LoadPlan:
    """Everything a Locust run needs; `config` is what the locustfile's plugin reads."""

    target: str
    users: int
    spawn_rate: float
    duration: float
    workers: int = 0  # local worker processes started here
    remote_workers: int = 0  # workers on other hosts that connect to the master themselves
    master_host: str = "127.0.0.1"  # the master's bind address when remote workers connect
    master_port: int = 0  # 0: a free port
    config: Mapping[str, Any] = field(default_factory=dict)
    locustfile: Path = DEFAULT_LOCUSTFILE
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    snapshot: Mapping[str, Any]
    complete: bool
    duration_s: float
    exit_codes: tuple[int | None, ...]
    log_tail: str


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _base_args(plan: LoadPlan) -> list[str]:
    if not plan.locustfile.is_file():
        raise ConfigError(f"locustfile {plan.locustfile} not found; run from the clawcheck checkout")
    return [sys.executable, "-m", "locust", "-f", str(plan.locustfile), "--skip-log-setup"]


def _stop(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:  # the master (or local process) first: it writes the results
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(_STOP_WAIT)
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def _reader(stream: IO[str], on_progress: Callable[[dict[str, Any]], None], tail: list[str]) -> None:
    for line in stream:
        if line.startswith(PROGRESS_PREFIX):
            with contextlib.suppress(ValueError):
                on_progress(json.loads(line[len(PROGRESS_PREFIX) :]))
        else:
            tail.append(line.rstrip())
            del tail[:-40]


def run_locust(plan: LoadPlan, on_progress: Callable[[dict[str, Any]], None]) -> LoadOutcome:
    """Run Locust headless; KeyboardInterrupt (Ctrl-C, or SIGTERM mapped to it) ends it incomplete."""
    with tempfile.TemporaryDirectory(prefix="clawcheck-load-") as tmp:
        out = Path(tmp) / "snapshot.json"
        expected = plan.workers + plan.remote_workers
        config = {**plan.config, "out": str(out), "progress": True, "workers": expected}
        env = {**os.environ, **plan.env, ENV_CONFIG: json.dumps(config), "PYTHONUNBUFFERED": "1"}
        common = [
            "--host",
            plan.target,
            "--users",
            str(plan.users),
            "--spawn-rate",
            str(plan.spawn_rate),
        ]
        head = [
            *_base_args(plan),
            "--headless",
            "--only-summary",
            "--run-time",
            f"{max(1, round(plan.duration))}s",
            "--stop-timeout",
            "5",
            *common,
        ]
        port = plan.master_port or _free_port()
        if expected:
            head += [
                "--master",
                "--master-bind-host",
                plan.master_host,
                "--master-bind-port",
                str(port),
                "--expect-workers",
                str(expected),
                "--expect-workers-max-wait",
                "60" if plan.remote_workers else "30",
            ]
        log = open(Path(tmp) / "locust.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed below
        processes: list[subprocess.Popen[str]] = []
        tail: list[str] = []
        started = time.monotonic()
        complete = True
        try:
            master = subprocess.Popen(
                head,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=env,
                start_new_session=True,  # Ctrl-C reaches us only; we stop Locust in order
            )
            processes.append(master)
            for index in range(plan.workers):
                worker_args = [
                    *_base_args(plan),
                    "--worker",
                    "--master-host",
                    "127.0.0.1",
                    "--master-port",
                    str(port),
                ]
                worker_env = {**env, "CLAWCHECK_WORKER_INDEX": str(index + 1)}
                processes.append(
                    subprocess.Popen(
                        worker_args,
                        stdout=log,
                        stderr=log,
                        text=True,
                        env=worker_env,
                        start_new_session=True,
                    )
                )
            assert master.stdout is not None
            reader = threading.Thread(target=_reader, args=(master.stdout, on_progress, tail), daemon=True)
            reader.start()
            deadline = started + plan.duration + _GRACE + (60.0 if expected else 0.0)
            while master.poll() is None:
                if time.monotonic() > deadline:
                    complete = False
                    break
                time.sleep(0.1)
            _stop(processes)
            reader.join(5.0)
        except KeyboardInterrupt:
            complete = False
            _stop(processes)
        finally:
            log.seek(0)
            log_tail = "\n".join([*log.read().splitlines()[-30:], *tail[-10:]])
            log.close()
        duration = time.monotonic() - started
        snapshot: Mapping[str, Any] = {}
        if out.exists():
            snapshot = json.loads(out.read_text(encoding="utf-8"))
        elif complete:
            raise ConfigError(
                "the Locust run ended without results (exit "
                f"{processes[0].returncode if processes else '?'}): {_last_error(log_tail)}"
            )
        if snapshot.get("started") and snapshot.get("finished"):
            duration = float(snapshot["finished"]) - float(snapshot["started"])
        return LoadOutcome(snapshot, complete, duration, tuple(p.returncode for p in processes), log_tail)


def _last_error(log_tail: str) -> str:
    lines = [line for line in log_tail.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output; run `locust -f load/locustfile.py` to see why"
