"""A contract run: schemathesis generates the cases, this sends them politely and checks them.

For each case: send it (fresh Idempotency-Key, token, a shop from the pool, paced); judge
every response with the response checks; let the probe checks replay or strip auth within
a budget; then schemathesis's own checks. Outcomes go to the Recorder; a failure raises
`ContractFailure` (an AssertionError) so Hypothesis shrinks it and pytest shows it.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

import requests
from schemathesis.core.failures import FailureGroup

from clawcheck.contract.checks import (
    CHECKS,
    Check,
    CheckFailed,
    CheckInput,
    CheckKind,
    NotVerifiable,
    OperationInfo,
    ScenarioInput,
    load_all,
)
from clawcheck.contract.client import Pacer, TargetClient, retry_after_seconds
from clawcheck.contract.exchange import Exchange, SentRequest
from clawcheck.contract.links import build_read
from clawcheck.contract.mutate import mutate
from clawcheck.contract.recorder import CheckMeta, Recorder, exchange_evidence
from clawcheck.contract.specindex import SpecIndex
from clawcheck.core.results import SuiteResult, utc_now
from clawcheck.errors import ContractFailure, TargetUnreachable

__all__ = ["ST_PREFIX", "ContractRun", "Finding"]

ST_PREFIX = "schemathesis."
# Schemathesis's `ignored_auth` is replaced by auth.missing / auth.invalid_token, which also check the codes.
EXCLUDED_ST_CHECKS = frozenset({"ignored_auth"})
_SKIPPED_REQUEST_HEADERS = frozenset({"content-length", "host", "connection", "accept-encoding"})
_MAX_ATTEMPTS = 4
SHOP_PATTERN = re.compile(r"^shop_[A-Za-z0-9_-]{1,60}$")
KEY_PATTERN = re.compile(r"^[\x21-\x7E]{1,255}$")

Finding = tuple[str, str, str]  # (check id, message, curl)


class ContractRun:
    """One run against one target; shared by every test of a pytest session."""

    def __init__(self, client: TargetClient, index: SpecIndex, *, probe_budget: int = 10) -> None:
        load_all()
        self.client = client
        self.index = index
        self.probe_budget = probe_budget
        self.recorder = Recorder(client.redactor)
        self.started_at = utc_now()
        self.started = time.perf_counter()
        self.session = PacedSession(client.pacer)
        self.response_checks = [c for c in CHECKS if c.kind is CheckKind.RESPONSE]
        self.probe_checks = [c for c in CHECKS if c.kind is CheckKind.PROBE]
        self.st_checks: dict[str, str] = {}
        self.extra_metrics: dict[str, Any] = {}
        self.interrupted = False

    def close(self) -> None:
        self.session.close()
        self.client.close()

    # -- sending a generated case --------------------------------------------------------------------------

    def call(self, case: Any, shop: str | None = None) -> tuple[Any, list[Exchange]]:
        """Send `case` like a good client would; returns schemathesis's response and every attempt."""
        if self.interrupted:
            raise KeyboardInterrupt  # the user stopped the run; do not send another case
        info = self.index.info(case.operation.label)
        shop = shop or self.client.next_shop()
        headers = self._headers(case, info, shop)
        attempts: list[Exchange] = []
        response: Any = None
        for _ in range(_MAX_ATTEMPTS):
            try:
                response = case.call(
                    base_url=self.client.settings.base_url,
                    session=self.session,
                    headers=headers,
                    timeout=self.client.settings.timeout,
                )
            except requests.RequestException as exc:
                raise TargetUnreachable(f"{info.label} could not be sent: {type(exc).__name__}") from exc
            exchange = to_exchange(info.label, response)
            attempts.append(exchange)
            self.recorder.saw(exchange, case=True)
            if exchange.status == 429:
                time.sleep(retry_after_seconds(exchange))
                continue
            if (
                exchange.status == 401
                and exchange.error_code() == "AUTH_TOKEN_EXPIRED"
                and "Authorization" in headers
            ):
                self.client.invalidate(headers["Authorization"].partition(" ")[2])
                headers["Authorization"] = f"Bearer {self.client.token()}"
                continue
            break
        return response, attempts

    def _headers(self, case: Any, info: OperationInfo, shop: str) -> dict[str, str]:
        """Auth, shop and a fresh Idempotency-Key, as a real client sends them.

        A generated header value that is valid is replaced by ours (valid for valid keeps a
        negative case negative: its invalid part is elsewhere); an invalid one is kept so the
        target sees it. Hypothesis's favourite `shop_0` would otherwise hit one shop's limit.
        """
        headers: dict[str, str] = {}
        if info.requires_auth:
            headers["Authorization"] = f"Bearer {self.client.token()}"
        generated = {k.lower(): v for k, v in (getattr(case, "headers", None) or {}).items()}
        if info.requires_auth and _valid_or_absent(generated.get("x-openclaw-shop-id"), SHOP_PATTERN):
            headers["X-OpenClaw-Shop-Id"] = shop
        if info.state_changing and _valid_or_absent(generated.get("idempotency-key"), KEY_PATTERN):
            headers["Idempotency-Key"] = str(uuid.uuid4())
        return headers

    def verify(self, case: Any, response: Any, attempts: Sequence[Exchange]) -> None:
        """Run every check on what `call` returned; raise ContractFailure if any failed."""
        info = self.index.info(case.operation.label)
        findings: list[Finding] = []
        for exchange in attempts:
            findings += self._response_checks(exchange, info)
        final = attempts[-1]
        # Probes re-send the request as this operation; a case that sent another method
        # (schemathesis's unsupported-method cases) is not this operation.
        probes = self.probe_checks if final.request.method == info.method else []
        for check in probes:
            if self.recorder.should_probe(check.id, info.label, self.probe_budget):
                findings += self._run(check, CheckInput(final, info, self), final)
        findings += self._schemathesis_checks(case, response, final, attempts)
        if findings:
            raise ContractFailure(self._format(findings), tuple(dict.fromkeys(f[0] for f in findings)))

    def _response_checks(self, exchange: Exchange, info: OperationInfo | None = None) -> list[Finding]:
        info = info or self._info_for(exchange)
        findings: list[Finding] = []
        for check in self.response_checks:
            findings += self._run(check, CheckInput(exchange, info), exchange)
        return findings

    def _run(self, check: Check, ctx: CheckInput, exchange: Exchange) -> list[Finding]:
        try:
            applied = check.fn(ctx)
        except CheckFailed as failure:
            shown = failure.exchange or exchange
            evidence = exchange_evidence(shown, self.client.redactor, **failure.evidence)
            self.recorder.failed(check.id, exchange.operation, failure.message, evidence)
            return [(check.id, f"{exchange.operation}: {failure.message}", evidence["curl"])]
        if applied:
            self.recorder.passed(check.id, exchange.operation)
        return []

    def _schemathesis_checks(
        self, case: Any, response: Any, final: Exchange, attempts: Sequence[Exchange]
    ) -> list[Finding]:
        excluded = [c for c in _st_checks() if getattr(c, "__name__", "") in EXCLUDED_ST_CHECKS]
        try:
            case.validate_response(
                response,
                excluded_checks=excluded,
                headers=dict(final.request.headers),
                transport_kwargs={"base_url": self.client.settings.base_url, "session": self.session},
            )
        except FailureGroup as group:
            message = self.client.redactor.text(str(group.args[0]).strip().splitlines()[0])
            return [
                (f"{ST_PREFIX}{name}", f"{final.operation}: {message}", final.request.curl())
                for name in sorted({n for f in group.exceptions for n in _failure_checks(f)})
            ]
        return []

    def after_validate(self, case: Any, response: Any, results: Sequence[Any]) -> None:
        """Schemathesis hook: record each of its checks' outcomes beside ours."""
        label = case.operation.label
        exchange = to_exchange(label, response)
        for result in results:
            check_id = f"{ST_PREFIX}{result.name}"
            self.st_checks.setdefault(check_id, result.name.replace("_", " "))
            failure = result.failure
            if failure is None:
                self.recorder.passed(check_id, label)
            else:
                message = f"{failure.title}: {failure.message}".strip().rstrip(":")
                evidence = exchange_evidence(exchange, self.client.redactor, failure_code=failure.code)
                self.recorder.failed(
                    check_id, label, message.splitlines()[0] if message else check_id, evidence
                )

    # -- the Prober protocol, for probe checks -------------------------------------------------------------

    def resend(self, original: Exchange, request: SentRequest) -> Exchange:
        # The protocol decides auth before rate limiting: a request without our valid token uses
        # no quota, so only properly authenticated re-sends wait for their shop's turn.
        authenticated = request.header("Authorization") == f"Bearer {self.client.token()}"
        shop = request.header("X-OpenClaw-Shop-Id") if authenticated else None
        exchange = self.client.send_politely(original.operation, request, shop=shop, reauth=False)[-1]
        self._observe(exchange)
        return exchange

    def reads(self, exchange: Exchange) -> list[Exchange]:
        info = self.index.info(exchange.operation)
        shop = exchange.request.header("X-OpenClaw-Shop-Id") or self.client.next_shop()
        out = []
        for link in self.index.links.get(info.label, ()):
            request = build_read(
                link, exchange, info.path, self.client.settings.base_url, self.client.auth_headers(shop)
            )
            if request is not None:
                read = self.client.send_politely(link.target.label, request, shop=shop)[-1]
                self._observe(read)
                out.append(read)
        return out

    def mutated_body(self, exchange: Exchange) -> bytes | None:
        info = self.index.info(exchange.operation)
        changed = mutate(exchange.request.json(), info.body_schema)
        return None if changed is None else json.dumps(changed).encode()

    def fresh_token(self) -> str:
        return self.client.token()

    def _observe(self, exchange: Exchange) -> list[Finding]:
        self.recorder.saw(exchange)
        return self._response_checks(exchange)

    def _info_for(self, exchange: Exchange) -> OperationInfo:
        try:
            return self.index.info(exchange.operation)
        except KeyError:
            method, _, path = exchange.operation.partition(" ")
            return OperationInfo(exchange.operation, method, path, exchange.operation, True, False)

    # -- scenarios -----------------------------------------------------------------------------------------

    def scenario(self, check_id: str) -> str:
        """Run one scenario check; raises ContractFailure, or NotVerifiable to be reported as skip."""
        check = CHECKS.get(check_id)
        observed: list[Finding] = []
        ctx = ScenarioInput(self.client, self.client.settings, lambda ex: observed.extend(self._observe(ex)))
        try:
            note = str(check.fn(ctx))
        except CheckFailed as failure:
            evidence = (
                exchange_evidence(failure.exchange, self.client.redactor, **failure.evidence)
                if failure.exchange
                else dict(failure.evidence)
            )
            self.recorder.failed(check.id, None, failure.message, evidence)
            observed.append((check.id, failure.message, str(evidence.get("curl", ""))))
            note = ""
        except NotVerifiable as reason:
            self.recorder.skipped(check.id, None, str(reason))
            if observed:
                raise ContractFailure(self._format(observed), tuple(f[0] for f in observed)) from None
            raise
        if observed:
            raise ContractFailure(self._format(observed), tuple(dict.fromkeys(f[0] for f in observed)))
        self.recorder.passed(check.id, None, note)
        return note

    # -- results -------------------------------------------------------------------------------------------

    def result(self, *, complete: bool = True, suite: str = "contract") -> SuiteResult:
        metas = [CheckMeta(c.id, c.title, c.title_zh) for c in CHECKS]
        if self.recorder.applied("suite.error", None):
            metas.append(
                CheckMeta("suite.error", "The suite ran without harness errors", "测试套件运行无异常")
            )
        metas += [CheckMeta(cid, f"schemathesis: {title}") for cid, title in sorted(self.st_checks.items())]
        elapsed = time.perf_counter() - self.started
        cases = sum(self.recorder.cases.values())
        metrics = {
            "duration_s": round(elapsed, 3),
            "cases": cases,
            "cases_per_operation": dict(sorted(self.recorder.cases.items())),
            "cases_per_second": round(cases / elapsed, 2) if elapsed > 0 else 0.0,
            "requests": self.recorder.requests,
            "statuses": dict(sorted(self.recorder.statuses.items())),
            "shops": len(self.client.settings.shops),
            **self.extra_metrics,
        }
        return SuiteResult(
            suite=suite,
            target=self.client.settings.base_url,
            started_at=self.started_at,
            finished_at=utc_now(),
            checks=tuple(self.recorder.records(metas)),
            metrics=metrics,
            complete=complete,
        )

    def _format(self, findings: Sequence[Finding]) -> str:
        lines = [f"{len(findings)} contract violation(s):"]
        for check_id, message, curl in findings:
            lines.append(f"  [{check_id}] {message}")
            if curl:
                lines.append(f"      reproduce: {curl}")
        return self.client.redactor.text("\n".join(lines))


class PacedSession(requests.Session):
    """Every request through this session waits its shop's turn, including the ones schemathesis's
    own checks re-send, so the harness never trips the target's rate limit by itself."""

    def __init__(self, pacer: Pacer) -> None:
        super().__init__()
        self.pacer = pacer

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        shop = request.headers.get("X-OpenClaw-Shop-Id")
        # Only real shops have a rate limit to respect; an invalid generated id is refused before it.
        if isinstance(shop, str) and SHOP_PATTERN.match(shop):
            self.pacer.wait(shop)
        return super().send(request, **kwargs)


def _valid_or_absent(value: Any, pattern: re.Pattern[str]) -> bool:
    return value is None or (isinstance(value, str) and pattern.match(value) is not None)


def to_exchange(operation: str, response: Any) -> Exchange:
    """Our Exchange from a schemathesis Response (its `request` is a requests.PreparedRequest)."""
    prepared = response.request
    body = prepared.body
    if isinstance(body, str):
        body = body.encode()
    headers = {
        k: v.decode("latin-1") if isinstance(v, bytes) else str(v)
        for k, v in prepared.headers.items()
        if k.lower() not in _SKIPPED_REQUEST_HEADERS
    }
    return Exchange(
        operation=operation,
        request=SentRequest(prepared.method, prepared.url, headers, body or None),
        status=response.status_code,
        headers={k.lower(): ", ".join(v) for k, v in response.headers.items()},
        body=response.content or b"",
        elapsed=response.elapsed,
    )


def _st_checks() -> list[Any]:
    from schemathesis.checks import CHECKS as ST_CHECKS
    from schemathesis.checks import load_all_checks

    load_all_checks()
    return list(ST_CHECKS.get_all())


def _failure_checks(failure: Any) -> tuple[str, ...]:
    names = getattr(type(failure), "checks", ()) or ()
    return tuple(names) or ("custom",)
