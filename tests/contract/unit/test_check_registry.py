"""The check registry holds exactly the checks this directory tests, each of the right kind."""

from __future__ import annotations

import pytest

from clawcheck.contract.checks import CHECKS, CheckKind, load_all
from clawcheck.errors import ConfigError

EXPECTED = {
    "errors.envelope": CheckKind.RESPONSE,
    "errors.trace_id": CheckKind.RESPONSE,
    "datetime.utc": CheckKind.RESPONSE,
    "ratelimit.retry_after": CheckKind.RESPONSE,
    "inventory.non_negative": CheckKind.RESPONSE,
    "auth.missing": CheckKind.PROBE,
    "auth.invalid_token": CheckKind.PROBE,
    "idempotency.replay": CheckKind.PROBE,
    "idempotency.key_reuse": CheckKind.PROBE,
    "ratelimit.enforced": CheckKind.SCENARIO,
    "auth.expired_token": CheckKind.SCENARIO,
    "inventory.concurrency": CheckKind.SCENARIO,
}


def test_registry_holds_exactly_the_tested_checks() -> None:
    load_all()
    # A new check without tests here fails this test: add it to EXPECTED and test it both ways.
    assert {c.id: c.kind for c in CHECKS} == EXPECTED


def test_load_all_is_idempotent() -> None:
    load_all()
    before = CHECKS.names()
    load_all()
    assert CHECKS.names() == before


@pytest.mark.parametrize("check_id", sorted(EXPECTED))
def test_every_check_has_titles_and_a_description(check_id: str) -> None:
    load_all()
    check = CHECKS.get(check_id)
    assert check.id == check_id
    assert check.title
    assert check.title_zh
    assert check.description, "the first docstring line becomes the description"
    assert callable(check.fn)


def test_unknown_check_is_a_config_error_listing_known_ones() -> None:
    load_all()
    with pytest.raises(ConfigError, match=r"unknown check 'errors\.nope'; known: .*errors\.envelope"):
        CHECKS.get("errors.nope")
