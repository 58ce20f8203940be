"""Finding and reading the configuration: `clawcheck.toml`, or `[tool.clawcheck]` in `pyproject.toml`.

The whole file is validated on load, every environment included, without reading a single
secret; the chosen environment's secrets are read from the environment by `Config.environment`.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clawcheck.config.model import EnvironmentConfig
from clawcheck.config.reader import Context, Table, dotted, suggest, toml_type
from clawcheck.config.schema import (
    DEFAULT_ENVIRONMENT,
    ENVIRONMENT,
    ENVIRONMENT_NAME,
    LANGS,
    NOTIFY,
    TOP,
    build_environment,
    build_notify,
)
from clawcheck.config.secrets import env_resolver, placeholder_resolver
from clawcheck.errors import ConfigError

__all__ = ["CONFIG_FILE", "PYPROJECT", "Config", "load_config"]

CONFIG_FILE = "clawcheck.toml"
PYPROJECT = "pyproject.toml"
_PYPROJECT_TABLE = "tool.clawcheck"


@dataclass(frozen=True, slots=True)
class Config:
    """A validated configuration file. Relative paths in it are relative to its directory (`root`)."""

    source: Path  # the file read, absolute
    lang: str = "zh-CN"
    out: Path = Path("reports")  # absolute after load
    spec: Path | None = None  # None: the bundled spec
    default_env: str | None = None
    names: tuple[str, ...] = ()  # the environments, in file order
    sha256: str = ""  # of the file's bytes, for the checklist's provenance
    _label: str = field(default=CONFIG_FILE, repr=False, compare=False)
    _prefix: str = field(default="", repr=False, compare=False)  # "tool.clawcheck" in pyproject.toml
    _document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def root(self) -> Path:
        """The configuration's directory: relative paths, and the adapter command, start here."""
        return self.source.parent

    def environment(self, name: str | None = None) -> EnvironmentConfig:
        """The named environment (None: `default_env`, else the only one) with its secrets resolved.

        Only this environment's variables (and those of [[notify]]) are read: the others may
        name variables that are not set on this machine.
        """
        chosen = self._choose(name)
        ctx = Context(self._label, env_resolver(self._environ, self._label))
        top = Table(self._document, self._prefix, ctx, None)
        notify = top.tables("notify", NOTIFY)
        if chosen is None:
            return build_environment(DEFAULT_ENVIRONMENT, None, notify, self.root)
        environments = top.child("environments", None)
        return build_environment(chosen, environments.child(chosen, ENVIRONMENT), notify, self.root)

    def provenance(self, environment: EnvironmentConfig) -> dict[str, Any]:
        """What the checklist records about its configuration: never a secret value."""
        return {
            "source": str(self.source),
            "sha256": self.sha256,
            "lang": self.lang,
            "out": str(self.out),
            "spec": None if self.spec is None else str(self.spec),
            "environment": environment.to_dict(),
        }

    def _choose(self, name: str | None) -> str | None:
        if name is None:
            if self.default_env is not None:
                return self.default_env
            if len(self.names) <= 1:
                return self.names[0] if self.names else None
            raise ConfigError(
                f"{self._label} defines environments {', '.join(self.names)} and no default_env; "
                "name the environment to run, or set default_env"
            )
        if name in self.names:
            return name
        if not self.names:
            raise ConfigError(
                f"unknown environment {name!r}: {self._label} defines none; "
                f"add [{dotted(dotted(self._prefix, 'environments'), name)}] or run without a name"
            )
        close = suggest(name, self.names)
        hint = f" (did you mean {close!r}?)" if close else ""
        raise ConfigError(
            f"unknown environment {name!r}{hint}; {self._label} defines: {', '.join(self.names)}"
        )


def load_config(
    path: Path | None = None, *, cwd: Path | None = None, env: Mapping[str, str] = os.environ
) -> Config | None:
    """Read and validate the configuration; None when there is none (run everything embedded).

    An explicit `path` (relative to `cwd`) wins; else `clawcheck.toml` in `cwd`; else the
    `[tool.clawcheck]` table of `pyproject.toml` in `cwd`. `env` is where `Config.environment`
    later reads the secrets from. Every problem is a one-line ConfigError naming the key.
    """
    base = Path.cwd() if cwd is None else cwd
    if path is not None:
        file = path if path.is_absolute() else base / path
        if not file.exists():
            raise ConfigError(f"configuration file {path} does not exist; check the path, or omit it")
        if not file.is_file():
            raise ConfigError(f"configuration file {path} is not a file; give the path of a .toml file")
        data, digest = _read(file, str(path))
        if file.name != PYPROJECT:
            return _config(file, str(path), "", data, digest, env)
        table = _tool_table(data, str(path))
        if table is None:
            raise ConfigError(f"{path} has no [{_PYPROJECT_TABLE}] table; add one or give another file")
        return _config(file, str(path), _PYPROJECT_TABLE, table, digest, env)
    candidate = base / CONFIG_FILE
    if candidate.is_file():
        data, digest = _read(candidate, CONFIG_FILE)
        return _config(candidate, CONFIG_FILE, "", data, digest, env)
    candidate = base / PYPROJECT
    if candidate.is_file():
        data, digest = _read(candidate, PYPROJECT)
        table = _tool_table(data, PYPROJECT)
        if table is not None:
            return _config(candidate, PYPROJECT, _PYPROJECT_TABLE, table, digest, env)
    return None


def _read(file: Path, label: str) -> tuple[dict[str, Any], str]:
    try:
        raw = file.read_bytes()
        # tomllib's messages carry the line and column, never the text around them.
        return tomllib.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()
    except OSError as exc:
        raise ConfigError(f"cannot read {label}: {exc.strerror}; check its permissions") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label} is not valid TOML: {exc}; fix the file") from None


def _tool_table(data: Mapping[str, Any], label: str) -> Mapping[str, Any] | None:
    tool = data.get("tool")
    table = tool.get("clawcheck") if isinstance(tool, Mapping) else None
    if table is not None and not isinstance(table, Mapping):
        raise ConfigError(f"{label}: {_PYPROJECT_TABLE} must be a table, got {toml_type(table)}")
    return table


def _config(
    file: Path,
    label: str,
    prefix: str,
    document: Mapping[str, Any],
    digest: str,
    environ: Mapping[str, str],
) -> Config:
    root = file.resolve().parent
    ctx = Context(label, placeholder_resolver)
    top = Table(document, prefix, ctx, TOP)
    lang = top.string("lang", choices=LANGS) or "zh-CN"
    out = top.string("out") or "reports"
    spec = top.string("spec")
    default_env = top.string("default_env")
    environments = top.table("environments", None)
    names = tuple(environments) if environments is not None else ()
    if default_env is not None and default_env not in names:
        known = ", ".join(names) if names else "none"
        top.fail("default_env", f"names {default_env!r}, which is not an environment here (defined: {known})")
    notify = top.tables("notify", NOTIFY)
    build_notify(notify)
    for name in names:
        assert environments is not None
        if not ENVIRONMENT_NAME.match(name):
            environments.fail(
                name,
                "is not a usable environment name: letters, digits, ., _ and - (it names report folders)",
            )
        # Validation only: the placeholder resolver reads no variable.
        build_environment(name, environments.child(name, ENVIRONMENT), notify, root)
    return Config(
        source=file.resolve(),
        lang=lang,
        out=root / out,
        spec=None if spec is None else root / spec,
        default_env=default_env,
        names=names,
        sha256=digest,
        _label=label,
        _prefix=prefix,
        _document=document,
        _environ=environ,
    )
