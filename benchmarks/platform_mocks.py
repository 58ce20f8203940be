"""Mock platforms: requests/s over loopback versus a bare ASGI app, and the per-request cost of the
in-process fixture versus httpx's own floor, side by side in one run.

    python benchmarks/platform_mocks.py --seconds 5 --repeat 3
    python benchmarks/platform_mocks.py --platform shopee --json reports/bench-mocks.json

One cheap authenticated read per platform, for a seeded order, signed by the platform's own
`authorize` (what a correct client sends): Amazon `getOrder`, Shopify `orders/{id}.json`, Walmart
`GET /v3/orders/{purchaseOrderId}`, Shopee `get_order_detail`, Lazada `/order/get`, TikTok
`GET /order/202309/orders?ids=`, WooCommerce `GET /wp-json/wc/v3/orders/{id}` (OAuth 1.0a). A
signature the mock accepts only once (WooCommerce's nonce) is signed afresh for every request,
in advance, so signing is never inside a measurement. Every mock is built with
`enforce_rate_limits=False`: otherwise this would measure 429s.

1. Over loopback. Each mock in a fresh `MockServer` (one `ASGIServer`, uvicorn in a background
   thread, per real host), in this process; the baseline is a raw ASGI callable returning a JSON
   body as large as the platforms' median answer, under the same `ASGIServer`. The load is `wrk`
   (one thread, --connections keep-alive connections) when it is installed, else --connections
   client processes (multiprocessing, so no client shares the server's GIL) writing prepared
   HTTP/1.1 requests on one keep-alive socket each. --warmup seconds unmeasured, then --seconds
   measured, bounded by a timeout. Baseline and platforms alternate, --repeat times; medians.
   "server CPU" is this process's CPU time during the measurement (the server's threads; the
   main thread only waits) per request.
2. In process, per request, one client, --inproc-requests sequential requests (median over
   --repeat of the mean): httpx through `testing.in_process(name)` (respx) at the real https
   host; the same httpx call with `httpx.MockTransport` returning a prepared response of the
   same size (the floor: httpx itself); httpx over real HTTP to a `MockServer` in this process
   (one keep-alive connection; client and server share the GIL, as in a test); `requests`
   through `in_process` and over HTTP; and `Mock.handle` called directly (the engine alone).

Loopback only. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import _common
import httpx
import requests

from clawcheck.platforms import PLATFORMS, load_all
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.model import ClientRequest, MockRequest
from clawcheck.platforms.server import MockServer, primary_host
from clawcheck.platforms.testing import in_process
from clawcheck.serving import ASGIServer

NAMES = load_all().names()

# -- one cheap authenticated read per platform ----------------------------------------------------


def _amazon(mock: Mock, host: str) -> ClientRequest:
    seller = mock.platform.primary().id
    order = next(o.id for o in mock.platform.state.orders.values() if o.seller == seller)
    return ClientRequest("GET", f"https://{host}/orders/v0/orders/{order}")


def _shopify(mock: Mock, host: str) -> ClientRequest:
    order = mock.platform.state.shops[host].orders[0].id
    return ClientRequest("GET", f"https://{host}/admin/api/2024-10/orders/{order}.json")


def _walmart(mock: Mock, host: str) -> ClientRequest:
    order = next(iter(mock.platform.state.orders))
    return ClientRequest("GET", f"https://{host}/v3/orders/{order}")


def _shopee(mock: Mock, host: str) -> ClientRequest:
    shop = mock.platform.first_shop()
    order = next(sn for sn, o in mock.platform.state.orders.items() if o.shop_id == shop)
    return ClientRequest("GET", f"https://{host}/api/v2/order/get_order_detail", [("order_sn_list", order)])


def _lazada(mock: Mock, host: str) -> ClientRequest:
    seller = mock.platform._seller_for_host(host).seller_id
    order = next(k for k, o in mock.platform.state.orders.items() if o.seller_id == seller)
    return ClientRequest("GET", f"https://{host}/rest/order/get", [("order_id", str(order))])


def _tiktok(mock: Mock, host: str) -> ClientRequest:
    order = next(iter(mock.platform.state.orders))
    return ClientRequest("GET", f"https://{host}/order/202309/orders", [("ids", order)])


def _woocommerce(mock: Mock, host: str) -> ClientRequest:
    order = next(iter(mock.platform.state.orders))
    return ClientRequest("GET", f"https://{host}/wp-json/wc/v3/orders/{order}")


READS: dict[str, Callable[[Mock, str], ClientRequest]] = {
    "amazon": _amazon,
    "shopify": _shopify,
    "walmart": _walmart,
    "shopee": _shopee,
    "lazada": _lazada,
    "tiktok": _tiktok,
    "woocommerce": _woocommerce,
}


@dataclass(frozen=True)
class Signed:
    """One signed request: path with its query, and headers (without Host)."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]


@dataclass
class Target:
    name: str
    host: str  # the real host name the read goes to
    operation: str  # "GET /path" as documented, for the table
    single_use: bool  # the mock accepts a signed request only once (a nonce): sign each one
    body: bytes  # the 200 answer, for the MockTransport floor and the baseline's size
    headers: dict[str, str]


def sign(mock: Mock, target: Target, count: int) -> list[Signed]:
    """`count` requests signed for `mock` (one, reused, when a signature may be replayed)."""
    out = []
    for _ in range(count if target.single_use else 1):
        request = mock.platform.authorize(READS[target.name](mock, target.host), time.time())
        query = f"?{urlencode(request.query)}" if request.query else ""
        out.append(Signed(request.method, request.path + query, tuple(request.headers.items())))
    return out


def prepare(name: str) -> Target:
    """Find the platform's host, check that the read answers 200, and whether a signature replays."""
    with in_process(name) as mock:
        mock.enforce_rate_limits = False
        host = primary_host(mock).name
        request = READS[name](mock, host)
        target = Target(name, host, f"GET {request.path}", False, b"", {})
        (signed,) = sign(mock, target, 1)
        with httpx.Client() as client:
            url = f"https://{host}{signed.target}"
            first = client.request(signed.method, url, headers=dict(signed.headers))
            second = client.request(signed.method, url, headers=dict(signed.headers))
        if first.status_code != 200:
            raise SystemExit(f"{name}: {target.operation} answered {first.status_code}: {first.text[:300]}")
        target.single_use = second.status_code != 200
        target.body = first.content
        target.headers = {k: v for k, v in first.headers.items() if k.lower() != "content-length"}
        return target


# -- the bare baseline ----------------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def bare_body(size: int) -> bytes:
    """A JSON object of exactly `size` bytes (at least its skeleton)."""
    skeleton = {"order": {"id": "bare-0001", "status": "ok"}, "padding": ""}
    raw = json.dumps(skeleton, separators=(",", ":"))
    skeleton["padding"] = "x" * max(0, size - len(raw))
    return json.dumps(skeleton, separators=(",", ":")).encode()


def bare_app(body: bytes) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """A raw ASGI callable: reads the request body, answers `body` as JSON, nothing else."""
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False) and message["type"] == "http.request"
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


# -- load over loopback ---------------------------------------------------------------------------

WRK_SCRIPT = r"""
local pool = {}
local index = 0
function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  for raw in data:gmatch("([^%z]+)%z") do pool[#pool + 1] = raw end
end
function request()
  index = index + 1
  if index > #pool then index = 1 end
  return pool[index]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "CLAWCHECK requests=%d duration_us=%d non2xx=%d errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
_WRK_LINE = re.compile(r"CLAWCHECK (.+)")


def raw_requests(pool: list[Signed], base: str) -> list[bytes]:
    """Each signed request as the bytes of an HTTP/1.1 request to `base`."""
    netloc = urlsplit(base).netloc
    out = []
    for signed in pool:
        lines = [
            f"{signed.method} {signed.target} HTTP/1.1",
            f"Host: {netloc}",
            "User-Agent: clawcheck-bench",
        ]
        lines += [f"{name}: {value}" for name, value in signed.headers]
        out.append(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    return out


def write_wrk_input(raws: list[bytes], workdir: Path, label: str) -> Path:
    """The requests for the wrk script, NUL-separated; written before the clock starts."""
    (workdir / "bench.lua").write_text(WRK_SCRIPT)
    data = workdir / f"{label}.bin"
    data.write_bytes(b"".join(raw + b"\0" for raw in raws))
    return data


def run_wrk(base: str, data: Path, seconds: float, connections: int) -> dict[str, Any]:
    script = data.parent / "bench.lua"
    duration = max(1, round(seconds))
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    done = subprocess.run(
        [*cmd, base + "/", "--", str(data)], capture_output=True, text=True, timeout=duration + 60
    )
    found = _WRK_LINE.search(done.stdout)
    if done.returncode != 0 or not found:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    return {
        "requests": values["requests"],
        "elapsed_s": values["duration_us"] / 1e6,
        "non_200": values["non2xx"] + values["errors"],
        "p50_ms": values["p50_us"] / 1000,
        "p99_ms": values["p99_us"] / 1000,
    }


def _client_process(address: tuple[str, int], raws: list[bytes], seconds: float, results: Any) -> None:
    """One keep-alive connection sending prepared requests back to back for `seconds`."""
    try:
        sock = socket.create_connection(address, timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer, done, bad, latencies = b"", 0, 0, []
        began = time.monotonic()
        deadline = began + seconds
        while (now := time.monotonic()) < deadline:
            t0 = time.perf_counter()
            sock.sendall(raws[done % len(raws)])
            while (end := buffer.find(b"\r\n\r\n")) < 0:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("the server closed the connection")
                buffer += chunk
            head = buffer[:end].split(b"\r\n")
            length = next(
                (
                    int(v)
                    for n, _, v in (h.partition(b":") for h in head[1:])
                    if n.lower() == b"content-length"
                ),
                0,
            )
            while len(buffer) < end + 4 + length:
                buffer += sock.recv(65536)
            buffer = buffer[end + 4 + length :]
            bad += head[0].split(b" ", 2)[1] != b"200"
            done += 1
            latencies.append(time.perf_counter() - t0)
        sock.close()
        results.put({"requests": done, "non_200": bad, "elapsed": now - began, "latencies": latencies})
    except Exception as exc:
        results.put({"error": f"{type(exc).__name__}: {exc}"})


def run_python(base: str, raws: list[bytes], seconds: float, connections: int) -> dict[str, Any]:
    parts = urlsplit(base)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    # Each process gets its own slice, so a single-use request is never sent twice.
    share = max(1, len(raws) // connections) if len(raws) > 1 else 1
    slices = [raws[i * share : (i + 1) * share] or raws[:1] for i in range(connections)]
    procs = [ctx.Process(target=_client_process, args=(address, s, seconds, results)) for s in slices]
    for proc in procs:
        proc.start()
    try:
        outcomes = [results.get(timeout=seconds + 60) for _ in procs]
    except queue.Empty:
        raise SystemExit("a load process did not report within the timeout") from None
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
    errors = [o["error"] for o in outcomes if "error" in o]
    if errors:
        raise SystemExit(f"a load process failed: {errors[0]}")
    latencies = sorted(x for o in outcomes for x in o["latencies"])
    return {
        "requests": sum(o["requests"] for o in outcomes),
        "elapsed_s": max(o["elapsed"] for o in outcomes),
        "non_200": sum(o["non_200"] for o in outcomes),
        "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else 0.0,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else 0.0,
    }


@contextmanager
def serving(name: str, host: str, body: bytes) -> Iterator[tuple[str, Mock | None]]:
    """The baseline or a fresh mock (rate limits off) on loopback; yields (URL of `host`, mock)."""
    if name == "bare":
        server = ASGIServer(bare_app(body)).start()
        try:
            yield server.base_url, None
        finally:
            server.stop()
        return
    mock = Mock(PLATFORMS.get(name), enforce_rate_limits=False)
    with MockServer(mock) as mock_server:
        yield mock_server.url_for(host), mock


def measure_http(
    name: str, target: Target | None, body: bytes, args: argparse.Namespace, generator: str, workdir: Path
) -> dict[str, Any]:
    with serving(name, target.host if target else "", body) as (base, mock):
        if mock is None or target is None:
            warm_pool = pool = [Signed("GET", "/bare/orders/0001", ())]
        else:
            # Enough single-use requests for the fastest rate this machine could reach.
            warm_pool = sign(mock, target, math.ceil(args.warmup * args.pool_rate) + 1)
            pool = sign(mock, target, math.ceil(args.seconds * args.pool_rate) + 1)
        warm_raws, raws = raw_requests(warm_pool, base), raw_requests(pool, base)
        if generator == "wrk":
            warm_load: Any = write_wrk_input(warm_raws, workdir, "warmup")
            load: Any = write_wrk_input(raws, workdir, "measured")

            def run(data: Any, seconds: float) -> dict[str, Any]:
                return run_wrk(base, data, seconds, args.connections)
        else:
            warm_load, load = warm_raws, raws

            def run(data: Any, seconds: float) -> dict[str, Any]:
                return run_python(base, data, seconds, args.connections)

        if args.warmup > 0:
            run(warm_load, args.warmup)
        cpu0 = time.process_time()
        result = run(load, args.seconds)
        cpu = time.process_time() - cpu0
    done = max(1, result["requests"])
    result.update(
        rps=round(result["requests"] / result["elapsed_s"], 1),
        server_cpu_us_per_request=round(cpu / done * 1e6, 1),
        # Over the generator's own measured time: its start-up costs the server nothing.
        server_cpu_share=round(cpu / result["elapsed_s"], 2),
        pool=len(pool),
    )
    if target is not None and target.single_use and result["requests"] > len(pool):
        result["note"] = "the pool of single-use requests ran out: raise --pool-rate"
    return result


# -- in process: per-request cost of the fixture --------------------------------------------------

INPROC_MODES = {
    "handle": "Mock.handle alone",
    "httpx_inproc": "httpx via in_process",
    "httpx_floor": "httpx + MockTransport (floor)",
    "httpx_http": "httpx over HTTP",
    "requests_inproc": "requests via in_process",
    "requests_http": "requests over HTTP",
}


def _mean_seconds(send: Callable[[Any], int], items: list[Any], warmup: int) -> tuple[float, int]:
    """Mean seconds per `send(item)` over `items[warmup:]`, and how many did not answer 200."""
    for item in items[:warmup]:
        send(item)
    measured = items[warmup:]
    bad = 0
    t0 = time.perf_counter()
    for item in measured:
        bad += send(item) != 200
    return (time.perf_counter() - t0) / len(measured), bad


def _expand(pool: list[Signed], count: int) -> list[Signed]:
    return pool if len(pool) >= count else (pool * count)[:count]


def measure_inproc(target: Target, mode: str, count: int, warmup: int) -> tuple[float, int]:
    """Mean microseconds per request for one way of reaching the mock, and the non-200 count."""
    total = count + warmup
    cls = PLATFORMS.get(target.name)
    if mode in ("httpx_inproc", "requests_inproc"):
        with in_process(target.name) as mock:
            mock.enforce_rate_limits = False
            items = [
                (s.method, f"https://{target.host}{s.target}", dict(s.headers))
                for s in _expand(sign(mock, target, total), total)
            ]
            if mode == "httpx_inproc":
                with httpx.Client() as client:
                    seconds, bad = _mean_seconds(
                        lambda i: client.request(i[0], i[1], headers=i[2]).status_code, items, warmup
                    )
            else:
                with requests.Session() as session:
                    seconds, bad = _mean_seconds(
                        lambda i: session.request(i[0], i[1], headers=i[2]).status_code, items, warmup
                    )
    elif mode == "httpx_floor":
        mock = Mock(cls, enforce_rate_limits=False)
        items = [
            (s.method, f"https://{target.host}{s.target}", dict(s.headers))
            for s in _expand(sign(mock, target, total), total)
        ]
        mock.close()

        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, headers=target.headers, content=target.body)

        with httpx.Client(transport=httpx.MockTransport(answer)) as client:
            seconds, bad = _mean_seconds(
                lambda i: client.request(i[0], i[1], headers=i[2]).status_code, items, warmup
            )
    elif mode == "handle":
        mock = Mock(cls, enforce_rate_limits=False)
        built = []
        for s in _expand(sign(mock, target, total), total):
            path, _, query = s.target.partition("?")
            built.append(
                MockRequest.build(
                    s.method, path, host=target.host, query_string=query, headers=s.headers, raw_path=path
                )
            )
        seconds, bad = _mean_seconds(lambda r: mock.handle(r).status, built, warmup)
        mock.close()
    else:
        mock = Mock(cls, enforce_rate_limits=False)
        with MockServer(mock) as server:
            base = server.url_for(target.host)
            items = [
                (s.method, base + s.target, dict(s.headers))
                for s in _expand(sign(mock, target, total), total)
            ]
            if mode == "httpx_http":
                with httpx.Client() as client:
                    seconds, bad = _mean_seconds(
                        lambda i: client.request(i[0], i[1], headers=i[2]).status_code, items, warmup
                    )
            else:
                with requests.Session() as session:
                    seconds, bad = _mean_seconds(
                        lambda i: session.request(i[0], i[1], headers=i[2]).status_code, items, warmup
                    )
    return round(seconds * 1e6, 1), bad


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", choices=NAMES, action="append", help="only this one (repeatable)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per loopback measurement (5)")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each (1)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of everything (3)")
    parser.add_argument(
        "--generator", choices=["auto", "wrk", "python"], default="auto", help="load: wrk if installed (auto)"
    )
    parser.add_argument(
        "--connections", type=int, default=None, help="keep-alive connections (wrk: 4; python: 2 processes)"
    )
    parser.add_argument(
        "--pool-rate",
        type=float,
        default=3000.0,
        help="single-use requests signed per second of load, in advance (3000)",
    )
    parser.add_argument(
        "--inproc-requests", type=int, default=2000, help="in-process requests per run (2000)"
    )
    parser.add_argument("--skip-http", action="store_true", help="only the in-process part")
    parser.add_argument("--skip-inproc", action="store_true", help="only the loopback part")
    parser.add_argument("--json", dest="json_path", default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    elif generator == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --generator python")
    if args.connections is None:
        args.connections = 4 if generator == "wrk" else 2
    names = args.platform or list(NAMES)

    info = _common.machine()
    print(_common.describe(info))
    targets = {name: prepare(name) for name in names}
    size = int(statistics.median(len(t.body) for t in targets.values()))
    body = bare_body(size)
    print(f"\nbaseline: raw ASGI app, {len(body)}-byte JSON answer (median of the platforms' answers)")
    for t in targets.values():
        reuse = "signed afresh for every request" if t.single_use else "one signed request, reused"
        print(f"  {t.name:<12} {t.operation} on {t.host}: {len(t.body)} bytes; {reuse}")

    http_runs: dict[str, list[dict[str, Any]]] = {name: [] for name in ["bare", *names]}
    if not args.skip_http:
        load = "python client processes (raw HTTP/1.1)"
        if generator == "wrk":
            banner = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
            load = "wrk " + (banner[1] if len(banner) > 1 else "")
            # wrk takes whole seconds.
            args.seconds, args.warmup = max(1, round(args.seconds)), round(args.warmup)
        print(
            f"\nover loopback: {load} with {args.connections} keep-alive connections, "
            f"{args.warmup:g} s warm-up + {args.seconds:g} s per measurement, {args.repeat} repetitions\n"
        )
        with tempfile.TemporaryDirectory(prefix="clawcheck-bench-") as tmp:
            for rep in range(1, args.repeat + 1):
                for name in http_runs:
                    print(f"run {rep}/{args.repeat}: {name} ...", flush=True)
                    result = measure_http(name, targets.get(name), body, args, generator, Path(tmp))
                    result["repetition"] = rep
                    http_runs[name].append(result)
                    if result.get("note"):
                        print(f"  note: {result['note']}")
        columns = {
            "repetition": "run",
            "requests": "requests",
            "rps": "req/s",
            "p50_ms": "p50 ms",
            "p99_ms": "p99 ms",
            "server_cpu_us_per_request": "server CPU us/req",
            "server_cpu_share": "CPU share",
            "non_200": "non-200",
        }
        print()
        print(
            _common.table(
                ["server", *columns.values()],
                [
                    [n, *(r[k] for k in columns)]
                    for rep in range(args.repeat)
                    for n, v in http_runs.items()
                    for r in [v[rep]]
                ],
            )
        )
    http_median: dict[str, dict[str, Any]] = {}
    if not args.skip_http:
        for name, values in http_runs.items():
            http_median[name] = {
                "rps": _common.median(r["rps"] for r in values),
                "server_cpu_us_per_request": _common.median(r["server_cpu_us_per_request"] for r in values),
                "p50_ms": _common.median(r["p50_ms"] for r in values),
                "p99_ms": _common.median(r["p99_ms"] for r in values),
                "non_200": sum(r["non_200"] for r in values),
            }
        bare = http_median["bare"]
        for values in http_median.values():
            values["rps_over_bare"] = round(values["rps"] / bare["rps"], 2)
            values["cpu_over_bare"] = round(
                values["server_cpu_us_per_request"] / bare["server_cpu_us_per_request"], 2
            )
        print(f"\nmedian of {args.repeat}:")
        print(
            _common.table(
                [
                    "server",
                    "answer bytes",
                    "req/s",
                    "x bare",
                    "server CPU us/req",
                    "x bare",
                    "p99 ms",
                    "non-200",
                ],
                [
                    [
                        name,
                        len(targets[name].body) if name in targets else len(body),
                        m["rps"],
                        m["rps_over_bare"],
                        m["server_cpu_us_per_request"],
                        m["cpu_over_bare"],
                        m["p99_ms"],
                        m["non_200"],
                    ]
                    for name, m in http_median.items()
                ],
            )
        )
        if any(m["non_200"] for m in http_median.values()):
            print("warning: some answers were not 200; those figures are not clean")

    inproc_runs: dict[str, dict[str, list[float]]] = {n: {m: [] for m in INPROC_MODES} for n in names}
    inproc_bad: dict[str, dict[str, int]] = {n: dict.fromkeys(INPROC_MODES, 0) for n in names}
    inproc_median: dict[str, dict[str, float]] = {}
    if not args.skip_inproc:
        warm = min(200, args.inproc_requests)
        print(
            f"\nin process: one client, {args.inproc_requests} sequential requests per run after {warm} "
            f"unmeasured, mean us per request, median of {args.repeat}"
        )
        for rep in range(1, args.repeat + 1):
            print(f"run {rep}/{args.repeat} ...", flush=True)
            for name in names:
                for mode in INPROC_MODES:
                    us, bad = measure_inproc(targets[name], mode, args.inproc_requests, warm)
                    inproc_runs[name][mode].append(us)
                    inproc_bad[name][mode] += bad
        for name in names:
            row = {mode: _common.median(v) for mode, v in inproc_runs[name].items()}
            row["overhead_us"] = round(row["httpx_inproc"] - row["httpx_floor"], 1)
            inproc_median[name] = row
        headers = [
            "platform",
            "handle",
            "httpx in_process",
            "httpx floor",
            "overhead",
            "httpx HTTP",
            "requests in_process",
            "requests HTTP",
        ]
        order = [
            "handle",
            "httpx_inproc",
            "httpx_floor",
            "overhead_us",
            "httpx_http",
            "requests_inproc",
            "requests_http",
        ]
        print(_common.table(headers, [[n, *(inproc_median[n][k] for k in order)] for n in names]))
        print("(us per request; overhead = httpx in_process - httpx floor; handle = Mock.handle alone)")
        bad = {f"{n}/{m}": c for n, modes in inproc_bad.items() for m, c in modes.items() if c}
        if bad:
            print(f"warning: non-200 answers in process: {bad}")

    _common.finish(info)
    print(f"\nload average at start {info['loadavg_start']}, at end {info['loadavg_end']}")
    _common.write_json(
        args.json_path,
        {
            "benchmark": "platform_mocks",
            "machine": info,
            "settings": {k: v for k, v in vars(args).items() if k != "json_path"} | {"generator": generator},
            "targets": {
                n: {
                    "operation": t.operation,
                    "host": t.host,
                    "answer_bytes": len(t.body),
                    "single_use": t.single_use,
                }
                for n, t in targets.items()
            },
            "baseline_answer_bytes": len(body),
            "http_runs": http_runs,
            "http_median": http_median,
            "inprocess_runs_us": inproc_runs,
            "inprocess_median_us": inproc_median,
            "inprocess_non_200": inproc_bad,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
