"""`preflight.environment_host`: the declared environment matches the target's host name.

Rule (host classes in `preflight/hosts.py`):

    declared      loopback   sandbox word   IP literal   other name
    sandbox       pass       pass           warn         fail
    production    fail       fail           warn         pass

The costly mistake is a sandbox run against production (test orders in a live shop) or an
acceptance signed as "production" against a staging host; an IP address cannot tell, so a
person has to confirm it.
"""

from __future__ import annotations

from clawcheck.preflight.checks._base import Verdict, check, failed, passed, warned
from clawcheck.preflight.hosts import SANDBOX_MARKERS, HostKind, classify_host
from clawcheck.preflight.observe import Probe
from clawcheck.preflight.settings import EnvironmentKind

_MARKERS = ", ".join(SANDBOX_MARKERS)


@check(
    "preflight.environment_host",
    title="Declared environment matches the host",
    title_zh="声明的环境与目标主机一致",
    requirement="a {environment} run targets a {environment} host: sandbox runs a loopback or sandbox-named "
    "host (a word sandbox, staging, test, dev or uat), production runs any other host name",
    requirement_zh="{environment} 环境的验收必须指向对应主机：沙箱指向本机回环地址"
    "或名称含 sandbox、staging、test、dev、uat 的主机，生产指向其他主机名",
)
def environment_host(probe: Probe) -> Verdict:
    host = probe.target.host
    declared = probe.settings.environment
    verdict = classify_host(host)
    evidence = {"host": host, "environment": str(declared), "host_kind": str(verdict.kind)}
    if verdict.marker is not None:
        evidence["marker"] = verdict.marker
    if verdict.kind is HostKind.ADDRESS:
        return warned(
            f"{host} is an IP address, which says nothing about its environment; confirm it is {declared}",
            **evidence,
        )
    if declared is EnvironmentKind.SANDBOX:
        if verdict.kind is HostKind.PRODUCTION:
            return failed(
                f"the environment is sandbox, but {host} looks like production (no word of it is one of "
                f"{_MARKERS}); point the run at a sandbox host, or declare production",
                **evidence,
            )
        what = (
            "a loopback host" if verdict.kind is HostKind.LOOPBACK else f"a sandbox host ({verdict.marker!r})"
        )
        return passed(f"sandbox run against {host}, {what}", **evidence)
    if verdict.kind is HostKind.LOOPBACK:
        return failed(
            f"the environment is production, but {host} is a loopback host; point the run at the production "
            "API, or declare sandbox",
            **evidence,
        )
    if verdict.kind is HostKind.SANDBOX:
        return failed(
            f"the environment is production, but {host} looks like a sandbox host (word {verdict.marker!r}); "
            "point the run at the production API, or declare sandbox",
            **evidence,
        )
    return passed(f"production run against {host}, which carries no sandbox marker", **evidence)
