"""Webhook signature verifications per second, per scheme, for a 1 KiB body.

    python benchmarks/signing_verify.py                         # 20,000 verifications x best of 5
    python benchmarks/signing_verify.py --json reports/bench-signing.json

Each scheme signs one message once, then `verify` runs --iterations times in a loop timed with
`time.perf_counter`; the best of --repeat runs is reported (the least disturbed one). A bare
`hmac.new(...).digest()` plus `hmac.compare_digest` over the same bytes is the floor: the
difference is header parsing and checks. One secret, one signature. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import time
from collections.abc import Callable
from typing import Any

import _common

from clawcheck.signing import SCHEMES, SignedMessage

BODY = os.urandom(1024)
TIMESTAMP = 1773909000
SECRETS = {"standard-webhooks": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}


def best_rate(call: Callable[[], object], iterations: int, repeat: int) -> float:
    """Calls per second in the fastest of `repeat` runs of `iterations` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        best = min(best, time.perf_counter() - start)
    return iterations / best


def verifier(name: str) -> Callable[[], object]:
    scheme = SCHEMES.get(name)
    secrets = [SECRETS.get(name, "bench_secret")]
    headers = scheme.sign(secrets, SignedMessage(BODY, "evt_01HZX3K9Q2", TIMESTAMP))
    return lambda: scheme.verify(secrets, headers, BODY, now=TIMESTAMP)


def bare_hmac() -> Callable[[], object]:
    key, message = b"bench_secret", b"evt_01HZX3K9Q2.1773909000." + BODY
    expected = hmac.new(key, message, hashlib.sha256).digest()
    return lambda: hmac.compare_digest(hmac.new(key, message, hashlib.sha256).digest(), expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20_000, help="verifications per run")
    parser.add_argument("--repeat", type=int, default=5, help="runs per scheme; the best counts")
    parser.add_argument("--json", help="also write the figures and the machine to this file")
    args = parser.parse_args()

    info = _common.machine()
    print(_common.describe(info), end="\n\n")
    cases = {name: verifier(name) for name in SCHEMES.names()} | {"bare hmac-sha256": bare_hmac()}
    results: list[dict[str, Any]] = []
    for name, call in cases.items():
        rate = best_rate(call, args.iterations, args.repeat)
        results.append({"scheme": name, "verifications_per_s": round(rate), "us_each": 1e6 / rate})
    _common.finish(info)
    print(f"{len(BODY)} B body, best of {args.repeat} x {args.iterations:,} verifications\n")
    rows = [(r["scheme"], r["verifications_per_s"], r["us_each"]) for r in results]
    print(_common.table(["scheme", "verifications/s", "µs each"], rows))
    _common.write_json(args.json, {"machine": info, "body_bytes": len(BODY), "results": results})


if __name__ == "__main__":
    main()
