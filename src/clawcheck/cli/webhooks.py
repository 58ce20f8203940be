"""`clawcheck webhooks`: the receiver conformance suite against a seller's webhook receiver."""

from __future__ import annotations

import time
from pathlib import Path

import click

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, cli
from clawcheck.core.results import CheckRecord, SuiteResult
from clawcheck.errors import ConfigError

__all__ = ["EXIT_INTERRUPTED", "webhooks_command"]

EXIT_INTERRUPTED = 130


def _write(path: str, text: str, option: str) -> None:
    try:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {option} {path}: {exc.strerror}; pass a writable path") from exc


@cli.command("webhooks")
@click.option(
    "--url", required=True, metavar="URL", help="The receiver's webhook endpoint (what OpenClaw posts to)."
)
@click.option(
    "--secret",
    default=None,
    metavar="SECRET",
    help="The receiver's signing secret (prefer env OPENCLAW_WEBHOOK_SECRET: keeps it out of shell history).",
)
@click.option(
    "--probe",
    default=None,
    metavar="URL_TEMPLATE",
    help='GET URL with {event_id} answering {"event_id": ..., "processed": <int>}; without it the '
    "processing checks are reported skip.",
)
@click.option(
    "--json", "json_path", default=None, type=click.Path(dir_okay=False), help="Write the results document."
)
@click.option("--junit", "junit_path", default=None, type=click.Path(dir_okay=False), help="Write JUnit XML.")
def webhooks_command(
    url: str, secret: str | None, probe: str | None, json_path: str | None, junit_path: str | None
) -> int:
    """Check a webhook receiver against every rule of the OpenClaw protocol (section 2).

    Exit 0 when no check failed, 1 when one did, 2 on bad input (an unreachable receiver,
    a broken probe, an empty secret), 130 when interrupted.
    """
    from clawcheck.reporting import render
    from clawcheck.webhooks import check_ids, preflight, resolve_settings, run_suite

    settings = resolve_settings(url=url, secret=secret, probe=probe)
    preflight(settings)  # bad input is one line and exit 2, within seconds
    total = len(check_ids())
    click.echo(
        f"clawcheck webhooks: {url}, {total} checks, "
        + ("probe " + settings.probe if settings.probe else "no probe: processing checks will be skipped"),
        err=True,
    )
    started = time.perf_counter()
    done = 0

    def progress(record: CheckRecord) -> None:
        nonlocal done
        done += 1
        elapsed = time.perf_counter() - started
        click.echo(
            f"[{done:>3}/{total}] {elapsed:6.1f} s  {record.status.value.upper():<4} {record.id}", err=True
        )

    result: SuiteResult = run_suite(settings, on_record=progress)
    click.echo(render("console", result))
    if json_path:
        _write(json_path, render("json", result), "--json")
    if junit_path:
        _write(junit_path, render("junit", result), "--junit")
    if not result.complete:
        return EXIT_INTERRUPTED
    return EXIT_OK if result.passed else EXIT_FAILED
