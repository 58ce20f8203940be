"""The protocol's date-time rule: ISO 8601, UTC, with `Z`."""

from __future__ import annotations

from typing import Any

import pytest

from clawcheck.core.timefmt import find_non_utc, is_utc_z, looks_like_datetime

UTC_Z = [
    "2026-03-19T08:30:00Z",
    "2026-03-19T08:30:00.1Z",
    "2026-03-19T08:30:00.123456789Z",
    "2026-03-19T08:30Z",
]
NOT_UTC = [
    "2026-03-19T16:30:00+08:00",
    "2026-03-19T08:30:00+00:00",
    "2026-03-19T03:30:00-05:00",
    "2026-03-19T16:30:00+0800",
    "2026-03-19T16:30:00+08",
    "2026-03-19T16:30:00",
    "2026-03-19 16:30:00",
    "2026-03-19T08:30:00z",
]
NOT_DATETIMES = [
    "2026-03-19",
    "08:30:00Z",
    "2026-3-19T08:30:00Z",
    "20260319T083000Z",
    "x2026-03-19T08:30:00Z",
    "2026-03-19T08:30:00Z ",
    "",
    "Z",
]


@pytest.mark.parametrize("value", UTC_Z)
def test_utc_z(value: str) -> None:
    assert looks_like_datetime(value)
    assert is_utc_z(value)


@pytest.mark.parametrize("value", NOT_UTC)
def test_date_times_not_in_utc_z(value: str) -> None:
    assert looks_like_datetime(value)
    assert not is_utc_z(value)


@pytest.mark.parametrize("value", NOT_DATETIMES)
def test_not_date_times(value: str) -> None:
    assert not looks_like_datetime(value)
    assert not is_utc_z(value)


def test_find_non_utc_walks_dicts_and_lists_with_pointers() -> None:
    data: Any = {
        "created_at": "2026-03-19T08:30:00Z",
        "placed_on": "2026-03-19",
        "events": [{"at": "2026-03-19T16:30:00+08:00"}, {"at": "2026-03-19T08:30:00Z"}],
        "a/b~c": ["2026-03-19T16:30:00"],
        "n": 5,
        "nothing": None,
    }
    assert list(find_non_utc(data)) == [
        ("/events/0/at", "2026-03-19T16:30:00+08:00"),
        ("/a~1b~0c/0", "2026-03-19T16:30:00"),
    ]


def test_find_non_utc_on_a_bare_value() -> None:
    assert list(find_non_utc("2026-03-19T16:30:00+08:00")) == [("/", "2026-03-19T16:30:00+08:00")]
    assert list(find_non_utc("2026-03-19T08:30:00Z")) == []
    assert list(find_non_utc(20260319)) == []
