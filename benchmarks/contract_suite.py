"""The full contract suite versus a plain `schemathesis run` of the same spec, side by side.

    python benchmarks/contract_suite.py                       # 100 examples per operation, 1 run each
    python benchmarks/contract_suite.py --repeat 3 --json reports/bench-contract.json

Per repetition, in this order and on this machine:

1. clawcheck: `python -m clawcheck contract --examples N --json PATH` as a subprocess. It starts
   its own embedded sandbox (default 10 req/s per shop, 32 shops, token TTL 4 s) and runs every
   operation (examples, coverage and fuzzing phases, both modes), the stateful test and the
   scenario checks. Wall time is measured here; cases and requests come from `metrics` in its
   results document; the phase breakdown from its progress lines.
2. schemathesis: a sandbox started here (`rate_limit=100000`, so nothing is throttled), a token
   from `/v2/oauth/token`, then `python -m schemathesis.cli run SPEC --url BASE -H ... -H ...
   --max-examples N --mode all --phases examples,coverage,fuzzing,stateful --workers 1` with an
   NDJSON report, from which the cases are counted (the summary line's "N generated" is kept as
   a cross-check). HTTP requests are counted at the sandbox.

Each run gets a fresh target and a fresh working directory (no Hypothesis database carried
over). Measures; asserts nothing. Wall times are bounded by --timeout.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common
import httpx

from clawcheck.sandbox import SandboxConfig, create_app
from clawcheck.sandbox.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEMO_SHOP_ID
from clawcheck.serving import ASGIServer

SPEC = _common.REPO / "specs" / "openclaw" / "openclaw.v2.yaml"
GOAL_S = 90.0
_PROGRESS = re.compile(r"^\[\s*\d+\]\s+(?P<elapsed>[\d.]+) s\s+(?P<status>\w+)\s+(?P<name>.+)$")
_GENERATED = re.compile(r"(\d+) generated")
_UNIQUE_FAILURES = re.compile(r"(\d+) unique failures?")


class CountingApp:
    """Counts the HTTP requests an ASGI app answers."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


def _drop_invalid_request(record: logging.LogRecord) -> bool:
    return record.getMessage() != "Invalid HTTP request received."


def run_clawcheck(examples: int, seed: int | None, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-clawcheck-") as tmp:
        results = Path(tmp) / "results.json"
        cmd = [sys.executable, "-m", "clawcheck", "contract", "--examples", str(examples)]
        cmd += ["--json", str(results)]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=timeout, check=False)
        wall = time.perf_counter() - started
        if not results.exists():
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(f"clawcheck contract wrote no results (exit {proc.returncode})")
        document = json.loads(results.read_text(encoding="utf-8"))
    metrics = document["metrics"]
    progress = [m.groupdict() for m in map(_PROGRESS.match, proc.stderr.splitlines()) if m]
    return {
        "side": "clawcheck",
        "command": " ".join(["python", *cmd[1:]]).replace(str(results), "PATH"),
        "exit_code": proc.returncode,
        "wall_s": round(wall, 3),
        "cases": metrics["cases"],
        "requests": metrics["requests"],
        "cases_per_wall_s": round(metrics["cases"] / wall, 2),
        "internal_duration_s": metrics["duration_s"],
        "internal_cases_per_second": metrics["cases_per_second"],
        "passed": document.get("passed"),
        "summary": document.get("summary"),
        "failed_tests": [p["name"] for p in progress if p["status"] == "FAIL"],
        "failed_checks": [
            {"id": c.get("id"), "operation": c.get("operation"), "message": str(c.get("message"))[:300]}
            for c in document.get("checks", [])
            if c.get("status") == "fail"
        ],
        "breakdown": breakdown(progress, wall),
        "progress": [f"{p['elapsed']} s {p['status']} {p['name']}" for p in progress],
    }


def breakdown(progress: list[dict[str, str]], wall: float) -> dict[str, float]:
    """Where the wall time went, from the CLI's cumulative progress lines (seconds)."""
    parts: dict[str, float] = {}
    times = {line["name"]: float(line["elapsed"]) for line in progress}
    first = float(progress[0]["elapsed"]) if progress else 0.0
    operations = times.get("all operations", first)
    parts["start: collection, sandbox, preflight, schema, first operation"] = round(first, 1)
    parts["the other operations (test_operation)"] = round(operations - first, 1)
    previous = operations
    for line in progress:
        name = line["name"]
        if name == "test_stateful" or name.startswith("test_scenario["):
            elapsed = float(line["elapsed"])
            parts[name] = round(elapsed - previous, 1)
            previous = elapsed
    parts["rest: interpreter start-up and imports, report, exit"] = round(wall - previous, 1)
    return parts


def run_schemathesis(examples: int, seed: int | None, timeout: float) -> dict[str, Any]:
    counter = CountingApp(create_app(SandboxConfig(rate_limit=100000)))
    with tempfile.TemporaryDirectory(prefix="bench-schemathesis-") as tmp, ASGIServer(counter) as server:
        base = server.base_url
        token = httpx.post(
            f"{base}/v2/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
            },
            timeout=10,
        ).json()["access_token"]
        counter.requests = 0
        report = Path(tmp) / "events.ndjson"
        args = [
            "run",
            str(SPEC),
            "--url",
            base,
            "-H",
            f"Authorization: Bearer {token}",
            "-H",
            f"X-OpenClaw-Shop-Id: {DEMO_SHOP_ID}",
            "--max-examples",
            str(examples),
            "--mode",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--workers",
            "1",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
            "--no-color",
        ]
        if seed is not None:
            args += ["--seed", str(seed)]
        cmd = [sys.executable, "-m", "schemathesis.cli", *args]
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=timeout, check=False)
        wall = time.perf_counter() - started
        served = counter.requests
        events = read_ndjson(report)
    generated = _GENERATED.findall(proc.stdout)
    failures = _UNIQUE_FAILURES.findall(proc.stdout)
    shown = " ".join(["python", *cmd[1:]]).replace(token, "TOKEN").replace(base, "BASE")
    return {
        "side": "schemathesis",
        "command": shown.replace(str(report), "PATH"),
        "exit_code": proc.returncode,
        "wall_s": round(wall, 3),
        "cases": events["cases"],
        "requests": served,
        "cases_per_wall_s": round(events["cases"] / wall, 2),
        "internal_duration_s": events["running_time"],
        "internal_cases_per_second": (
            round(events["cases"] / events["running_time"], 2) if events["running_time"] else None
        ),
        "cases_per_phase": events["per_phase"],
        "summary_generated": int(generated[-1]) if generated else None,
        "unique_failures": int(failures[-1]) if failures else 0,
        "failures": failure_lines(proc.stdout),
    }


def failure_lines(output: str) -> list[str]:
    """The lines under "Failures:" in the summary, e.g. "ST202 Schema-valid request rejected: 2"."""
    lines = output.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Failures:")
    except StopIteration:
        return []
    found = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        found.append(line.strip().lstrip("❌").strip())
    return found


def read_ndjson(path: Path) -> dict[str, Any]:
    """Cases per phase from ScenarioFinished events; the engine's own running time."""
    per_phase: dict[str, int] = {}
    running_time = None
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if finished is not None:
                cases = len((finished.get("recorder") or {}).get("cases") or {})
                per_phase[finished["phase"]] = per_phase.get(finished["phase"], 0) + cases
            elif "EngineFinished" in event:
                running_time = round(event["EngineFinished"]["running_time"], 3)
    return {"cases": sum(per_phase.values()), "per_phase": per_phase, "running_time": running_time}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="cases per operation (default 100)")
    parser.add_argument("--repeat", type=int, default=1, help="repetitions of the pair (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed for both sides")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run before giving up")
    parser.add_argument("--json", dest="json_path", default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    # The baseline's sandbox runs in this process; schemathesis's probes (a NUL byte in a header)
    # make uvicorn log "Invalid HTTP request received." which is expected, not news.
    logging.getLogger("uvicorn.error").addFilter(_drop_invalid_request)
    info = _common.machine()
    print(_common.describe(info))
    print(f"\n{args.examples} examples per operation, {args.repeat} repetition(s), seed {args.seed}\n")
    runs: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for rep in range(1, args.repeat + 1):
        for side, fn in (("clawcheck", run_clawcheck), ("schemathesis", run_schemathesis)):
            print(f"run {rep}/{args.repeat}: {side} ...", flush=True)
            try:
                result = fn(args.examples, args.seed, args.timeout)
            except (SystemExit, subprocess.TimeoutExpired) as exc:
                print(f"run {rep}/{args.repeat}: {side} failed and is left out: {exc}", flush=True)
                failed.append({"side": side, "repetition": rep, "error": str(exc)})
                continue
            result["repetition"] = rep
            runs.append(result)
    _common.finish(info)
    if {r["side"] for r in runs} != {"clawcheck", "schemathesis"}:
        print("no complete comparison: a side has no successful run")
        return 1

    rows = [
        [
            r[key]
            for key in (
                "side",
                "repetition",
                "wall_s",
                "cases",
                "cases_per_wall_s",
                "requests",
                "internal_duration_s",
                "exit_code",
            )
        ]
        for r in runs
    ]
    headers = ["side", "run", "wall s", "cases", "cases/s (wall)", "requests", "internal s", "exit"]
    print()
    print(_common.table(headers, rows))

    summary: dict[str, dict[str, float]] = {}
    for side in ("clawcheck", "schemathesis"):
        mine = [r for r in runs if r["side"] == side]
        summary[side] = {
            "wall_s": round(_common.median(r["wall_s"] for r in mine), 2),
            "cases": _common.median(r["cases"] for r in mine),
            "cases_per_wall_s": round(_common.median(r["cases_per_wall_s"] for r in mine), 2),
            "requests": _common.median(r["requests"] for r in mine),
        }
    ours, theirs = summary["clawcheck"], summary["schemathesis"]
    ratios = {
        "wall_s clawcheck/schemathesis": round(ours["wall_s"] / theirs["wall_s"], 2),
        "cases_per_wall_s clawcheck/schemathesis": round(
            ours["cases_per_wall_s"] / theirs["cases_per_wall_s"], 2
        ),
        "requests_per_case clawcheck": round(ours["requests"] / ours["cases"], 2),
        "requests_per_case schemathesis": round(theirs["requests"] / theirs["cases"], 2),
    }
    print(f"\nmedian of {len(runs) // 2 if not failed else 'the successful runs'}:")
    print(
        _common.table(
            ["side", "wall s", "cases", "cases/s (wall)", "requests"],
            [[side, *values.values()] for side, values in summary.items()],
        )
    )
    print()
    for name, value in ratios.items():
        print(f"{name}: {value}")

    last = next(r for r in reversed(runs) if r["side"] == "clawcheck")
    print("\nwhere clawcheck's wall time went (last run, seconds):")
    print(_common.table(["part", "s"], list(last["breakdown"].items())))
    for run in runs:
        if run["side"] == "clawcheck" and (run["exit_code"] != 0 or run["failed_tests"]):
            checks = ", ".join(str(c["id"]) for c in run["failed_checks"]) or "none"
            print(
                f"note: clawcheck run {run['repetition']} exited {run['exit_code']}; "
                f"failed tests: {run['failed_tests']}; failed checks: {checks}; "
                f"results say passed={run['passed']}"
            )
        if run["side"] == "schemathesis" and run["unique_failures"]:
            print(
                f"note: schemathesis run {run['repetition']} reported {run['unique_failures']} "
                f"unique failure(s) (exit {run['exit_code']}; {'; '.join(run['failures'])}); "
                "its shrinking is in its wall time"
            )
    goal = "met" if ours["wall_s"] < GOAL_S else "NOT met"
    print(
        f"\ngoal: full suite at {args.examples} examples/operation + stateful under {GOAL_S:.0f} s: "
        f"{goal} (median wall {ours['wall_s']} s)"
    )
    print(f"load average at start {info['loadavg_start']}, at end {info['loadavg_end']}")

    _common.write_json(
        args.json_path,
        {
            "benchmark": "contract_suite",
            "machine": info,
            "examples": args.examples,
            "repeat": args.repeat,
            "seed": args.seed,
            "runs": runs,
            "failed_runs": failed,
            "median": summary,
            "ratios": ratios,
            "goal_s": GOAL_S,
            "goal_met": ours["wall_s"] < GOAL_S,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
