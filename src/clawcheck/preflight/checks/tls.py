"""`preflight.tls.version` and `preflight.tls.certificate`: the channel to the target is safe.

Plain http is judged by where it goes: loopback never leaves the machine (skip), anything
else carries tokens and orders in clear text (fail in production, warn in a sandbox).
"""

from __future__ import annotations

import ssl
from typing import Any

from clawcheck.preflight.checks._base import Verdict, check, failed, passed, skipped, warned
from clawcheck.preflight.hosts import is_loopback
from clawcheck.preflight.observe import Probe
from clawcheck.preflight.settings import EnvironmentKind

__all__ = ["TLS_RANKS"]

# Protocol names as ssl.SSLSocket.version() reports them, oldest first.
TLS_RANKS = {"SSLv2": 0, "SSLv3": 1, "TLSv1": 2, "TLSv1.1": 3, "TLSv1.2": 4, "TLSv1.3": 5}
_MINIMUM = "TLSv1.2"
_RECOMMENDED = "TLSv1.3"
_DAY = 86400.0
_NO_CONNECTION = "not judged: no connection to {where} ({why}); see preflight.health"


def _plain_http(probe: Probe) -> Verdict:
    target = probe.target
    evidence = {"scheme": "http", "host": target.host, "environment": probe.settings.environment_kind}
    if is_loopback(target.host):
        return skipped(f"plain http to loopback host {target.host}: nothing leaves this machine", **evidence)
    if probe.settings.environment is EnvironmentKind.PRODUCTION:
        return failed(
            f"production target {target.display} is plain http: tokens and orders cross the network "
            "in clear text; use https://",
            **evidence,
        )
    return warned(
        f"sandbox target {target.display} is plain http on a non-loopback host: tokens travel in clear "
        "text; prefer https://",
        **evidence,
    )


@check(
    "preflight.tls.version",
    title="TLS 1.2 or newer (1.3 recommended)",
    title_zh="TLS 版本不低于 1.2（建议 1.3）",
    requirement="https targets negotiate TLS 1.2 or newer (1.2 is a warning, 1.3 passes); "
    "plain http only to loopback, and never in production",
    requirement_zh="https 目标协商 TLS 1.2 及以上（1.2 为警告，1.3 通过）；"
    "明文 http 仅限本机回环地址，生产环境不得使用",
)
def tls_version(probe: Probe) -> Verdict:
    target = probe.target
    if not target.tls:
        return _plain_http(probe)
    where = f"{target.host}:{target.port}"
    seen = probe.handshake
    if not seen.connected:
        return skipped(_NO_CONNECTION.format(where=where, why=seen.error))
    if seen.error is not None or seen.version is None:
        return failed(f"TLS handshake with {where} failed: {seen.error}", host=target.host, port=target.port)
    evidence = {"negotiated": seen.version, "cipher": seen.cipher, "minimum": _MINIMUM}
    rank = TLS_RANKS.get(seen.version, -1)
    if rank < TLS_RANKS[_MINIMUM]:
        return failed(f"{where} negotiated {seen.version}; at least TLS 1.2 is required", **evidence)
    if rank < TLS_RANKS[_RECOMMENDED]:
        return warned(f"{where} negotiated {seen.version}: accepted, but enable TLS 1.3", **evidence)
    return passed(f"{where} negotiated {seen.version} ({seen.cipher})", **evidence)


def _names(cert: dict[str, Any]) -> list[str]:
    """Subject alternative names (`DNS:api.example.com`), else the subject's common name."""
    names = [f"{kind}:{value}" for kind, value in cert.get("subjectAltName", ())]
    if names:
        return names
    return [f"CN:{value}" for rdn in cert.get("subject", ()) for key, value in rdn if key == "commonName"]


def _issuer(cert: dict[str, Any]) -> str:
    parts = [f"{key}={value}" for rdn in cert.get("issuer", ()) for key, value in rdn]
    return ", ".join(parts)


@check(
    "preflight.tls.certificate",
    title="Certificate trusted, matches the host, valid long enough",
    title_zh="证书可信、与主机名匹配且剩余有效期充足",
    requirement="the https certificate chains to a trusted CA, matches the host name and stays valid "
    "at least {min_cert_days} more days",
    requirement_zh="https 证书链可信、与主机名匹配，且剩余有效期不少于 {min_cert_days} 天",
)
def tls_certificate(probe: Probe) -> Verdict:
    target = probe.target
    if not target.tls:
        return skipped(f"plain http to {target.host}: no certificate to check")
    where = f"{target.host}:{target.port}"
    seen = probe.certificate
    if not seen.connected:
        return skipped(_NO_CONNECTION.format(where=where, why=seen.error))
    handshake = probe.handshake
    if handshake.version is not None and TLS_RANKS.get(handshake.version, -1) < TLS_RANKS[_MINIMUM]:
        return skipped(f"not judged: {where} offers only {handshake.version}; see preflight.tls.version")
    if seen.untrusted is not None:
        return failed(
            f"the certificate of {where} is not trusted ({seen.untrusted}); serve the full chain, "
            "or pass ca_file for a private CA",
            host=target.host,
            ca_file=probe.settings.ca_file,
        )
    if seen.error is not None:
        return failed(f"TLS handshake with {where} failed while verifying its certificate: {seen.error}")
    cert = seen.cert
    now = probe.clock()
    not_before = ssl.cert_time_to_seconds(cert["notBefore"])
    not_after = ssl.cert_time_to_seconds(cert["notAfter"])
    days_left = (not_after - now) / _DAY
    minimum = probe.settings.min_cert_days
    names = _names(cert)
    evidence = {
        "host": target.host,
        "names": names,
        "issuer": _issuer(cert),
        "not_before": cert["notBefore"],
        "not_after": cert["notAfter"],
        "days_left": round(days_left, 1),
        "min_cert_days": minimum,
        "hostname_match": seen.hostname_ok,
    }
    problems: list[str] = []
    if not seen.hostname_ok:
        problems.append(f"it is for {', '.join(names) or 'no name'}, not {target.host}")
    if now < not_before:
        problems.append(f"it is not valid before {cert['notBefore']}")
    elif days_left < 0:
        problems.append(f"it expired on {cert['notAfter']} ({-days_left:.1f} days ago)")
    elif days_left < minimum:
        problems.append(
            f"it expires on {cert['notAfter']}, in {days_left:.1f} days; "
            f"at least {minimum} days are required: renew it"
        )
    if problems:
        return failed(f"the certificate of {where} is unusable: " + "; ".join(problems), **evidence)
    return passed(
        f"the certificate of {where} is trusted, names {target.host} and is valid {days_left:.0f} more days",
        **evidence,
    )
