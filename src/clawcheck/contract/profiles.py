"""Hypothesis profiles for contract runs, chosen with `--hypothesis-profile=ci|dev|thorough`."""

from __future__ import annotations

__all__ = ["PROFILES", "register_profiles"]

# max_examples per operation; `ci` is derandomized so the same commit tests the same cases.
PROFILES = {
    "ci": {"max_examples": 25, "derandomize": True, "database": None, "print_blob": True},
    "dev": {"max_examples": 50},
    "thorough": {"max_examples": 200},
}


def register_profiles() -> None:
    """Register the profiles a user has not registered under the same name already."""
    from hypothesis import HealthCheck, settings
    from hypothesis.errors import InvalidArgument

    for name, values in PROFILES.items():
        try:
            settings.get_profile(name)
            continue  # the user's own profile of that name wins
        except InvalidArgument:
            pass
        settings.register_profile(
            name,
            deadline=None,  # network round trips, not CPU time
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.filter_too_much,
                HealthCheck.data_too_large,
            ],
            **values,  # type: ignore[arg-type]
        )
