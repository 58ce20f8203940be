"""The preflight against real https targets on loopback, certificates minted by a private CA (trustme)."""

from __future__ import annotations

import ssl
import warnings
from typing import Any

import pytest
import trustme

from clawcheck.core.results import Status, SuiteResult
from clawcheck.preflight import PreflightSettings, run_preflight

from .conftest import failing, record, statuses
from .targets import Certificates, Served, health_app


def run(served: Served, certs: Certificates | None, **overrides: Any) -> SuiteResult:
    """A sandbox run trusting the test CA (or nothing but the system's, with certs=None)."""
    ca_file = certs.ca_file if certs is not None else None
    return run_preflight(PreflightSettings(served.base_url, "sandbox", ca_file=ca_file, **overrides))


def serve_https(leaf: trustme.LeafCert, **context: Any) -> Served:
    return Served(health_app(date_offset=0), ssl_context=Certificates.server_context(leaf, **context))


def test_a_clean_https_target_passes_every_check(certs: Certificates) -> None:
    with serve_https(certs.leaf()) as server:
        result = run(server, certs)
    assert set(statuses(result).values()) == {Status.PASS}
    version: Any = record(result, "preflight.tls.version")["evidence"]
    assert version["negotiated"] == "TLSv1.3"
    cert: Any = record(result, "preflight.tls.certificate")["evidence"]
    assert cert["hostname_match"] is True
    assert cert["days_left"] > 300
    assert "IP Address:127.0.0.1" in cert["names"]
    assert result.metrics["tls_version"] == "TLSv1.3"


def test_a_localhost_name_matches_too(certs: Certificates) -> None:
    with serve_https(certs.leaf("localhost")) as server:
        url = server.base_url.replace("127.0.0.1", "localhost")
        result = run_preflight(
            PreflightSettings(url, "sandbox", ca_file=certs.ca_file),
            only=["preflight.tls.certificate", "preflight.environment_host"],
        )
    assert set(statuses(result).values()) == {Status.PASS}


# -- preflight.tls.version ---------------------------------------------------------------------------------


def test_a_tls12_only_server_warns(certs: Certificates) -> None:
    with serve_https(certs.leaf(), maximum=ssl.TLSVersion.TLSv1_2) as server:
        result = run(server, certs)
    assert result.passed
    assert statuses(result)["preflight.tls.version"] is Status.WARN
    assert "enable TLS 1.3" in str(record(result, "preflight.tls.version")["message"])


def _local_openssl_speaks_tls11(certs: Certificates) -> bool:
    """Whether this OpenSSL can still complete a TLS 1.1 handshake at all (in memory, no sockets)."""
    server = Certificates.server_context(
        certs.leaf(), minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1_1, seclevel0=True
    )
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname, client.verify_mode = False, ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client.minimum_version = ssl.TLSVersion.TLSv1
    try:
        client.set_ciphers("DEFAULT:@SECLEVEL=0")
    except ssl.SSLError:
        return False
    pipes = [ssl.MemoryBIO() for _ in range(4)]
    ends = [
        client.wrap_bio(pipes[0], pipes[1], server_hostname="127.0.0.1"),
        server.wrap_bio(pipes[2], pipes[3], server_side=True),
    ]
    done = [False, False]
    for _ in range(20):
        for index, end in enumerate(ends):
            if not done[index]:
                try:
                    end.do_handshake()
                    done[index] = True
                except ssl.SSLWantReadError:
                    pass
                except ssl.SSLError:
                    return False
        pipes[2].write(pipes[1].read())
        pipes[0].write(pipes[3].read())
        if all(done):
            return ends[0].version() == "TLSv1.1"
    return False


def test_a_tls11_server_fails(certs: Certificates) -> None:
    if not _local_openssl_speaks_tls11(certs):
        pytest.skip("this OpenSSL build refuses TLS 1.1 even at security level 0")
    server_context = {"minimum": ssl.TLSVersion.TLSv1, "maximum": ssl.TLSVersion.TLSv1_1, "seclevel0": True}
    with serve_https(certs.leaf(), **server_context) as server:
        result = run(server, certs)
    found = statuses(result)
    assert found["preflight.tls.version"] is Status.FAIL
    assert "at least TLS 1.2 is required" in str(record(result, "preflight.tls.version")["message"])
    assert found["preflight.tls.certificate"] is Status.SKIP  # judged by the version check, not twice


def test_plain_http_on_an_https_url_fails_the_handshake() -> None:
    with Served(health_app(date_offset=0)) as server:
        url = server.base_url.replace("http://", "https://")
        result = run_preflight(PreflightSettings(url, "sandbox"), only=["preflight.tls.version"])
    assert failing(result) == {"preflight.tls.version"}
    assert "TLS handshake with 127.0.0.1" in str(record(result, "preflight.tls.version")["message"])


# -- preflight.tls.certificate -----------------------------------------------------------------------------


def test_an_expired_certificate_fails(certs: Certificates) -> None:
    with serve_https(certs.leaf(days_left=-2)) as server:
        result = run(server, certs)
    assert failing(result) == {"preflight.tls.certificate"}
    found = record(result, "preflight.tls.certificate")
    evidence: Any = found["evidence"]
    assert "expired on" in str(found["message"])
    assert evidence["days_left"] < 0
    assert evidence["not_after"]


def test_a_certificate_expiring_in_five_days_fails(certs: Certificates) -> None:
    with serve_https(certs.leaf(days_left=5)) as server:
        result = run(server, certs)
    assert failing(result) == {"preflight.tls.certificate"}
    found = record(result, "preflight.tls.certificate")
    evidence: Any = found["evidence"]
    assert 4.9 < evidence["days_left"] < 5.1
    assert evidence["min_cert_days"] == 14
    assert "at least 14 days are required" in str(found["message"])


def test_five_days_left_is_enough_when_the_bound_is_lower(certs: Certificates) -> None:
    with serve_https(certs.leaf(days_left=5)) as server:
        result = run(server, certs, min_cert_days=3)
    assert statuses(result)["preflight.tls.certificate"] is Status.PASS


def test_a_certificate_for_another_host_fails_naming_both(certs: Certificates) -> None:
    with serve_https(certs.leaf("api.openclaw.example")) as server:
        result = run(server, certs)
    assert failing(result) == {"preflight.tls.certificate"}
    message = str(record(result, "preflight.tls.certificate")["message"])
    assert "DNS:api.openclaw.example" in message
    assert "not 127.0.0.1" in message


def test_a_certificate_from_an_untrusted_ca_fails(certs: Certificates) -> None:
    with serve_https(certs.leaf()) as server:
        result = run(server, None)  # the private CA is not passed as ca_file
    assert failing(result) == {"preflight.tls.certificate"}
    assert "pass ca_file" in str(record(result, "preflight.tls.certificate")["message"])
