"""The embedded OpenClaw v2 sandbox: the whole API with real semantics, and switchable faults.

with Sandbox(SandboxConfig(faults=frozenset({"local-time"}))) as sandbox:
    httpx.get(f"{sandbox.base_url}/healthz")
"""

from __future__ import annotations

from clawcheck.sandbox.app import create_app
from clawcheck.sandbox.config import SandboxConfig
from clawcheck.sandbox.faults import FAULTS, Fault
from clawcheck.sandbox.server import Sandbox

__all__ = ["FAULTS", "Fault", "Sandbox", "SandboxConfig", "create_app"]
