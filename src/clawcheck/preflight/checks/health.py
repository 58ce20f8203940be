"""`preflight.health`: the spec's health operation answers 2xx, in time, with a healthy JSON body."""

from __future__ import annotations

from clawcheck.preflight.checks._base import Verdict, check, failed, passed
from clawcheck.preflight.observe import Probe


def _status_hint(code: int) -> str:
    if 300 <= code < 400:
        return "redirects are not followed: use the final URL as the base URL"
    if code in (502, 503, 504):
        return "the target (or a gateway in front of it) is not serving"
    if code == 404:
        return "nothing at the health path: is the base URL the OpenClaw API root?"
    if code in (401, 403):
        return "the health endpoint must not require authentication"
    return "the target is not healthy"


@check(
    "preflight.health",
    title="Health endpoint answers 2xx",
    title_zh="健康检查接口正常响应（2xx）",
    requirement="GET the health path answers 2xx with a JSON body whose status is ok, within {timeout} s",
    requirement_zh="GET 健康检查路径在 {timeout} 秒内返回 2xx，且 JSON 响应体的 status 为 ok",
)
def health(probe: Probe) -> Verdict:
    seen = probe.health
    limit = probe.settings.timeout
    request = f"GET {seen.url}"
    evidence = seen.evidence()
    if seen.error is not None or seen.status_code is None:
        return failed(
            f"{request}: {seen.error}; is the target up, and is the base URL the OpenClaw API?", **evidence
        )
    code = seen.status_code
    if not seen.ok:
        where = seen.headers.get("location")
        suffix = f" (to {where})" if where and 300 <= code < 400 else ""
        return failed(f"{request} answered {code}{suffix}, not 2xx; {_status_hint(code)}", **evidence)
    if seen.elapsed_s > limit:  # httpx limits each read, not the whole exchange
        return failed(
            f"{request} answered after {seen.elapsed_s:.1f} s, over the {limit:g} s limit", **evidence
        )
    if not seen.is_json or seen.body is None:
        shown = seen.content_type or "no content type"
        return failed(
            f"{request} answered {code} {shown}, not JSON; the base URL must be the OpenClaw API, "
            "not a web page or a proxy",
            **evidence,
        )
    healthy = probe.facts.healthy
    status = seen.body.get("status") if isinstance(seen.body, dict) else None
    if healthy and status not in healthy:
        wanted = " or ".join(repr(s) for s in sorted(healthy))
        return failed(f"{request} answered {code} with status {status!r}, not {wanted}", **evidence)
    return passed(
        f"{request} answered {code} status {status!r} in {seen.elapsed_s * 1000:.0f} ms", **evidence
    )
