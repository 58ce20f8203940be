"""Client-behaviour checks: what the journal says the client did, one registered rule each.

A check is `fn(ctx) -> str` (the pass message). It raises `CheckFailed` with evidence when the
client broke the rule, and `NotVerifiable` when the run gave it nothing to judge (no 429 was
ever sent, no token expired): `skip`, never `pass`. The scenario that makes each rule
applicable is named in the skip message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clawcheck.core.registry import Registry
from clawcheck.core.results import CheckRecord, Status, SuiteResult, utc_now
from clawcheck.platforms.engine import Mock
from clawcheck.platforms.journal import JournalEntry, iso_offset
from clawcheck.platforms.model import Platform, RateLimit

__all__ = [
    "CLIENT_CHECKS",
    "BehaviourInput",
    "CheckFailed",
    "ClientCheck",
    "NotVerifiable",
    "evaluate",
    "run_checks",
]

# Clock and scheduling slack when comparing a client's wait with the wait it was asked for.
WAIT_TOLERANCE = 0.005
# A client timestamp further than this from true time is wrong (platform windows are ~300 s).
TIMESTAMP_WINDOW = 300.0
_UTC_OFFSETS = {"Z", "z", "+00:00", "+0000", "+00", "-00:00", "-0000", "-00"}
_MAX_EVIDENCE = 5


class CheckFailed(AssertionError):
    def __init__(self, message: str, evidence: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.evidence = dict(evidence or {})


class NotVerifiable(Exception):
    """The run gave this check nothing to judge."""


@dataclass(frozen=True, slots=True)
class BehaviourInput:
    """What the checks read: the journal, and the facts about the mock it came from."""

    entries: Sequence[JournalEntry]
    platform: type[Platform]
    environment: str
    token_expiries: Mapping[str, float] = field(default_factory=dict)  # fingerprint -> true expiry time
    scenarios: Sequence[str] = ()

    @classmethod
    def from_mock(cls, mock: Mock) -> BehaviourInput:
        return cls(
            entries=mock.journal.entries(),
            platform=type(mock.platform),
            environment=mock.environment,
            token_expiries=mock.token_expiries(),
            scenarios=[str(s) for s in mock.scenario_specs],
        )

    def client_entries(self) -> list[JournalEntry]:
        """Requests that reached a route (404s of made-up paths say nothing about behaviour)."""
        return [e for e in self.entries if e.operation is not None]

    def public_routes(self) -> set[str]:
        return {r.name for r in self.platform.routes() if r.public}


CheckFn = Callable[[BehaviourInput], str]


@dataclass(frozen=True, slots=True)
class ClientCheck:
    id: str
    title: str
    title_zh: str
    fn: CheckFn


CLIENT_CHECKS: Registry[ClientCheck] = Registry("client-behaviour check")


def check(check_id: str, title: str, title_zh: str) -> Callable[[CheckFn], CheckFn]:
    def decorate(fn: CheckFn) -> CheckFn:
        CLIENT_CHECKS.add(check_id, ClientCheck(check_id, title, title_zh, fn))
        return fn

    return decorate


def _show(entry: JournalEntry, **extra: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {"request": entry.label(), "shop": entry.shop}
    shown.update(extra)
    return shown


def _shop_key(entry: JournalEntry) -> str:
    return entry.shop or entry.token or "-"


# -- the rules ---------------------------------------------------------------------------


@check(
    "client.retry_after",
    "after a 429 the client waited at least the advertised wait before its next request to that shop",
    "收到 429 后，客户端在向该店铺发出下一个请求前至少等待了平台告知的时长",
)
def retry_after(ctx: BehaviourInput) -> str:
    entries = ctx.client_entries()
    # `throttle` too: some platforms refuse over-limit calls with HTTP 200 (Lazada, TikTok Shop).
    throttled = [
        e
        for e in entries
        if e.throttle is not None or e.status == 429 or (e.status == 503 and e.retry_after is not None)
    ]
    if not throttled:
        raise NotVerifiable("the platform never throttled this client" + _advice(ctx, "rate-limit-burst"))
    early: list[dict[str, Any]] = []
    judged = 0
    for refusal in throttled:
        asked = refusal.retry_after if refusal.retry_after is not None else ctx.platform.default_backoff
        if not refusal.retry_after_advertised:
            asked = min(asked, ctx.platform.default_backoff)
        following = next(
            (
                e
                for e in entries
                if e.seq > refusal.seq
                and _shop_key(e) == _shop_key(refusal)
                and e.at >= refusal.finished - 1e-6
            ),
            None,
        )
        if following is None:
            continue
        judged += 1
        waited = following.at - refusal.finished
        if waited + WAIT_TOLERANCE < asked:
            early.append(
                _show(
                    refusal,
                    asked_s=round(asked, 3),
                    waited_s=round(waited, 3),
                    next_request=following.label(),
                )
            )
    if early:
        raise CheckFailed(
            f"{len(early)} of {judged} throttled requests were followed by a request that did not wait "
            f"the advertised time (first: waited {early[0]['waited_s']} s of {early[0]['asked_s']} s)",
            {"early_retries": early[:_MAX_EVIDENCE]},
        )
    if not judged:
        raise NotVerifiable("no request followed a 429, so no wait could be measured")
    return f"waited at least the advertised time after all {judged} throttled requests"


@check(
    "client.token_refresh",
    "the client refreshed its access token before or on first expiry and never retried with an expired token",
    "客户端在访问令牌到期前或首次到期时刷新，且从未用过期令牌重试",
)
def token_refresh(ctx: BehaviourInput) -> str:
    entries = ctx.client_entries()
    public = ctx.public_routes()
    expired = [e for e in entries if e.token_state == "expired"]
    uses: dict[str, list[JournalEntry]] = defaultdict(list)
    for entry in expired:
        uses[entry.token or "-"].append(entry)
    repeated = {fp: found for fp, found in uses.items() if len(found) > 1}
    if repeated:
        fp, found = next(iter(repeated.items()))
        raise CheckFailed(
            f"retried with an expired access token: {sum(len(f) for f in repeated.values())} requests "
            f"carried {len(repeated)} expired token(s) more than once",
            {"token": fp, "requests": [_show(e) for e in found[:_MAX_EVIDENCE]]},
        )
    for entry in expired:
        after = [e for e in entries if e.seq > entry.seq and _same_client(e, entry)]
        refreshed = any(e.operation in public for e in after) or any(
            e.token_state == "valid" and e.token != entry.token for e in after
        )
        if not refreshed:
            raise CheckFailed(
                "the access token expired and the client never refreshed it "
                "(no token request and no new token followed)",
                {"expired_request": _show(entry)},
            )
    if expired:
        return f"refreshed on first expiry ({len(expired)} token(s) expired in use, each used once)"
    last = max((e.at for e in entries), default=None)
    used = {e.token for e in entries if e.token and e.token_state == "valid"}
    outlived = [fp for fp in used if last is not None and ctx.token_expiries.get(fp, float("inf")) < last]
    if outlived:
        return f"refreshed before expiry: {len(outlived)} token(s) expired while the client kept working"
    raise NotVerifiable("no access token expired while the client was working" + _advice(ctx, "token-expiry"))


def _advice(ctx: BehaviourInput, scenario: str) -> str:
    if scenario not in ctx.platform.scenarios:
        return f" (the {scenario} scenario does not apply to {ctx.platform.name})"
    if any(s.split(":")[0] == scenario for s in ctx.scenarios):
        return ""
    return f"; run the {scenario} scenario"


def _same_client(entry: JournalEntry, other: JournalEntry) -> bool:
    return entry.shop is None or other.shop is None or entry.shop == other.shop


@check(
    "client.qps",
    "the client stayed within the platform's request rate per shop",
    "客户端对每个店铺的请求速率未超过平台限制",
)
def qps(ctx: BehaviourInput) -> str:
    entries = [e for e in ctx.client_entries() if e.shop and e.operation not in ctx.public_routes()]
    if not entries:
        raise NotVerifiable("no authenticated requests for any shop")
    peaks = _peaks(entries)
    over = [e for e in entries if e.throttle == "limit"]
    rule = ctx.platform.rate_limit
    evidence: dict[str, Any] = {"limit": _describe(rule), "peak_requests_in_1s": peaks}
    if over:
        evidence["throttled"] = [_show(e) for e in over[:_MAX_EVIDENCE]]
        raise CheckFailed(
            f"exceeded the platform's rate limit {len(over)} times ({_describe(rule)}); peak "
            f"{max(peaks.values())} requests in one second",
            evidence,
        )
    peak = max(peaks.values())
    return f"within {_describe(rule)}; peak {peak} requests in one second over {len(peaks)} shop(s)"


def _describe(rule: RateLimit) -> str:
    scope = "per shop" if rule.scope == "shop" else "per shop and operation"
    text = f"{rule.per_second:g} req/s, burst {rule.burst:g}, {scope}"
    if rule.per_operation:
        text += f" (own limits for {', '.join(sorted(rule.per_operation))})"
    return text


def _peaks(entries: Sequence[JournalEntry]) -> dict[str, int]:
    """Most requests any shop sent within one second (sliding window over every request)."""
    times: dict[str, list[float]] = defaultdict(list)
    for entry in entries:
        times[entry.shop or "-"].append(entry.at)
    peaks: dict[str, int] = {}
    for shop, found in times.items():
        found.sort()
        best, start = 0, 0
        for end, moment in enumerate(found):
            while moment - found[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        peaks[shop] = best
    return peaks


@check(
    "client.environment_host",
    "the client used the host of its configured environment (sandbox or production) only",
    "客户端只访问了与所配置环境（沙箱或生产）一致的主机",
)
def environment_host(ctx: BehaviourInput) -> str:
    entries = ctx.client_entries()
    judged = [e for e in entries if e.environment != "any"]
    if not judged:
        raise NotVerifiable(f"{ctx.platform.name} serves sandbox and production from the same hosts")
    wrong = [e for e in judged if e.environment != ctx.environment]
    if wrong:
        hosts = sorted({e.host for e in wrong})
        raise CheckFailed(
            f"configured for {ctx.environment} but sent {len(wrong)} request(s) to the "
            f"{wrong[0].environment} host {', '.join(hosts)}",
            {
                "environment": ctx.environment,
                "requests": [_show(e, host=e.host) for e in wrong[:_MAX_EVIDENCE]],
            },
        )
    return f"all {len(judged)} requests went to {ctx.environment} hosts"


@check(
    "client.signing",
    "every request carried a valid signature",
    "每个请求都带有正确的签名",
)
def signing(ctx: BehaviourInput) -> str:
    signed = [e for e in ctx.client_entries() if e.signature is not None]
    if not signed:
        raise NotVerifiable(f"{ctx.platform.name} does not sign requests, or no signed request was made")
    bad = [e for e in signed if e.signature != "valid"]
    if bad:
        raise CheckFailed(
            f"{len(bad)} of {len(signed)} requests had a {bad[0].signature} signature"
            + (f" ({bad[0].signature_detail})" if bad[0].signature_detail else ""),
            {
                "requests": [
                    _show(e, signature=e.signature, detail=e.signature_detail) for e in bad[:_MAX_EVIDENCE]
                ]
            },
        )
    return f"all {len(signed)} signed requests verified"


@check(
    "client.utc",
    "date-times the client sent were UTC (ISO 8601 with Z or +00:00; Unix timestamps from the true clock)",
    "客户端发送的日期时间均为 UTC（ISO 8601 带 Z 或 +00:00；Unix 时间戳取自正确时钟）",
)
def utc(ctx: BehaviourInput) -> str:
    problems: list[dict[str, Any]] = []
    seen = 0
    for entry in ctx.client_entries():
        for where, value in entry.datetimes:
            seen += 1
            offset = iso_offset(value)
            if offset is None:
                problems.append(_show(entry, field=where, value=value, why="no UTC offset (local time?)"))
            elif offset not in _UTC_OFFSETS:
                problems.append(_show(entry, field=where, value=value, why=f"offset {offset}, not UTC"))
        for name, stamp in entry.client_timestamps:
            seen += 1
            drift = stamp - entry.at
            if abs(drift) > TIMESTAMP_WINDOW:
                hours = drift / 3600
                why = f"{drift:+.0f} s from true time"
                if abs(hours - round(hours * 4) / 4) < 0.02:
                    why += f" ({hours:+g} h: local time used as UTC?)"
                problems.append(_show(entry, field=name, value=stamp, why=why))
    if problems:
        raise CheckFailed(
            f"{len(problems)} date-time value(s) were not UTC; first: {problems[0]['field']} = "
            f"{problems[0]['value']!s} ({problems[0]['why']})",
            {"values": problems[:_MAX_EVIDENCE]},
        )
    if not seen:
        raise NotVerifiable("the client sent no date-time or timestamp")
    return f"all {seen} date-times and timestamps were UTC"


@check(
    "client.pagination",
    "the client sent back every pagination cursor exactly as issued (URL-encoded)",
    "客户端原样（经 URL 编码）回传了分页游标",
)
def pagination(ctx: BehaviourInput) -> str:
    entries = ctx.client_entries()
    bad = [e for e in entries if "bad_cursor" in e.notes]
    followed = [e for e in entries if "cursor" in e.notes]
    if bad:
        raise CheckFailed(
            f"{len(bad)} request(s) sent a cursor this platform never issued (mangled: not URL-encoded?)",
            {"requests": [_show(e, query=e.query) for e in bad[:_MAX_EVIDENCE]]},
        )
    if not followed:
        raise NotVerifiable("the client followed no cursor" + _advice(ctx, "pagination-edges"))
    return f"followed {len(followed)} cursor(s) correctly"


# -- running them ------------------------------------------------------------------------


def run_checks(ctx: BehaviourInput, only: Sequence[str] = ()) -> list[CheckRecord]:
    records: list[CheckRecord] = []
    for item in CLIENT_CHECKS:
        if only and item.id not in only:
            continue
        try:
            message = item.fn(ctx)
        except CheckFailed as failed:
            records.append(
                CheckRecord(
                    item.id, item.title, Status.FAIL, failed.message, failed.evidence, title_zh=item.title_zh
                )
            )
        except NotVerifiable as skipped:
            records.append(
                CheckRecord(item.id, item.title, Status.SKIP, str(skipped), title_zh=item.title_zh)
            )
        else:
            records.append(CheckRecord(item.id, item.title, Status.PASS, message, title_zh=item.title_zh))
    return records


def evaluate(
    mock: Mock,
    *,
    started_at: str | None = None,
    extra: Sequence[CheckRecord] = (),
    complete: bool = True,
    target: str | None = None,
) -> SuiteResult:
    """The client-behaviour suite's result for everything `mock` has journaled so far."""
    ctx = BehaviourInput.from_mock(mock)
    records = [*extra, *run_checks(ctx)]
    entries = ctx.entries
    metrics = {
        "platform": mock.platform.name,
        "environment": mock.environment,
        "scenarios": list(ctx.scenarios),
        "requests": len(entries),
        "statuses": _statuses(entries),
    }
    return SuiteResult(
        suite="client-behaviour",
        target=target or f"{mock.platform.name} mock ({mock.environment})",
        started_at=started_at or utc_now(),
        finished_at=utc_now(),
        checks=tuple(records),
        metrics=metrics,
        complete=complete,
    )


def _statuses(entries: Sequence[JournalEntry]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[str(entry.status)] += 1
    return dict(sorted(counts.items()))
