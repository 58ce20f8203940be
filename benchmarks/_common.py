"""Helpers shared by the benchmark scripts: machine description, tables, JSON output.

Not a benchmark itself. The scripts import it as a sibling module (`python benchmarks/X.py`
puts this directory first on `sys.path`).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("clawcheck", "schemathesis", "hypothesis", "starlette", "uvicorn", "httpx", "h11", "requests")


def machine() -> dict[str, Any]:
    """What the figures were measured on; the load average shows whether the machine was quiet."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
        "source_sha256": source_digest(),
        "loadavg_start": _loadavg(),
        "argv": [Path(sys.executable).name, *sys.argv],
    }


def source_digest() -> str:
    """SHA-256 over the package sources and the spec: which code the figures belong to, without git."""
    digest = hashlib.sha256()
    spec = REPO / "specs" / "openclaw" / "openclaw.v2.yaml"
    files = [*sorted((REPO / "src" / "clawcheck").rglob("*.py")), spec]
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def finish(info: dict[str, Any]) -> None:
    """Load average at the end, and a warning when the sources changed while the benchmark ran."""
    info["loadavg_end"] = _loadavg()
    info["source_sha256_end"] = source_digest()
    if info["source_sha256_end"] != info["source_sha256"]:
        print(
            f"warning: src/clawcheck or the spec changed during the run "
            f"({info['source_sha256']} -> {info['source_sha256_end']}); the runs measured different code"
        )


def describe(info: dict[str, Any]) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in info["packages"].items() if v)
    return (
        f"{info['date']}  nproc={info['nproc']}  Python {info['python']} ({info['implementation']})\n"
        f"{packages}\nsource sha256 {info['source_sha256']}, load average at start: {info['loadavg_start']}"
    )


def median(values: Iterable[float]) -> float:
    """The median; a whole number stays an int (an even count may give a .5)."""
    items = list(values)
    value = statistics.median(items)
    whole = all(isinstance(v, int) for v in items) and float(value).is_integer()
    return int(value) if whole else float(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers], *[[_fmt(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [row[0].ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_json(path: str | None, document: dict[str, Any]) -> None:
    if not path:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    print(f"\nwrote {target}")
