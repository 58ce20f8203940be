"""The reference receiver passes every check; without a probe the processing checks skip, never pass."""

from __future__ import annotations

from clawcheck.core.results import Status
from clawcheck.serving import ASGIServer
from clawcheck.webhooks import CHECKS, NO_PROBE, CheckKind, check_ids, preflight, run_suite

from .receivers import settings_for


def test_reference_receiver_passes_every_check(reference: ASGIServer) -> None:
    settings = settings_for(reference)
    preflight(settings)
    result = run_suite(settings)
    assert [record.id for record in result.checks] == check_ids()
    assert {r.id: r.message for r in result.checks if r.status is not Status.PASS} == {}
    assert result.passed
    assert result.complete
    assert result.suite == "webhooks"
    assert result.target == settings.url
    latency = result.metrics["latency_ms"]
    assert latency["samples"] == latency["planned"] == 100
    assert latency["p95_rule"] == "nearest rank: the 95th of 100 sorted samples"
    assert result.metrics["probe"] is True
    assert result.metrics["probe_reads"] > 0


def test_without_a_probe_processing_checks_skip_and_the_rest_pass(reference: ASGIServer) -> None:
    result = run_suite(settings_for(reference, probe=False, burst=8))
    for record in result.checks:
        if CHECKS.get(record.id).kind is CheckKind.PROCESSING:
            assert record.status is Status.SKIP, record
            assert record.message == NO_PROBE
        else:
            assert record.status is Status.PASS, record
    assert result.metrics["probe_reads"] == 0
    assert result.counts()["skip"] == sum(1 for c in CHECKS if c.kind is CheckKind.PROCESSING) > 10
