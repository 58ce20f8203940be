"""The whole webhook receiver suite against the reference receiver: wall time, median of N.

    python benchmarks/webhook_suite.py                    # 3 repetitions
    python benchmarks/webhook_suite.py --repeat 5 --json reports/bench-webhooks.json

Three ways of running the same 37 checks, each repeated, side by side:

1. `clawcheck webhooks` (CLI): `python -m clawcheck webhooks --url ... --probe ... --json PATH` as
   a subprocess, against the reference receiver (examples/reference_receiver.py) served by
   `ASGIServer` in this process on a loopback port. Wall time includes interpreter start-up,
   imports and preflight.
2. `run_suite()` (engine): the same run in this process, no preflight; the receiver shares this
   process (and its GIL) with the harness.
3. `pytest suites/test_webhook_receiver.py`: a subprocess that starts its own reference receiver
   (one test per check).

Every run uses the real bounds (a burst of 100 valid deliveries, 4 in flight; 10 concurrent
copies). Measures; asserts nothing; each subprocess is bounded by --timeout.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common

from clawcheck.serving import ASGIServer
from clawcheck.webhooks import resolve_settings, run_suite

EXAMPLE = _common.REPO / "examples" / "reference_receiver.py"
SUITE = _common.REPO / "suites" / "test_webhook_receiver.py"


def reference_app(secret: str) -> Any:
    spec = importlib.util.spec_from_file_location("reference_receiver", EXAMPLE)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {EXAMPLE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["reference_receiver"] = module
    spec.loader.exec_module(module)
    return module.Receiver([secret]).app()


def run_cli(base: str, secret: str, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-webhooks-") as tmp:
        results = Path(tmp) / "results.json"
        cmd = [sys.executable, "-m", "clawcheck", "webhooks", "--url", f"{base}/webhooks/openclaw"]
        cmd += ["--probe", f"{base}/probe/{{event_id}}", "--json", str(results)]
        env = {**os.environ, "OPENCLAW_WEBHOOK_SECRET": secret}
        started = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        wall = time.perf_counter() - started
        if not results.exists():
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(f"clawcheck webhooks wrote no results (exit {proc.returncode})")
        document = json.loads(results.read_text(encoding="utf-8"))
    return {
        "side": "cli",
        "wall_s": round(wall, 3),
        "exit_code": proc.returncode,
        "passed": document["summary"]["pass"],
        "checks": len(document["checks"]),
        "deliveries": document["metrics"]["deliveries"],
        "probe_reads": document["metrics"]["probe_reads"],
        "suite_s": document["metrics"]["duration_s"],
        "p95_ms": document["metrics"]["latency_ms"]["p95"],
    }


def run_engine(base: str, secret: str) -> dict[str, Any]:
    settings = resolve_settings(
        url=f"{base}/webhooks/openclaw", secret=secret, probe=f"{base}/probe/{{event_id}}"
    )
    started = time.perf_counter()
    result = run_suite(settings)
    wall = time.perf_counter() - started
    return {
        "side": "engine",
        "wall_s": round(wall, 3),
        "exit_code": 0 if result.passed else 1,
        "passed": result.counts()["pass"],
        "checks": len(result.checks),
        "deliveries": result.metrics["deliveries"],
        "probe_reads": result.metrics["probe_reads"],
        "suite_s": result.metrics["duration_s"],
        "p95_ms": result.metrics["latency_ms"]["p95"],
    }


def run_pytest(timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-webhooks-pytest-") as tmp:
        cmd = [sys.executable, "-m", "pytest", str(SUITE), "-q", "-p", "no:cacheprovider", "--rootdir", tmp]
        started = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=_common.REPO, capture_output=True, text=True, timeout=timeout, check=False
        )
        wall = time.perf_counter() - started
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    passed = int(tail.split(" passed")[0].split()[-1]) if " passed" in tail else 0
    return {
        "side": "pytest",
        "wall_s": round(wall, 3),
        "exit_code": proc.returncode,
        "passed": passed,
        "checks": passed,
        "deliveries": None,
        "probe_reads": None,
        "suite_s": None,
        "p95_ms": None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each side (default 3)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per subprocess run")
    parser.add_argument("--json", dest="json_path", default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    info = _common.machine()
    print(_common.describe(info))
    secret = f"whsec_bench_{secrets.token_hex(16)}"
    runs: list[dict[str, Any]] = []
    with ASGIServer(reference_app(secret)) as server:
        print(f"\nreference receiver on {server.base_url}; {args.repeat} repetition(s) per side\n")
        for rep in range(1, args.repeat + 1):
            for side, run in (
                ("cli", lambda: run_cli(server.base_url, secret, args.timeout)),
                ("engine", lambda: run_engine(server.base_url, secret)),
                ("pytest", lambda: run_pytest(args.timeout)),
            ):
                print(f"run {rep}/{args.repeat}: {side} ...", flush=True)
                result = run()
                result["repetition"] = rep
                runs.append(result)
    _common.finish(info)

    keys = (
        "side",
        "repetition",
        "wall_s",
        "suite_s",
        "checks",
        "passed",
        "deliveries",
        "probe_reads",
        "p95_ms",
    )
    print()
    print(
        _common.table(
            [
                "side",
                "run",
                "wall s",
                "suite s",
                "checks",
                "passed",
                "deliveries",
                "probe reads",
                "P95 ms",
                "exit",
            ],
            [[r[k] for k in keys] + [r["exit_code"]] for r in runs],
        )
    )
    medians = {
        side: {
            "wall_s": _common.median(r["wall_s"] for r in runs if r["side"] == side),
            "passed": _common.median(r["passed"] for r in runs if r["side"] == side),
        }
        for side in ("cli", "engine", "pytest")
    }
    labels = {
        "cli": "clawcheck webhooks (CLI process)",
        "engine": "run_suite() in process",
        "pytest": "pytest suites/test_webhook_receiver.py",
    }
    print(f"\nmedian of {args.repeat}:")
    print(
        _common.table(
            ["how", "wall s", "checks passed"],
            [[labels[side], m["wall_s"], m["passed"]] for side, m in medians.items()],
        )
    )
    print(f"load average at start {info['loadavg_start']}, at end {info['loadavg_end']}")
    _common.write_json(
        args.json_path,
        {
            "benchmark": "webhook_suite",
            "machine": info,
            "repeat": args.repeat,
            "runs": runs,
            "median": medians,
        },
    )
    failed = [r for r in runs if r["exit_code"] != 0]
    if failed:
        print(f"note: {len(failed)} run(s) did not pass: {[(r['side'], r['repetition']) for r in failed]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
