"""What a target's host name says about its environment, judged as written (never resolved).

    loopback     localhost, *.localhost, 127.0.0.0/8, ::1
    sandbox      a word of the host name is a sandbox marker (see below)
    address      any other IP literal: an address says nothing about the environment
    production   every other host name

Words are the host's labels split at `.` and `-`, with trailing digits dropped (`uat2` is
`uat`): `api.sandbox.openclaw.example`, `sandbox-api.openclaw.cn`, `uat2.openclaw.com` and
`openclaw-test.example` are sandbox hosts; `latest.openclaw.com`, `devices.openclaw.com` and
`contest.example` are not, because a marker must be a whole word, not part of one.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["SANDBOX_MARKERS", "HostKind", "HostVerdict", "classify_host", "is_loopback"]

SANDBOX_MARKERS = ("sandbox", "staging", "test", "dev", "uat")
_WORD_SPLIT = re.compile(r"[.-]+")


class HostKind(StrEnum):
    LOOPBACK = "loopback"
    SANDBOX = "sandbox"
    ADDRESS = "address"
    PRODUCTION = "production"


@dataclass(frozen=True, slots=True)
class HostVerdict:
    kind: HostKind
    marker: str | None = None  # the sandbox word found, for HostKind.SANDBOX


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    name = host.strip().lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def classify_host(host: str) -> HostVerdict:
    name = host.strip().lower().rstrip(".")
    if is_loopback(name):
        return HostVerdict(HostKind.LOOPBACK)
    if _address(name) is not None:
        return HostVerdict(HostKind.ADDRESS)
    for word in _WORD_SPLIT.split(name):
        stem = word.rstrip("0123456789")
        if stem in SANDBOX_MARKERS:
            return HostVerdict(HostKind.SANDBOX, stem)
    return HostVerdict(HostKind.PRODUCTION)
