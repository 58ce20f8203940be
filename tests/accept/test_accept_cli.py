"""`clawcheck accept` from the outside: bad input, one real run, tampering, interruption."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clawcheck.accept.run import _run_stages
from clawcheck.accept.stages import Stage, StageContext
from clawcheck.cli import main
from clawcheck.core.results import CheckRecord, Status, SuiteResult, utc_now
from clawcheck.spec.loader import bundled_spec_path

REPO = Path(__file__).resolve().parents[2]
CLIENT_SECRET = "cs-Accept-Known-Client-Secret-7f3a9b2c"
WEBHOOK_SECRET = "whsec_Accept_Known_Webhook_Secret_51d0e8"
SECRET_VAR = "CLAWCHECK_ACCEPT_TEST_CLIENT_SECRET"
WEBHOOK_VAR = "CLAWCHECK_ACCEPT_TEST_WEBHOOK_SECRET"
BEARER_VALUE = re.compile(rb"Bearer\s+(?!\$OPENCLAW_TOKEN|\*\*\*)[A-Za-z0-9_.~+/-]{8,}")
REPORT_FILES = ("checklist.json", "report.html", "report.md", "junit.xml", "report.pdf", "MANIFEST.json")


def clean_env(cwd: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENCLAW_", "CLAWCHECK_ACCEPT_TEST"))}
    env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(cwd / "hypothesis")
    env["PYTHONUNBUFFERED"] = "1"
    return {**env, **extra}


# --- bad input, in process -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _keep_sigterm_handler() -> Iterator[None]:
    """`accept` installs a SIGTERM handler; in process it must not outlive the test."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


def accept(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["accept", "--quick", *args])
    captured = capsys.readouterr()
    code = exited.value.code
    assert isinstance(code, int)
    return code, captured.out, captured.err


def assert_stopped_before_traffic(tmp_path: Path, code: int, out: str, err: str, *fragments: str) -> str:
    """Exit 2, one line on stderr naming `fragments`, no traceback, and nothing measured."""
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("clawcheck: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert not list(tmp_path.glob("**/suites/load.json"))
    assert not list(tmp_path.glob("**/suites/*.json"))
    reports = tmp_path / "reports"
    assert not reports.exists() or not any(reports.iterdir())
    return lines[0]


def write_config(tmp_path: Path, text: str) -> None:
    (tmp_path / "clawcheck.toml").write_text(text, encoding="utf-8")


TARGET_ENV = """
[environments.staging]
kind = "sandbox"
target = "{target}"
client_id = "clawcheck-demo"
client_secret = {{ env = "{variable}" }}
shop_id = "shop_t0"
"""


def test_unknown_key_is_named_with_its_dotted_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_config(
        tmp_path, '[environments.staging]\nkind = "sandbox"\n\n[environments.staging.webhooks]\nscret = 1\n'
    )
    line = assert_stopped_before_traffic(tmp_path, *accept(capsys), "environments.staging.webhooks.scret")
    assert "environments.staging.webhooks.secret" in line  # the suggestion


def test_unset_secret_variable_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOME_UNSET_VAR", raising=False)
    write_config(tmp_path, TARGET_ENV.format(target="http://127.0.0.1:9", variable="SOME_UNSET_VAR"))
    assert_stopped_before_traffic(
        tmp_path, *accept(capsys), "environments.staging.client_secret", "SOME_UNSET_VAR"
    )


def test_literal_secret_in_the_file_is_refused_without_repeating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = TARGET_ENV.format(target="http://127.0.0.1:9", variable="X").replace(
        '{ env = "X" }', f'"{CLIENT_SECRET}"'
    )
    write_config(tmp_path, text)
    code, out, err = accept(capsys)
    assert_stopped_before_traffic(tmp_path, code, out, err, "environments.staging.client_secret")
    assert CLIENT_SECRET not in out + err


def test_unreachable_target_stops_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(SECRET_VAR, CLIENT_SECRET)
    write_config(tmp_path, TARGET_ENV.format(target="http://127.0.0.1:9", variable=SECRET_VAR))
    code, out, err = accept(capsys)
    assert_stopped_before_traffic(tmp_path, code, out, err, "http://127.0.0.1:9", "connection refused")
    assert CLIENT_SECRET not in out + err


def test_unknown_lang_is_exit_2_before_any_traffic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = accept(capsys, "--lang", "fr")
    assert code == 2
    assert "Traceback" not in out + err
    assert "--lang" in err
    assert "'fr'" in err
    assert not (tmp_path / "reports").exists()


def test_unknown_lang_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert_stopped_before_traffic(tmp_path, *accept(capsys, "--lang", "fr"), "--lang", "fr")


def test_sla_override_above_the_protocol_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_config(
        tmp_path,
        '[environments.staging]\nkind = "sandbox"\n\n[environments.staging.sla]\n'
        '"POST /v2/orders/create" = { p95_ms = 900 }\n',
    )
    assert_stopped_before_traffic(
        tmp_path, *accept(capsys), 'environments.staging.sla."POST /v2/orders/create".p95_ms', "900"
    )


def test_sla_override_looser_than_the_specs_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Within the protocol's 800 ms, but looser than the operation's x-sla: refused too."""
    monkeypatch.chdir(tmp_path)
    text = bundled_spec_path().read_text(encoding="utf-8")
    start = text.index("operationId: createOrder")
    default = "x-sla: {p95_ms: 800, success_rate: 0.995}"
    at = text.index(default, start)
    spec = text[:at] + "x-sla: {p95_ms: 300, success_rate: 0.995}" + text[at + len(default) :]
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    write_config(
        tmp_path,
        'spec = "spec.yaml"\n\n[environments.staging]\nkind = "sandbox"\n\n[environments.staging.sla]\n'
        '"POST /v2/orders/create" = { p95_ms = 500 }\n',
    )
    assert_stopped_before_traffic(tmp_path, *accept(capsys), "POST /v2/orders/create", "300")


def test_waiver_for_an_unknown_operation_stops_before_traffic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_config(
        tmp_path,
        '[environments.staging]\nkind = "sandbox"\n\n[[environments.staging.waivers]]\n'
        'item = "op.noSuchOperation.p95"\nreason = "agreed on 2026-11-20 for the test"\n'
        'signer = "李四 (OpenClaw)"\nrole = "platform"\n',
    )
    # --stage preflight keeps the buggy path short: it only starts an embedded sandbox.
    assert_stopped_before_traffic(tmp_path, *accept(capsys, "--stage", "preflight"), "op.noSuchOperation.p95")


# --- one real run against an external sandbox, configured by clawcheck.toml -------------------


@dataclass
class Run:
    cwd: Path
    out_dir: Path
    code: int
    stdout: str
    stderr: str
    tokens: frozenset[str]
    target: str


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    from clawcheck.accept.reference import reference_receiver
    from clawcheck.sandbox import Sandbox, SandboxConfig
    from clawcheck.serving import ASGIServer

    cwd = tmp_path_factory.mktemp("accept")
    # rate_limit high: the one configured shop is not throttled during load.
    config = SandboxConfig(client_secret=CLIENT_SECRET, token_ttl=2, rate_limit=1000)
    with Sandbox(config) as sandbox, ASGIServer(reference_receiver(WEBHOOK_SECRET)) as receiver:
        write_config(
            cwd,
            TARGET_ENV.format(target=sandbox.base_url, variable=SECRET_VAR)
            + "\n[environments.staging.webhooks]\n"
            + f'url = "{receiver.base_url}/webhooks/openclaw"\n'
            + f'secret = {{ env = "{WEBHOOK_VAR}" }}\n'
            + f'probe = "{receiver.base_url}/probe/{{event_id}}"\n',
        )
        proc = subprocess.run(
            [sys.executable, "-m", "clawcheck", "accept", "--quick", "--out", str(cwd / "reports")],
            cwd=cwd, env=clean_env(cwd, **{SECRET_VAR: CLIENT_SECRET, WEBHOOK_VAR: WEBHOOK_SECRET}),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        # Every access and refresh token the sandbox issued during the run (kept, expired too).
        auth = sandbox.runtime.auth
        tokens = frozenset(auth._access) | frozenset(auth._refresh)
        target = sandbox.base_url
    runs = [p.parent for p in (cwd / "reports").glob("*/checklist.json")]
    assert len(runs) == 1, (proc.returncode, proc.stderr[-3000:])
    return Run(cwd, runs[0], proc.returncode, proc.stdout, proc.stderr, tokens, target)


def test_real_run_gives_a_verdict_and_every_report(real_run: Run) -> None:
    assert real_run.code in (0, 1), real_run.stderr[-3000:]
    assert "Traceback" not in real_run.stderr + real_run.stdout
    for name in REPORT_FILES:
        assert (real_run.out_dir / name).is_file(), name
    assert sorted(p.name for p in (real_run.out_dir / "signatures").iterdir()) == [
        "platform.json",
        "seller.json",
    ]
    stages = ("preflight", "lint", "contract", "webhooks", "platforms", "load")
    assert sorted(p.stem for p in (real_run.out_dir / "suites").glob("*.json")) == sorted(stages)

    checklist = json.loads((real_run.out_dir / "checklist.json").read_text(encoding="utf-8"))
    assert checklist["complete"] is True
    assert checklist["verdict"] == ("accepted" if real_run.code == 0 else "rejected")
    assert checklist["environment"] == "staging"
    assert checklist["target"] == real_run.target
    assert checklist["demo_key"] is True
    assert sorted(checklist["suites"]) == sorted(stages)
    # The run went against the configured sandbox and receiver, not embedded ones.
    assert checklist["suites"]["contract"]["target"].startswith(real_run.target)
    ids = [item["id"] for item in checklist["items"]]
    assert len(ids) == len(set(ids))
    assert {"op.createOrder.contract", "op.createOrder.p95", "preflight.health"} <= set(ids)
    assert checklist["provenance"]["config"]["source"] == str(real_run.cwd / "clawcheck.toml")


def test_real_run_verifies(real_run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["verify", str(real_run.out_dir)])
    out = capsys.readouterr().out
    assert exited.value.code == 0, out
    assert "demo" in out.lower()


def _pdf_streams(data: bytes) -> bytes:
    """The PDF's Flate streams, inflated where they inflate: where the page text lives."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def test_no_secret_or_token_in_any_file_or_output(real_run: Run) -> None:
    assert len(real_run.tokens) > 0  # the run did authenticate against the sandbox
    known = [CLIENT_SECRET.encode(), WEBHOOK_SECRET.encode()]
    window = len(next(iter(real_run.tokens)))
    assert all(len(t) == window for t in real_run.tokens)
    token_bytes = {t.encode() for t in real_run.tokens}

    def leaks(name: str, data: bytes) -> list[str]:
        found = [f"{name}: known secret {s[:6].decode()}…" for s in known if s in data]
        found += [f"{name}: {m.group()[:20].decode()}…" for m in BEARER_VALUE.finditer(data)]
        for run in re.finditer(rb"[A-Za-z0-9_-]{%d,}" % window, data):
            chunk = run.group()
            if any(chunk[i : i + window] in token_bytes for i in range(len(chunk) - window + 1)):
                found.append(f"{name}: an issued token")
        return found

    problems: list[str] = []
    files = sorted(p for p in real_run.out_dir.rglob("*") if p.is_file())
    assert len(files) == len(REPORT_FILES) + 2 + 6  # + signatures/*.json + suites/*.json
    for path in files:
        data = path.read_bytes()
        name = str(path.relative_to(real_run.out_dir))
        problems += leaks(name, data)
        if path.suffix == ".pdf":
            problems += leaks(f"{name} (inflated)", _pdf_streams(data))
    problems += leaks("stdout", real_run.stdout.encode())
    problems += leaks("stderr", real_run.stderr.encode())
    assert not problems
    # The text formats, explicitly: they are what people paste into tickets.
    for name in ("checklist.json", "report.html", "report.md", "junit.xml"):
        text = (real_run.out_dir / name).read_text(encoding="utf-8")
        assert CLIENT_SECRET not in text
        assert WEBHOOK_SECRET not in text


def test_tampered_report_fails_verify_naming_the_file(
    real_run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / real_run.out_dir.name
    shutil.copytree(real_run.out_dir, copy)
    html = copy / "report.html"
    data = bytearray(html.read_bytes())
    data[len(data) // 2] ^= 0x01
    html.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as exited:
        main(["verify", str(copy)])
    out = capsys.readouterr().out
    assert exited.value.code == 1
    problems = [
        line for line in out.splitlines() if not line.startswith(("seller:", "platform:", "verdict:"))
    ]
    assert problems, out
    assert all("report.html" in line for line in problems), out


def test_documented_waiver_item_ids_exist(real_run: Run) -> None:
    checklist = json.loads((real_run.out_dir / "checklist.json").read_text(encoding="utf-8"))
    ids = {item["id"] for item in checklist["items"]}
    docs = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    row = next(line for line in docs.splitlines() if line.startswith("| `item` |"))
    documented = re.findall(r"`((?:op|webhooks|preflight|lint|contract|platforms|load)\.[\w.]+)`", row)
    assert documented
    assert set(documented) <= ids


# --- interruption -------------------------------------------------------------------------------


def test_ctrl_c_writes_an_incomplete_run(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with (tmp_path / "stdout.txt").open("w", encoding="utf-8") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "clawcheck", "accept", "--quick", "--out", str(out)],
            cwd=tmp_path, env=clean_env(tmp_path), stdout=stdout, stderr=subprocess.PIPE, text=True,
            start_new_session=True,  # its own process group: Ctrl-C reaches the stages' processes too
        )  # fmt: skip
        lines: list[str] = []
        contract_running = threading.Event()

        def read() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                lines.append(line)
                if line.startswith("[2/6]"):  # lint reported: contract runs (it is the longest stage)
                    contract_running.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            # Only once the stages run: a Ctrl-C during start-up has nothing to write yet.
            assert contract_running.wait(90), "".join(lines)[-3000:]
            os.killpg(proc.pid, signal.SIGINT)
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        reader.join(10)
        assert proc.stderr is not None
        proc.stderr.close()
    stderr = "".join(lines)
    assert code == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    runs = [p.parent for p in out.glob("*/checklist.json")]
    assert len(runs) == 1, stderr[-3000:]
    checklist = json.loads((runs[0] / "checklist.json").read_text(encoding="utf-8"))
    assert checklist["complete"] is False
    assert checklist["verdict"] == "incomplete"
    assert "load" not in checklist["suites"]
    assert not (runs[0] / "suites" / "load.json").exists()  # no load after the interruption
    for name in ("report.html", "report.md", "junit.xml", "report.pdf"):
        assert (runs[0] / name).is_file()


def test_interrupt_keeps_the_stages_that_finished(tmp_path: Path) -> None:
    """SIGINT/SIGTERM to the accept process alone (CI runners, `kill`): what was measured is kept."""
    main_thread = threading.main_thread().ident
    assert main_thread is not None

    def document(name: str) -> SuiteResult:
        record = CheckRecord(f"{name}.ok", "ok", Status.PASS)
        return SuiteResult(name, "embedded sandbox", utc_now(), utc_now(), (record,))

    def interrupted_here(ctx: StageContext) -> SuiteResult:
        signal.pthread_kill(main_thread, signal.SIGINT)
        time.sleep(0.1)
        return document("preflight")

    def finishes_later(ctx: StageContext) -> SuiteResult:
        time.sleep(0.3)
        return document("lint")

    stages = [
        Stage("preflight", "预检", "Preflight", interrupted_here),
        Stage("lint", "l", "Lint", finishes_later),
    ]
    ctx = StageContext(
        out=tmp_path,
        quick=True,
        target=None,
        environment_kind="sandbox",
        env={},
        spec=bundled_spec_path(),
        seed=1,
    )
    suites: dict[str, SuiteResult] = {}
    try:
        complete = _run_stages(stages, ctx, suites, "en", lambda line: None)
    except KeyboardInterrupt:
        complete = False
    assert not complete
    # Both stages ran to the end (the pool waited for them): both are evidence.
    assert sorted(suites) == ["lint", "preflight"]
