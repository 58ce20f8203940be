"""Requests/s of clawcheck's instrumented Locust generator versus bare Locust, and its top open-model rate.

    python benchmarks/load_generator.py --seconds 10 --users 20 --repeat 3 --json reports/bench-load.json

Same run, same sandbox, same scenario (`GET /healthz`, closed model, users back to back):

- **instrumented**: `load/locustfile.py` with clawcheck's plugin (every response into an HDR
  histogram, failure classification against the spec, per-second series), one Locust process;
- **bare**: a `FastHttpUser` with one `GET /healthz` task and nothing else, one Locust process.

Both report Locust's own request count over the same `--seconds` (from `--csv`). Then the
instrumented generator in open-model mode (`rate` in the plugin config) at rising rates:
a rate is *sustained* when at least 97 % of the scheduled requests were sent and the
coordinated-omission-corrected P95 stays within 50 ms of the raw P95 (the generator kept up).

The sandbox runs in its own process (`clawcheck sandbox --rate-limit 1000000`), one Locust
process is the generator: on a 2-core machine each side has one core.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common

REPO = _common.REPO
LOCUSTFILE = REPO / "load" / "locustfile.py"
BARE = """
from locust import FastHttpUser, constant, task


class Bare(FastHttpUser):
    wait_time = constant(0)

    @task
    def health(self):
        self.client.get("/healthz", name="/healthz")
"""


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "clawcheck", "sandbox", "--port", "0", "--rate-limit", "1000000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"listening on (http://\S+)", first)
    if not match:
        process.kill()
        raise SystemExit(f"sandbox did not start: {first!r}")
    return process, match.group(1)


def run_locust(
    locustfile: Path, url: str, users: int, seconds: int, config: dict[str, Any] | None, tmp: Path
) -> dict[str, Any]:
    prefix = tmp / f"run{time.monotonic_ns()}"
    out = tmp / f"snapshot{time.monotonic_ns()}.json"
    env = dict(os.environ)
    if config is not None:
        env["CLAWCHECK_LOAD"] = json.dumps({**config, "out": str(out)})
    args = [
        sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "--only-summary",
        "--host", url, "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--csv", str(prefix),
        "--stop-timeout", "2", "--skip-log-setup",
    ]  # fmt: skip
    subprocess.run(args, cwd=REPO, env=env, capture_output=True, timeout=seconds + 60, check=False)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    result: dict[str, Any] = {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
    }
    if out.exists():
        snapshot = json.loads(out.read_text(encoding="utf-8"))
        op = snapshot["operations"].get("GET /healthz")
        if op:
            from clawcheck.load.histogram import LatencyHistogram

            raw = LatencyHistogram.decode(op["raw"]).percentiles_ms([0.95])["p95"]
            corrected = LatencyHistogram.decode(op["corrected"]).percentiles_ms([0.95])["p95"]
            result.update(recorded=op["count"], p95_ms=raw, p95_corrected_ms=corrected)
            result["elapsed"] = snapshot["finished"] - snapshot["started"]
    return result


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--seconds", type=int, default=10, help="per measurement")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    rates = "500,1000,1500,2000,2500,3000,3500,4000"
    parser.add_argument("--rates", default=rates, help="open-model rates to try in turn, req/s")
    parser.add_argument("--rate-seconds", type=int, default=6)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args()
    info = _common.machine()
    print(_common.describe(info))
    mix = {"weights": {"GET /healthz": 1}, "operations": ["GET /healthz"], "shops": 1}
    sandbox, url = start_sandbox()
    results: dict[str, Any] = {"instrumented": [], "bare": [], "open_model": []}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp_name:
            tmp = Path(tmp_name)
            bare = tmp / "bare_locustfile.py"
            bare.write_text(BARE, encoding="utf-8")
            for _ in range(args.repeat):  # alternate, so drift hits both sides alike
                results["instrumented"].append(
                    run_locust(LOCUSTFILE, url, args.users, args.seconds, mix, tmp)
                )
                results["bare"].append(run_locust(bare, url, args.users, args.seconds, None, tmp))
            for rate in (float(r) for r in args.rates.split(",")):
                users = max(args.users, int(rate * 0.05))  # enough users to absorb 50 ms responses
                run = run_locust(LOCUSTFILE, url, users, args.rate_seconds, {**mix, "rate": rate}, tmp)
                elapsed = run.get("elapsed") or args.rate_seconds
                run["rate"] = rate
                run["achieved"] = round(run.get("recorded", 0) / elapsed, 1)
                run["sustained"] = bool(
                    run["achieved"] >= 0.97 * rate
                    and run.get("p95_corrected_ms", 1e9) - run.get("p95_ms", 0) <= 50
                )
                results["open_model"].append(run)
                if not run["sustained"]:
                    break
    finally:
        sandbox.terminate()
        sandbox.wait(10)
    inst = _common.median(r["rps"] for r in results["instrumented"])
    base = _common.median(r["rps"] for r in results["bare"])
    print()
    closed = [
        [name, _common.median(r["rps"] for r in runs), [round(r["rps"]) for r in runs],
         sum(r["failures"] for r in runs)]
        for name, runs in (("clawcheck instrumented", results["instrumented"]),
                           ("bare FastHttpUser", results["bare"]))
    ]  # fmt: skip
    print(_common.table(["generator (closed, GET /healthz)", "req/s median", "runs", "failures"], closed))
    print(f"instrumented / bare: {inst / base:.2f}")
    print()
    rows = [
        [
            r["rate"],
            r["achieved"],
            r.get("p95_ms"),
            r.get("p95_corrected_ms"),
            "yes" if r["sustained"] else "no",
        ]
        for r in results["open_model"]
    ]
    headers = ["open-model rate", "achieved req/s", "P95 ms", "corrected P95 ms", "sustained"]
    print(_common.table(headers, rows))
    sustained = [r["rate"] for r in results["open_model"] if r["sustained"]]
    best = max(sustained) if sustained else None
    print(f"highest sustained open-model rate (one generator core): {best} req/s")
    _common.finish(info)
    summary = {"instrumented_rps": inst, "bare_rps": base, "ratio": inst / base, "max_sustained_rate": best}
    _common.write_json(args.json_path, {"machine": info, "results": results, "summary": summary})


if __name__ == "__main__":
    main()
