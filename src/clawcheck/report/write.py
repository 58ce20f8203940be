"""Writing a report directory: the chosen formats plus each suite's document as evidence."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from clawcheck.core.checklist import Checklist
from clawcheck.errors import ConfigError
from clawcheck.report._registry import RENDERERS
from clawcheck.report.view import ReportView

__all__ = ["DEFAULT_FORMATS", "render", "write_reports"]

DEFAULT_FORMATS = ("json", "html", "md", "junit", "pdf")
# A suite's name becomes a file name under suites/: nothing that could leave the directory.
_SUITE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def render(name: str, checklist: Checklist) -> bytes:
    """One format's bytes, without touching the disk (unknown names are a ConfigError)."""
    return RENDERERS.get(name).render(ReportView(checklist))


def write_reports(
    checklist: Checklist, out_dir: Path, *, formats: Iterable[str] = DEFAULT_FORMATS
) -> dict[str, Path]:
    """Render `checklist` into `out_dir`; returns {format name: path} plus {"suites/NAME": path}.

    Every format is rendered before anything is written, so a bad format name or a
    rendering error leaves no half-written directory. Each file is written to a temporary
    name and renamed, so a reader (or a signer) never sees a partial file.
    """
    chosen = [RENDERERS.get(name) for name in dict.fromkeys(formats)]  # ConfigError names the known ones
    for suite_name in checklist.suites:
        if not _SUITE_NAME.fullmatch(suite_name):
            raise ConfigError(
                f"suite name {suite_name!r} cannot be a file name; use letters, digits, '.', '_' or '-'"
            )
    view = ReportView(checklist)
    rendered = [(r.name, r.filename, r.render(view)) for r in chosen]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for name, filename, data in rendered:
            written[name] = _write(out_dir / filename, data)
        for suite_name, result in checklist.suites.items():
            path = out_dir / "suites" / f"{suite_name}.json"
            result.write_json(path)
            written[f"suites/{suite_name}"] = path
    except OSError as exc:
        raise ConfigError(
            f"cannot write the reports to {out_dir}: {exc.strerror or exc}; pass a writable --out directory"
        ) from exc
    return written


def _write(path: Path, data: bytes) -> Path:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return path
