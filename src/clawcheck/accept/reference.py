"""The reference receiver and adapters shipped with clawcheck: the embedded run's counterparts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from clawcheck.core.bundled import bundled_file
from clawcheck.errors import ConfigError

__all__ = ["reference_adapter", "reference_receiver"]


def reference_adapter(platform: str) -> Path:
    path = bundled_file(
        f"examples/adapters/{platform}_adapter.py", f"examples/adapters/{platform}_adapter.py"
    )
    if not path.is_file():
        raise ConfigError(f"no reference adapter for {platform!r}; give your adapter command in [platforms]")
    return path


def reference_receiver(secret: str) -> Any:
    """The ASGI app of examples/reference_receiver.py, verifying with `secret`."""
    path = bundled_file("examples/reference_receiver.py", "examples/reference_receiver.py")
    module = sys.modules.get("clawcheck_reference_receiver")
    if module is None:
        spec = importlib.util.spec_from_file_location("clawcheck_reference_receiver", path)
        if spec is None or spec.loader is None:
            raise ConfigError(f"the reference receiver is missing ({path}); reinstall clawcheck")
        module = importlib.util.module_from_spec(spec)
        sys.modules["clawcheck_reference_receiver"] = module
        spec.loader.exec_module(module)
    return module.Receiver([secret]).app()
