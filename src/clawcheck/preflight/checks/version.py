"""`preflight.api_version`: the target serves the API version of the bundled spec (and the expected one).

The target says which version it serves in its health body (`Health.version`, required by
the spec); the spec defines no version header. Its major must be the spec's (`info.version`
2.0.0: major 2), and when `expected_api_version` is set (`v2`, `2.x`, `2.1`) every number it
gives must match.
"""

from __future__ import annotations

from clawcheck.preflight.apiversion import parse_version, satisfies
from clawcheck.preflight.checks._base import Verdict, check, failed, passed, skipped
from clawcheck.preflight.observe import Probe


@check(
    "preflight.api_version",
    title="Target serves the expected API version",
    title_zh="目标 API 版本与规范及期望版本一致",
    requirement="the health body's version has the spec's major version and matches the expected "
    "version {expected_api_version}",
    requirement_zh="健康检查响应体中的 version 与规范主版本一致，并符合期望版本 {expected_api_version}",
)
def api_version(probe: Probe) -> Verdict:
    seen = probe.health
    if not (seen.ok and isinstance(seen.body, dict)):
        return skipped("not judged: the health endpoint gave no 2xx JSON body; see preflight.health")
    facts = probe.facts
    expected = probe.settings.expected_api_version
    reported = seen.body.get("version")
    evidence = {
        "reported": reported,
        "spec_version": facts.api_version,
        "spec_major": facts.api_major,
        "expected": expected,
        "source": "health body `version`",
    }
    if not isinstance(reported, str) or not reported.strip():
        return failed(
            f"the health body has no `version` (got {reported!r}); the spec requires it, so the API version "
            "cannot be confirmed",
            **evidence,
        )
    numbers = parse_version(reported)
    if numbers is None:
        return failed(f"the target reports version {reported!r}, which is not a version number", **evidence)
    problems: list[str] = []
    if numbers[0] != facts.api_major:
        problems.append(f"the spec is {facts.api_version} (major {facts.api_major})")
    wanted = parse_version(expected) if expected is not None else None
    if expected is not None and wanted is not None and not satisfies(numbers, wanted):
        problems.append(f"{expected} is expected")
    if problems:
        return failed(f"the target serves API version {reported}, but " + " and ".join(problems), **evidence)
    also = f" and {expected}" if expected is not None else ""
    return passed(f"the target serves API version {reported}: spec major {facts.api_major}{also}", **evidence)
