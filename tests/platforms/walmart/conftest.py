from __future__ import annotations

import pytest
from tests.platforms.walmart.support import Api, Clock, make_mock

from clawcheck.platforms.engine import Mock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mock(clock: Clock) -> Mock:
    return make_mock(clock=clock)


@pytest.fixture
def api(mock: Mock) -> Api:
    """A client of the primary seller, logged in on the sandbox host."""
    client = Api(mock)
    client.login()
    return client
