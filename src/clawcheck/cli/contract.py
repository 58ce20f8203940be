"""`clawcheck contract`: the contract suite from the command line, with progress and a summary."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import click
import pytest

from clawcheck.cli.app import EXIT_FAILED, EXIT_OK, EXIT_USAGE, cli
from clawcheck.core.results import SuiteResult
from clawcheck.errors import ConfigError

EXIT_INTERRUPTED = 130


class _Progress:
    """A pytest plugin that prints one line per finished test instead of pytest's own output."""

    def __init__(self, echo: Any) -> None:
        self.echo = echo
        self.done = 0
        self.started = time.perf_counter()
        self.exit_reason: str | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.done += 1
            status = "SKIP" if report.skipped else ("PASS" if report.passed else "FAIL")
            name = report.nodeid.split("::")[-1]
            if name == "test_operation":
                name = "all operations"  # the parent of the per-operation reports above
            elapsed = time.perf_counter() - self.started
            self.echo(f"[{self.done:>3}] {elapsed:6.1f} s  {status:<4} {name}")

    def pytest_keyboard_interrupt(self, excinfo: Any) -> None:
        self.exit_reason = str(excinfo.value) or "interrupted"


def _terminate_as_interrupt(signum: int, frame: Any) -> None:
    # SIGTERM (CI cancelling a job) ends the run like Ctrl-C: results written, marked incomplete.
    from clawcheck.contract.interrupt import request_stop

    request_stop()  # recorded even where the KeyboardInterrupt below gets swallowed
    raise KeyboardInterrupt


@cli.command("contract")
@click.option(
    "--target", default=None, metavar="URL", help="OpenClaw API base URL (default: embedded sandbox)."
)
@click.option("--client-id", default=None, help="OAuth2 client id (env OPENCLAW_CLIENT_ID).")
@click.option("--client-secret", default=None, help="OAuth2 client secret (env OPENCLAW_CLIENT_SECRET).")
@click.option("--shop-id", default=None, help="Shop id(s), comma-separated (env OPENCLAW_SHOP_ID).")
@click.option(
    "--examples",
    type=click.IntRange(min=1),
    default=25,
    show_default=True,
    help="Generated cases per operation.",
)
@click.option(
    "--spec",
    "spec",
    default=None,
    type=click.Path(dir_okay=False),
    help="OpenAPI spec (default: the bundled OpenClaw v2 spec).",
)
@click.option(
    "--rate-limit", type=float, default=None, help="Per-shop requests/s the target must enforce (10)."
)
@click.option("--max-rps", type=float, default=None, help="The harness's own pace per shop.")
@click.option("--seed", type=int, default=None, help="Hypothesis seed, to repeat a run exactly.")
@click.option(
    "--json", "json_path", default=None, type=click.Path(dir_okay=False), help="Write the results document."
)
@click.option("--junit", "junit_path", default=None, type=click.Path(dir_okay=False), help="Write JUnit XML.")
@click.option(
    "--operation",
    "operations",
    multiple=True,
    metavar="REGEX",
    help="Only operations whose 'METHOD /path' matches (repeatable).",
)
@click.option("--no-shrink", is_flag=True, help="Report failing cases as found, without minimising them.")
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="NAME",
    help="Embedded sandbox only: start it with this fault switch (demos).",
)
def contract(
    target: str | None,
    client_id: str | None,
    client_secret: str | None,
    shop_id: str | None,
    examples: int,
    spec: str | None,
    rate_limit: float | None,
    max_rps: float | None,
    seed: int | None,
    json_path: str | None,
    junit_path: str | None,
    operations: tuple[str, ...],
    no_shrink: bool,
    faults: tuple[str, ...],
) -> int:
    """Run the spec-driven contract suite (stateless, stateful and scenario checks) against a target."""
    from clawcheck.contract import suite
    from clawcheck.contract.client import TargetClient
    from clawcheck.contract.preflight import preflight
    from clawcheck.contract.selection import operation_regex
    from clawcheck.contract.settings import resolve_settings
    from clawcheck.contract.specindex import SpecIndex
    from clawcheck.reporting import render
    from clawcheck.sandbox import SandboxConfig
    from clawcheck.spec.loader import bundled_spec_path, load_spec

    if faults and target:
        raise ConfigError("--fault applies to the embedded sandbox only; drop --target or --fault")
    # Everything that can be wrong with the input is found here, before a sandbox starts.
    loaded = load_spec(spec or bundled_spec_path())
    if operations:
        operation_regex(operations, SpecIndex.build(loaded).operations)
    if faults:
        SandboxConfig(faults=frozenset(faults))  # raises ConfigError naming the known faults
    settings = resolve_settings(
        target=target,
        client_id=client_id,
        client_secret=client_secret,
        shop_id=shop_id,
        rate_limit=rate_limit,
        max_rps=max_rps,
        embedded_url="http://127.0.0.1:0",
    )
    if target:
        client = TargetClient(settings)
        try:
            preflight(client)  # unreachable, not OpenClaw, wrong credentials: exit 2 within seconds
        finally:
            client.close()
    with tempfile.TemporaryDirectory(prefix="clawcheck-") as tmp:
        # Hypothesis keeps a cache directory; a CLI run must not leave one in the user's directory.
        os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tmp) / "hypothesis"))
        results = Path(tmp) / "results.json"
        ini = Path(tmp) / "pytest.ini"
        # Our own ini, so a user's pytest configuration (addopts, plugins) cannot change the run.
        ini.write_text("[pytest]\n", encoding="utf-8")
        args = [
            str(Path(suite.__file__)),
            "-c",
            str(ini),
            "--rootdir",
            tmp,
            "-p",
            "no:cacheprovider",
            "-p",
            "no:terminal",
            "-p",
            "no:benchmark",
            "--examples",
            str(examples),
            "--clawcheck-json",
            str(results),
        ]
        env_options = {
            "--target": target,
            "--client-id": client_id,
            "--client-secret": client_secret,
            "--shop-id": shop_id,
            "--openclaw-spec": spec,
            "--rate-limit": rate_limit,
            "--max-rps": max_rps,
            "--clawcheck-junit": junit_path,
        }
        for option, value in env_options.items():
            if value is not None:
                args += [option, str(value)]
        for name in faults:
            args += ["--sandbox-fault", name]
        for pattern in operations:
            args += ["--operation", pattern]
        if no_shrink:
            args.append("--no-shrink")
        if seed is not None:
            args += ["--hypothesis-seed", str(seed)]
        progress = _Progress(lambda line: click.echo(line, err=True))
        click.echo(
            f"clawcheck contract: {target or 'embedded sandbox'}, {examples} examples per operation", err=True
        )
        previous = signal.signal(signal.SIGTERM, _terminate_as_interrupt)
        previous_int = signal.signal(signal.SIGINT, _terminate_as_interrupt)
        try:
            code = pytest.main(args, plugins=[progress])
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)
        if not results.exists():
            raise ConfigError(
                f"the contract run stopped before any result (pytest exit {int(code)}); rerun with "
                "`pytest contracts` to see why"
            )
        result = SuiteResult.read_json(results)
    click.echo(render("console", result))
    if json_path:
        result.write_json(Path(json_path))
    if code == pytest.ExitCode.INTERRUPTED or not result.complete:
        return EXIT_INTERRUPTED
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
        return EXIT_USAGE
    return EXIT_OK if result.passed and code == pytest.ExitCode.OK else EXIT_FAILED


__all__ = ["contract"]
