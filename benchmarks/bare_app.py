"""A bare Starlette app answering `GET /v2/orders/{order_id}` with an Order-shaped JSON object.

The baseline for `sandbox_rps.py`: no auth, no shop, no rate limit, no trace id, no store; just
routing and a `JSONResponse` of a dict shaped like the sandbox's Order. Served the way the
sandbox is served (`ASGIServer`: uvicorn in a background thread), in its own process:

    python benchmarks/bare_app.py --port 0      # prints "bare app listening on URL"
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clawcheck.serving import ASGIServer

# Same keys, nesting and value sizes as the sandbox's answer to the order in sandbox_rps.py.
ORDER: dict[str, Any] = {
    "order_id": "ord_000000000000000000000000",
    "shop_id": "shop_demo",
    "platform": "shopify",
    "platform_order_id": "SHOP-1001",
    "status": "created",
    "currency": "USD",
    "buyer": {"name": "Li Wei", "email": "li.wei@example.com", "country": "US"},
    "lines": [{"sku": "SKU-RED-M", "quantity": 2, "unit_price": "19.99"}],
    "warehouse_id": "WH-SZ-01",
    "total_amount": "39.98",
    "refunded_amount": "0.00",
    "placed_at": "2026-03-19T08:30:00Z",
    "created_at": "2026-03-19T08:30:00.123Z",
    "updated_at": "2026-03-19T08:30:00.123Z",
}


async def get_order(request: Request) -> JSONResponse:
    return JSONResponse({**ORDER, "order_id": request.path_params["order_id"]})


app = Starlette(routes=[Route("/v2/orders/{order_id}", get_order, methods=["GET"])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the bare baseline app until Ctrl-C.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = ASGIServer(app, host=args.host, port=args.port).start()
    print(f"bare app listening on {server.base_url}", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
