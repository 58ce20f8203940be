"""`clawcheck lint`: check OpenAPI specs against OpenAPI itself and the OpenClaw protocol rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, cli
from clawcheck.errors import ConfigError
from clawcheck.spec import LintReport, bundled_spec_path, default_spec_paths, lint_paths
from clawcheck.spec.lines import line_index, line_of

__all__ = ["lint_command", "render_github", "render_text"]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _summary(report: LintReport) -> str:
    files = _plural(len(report.files), "file")
    if report.ok:
        return f"OK: {files}, {_plural(len(report.rules), 'rule')}, no findings"
    return f"{_plural(len(report.findings), 'finding')} in {files}"


def render_text(report: LintReport) -> Iterator[str]:
    """`FILE:POINTER: [rule] message` per finding, then the summary line."""
    for found in report.findings:
        where = f"{found.file}:{found.pointer}" if found.pointer else found.file
        yield f"{where}: [{found.rule}] {found.message}"
    yield _summary(report)


def _escape(text: str, *, is_property: bool = False) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts).
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def render_github(report: LintReport) -> Iterator[str]:
    """One `::error` workflow command per finding, placed on the line the pointer names."""
    indexes: dict[str, dict[str, int]] = {}
    for found in report.findings:
        lines = indexes.setdefault(found.file, line_index(Path(found.file)))
        line = line_of(lines, found.pointer)
        props = f"file={_escape(found.file, is_property=True)}"
        if line is not None:
            props += f",line={line}"
        props += f",title={_escape(found.rule, is_property=True)}"
        where = f"{found.pointer}: " if found.pointer else ""
        yield f"::error {props}::{_escape(where + found.message)}"
    yield _summary(report)


def _default_paths() -> list[Path]:
    """Every spec under ./specs/, shown relative to the working directory; else the bundled spec."""
    cwd = Path.cwd()
    found = [path.relative_to(cwd) for path in default_spec_paths(cwd)]
    return found or [bundled_spec_path()]


@cli.command("lint")
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the results document (suite `lint`) to this file.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="`github` prints ::error annotations for GitHub Actions.",
)
def lint_command(paths: tuple[Path, ...], json_path: Path | None, output_format: str) -> int:
    """Lint OpenAPI specs: OpenAPI validity, x-sla, error envelope, Idempotency-Key, operationIds.

    PATH defaults to every spec under ./specs/, or else the OpenClaw spec bundled with clawcheck.
    Exit 0 when clean, 1 with findings, 2 when a spec cannot be read.
    """
    report = lint_paths(paths or _default_paths())
    render = render_github if output_format == "github" else render_text
    for line in render(report):
        click.echo(line)
    if json_path is not None:
        try:
            report.to_suite_result(", ".join(report.files)).write_json(json_path)
        except OSError as exc:
            raise ConfigError(
                f"cannot write --json {json_path}: {exc.strerror}; pass a writable path"
            ) from exc
    return EXIT_OK if report.ok else EXIT_FAILED
