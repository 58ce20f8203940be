"""Sandbox throughput on `GET /v2/orders/{order_id}` versus a bare Starlette endpoint, side by side.

    python benchmarks/sandbox_rps.py                              # 20k requests x 3 repetitions each
    python benchmarks/sandbox_rps.py --json reports/bench-rps.json

Two views, both measured in the same run:

1. Over loopback. Each server runs in its own process, served the same way (`ASGIServer`:
   uvicorn in a background thread): the sandbox with `python -m clawcheck sandbox --port 0
   --rate-limit 100000` (so its 10 req/s per-shop limit is not what is measured), the bare app
   with `python benchmarks/bare_app.py --port 0`. The load comes from --procs client processes
   (multiprocessing, so no client shares a GIL with a server), each with one keep-alive
   connection sending requests back to back; every measurement is bounded by --requests and
   --timeout and preceded by --warmup requests per process. Servers are measured alternately,
   --repeat times; the median requests/s is reported.
2. In process: the ASGI app alone, called directly (no socket, no uvicorn, no HTTP parsing),
   one request at a time; per-request latency.

The default client writes raw HTTP/1.1 on a socket so that the client's own cost stays small
next to the server's; `--client httpx` uses `httpx.Client` instead (slower, so on a small
machine it measures the client more than the server). Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import queue
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import _common
import httpx

from clawcheck.sandbox import SandboxConfig, create_app
from clawcheck.sandbox.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEMO_SHOP_ID

HERE = Path(__file__).resolve().parent
ORDER_BODY = {
    "platform": "shopify",
    "platform_order_id": "SHOP-1001",
    "currency": "USD",
    "buyer": {"name": "Li Wei", "email": "li.wei@example.com", "country": "US"},
    "lines": [{"sku": "SKU-RED-M", "quantity": 2, "unit_price": "19.99"}],
    "warehouse_id": "WH-SZ-01",
    "placed_at": "2026-03-19T08:30:00Z",
}
TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": DEFAULT_CLIENT_ID,
    "client_secret": DEFAULT_CLIENT_SECRET,
}
_LISTENING = re.compile(r"listening on (http://\S+)")


# -- servers in their own processes -------------------------------------------------------------------


def start_server(cmd: list[str], timeout: float = 30.0) -> tuple[subprocess.Popen[str], str]:
    """Start `cmd`, wait for its "listening on URL" line, return the process and the URL."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=HERE.parent)
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=0.1):
                if proc.poll() is not None:
                    break
                continue
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            found = _LISTENING.search(line)
            if found:
                return proc, found.group(1)
    stop_server(proc)
    raise SystemExit(f"server did not start: {' '.join(cmd)}\n{proc.stderr.read() if proc.stderr else ''}")


def stop_server(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def prepare_sandbox(base: str) -> tuple[str, dict[str, str]]:
    """A token and one order; returns the order's path and the headers to read it with."""
    with httpx.Client(base_url=base, timeout=10) as client:
        token = client.post("/v2/oauth/token", data=TOKEN_FORM).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "X-OpenClaw-Shop-Id": DEMO_SHOP_ID}
        created = client.post(
            "/v2/orders/create",
            json=ORDER_BODY,
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        if created.status_code != 201:
            raise SystemExit(f"creating the order failed: {created.status_code} {created.text}")
        path = f"/v2/orders/{created.json()['order_id']}"
        check = client.get(path, headers=headers)
        if check.status_code != 200:
            raise SystemExit(f"reading the order failed: {check.status_code} {check.text}")
    return path, headers


# -- the load generator (runs in child processes) ----------------------------------------------------


def _raw_client(
    base: str, path: str, headers: dict[str, str]
) -> tuple[Callable[[], int], Callable[[], None]]:
    """One keep-alive connection; `send()` writes a prepared request and reads one response."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: */*", "User-Agent: clawcheck-bench"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    sock = socket.create_connection((host, port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""

    def receive_more() -> None:
        nonlocal buffer
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk

    def send() -> int:
        nonlocal buffer
        sock.sendall(request)
        while (end := buffer.find(b"\r\n\r\n")) < 0:
            receive_more()
        head = buffer[:end].split(b"\r\n")
        status = int(head[0].split(b" ", 2)[1])
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        total = end + 4 + length
        while len(buffer) < total:
            receive_more()
        buffer = buffer[total:]
        return status

    return send, sock.close


def _httpx_client(
    base: str, path: str, headers: dict[str, str]
) -> tuple[Callable[[], int], Callable[[], None]]:
    client = httpx.Client(base_url=base, headers=headers, timeout=30)

    def send() -> int:
        return client.get(path).status_code

    return send, client.close


def _worker(
    kind: str,
    base: str,
    path: str,
    headers: dict[str, str],
    count: int,
    warmup: int,
    ready: Any,
    start: Any,
    results: Any,
) -> None:
    try:
        send, close = (_raw_client if kind == "raw" else _httpx_client)(base, path, headers)
        for _ in range(warmup):
            send()
        ready.put("ready")
        start.wait()
        latencies = array("d")
        statuses: Counter[int] = Counter()
        began = time.monotonic()
        for _ in range(count):
            t0 = time.perf_counter()
            statuses[send()] += 1
            latencies.append(time.perf_counter() - t0)
        ended = time.monotonic()
        close()
        results.put({"began": began, "ended": ended, "statuses": dict(statuses), "latencies": latencies})
    except Exception as exc:
        ready.put(f"error: {type(exc).__name__}: {exc}")
        results.put({"error": f"{type(exc).__name__}: {exc}"})


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def measure(
    kind: str,
    server_pid: int,
    base: str,
    path: str,
    headers: dict[str, str],
    *,
    requests: int,
    procs: int,
    warmup: int,
    timeout: float,
) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    ready, results, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    shares = [requests // procs + (1 if i < requests % procs else 0) for i in range(procs)]
    workers = [
        ctx.Process(target=_worker, args=(kind, base, path, headers, n, warmup, ready, start, results))
        for n in shares
    ]
    for worker in workers:
        worker.start()
    try:
        for _ in workers:
            message = ready.get(timeout=timeout)
            if message != "ready":
                raise SystemExit(f"a load process failed while warming up: {message}")
        cpu_before = cpu_seconds(server_pid)
        start.set()
        outcomes = [results.get(timeout=timeout) for _ in workers]
        cpu_after = cpu_seconds(server_pid)
    except queue.Empty:
        raise SystemExit(f"the measurement did not finish within {timeout} s") from None
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
    errors = [o["error"] for o in outcomes if "error" in o]
    if errors:
        raise SystemExit(f"a load process failed: {errors[0]}")
    elapsed = max(o["ended"] for o in outcomes) - min(o["began"] for o in outcomes)
    latencies = sorted(x for o in outcomes for x in o["latencies"])
    statuses: Counter[int] = Counter()
    for outcome in outcomes:
        statuses.update(outcome["statuses"])
    done = sum(statuses.values())
    server_cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return {
        "requests": done,
        "elapsed_s": round(elapsed, 3),
        "rps": round(done / elapsed, 1),
        "p50_ms": round(_percentile(latencies, 50) * 1000, 3),
        "p99_ms": round(_percentile(latencies, 99) * 1000, 3),
        # CPU the server process spent per request: less sensitive to a busy machine than req/s.
        "server_cpu_us_per_request": None if server_cpu is None else round(server_cpu / done * 1e6, 1),
        "server_cpu_share": None if server_cpu is None else round(server_cpu / elapsed, 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "non_200": done - statuses.get(200, 0),
    }


def _percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


# -- in process: the ASGI app alone -----------------------------------------------------------------


async def asgi_call(
    app: Any, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, bytes]:
    """One request straight into the ASGI app: no socket, no server, no HTTP parsing."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")]
        + [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop() if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def _prepare_inprocess_sandbox(app: Any) -> tuple[str, dict[str, str]]:
    form = "&".join(f"{k}={v}" for k, v in TOKEN_FORM.items()).encode()
    status, body = await asgi_call(
        app, "POST", "/v2/oauth/token", {"Content-Type": "application/x-www-form-urlencoded"}, form
    )
    token = httpx.Response(status, content=body).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "X-OpenClaw-Shop-Id": DEMO_SHOP_ID}
    create = {**headers, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
    status, body = await asgi_call(
        app, "POST", "/v2/orders/create", create, httpx.Request("POST", "/", json=ORDER_BODY).read()
    )
    if status != 201:
        raise SystemExit(f"in-process order creation failed: {status} {body!r}")
    return f"/v2/orders/{httpx.Response(status, content=body).json()['order_id']}", headers


async def _latencies(app: Any, path: str, headers: dict[str, str], count: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        await asgi_call(app, "GET", path, headers)
    out = []
    for _ in range(count):
        t0 = time.perf_counter()
        status, _ = await asgi_call(app, "GET", path, headers)
        out.append(time.perf_counter() - t0)
        if status != 200:
            raise SystemExit(f"in-process GET {path} answered {status}")
    return sorted(out)


def measure_inprocess(count: int, warmup: int, repeat: int) -> dict[str, Any]:
    """Median over `repeat` of per-request latency; sandbox and bare alternate."""
    import bare_app

    sandbox = create_app(SandboxConfig(rate_limit=1e9))
    runs: dict[str, list[dict[str, float]]] = {"sandbox": [], "bare": []}

    async def run_all() -> None:
        path, headers = await _prepare_inprocess_sandbox(sandbox)
        for _ in range(repeat):
            for name, app in (("sandbox", sandbox), ("bare", bare_app.app)):
                values = await _latencies(app, path, headers, count, warmup)
                mean = sum(values) / len(values)
                runs[name].append(
                    {
                        "median_us": round(_percentile(values, 50) * 1e6, 1),
                        "mean_us": round(mean * 1e6, 1),
                        "p99_us": round(_percentile(values, 99) * 1e6, 1),
                        "calls_per_s": round(1 / mean, 1),
                    }
                )

    asyncio.run(run_all())
    summary = {
        name: {key: _common.median(r[key] for r in values) for key in values[0]}
        for name, values in runs.items()
    }
    return {"runs": runs, "median": summary}


# -- main -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000, help="requests per measurement (20000)")
    parser.add_argument("--repeat", type=int, default=3, help="measurements per server (3)")
    parser.add_argument("--procs", type=int, default=2, help="client processes, one connection each (2)")
    parser.add_argument("--warmup", type=int, default=500, help="unmeasured requests per process (500)")
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw", help="load client (raw)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per measurement at most")
    parser.add_argument("--inproc-requests", type=int, default=20000, help="in-process calls per run (20000)")
    parser.add_argument("--json", dest="json_path", default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    info = _common.machine()
    print(_common.describe(info))
    print(
        f"\nGET /v2/orders/{{order_id}}: {args.requests} requests per measurement, {args.repeat} "
        f"repetitions, {args.procs} client processes ({args.client}), {args.warmup} warm-up each\n"
    )
    python = [sys.executable, "-u"]
    servers = {
        "sandbox": [*python, "-m", "clawcheck", "sandbox", "--port", "0", "--rate-limit", "100000"],
        "bare": [*python, str(HERE / "bare_app.py"), "--port", "0"],
    }
    started: dict[str, tuple[subprocess.Popen[str], str]] = {}
    runs: dict[str, list[dict[str, Any]]] = {"sandbox": [], "bare": []}
    try:
        for name, cmd in servers.items():
            started[name] = start_server(cmd)
        path, headers = prepare_sandbox(started["sandbox"][1])
        for rep in range(1, args.repeat + 1):
            for name in ("sandbox", "bare"):
                print(f"run {rep}/{args.repeat}: {name} ...", flush=True)
                result = measure(
                    args.client,
                    started[name][0].pid,
                    started[name][1],
                    path,
                    headers,
                    requests=args.requests,
                    procs=args.procs,
                    warmup=args.warmup,
                    timeout=args.timeout,
                )
                result["repetition"] = rep
                runs[name].append(result)
    finally:
        for proc, _ in started.values():
            stop_server(proc)

    print()
    columns = {
        "repetition": "run",
        "requests": "requests",
        "elapsed_s": "s",
        "rps": "req/s",
        "p50_ms": "p50 ms",
        "p99_ms": "p99 ms",
        "server_cpu_us_per_request": "server CPU us/req",
        "server_cpu_share": "server CPU share",
        "non_200": "non-200",
    }
    rows = [
        [name, *(r[key] for key in columns)]
        for rep in range(args.repeat)
        for name, r in ((n, runs[n][rep]) for n in runs)
    ]
    print(_common.table(["server", *columns.values()], rows))
    medians = {name: _common.median(r["rps"] for r in values) for name, values in runs.items()}
    ratio = round(medians["sandbox"] / medians["bare"], 3)
    print(f"\nmedian req/s: sandbox {medians['sandbox']}, bare {medians['bare']}; sandbox/bare = {ratio}")
    cpu = {
        name: _common.median(r["server_cpu_us_per_request"] for r in values)
        if all(r["server_cpu_us_per_request"] is not None for r in values)
        else None
        for name, values in runs.items()
    }
    cpu_ratio = round(cpu["sandbox"] / cpu["bare"], 3) if cpu["sandbox"] and cpu["bare"] else None
    if cpu_ratio is not None:
        print(
            f"median server CPU per request: sandbox {cpu['sandbox']} us, bare {cpu['bare']} us; "
            f"sandbox/bare = {cpu_ratio}"
        )
    if any(r["non_200"] for values in runs.values() for r in values):
        print("warning: some answers were not 200 (see statuses in --json); the figures are not clean")

    print(f"\nin process (ASGI app alone, {args.inproc_requests} sequential calls, median of {args.repeat}):")
    inproc = measure_inprocess(args.inproc_requests, min(args.warmup, 500), args.repeat)
    per_call = inproc["median"]
    print(
        _common.table(
            ["app", "median us", "mean us", "p99 us", "calls/s"],
            [[name, *values.values()] for name, values in per_call.items()],
        )
    )
    inproc_ratio = round(per_call["sandbox"]["mean_us"] / per_call["bare"]["mean_us"], 2)
    print(f"mean per-call time sandbox/bare = {inproc_ratio}")
    _common.finish(info)
    print(f"\nload average at start {info['loadavg_start']}, at end {info['loadavg_end']}")

    _common.write_json(
        args.json_path,
        {
            "benchmark": "sandbox_rps",
            "machine": info,
            "settings": {k: v for k, v in vars(args).items() if k != "json_path"},
            "servers": {
                name: " ".join(["python", *cmd[1:]]).replace(f"{HERE.parent}/", "")
                for name, cmd in servers.items()
            },
            "runs": runs,
            "median_rps": medians,
            "ratio_rps_sandbox_over_bare": ratio,
            "median_server_cpu_us_per_request": cpu,
            "ratio_server_cpu_sandbox_over_bare": cpu_ratio,
            "inprocess": inproc,
            "ratio_inprocess_mean_sandbox_over_bare": inproc_ratio,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
