"""The Locust side: exact recording through `events.request`, worker → master histograms, bounds.

IMPORTS LOCUST (which monkey-patches the stdlib with gevent): only `load/locustfile.py`,
running inside a Locust process, imports this module. Nothing else in clawcheck may.

Configuration comes from the environment variable `CLAWCHECK_LOAD` (JSON, written by
`clawcheck load`); without it (plain `locust -f load/locustfile.py`) the defaults apply
and nothing is written. Keys: `out` (path of the final snapshot), `progress` (print
`CLAWCHECK-PROGRESS {json}` lines on stdout each second), `max_requests`, `rate` (open
model, requests/s in total), `pace` (closed model expected interval, s), `spec`.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gevent
from locust import events
from locust.env import Environment
from locust.exception import StopUser
from locust.runners import MasterRunner, WorkerRunner

from clawcheck.load.recorder import Recorder
from clawcheck.load.sla import spec_operations

__all__ = ["ENV_CONFIG", "PROGRESS_PREFIX", "LoadPlugin", "plugin"]

ENV_CONFIG = "CLAWCHECK_LOAD"
PROGRESS_PREFIX = "CLAWCHECK-PROGRESS "
_KEY = "clawcheck"


def _config() -> dict[str, Any]:
    raw = os.environ.get(ENV_CONFIG)
    if not raw:
        return {}
    data: dict[str, Any] = json.loads(raw)
    return data


def _error_code(response: Any, status: int) -> str | None:
    if status < 400:
        return None
    try:
        body = json.loads(response.content or b"{}")
    except (ValueError, TypeError, AttributeError):
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


@dataclass(slots=True)
class LoadPlugin:
    """One per Locust process; `locustfile.py` creates it at import and users ask it for slots."""

    config: dict[str, Any] = field(default_factory=_config)
    recorder: Recorder = field(init=False)
    environment: Environment | None = None
    _share: float = 1.0  # this process's part of the rate and request budget
    _next_slot: float = 0.0
    _counted: int = 0

    def __post_init__(self) -> None:
        spec = self.config.get("spec")
        operations = spec_operations(Path(spec) if spec else None)
        self.recorder = Recorder(
            {name: op.declared for name, op in operations.items()},
            expected_interval_ms=float(self.config.get("pace", 0.0)) * 1000.0,
            started=time.time(),
        )
        hooks: Any = events  # Locust's EventHook.add_listener is untyped
        hooks.init.add_listener(self.on_init)
        hooks.request.add_listener(self.on_request)
        hooks.report_to_master.add_listener(self.on_report_to_master)
        hooks.worker_report.add_listener(self.on_worker_report)
        hooks.test_start.add_listener(self.on_test_start)
        hooks.quitting.add_listener(self.on_quitting)

    # -- settings ------------------------------------------------------------------------------------

    @property
    def rate(self) -> float:
        return float(self.config.get("rate", 0.0)) * self._share

    @property
    def max_requests(self) -> int:
        return int(self.config.get("max_requests", 0))

    # -- events --------------------------------------------------------------------------------------

    def on_init(self, environment: Environment, **_: Any) -> None:
        self.environment = environment
        runner = environment.runner
        if isinstance(runner, WorkerRunner):
            workers = int(self.config.get("workers", 1)) or 1
            self._share = 1.0 / workers
        elif self.config.get("progress") and runner is not None:
            gevent.spawn(self._progress_loop)
        if not isinstance(runner, WorkerRunner) and runner is not None and self.max_requests:
            gevent.spawn(self._budget_loop)

    def on_test_start(self, environment: Environment, **_: Any) -> None:
        self.recorder.started = time.time()
        self._next_slot = time.time()

    def on_request(
        self,
        request_type: str,
        name: str,
        response_time: float,
        response: Any = None,
        exception: Any = None,
        context: dict[str, Any] | None = None,
        start_time: float | None = None,
        **_: Any,
    ) -> None:
        status = int(getattr(response, "status_code", 0) or 0) if response is not None else 0
        if exception is not None and status and status < 400:
            status = 0  # e.g. a body that could not be read: no usable answer
        scheduled = (context or {}).get("clawcheck_scheduled")
        self.recorder.record(
            f"{request_type} {name}",
            float(response_time or 0.0),
            status,
            error_code=_error_code(response, status),
            start_time=start_time if start_time is not None else time.time(),
            scheduled_time=scheduled,
        )
        self._counted += 1

    def on_report_to_master(self, client_id: str, data: dict[str, Any]) -> None:
        data[_KEY] = self.recorder.snapshot(reset=True)

    def on_worker_report(self, client_id: str, data: dict[str, Any]) -> None:
        snapshot = data.get(_KEY)
        if snapshot:
            self.recorder.merge(snapshot)

    def on_quitting(self, environment: Environment, **_: Any) -> None:
        if isinstance(environment.runner, WorkerRunner):
            return
        out = self.config.get("out")
        if out:
            snapshot = self.recorder.snapshot()
            snapshot["started"] = self.recorder.started
            snapshot["finished"] = time.time()
            snapshot["workers"] = (
                len(environment.runner.clients) if isinstance(environment.runner, MasterRunner) else 0
            )
            tmp = Path(f"{out}.tmp")
            tmp.write_text(json.dumps(snapshot), encoding="utf-8")
            tmp.replace(out)

    # -- what users call -----------------------------------------------------------------------------

    def budget_left(self) -> bool:
        """False once this process sent its share of `max_requests`: the user should stop."""
        limit = self.max_requests
        return not limit or self._counted < limit * self._share

    def check_budget(self) -> None:
        if not self.budget_left():
            raise StopUser

    def next_slot(self) -> float | None:
        """Open model: the epoch time the next request is due (sleep until then); None when closed."""
        rate = self.rate
        if rate <= 0:
            return None
        slot = max(self._next_slot, 0.0)
        self._next_slot = slot + 1.0 / rate
        delay = slot - time.time()
        if delay > 0:
            gevent.sleep(delay)
        return slot

    # -- loops (local or master) ---------------------------------------------------------------------

    def _budget_loop(self) -> None:
        while True:
            gevent.sleep(0.2)
            if self.recorder.total >= self.max_requests and self.environment and self.environment.runner:
                self.environment.runner.quit()
                return

    def _progress_loop(self) -> None:
        # req/s over the last 5 s: a master hears from its workers every 3 s only
        window: deque[tuple[float, int]] = deque([(time.time(), 0)], maxlen=6)
        while True:
            gevent.sleep(1.0)
            now = time.time()
            total = self.recorder.total
            first_time, first_total = window[0]
            window.append((now, total))
            line = {
                "elapsed": round(now - self.recorder.started, 1),
                "requests": total,
                "rps": round((total - first_total) / max(now - first_time, 1e-6), 1),
                "p95_ms": self.recorder.p95_so_far(),
                "failures": self.recorder.total_failures,
            }
            print(PROGRESS_PREFIX + json.dumps(line), flush=True)


plugin = LoadPlugin  # the class; `load/locustfile.py` instantiates it once
