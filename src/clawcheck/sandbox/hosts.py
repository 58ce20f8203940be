"""Which receiver hosts the sandbox delivers webhooks to: loopback, plus what the operator allows.

The sandbox is a test double, so by default it never sends a request off the machine:
a subscription to any other host is refused when it is created. Hosts are judged as
written in the URL, never resolved, so a name that happens to resolve to loopback is
still refused unless it is allowed by name.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

from clawcheck.errors import ConfigError

__all__ = ["ALLOW_HOST_OPTION", "LOOPBACK", "HostPolicy"]

ALLOW_HOST_OPTION = "--webhook-allow-host"  # the CLI option that widens the policy, named in refusals
LOOPBACK = "127.0.0.0/8, ::1, localhost"  # what is always allowed, as shown to users
_LOOPBACK_NAMES = frozenset({"localhost"})
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*", re.ASCII)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _normal(host: str) -> str:
    """Lower case, without IPv6 brackets. A trailing dot stays: `127.0.0.1.` is a DNS name, not an address."""
    text = host.strip().lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return text


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """Loopback always; besides it, exact host names and IP networks (a single address is a /32 or /128)."""

    names: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> HostPolicy:
        """The policy for `entries`; a malformed entry is a `ConfigError` naming it."""
        names: set[str] = set()
        networks: list[Network] = []
        for entry in sorted(entries):
            text = _normal(entry) if isinstance(entry, str) else ""
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
                continue
            except ValueError:
                pass
            if len(text) > 253 or _HOSTNAME.fullmatch(text) is None:
                raise ConfigError(
                    f"webhook allow-host {entry!r} is neither a host name, an IP address nor a network "
                    "such as 10.0.0.0/8"
                )
            names.add(text)
        return cls(frozenset(names), tuple(networks))

    def allows(self, host: str) -> bool:
        """Whether a webhook may be delivered to `host` (as written in the receiver URL)."""
        name = _normal(host)
        if name in _LOOPBACK_NAMES or name in self.names:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        if address.is_loopback:
            return True
        return any(address in network for network in self.networks)
