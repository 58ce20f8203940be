"""Load profiles as data (`load/profiles.toml`): smoke, go-live, soak, spike, and the task mix."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clawcheck.core.bundled import bundled_file
from clawcheck.errors import ConfigError

__all__ = ["DEFAULT_PROFILES", "Profile", "get_profile", "load_profiles", "parse_duration"]

DEFAULT_PROFILES = bundled_file("load/profiles.toml", "load/profiles.toml")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")
_MAX_DURATION = 24 * 3600.0


def parse_duration(text: str) -> float:
    """`90`, `90s`, `5m`, `1h30m` → seconds; anything else is a ConfigError."""
    match = _DURATION.match(text.strip())
    if not text.strip() or not match or not any(match.groups()):
        raise ConfigError(f"duration {text!r} is not valid; write e.g. 30s, 5m or 1h30m")
    hours, minutes, seconds = match.groups()
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)
    if not 0 < total <= _MAX_DURATION:
        raise ConfigError(f"duration {text!r} must be more than 0 s and at most 24 h")
    return total


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    users: int = 10
    spawn_rate: float = 10.0
    duration: float = 20.0
    rate: float = 0.0  # open model: requests per second; 0 is the closed model
    pace: float = 0.0  # closed model: seconds between one user's task starts
    max_requests: int = 0
    shops: int = 64
    weights: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.name,
            "users": self.users,
            "spawn_rate": self.spawn_rate,
            "duration_s": self.duration,
            "rate": self.rate,
            "pace": self.pace,
            "max_requests": self.max_requests,
            "shops": self.shops,
            "weights": dict(self.weights),
        }


def _number(profile: str, key: str, value: object, *, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"profile {profile}: {key} must be a non-negative number, got {value!r}")
    if integer and not isinstance(value, int):
        raise ConfigError(f"profile {profile}: {key} must be a whole number, got {value!r}")
    return float(value)


def load_profiles(path: Path | None = None) -> dict[str, Profile]:
    path = path or DEFAULT_PROFILES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read load profiles {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"load profiles {path} are not valid TOML: {exc}") from exc
    weights_raw = data.get("weights", {})
    weights = {str(k): int(_number("weights", k, v, integer=True)) for k, v in weights_raw.items()}
    profiles: dict[str, Profile] = {}
    for name, raw in data.get("profiles", {}).items():
        unknown = set(raw) - {"users", "spawn_rate", "duration", "rate", "pace", "max_requests", "shops"}
        if unknown:
            raise ConfigError(f"profile {name}: unknown key(s) {', '.join(sorted(unknown))}")
        profiles[name] = Profile(
            name=name,
            users=int(_number(name, "users", raw.get("users", 10), integer=True)),
            spawn_rate=_number(name, "spawn_rate", raw.get("spawn_rate", 10)),
            duration=parse_duration(str(raw.get("duration", "20s"))),
            rate=_number(name, "rate", raw.get("rate", 0)),
            pace=_number(name, "pace", raw.get("pace", 0)),
            max_requests=int(_number(name, "max_requests", raw.get("max_requests", 0), integer=True)),
            shops=max(1, int(_number(name, "shops", raw.get("shops", 64), integer=True))),
            weights=weights,
        )
    return profiles


def get_profile(name: str, path: Path | None = None) -> Profile:
    profiles = load_profiles(path)
    if name not in profiles:
        raise ConfigError(f"unknown load profile {name!r}; known profiles: {', '.join(profiles)}")
    return profiles[name]
