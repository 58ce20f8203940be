"""The one registry of mock platforms: each platform module registers its class once."""

from __future__ import annotations

import importlib
from pathlib import Path

from clawcheck.core.bundled import bundled_file
from clawcheck.core.registry import Registry
from clawcheck.platforms.model import Platform

__all__ = ["MODULES", "PLATFORMS", "load_all", "register", "spec_path"]

PLATFORMS: Registry[type[Platform]] = Registry("platform")

# The platform modules, in the order `clawcheck mock --list` shows them.
MODULES = ("amazon", "shopify", "walmart", "shopee", "lazada", "tiktok", "woocommerce")


def register(cls: type[Platform]) -> type[Platform]:
    """Class decorator: add a platform under its own `name`."""
    return PLATFORMS.add(cls.name, cls)


def load_all() -> Registry[type[Platform]]:
    """Import every platform module once so that each registers itself."""
    for name in MODULES:
        importlib.import_module(f"clawcheck.platforms.{name}")
    return PLATFORMS


def spec_path(platform: type[Platform]) -> Path:
    """The platform's OpenAPI spec: in the wheel, or `specs/platforms/` of a checkout."""
    return bundled_file(f"platforms/{platform.spec}", f"specs/platforms/{platform.spec}")
