"""The clawcheck pytest plugin (entry point `pytest11`): options, fixtures, hypothesis profiles.

`pytest contracts --target URL` runs the OpenClaw contract suite against URL; without
`--target` an embedded sandbox is started on a free loopback port for the session.
`clawcheck_mock` / `clawcheck_mock_server` start mock platforms (in-process / over HTTP) per test.
Nothing happens at import: the sandbox, the client and the schema are session fixtures,
created only when a test asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from clawcheck.errors import ClawcheckError

if TYPE_CHECKING:
    from clawcheck.contract.run import ContractRun
    from clawcheck.contract.settings import TargetSettings
    from clawcheck.platforms.engine import Mock
    from clawcheck.platforms.server import MockServer

__all__ = ["RUN_KEY"]

RUN_KEY = pytest.StashKey["ContractRun"]()
# The embedded sandbox's token lifetime during a contract session: short, so that
# auth.expired_token is observed within seconds rather than skipped.
EMBEDDED_TOKEN_TTL = 2.0
DEFAULT_EXAMPLES = 25


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("clawcheck", "OpenClaw contract tests (clawcheck)")
    group.addoption(
        "--target",
        default=None,
        metavar="URL",
        help="base URL of the OpenClaw API under test (default: an embedded sandbox)",
    )
    group.addoption("--client-id", default=None, help="OAuth2 client id (env OPENCLAW_CLIENT_ID)")
    group.addoption("--client-secret", default=None, help="OAuth2 client secret (env OPENCLAW_CLIENT_SECRET)")
    group.addoption(
        "--shop-id", default=None, help="shop id, or several separated by commas (env OPENCLAW_SHOP_ID)"
    )
    group.addoption(
        "--expired-token",
        default=None,
        help="a token known to have expired, for auth.expired_token (env OPENCLAW_EXPIRED_TOKEN)",
    )
    group.addoption(
        "--rate-limit",
        type=float,
        default=None,
        help="requests per second per shop the target must enforce (default 10)",
    )
    group.addoption(
        "--max-rps",
        type=float,
        default=None,
        help="the harness's own pace per shop (default: 80%% of --rate-limit)",
    )
    group.addoption(
        "--examples",
        type=int,
        default=None,
        help=f"generated cases per operation (default: the hypothesis profile's, else {DEFAULT_EXAMPLES})",
    )
    group.addoption(
        "--operation",
        action="append",
        default=[],
        metavar="REGEX",
        help="only operations whose 'METHOD /path' matches (repeatable), e.g. 'orders/create'",
    )
    group.addoption(
        "--no-shrink",
        action="store_true",
        default=False,
        help="report failing cases as found, without minimising them (faster feedback)",
    )
    group.addoption(
        "--probe-budget",
        type=int,
        default=10,
        help="extra probe requests per check and operation (replays, missing token)",
    )
    group.addoption(
        "--openclaw-spec",
        default=None,
        metavar="PATH",
        help="OpenAPI spec to test against (default: the bundled OpenClaw v2 spec)",
    )
    group.addoption(
        "--sandbox-fault",
        action="append",
        default=[],
        metavar="NAME",
        help="start the embedded sandbox with this fault switch (self-tests, demos)",
    )
    group.addoption("--clawcheck-json", default=None, metavar="PATH", help="write the results document here")
    group.addoption(
        "--clawcheck-junit",
        default=None,
        metavar="PATH",
        help="write JUnit XML built from the results document here",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Before hypothesis's own plugin loads `--hypothesis-profile`, so these names exist.
    from clawcheck.contract.profiles import register_profiles

    register_profiles()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    excinfo = call.excinfo
    from clawcheck.contract.interrupt import REQUESTED

    if REQUESTED.is_set() or (excinfo is not None and excinfo.errisinstance(KeyboardInterrupt)):
        # schemathesis's per-operation subtests swallow every exception, Ctrl-C included:
        # stop here ourselves, and the results are marked incomplete.
        item.config.stash[_INTERRUPTED] = True
        item.session.shouldstop = "interrupted"
        run = item.config.stash.get(RUN_KEY, None)
        if run is not None:
            run.interrupted = True
        return report
    # A test that broke for another reason than a contract failure (a harness error, a target that
    # went away mid-run) must show in the results document: it can never count as a pass.
    if excinfo is not None and not report.skipped and not _is_contract_failure(excinfo.value):
        item.config.stash.setdefault(_ERRORS, []).append(
            f"{item.nodeid} ({call.when}): {_describe_error(excinfo.value)}"
        )
    return report


def _describe_error(error: BaseException) -> str:
    """`Type: first line`; for a group (Hypothesis's distinct failures), its distinct causes too."""
    first = (str(error).strip().splitlines() or [""])[0]
    text = f"{type(error).__name__}: {first}"
    if isinstance(error, BaseExceptionGroup):
        causes: list[str] = []
        for inner in _leaves(error):
            cause = f"{type(inner).__name__}: {(str(inner).strip().splitlines() or [''])[0]}"
            if cause not in causes:
                causes.append(cause)
        text += " [" + "; ".join(causes[:3]) + "]"
    return text


def _leaves(group: BaseExceptionGroup[BaseException]) -> list[BaseException]:
    found: list[BaseException] = []
    for inner in group.exceptions:
        found += _leaves(inner) if isinstance(inner, BaseExceptionGroup) else [inner]
    return found


def _is_contract_failure(exc: BaseException) -> bool:
    if isinstance(exc, BaseExceptionGroup):
        return all(_is_contract_failure(inner) for inner in exc.exceptions)
    return isinstance(exc, AssertionError)


_ERRORS = pytest.StashKey[list[str]]()
_INTERRUPTED = pytest.StashKey[bool]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is None:
        return
    for error in session.config.stash.get(_ERRORS, []):
        run.recorder.failed("suite.error", None, run.client.redactor.text(error), {})
    interrupted = session.config.stash.get(_INTERRUPTED, False) or exitstatus in (
        pytest.ExitCode.INTERRUPTED,
        pytest.ExitCode.INTERNAL_ERROR,
    )
    shouldstop = bool(session.shouldstop) or bool(session.shouldfail)
    result = run.result(complete=not (interrupted or shouldstop))
    json_path = session.config.getoption("--clawcheck-json")
    junit_path = session.config.getoption("--clawcheck-junit")
    if json_path:
        result.write_json(Path(json_path))
    if junit_path:
        from clawcheck.reporting import render

        Path(junit_path).parent.mkdir(parents=True, exist_ok=True)
        Path(junit_path).write_text(render("junit", result), encoding="utf-8")


@pytest.fixture(scope="session")
def clawcheck_target(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The --target URL, or None after starting an embedded sandbox for the session."""
    target = request.config.getoption("--target")
    if target:
        yield target
        return
    from clawcheck.sandbox import Sandbox, SandboxConfig

    faults = frozenset(request.config.getoption("--sandbox-fault"))
    try:
        sandbox = Sandbox(SandboxConfig(token_ttl=EMBEDDED_TOKEN_TTL, faults=faults))
    except ClawcheckError as exc:
        pytest.exit(f"clawcheck: error: {exc}", returncode=2)
    with sandbox:
        request.config.stash[_SANDBOX_URL] = sandbox.base_url
        yield None


_SANDBOX_URL = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def clawcheck_settings(request: pytest.FixtureRequest, clawcheck_target: str | None) -> TargetSettings:
    from clawcheck.contract.settings import resolve_settings

    opt = request.config.getoption
    try:
        return resolve_settings(
            target=clawcheck_target,
            client_id=opt("--client-id"),
            client_secret=opt("--client-secret"),
            shop_id=opt("--shop-id"),
            rate_limit=opt("--rate-limit"),
            max_rps=opt("--max-rps"),
            expired_token=opt("--expired-token"),
            embedded_url=request.config.stash.get(_SANDBOX_URL, None),
            env=os.environ,
        )
    except ClawcheckError as exc:
        pytest.exit(f"clawcheck: error: {exc}", returncode=2)


@pytest.fixture(scope="session")
def clawcheck_run(
    request: pytest.FixtureRequest, clawcheck_settings: TargetSettings
) -> Iterator[ContractRun]:
    """The session's contract run: preflighted target, spec index, recorder."""
    from clawcheck.contract.client import TargetClient
    from clawcheck.contract.preflight import preflight
    from clawcheck.contract.run import ContractRun
    from clawcheck.contract.specindex import SpecIndex
    from clawcheck.spec.loader import bundled_spec_path, load_spec

    client = TargetClient(clawcheck_settings)
    try:
        preflight(client)
        spec = load_spec(request.config.getoption("--openclaw-spec") or bundled_spec_path())
    except ClawcheckError as exc:
        client.close()
        pytest.exit(f"clawcheck: error: {exc}", returncode=2)
    run = ContractRun(client, SpecIndex.build(spec), probe_budget=request.config.getoption("--probe-budget"))
    run.extra_metrics.update(examples_per_operation=_examples(request.config), spec=str(spec.path))
    request.config.stash[RUN_KEY] = run
    yield run
    run.close()


@pytest.fixture(scope="session")
def clawcheck_schema(request: pytest.FixtureRequest, clawcheck_run: ContractRun) -> Any:
    """The spec as a schemathesis schema aimed at the target, reporting its checks to the run."""
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig.from_dict(
        {
            "base-url": clawcheck_run.client.settings.base_url,
            "generation": {
                "max-examples": _examples(request.config),
                "mode": "all",
                "no-shrink": bool(request.config.getoption("--no-shrink")),
            },
            "operations": [
                *_operation_overrides(clawcheck_run),
                *_operation_filter(request.config.getoption("--operation"), clawcheck_run),
            ],
        }
    )
    schema = schemathesis.openapi.from_path(str(clawcheck_run.index.spec.path), config=config)

    def after_validate(context: Any, case: Any, response: Any, results: Any) -> None:
        clawcheck_run.after_validate(case, response, results)

    schema.hook("after_validate")(after_validate)
    return schema


def _operation_overrides(run: ContractRun) -> list[dict[str, Any]]:
    """Per-operation schemathesis settings the spec asks for through `x-semantic-rejections`."""
    from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

    overrides = []
    for info in run.index.operations.values():
        if info.semantic_rejections:
            statuses = [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, *info.semantic_rejections]
            overrides.append(
                {
                    "include-operation-id": info.operation_id,
                    "checks": {"positive_data_acceptance": {"expected-statuses": statuses}},
                }
            )
    return overrides


def _operation_filter(patterns: list[str], run: ContractRun) -> list[dict[str, Any]]:
    """A config block disabling every operation no --operation pattern matches."""
    from clawcheck.contract.selection import operation_regex

    if not patterns:
        return []
    try:
        regex = operation_regex(patterns, run.index.operations)
    except ClawcheckError as exc:
        pytest.exit(f"clawcheck: error: {exc}", returncode=2)
    # The lazy pytest loader rebuilds filters from the config, so the selection must live there.
    return [{"exclude-name-regex": regex, "enabled": False}]


def _examples(config: pytest.Config) -> int:
    explicit = config.getoption("--examples")
    if explicit is not None:
        if explicit < 1:
            pytest.exit("clawcheck: error: --examples must be at least 1", returncode=2)
        return int(explicit)
    from hypothesis import settings

    # A profile chosen with --hypothesis-profile decides; otherwise a fast default.
    if config.getoption("--hypothesis-profile", None):
        current = settings.default
        return int(current.max_examples) if current is not None else DEFAULT_EXAMPLES
    return DEFAULT_EXAMPLES


@pytest.fixture
def clawcheck_mock() -> Iterator[Callable[..., Mock]]:
    """Start a mock platform in-process for this test: httpx and requests calls to the
    platform's real hosts are answered by the mock; everything else goes through.

        def test_sync(clawcheck_mock):
            mock = clawcheck_mock("shopee", scenarios=["token-expiry"])
            my_adapter.sync(credentials=mock.credentials)
            assert clawcheck.platforms.behaviour.evaluate(mock).passed
    """
    from clawcheck.platforms.testing import in_process

    with ExitStack() as stack:

        def start(
            name: str,
            *,
            environment: str = "sandbox",
            scenarios: Iterable[str] = (),
            webhook_url: str | None = None,
        ) -> Mock:
            return stack.enter_context(
                in_process(name, environment=environment, scenarios=scenarios, webhook_url=webhook_url)
            )

        yield start


@pytest.fixture
def clawcheck_mock_server() -> Iterator[Callable[..., MockServer]]:
    """Serve a mock platform over real HTTP on loopback for this test (any client, any language);
    `server.env()` is what an adapter needs."""
    from clawcheck.platforms import build_mock
    from clawcheck.platforms.server import MockServer as Server

    with ExitStack() as stack:

        def start(
            name: str,
            *,
            environment: str = "sandbox",
            scenarios: Iterable[str] = (),
            webhook_url: str | None = None,
        ) -> MockServer:
            mock = build_mock(name, environment=environment, scenarios=scenarios, webhook_url=webhook_url)
            return stack.enter_context(Server(mock))

        yield start
