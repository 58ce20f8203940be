"""Raw TLS handshakes with the target: what it negotiates, and what its certificate is.

Two questions, two handshakes, so that each check judges exactly its own rule:

- `negotiate`: a client that accepts anything (any protocol version OpenSSL still offers, no
  certificate verification) learns which version the server picks. A server stuck on TLS 1.1
  is then reported by `preflight.tls.version`, not as an unexplained handshake failure.
- `inspect_certificate`: a verifying client (system CAs plus `ca_file`, host name checked)
  that does NOT check validity dates (`X509_V_FLAG_NO_CHECK_TIME`): OpenSSL would only say
  "expired", while the check wants the exact notAfter and the days left, also for a
  certificate that is still valid but expires too soon. Dates are judged by the check.

Nothing is sent after the handshake; no credentials are involved.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any

from clawcheck.preflight.settings import Target

__all__ = [
    "CertificateView",
    "Handshake",
    "describe_error",
    "inspect_certificate",
    "negotiate",
    "observing_context",
]

# OpenSSL's X509_V_FLAG_NO_CHECK_TIME (1.1.0+): verify chain and name, leave the dates to us.
_NO_CHECK_TIME = 0x200000
# X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
_NAME_MISMATCH = frozenset({62, 64})


@dataclass(frozen=True, slots=True)
class Handshake:
    """The permissive handshake. `connected` is False when not even TCP got through."""

    connected: bool
    version: str | None = None  # "TLSv1.3"
    cipher: str | None = None
    error: str | None = None  # one line, when the handshake failed

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class CertificateView:
    """The verifying handshake: the decoded leaf certificate when the chain is trusted."""

    connected: bool
    cert: dict[str, Any] = field(default_factory=dict)  # ssl.SSLSocket.getpeercert()
    hostname_ok: bool = False
    untrusted: str | None = None  # OpenSSL's reason the chain is not trusted
    error: str | None = None  # the handshake failed for another reason


def describe_error(exc: BaseException, timeout: float) -> str:
    """One line for a connection or handshake failure, without a traceback."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate verification failed: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc.strerror or type(exc).__name__}"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "host name not found"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    first = (str(exc).splitlines() or [""])[0]
    return first or type(exc).__name__


def _permissive() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    # OpenSSL 3 refuses TLS < 1.2 at the default security level; we want to see it, not refuse it.
    with contextlib.suppress(ssl.SSLError):
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def observing_context() -> ssl.SSLContext:
    """For the health request: it sends no credentials, and the certificate is judged on its own."""
    return _permissive()


def _verifying(ca_file: str | None, *, check_hostname: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file is not None:
        context.load_verify_locations(cafile=ca_file)
    context.check_hostname = check_hostname
    context.verify_flags |= _NO_CHECK_TIME
    return context


class _NoConnection(Exception):
    """TCP did not connect: the checks skip and point at preflight.health, which says why."""


def _shake(target: Target, context: ssl.SSLContext, timeout: float) -> ssl.SSLSocket:
    """Connect and shake hands; the caller closes. Raises _NoConnection, OSError or ssl.SSLError."""
    try:
        raw = socket.create_connection((target.host, target.port), timeout=timeout)
    except OSError as exc:
        raise _NoConnection(describe_error(exc, timeout)) from exc
    try:
        return context.wrap_socket(raw, server_hostname=target.host)
    except BaseException:
        raw.close()
        raise


def negotiate(target: Target, timeout: float) -> Handshake:
    try:
        with _shake(target, _permissive(), timeout) as tls:
            cipher = tls.cipher()
            return Handshake(True, tls.version(), cipher[0] if cipher else None)
    except _NoConnection as exc:
        return Handshake(connected=False, error=str(exc))
    except OSError as exc:  # ssl.SSLError is an OSError
        return Handshake(connected=True, error=describe_error(exc, timeout))


def _leaf(target: Target, context: ssl.SSLContext, timeout: float) -> dict[str, Any]:
    with _shake(target, context, timeout) as tls:
        return dict(tls.getpeercert() or {})


def inspect_certificate(target: Target, timeout: float, ca_file: str | None) -> CertificateView:
    try:
        cert = _leaf(target, _verifying(ca_file, check_hostname=True), timeout)
        return CertificateView(True, cert, hostname_ok=True)
    except _NoConnection as exc:
        return CertificateView(False, error=str(exc))
    except ssl.SSLCertVerificationError as exc:
        if exc.verify_code not in _NAME_MISMATCH:
            return CertificateView(True, untrusted=str(exc.verify_message))
    except OSError as exc:
        return CertificateView(True, error=describe_error(exc, timeout))
    # Trusted chain, wrong name: look once more, without the name check, to say what it is for.
    try:
        cert = _leaf(target, _verifying(ca_file, check_hostname=False), timeout)
        return CertificateView(True, cert, hostname_ok=False)
    except _NoConnection as exc:
        return CertificateView(False, error=str(exc))
    except OSError as exc:
        return CertificateView(True, error=describe_error(exc, timeout))
