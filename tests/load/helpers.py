"""Helpers for running `clawcheck load` as users do: a real process, an embedded sandbox, loopback only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LoadRun:
    code: int
    stdout: str
    stderr: str
    result: dict[str, Any]

    def check(self, check_id: str, operation: str | None) -> dict[str, Any]:
        found = [c for c in self.result["checks"] if c["id"] == check_id and c.get("operation") == operation]
        assert len(found) == 1, (check_id, operation, self.result["checks"])
        return found[0]


def run_load(tmp_path: Path, *args: str, timeout: float = 120.0) -> LoadRun:
    """`clawcheck load ARGS --json PATH` in a subprocess, bounded by `timeout`."""
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENCLAW_")}
    done = subprocess.run(
        [sys.executable, "-m", "clawcheck", "load", *args, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
    )
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return LoadRun(done.returncode, done.stdout, done.stderr, result)
