"""One fake-bot server per session on a free loopback port; its behaviour is reset after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clawcheck.notify import NotifyTarget
from clawcheck.serving import ASGIServer

from .fakebots import SECRETS, FakeBots, urls

KINDS = ("wecom", "feishu", "dingtalk", "slack")


@pytest.fixture(scope="session")
def fake_server() -> Iterator[tuple[FakeBots, ASGIServer]]:
    bots = FakeBots()
    with ASGIServer(bots.app(), shutdown_timeout=2.0) as server:
        yield bots, server


@pytest.fixture
def bots(fake_server: tuple[FakeBots, ASGIServer]) -> Iterator[FakeBots]:
    fake, _ = fake_server
    fake.reset()
    yield fake
    fake.reset()


@pytest.fixture
def base_url(fake_server: tuple[FakeBots, ASGIServer]) -> str:
    return fake_server[1].base_url


@pytest.fixture
def good(base_url: str) -> dict[str, NotifyTarget]:
    """Each bot's correct target: the right URL and, for the signed bots, the right secret."""
    return {kind: NotifyTarget(kind, url, SECRETS[kind]) for kind, url in urls(base_url).items()}
