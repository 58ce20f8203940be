"""The acceptance configuration: `clawcheck.toml` or `[tool.clawcheck]` in `pyproject.toml`.

    config = load_config()                 # None: no configuration, run everything embedded
    env = config.environment("staging")    # secrets of this environment resolved from os.environ
    redactor = Redactor(env.secrets())

docs/config.md documents every key. Secrets are never written in the file, only the
environment variables that hold them (`{ env = "NAME" }`).
"""

from __future__ import annotations

from clawcheck.config.loader import CONFIG_FILE, PYPROJECT, Config, load_config
from clawcheck.config.model import (
    EnvironmentConfig,
    Kind,
    LoadConfig,
    NotifyConfig,
    NotifyKind,
    PlatformsConfig,
    Role,
    Signer,
    SlaOverride,
    WaiverConfig,
    WebhooksConfig,
)
from clawcheck.config.schema import KEYS, LANGS, MAX_P95_MS, MIN_SUCCESS
from clawcheck.config.secrets import Secret

__all__ = [
    "CONFIG_FILE",
    "KEYS",
    "LANGS",
    "MAX_P95_MS",
    "MIN_SUCCESS",
    "PYPROJECT",
    "Config",
    "EnvironmentConfig",
    "Kind",
    "LoadConfig",
    "NotifyConfig",
    "NotifyKind",
    "PlatformsConfig",
    "Role",
    "Secret",
    "Signer",
    "SlaOverride",
    "WaiverConfig",
    "WebhooksConfig",
    "load_config",
]
