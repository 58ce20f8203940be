"""Helpers: write a configuration into a temporary directory and load it from there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from clawcheck.config import Config, load_config

# A valid environment against a real target; tests append to it or replace lines of it.
BASE = """\
[environments.staging]
kind = "sandbox"
target = "https://sandbox.openclaw.example.com"
client_id = "my-app"
client_secret = { env = "OPENCLAW_CLIENT_SECRET" }
shop_id = "shop_1001"
"""
ENV = {"OPENCLAW_CLIENT_SECRET": "client-secret-value-1", "OPENCLAW_WEBHOOK_SECRET": "whsec-value-22"}

Write = Callable[..., Path]
Load = Callable[..., Config]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def write(text: str, name: str = "clawcheck.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def load(write: Write, tmp_path: Path) -> Load:
    """Write `text` as clawcheck.toml and load it (with `env`, default ENV); never None."""

    def load(text: str, env: Mapping[str, str] | None = None, name: str = "clawcheck.toml") -> Config:
        write(text, name)
        config = load_config(cwd=tmp_path, env=ENV if env is None else env)
        assert config is not None
        return config

    return load
