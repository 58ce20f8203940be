"""Reports of the sample checklist, rendered once per language for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

from clawcheck.core.checklist import Checklist
from clawcheck.report import write_reports

from .sample import make_checklist


class Rendered:
    """One language's report directory and the checklist it came from."""

    def __init__(self, checklist: Checklist, out: Path) -> None:
        self.checklist = checklist
        self.out = out
        self.files = write_reports(checklist, out)

    def text(self, name: str) -> str:
        return self.files[name].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def zh(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """zh-CN, signed with a demo key."""
    return Rendered(make_checklist("zh-CN", demo_key=True), tmp_path_factory.mktemp("zh"))


@pytest.fixture(scope="session")
def en(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """en, no demo key: the banners' absence is covered too."""
    return Rendered(make_checklist("en", demo_key=False), tmp_path_factory.mktemp("en"))


@pytest.fixture(params=["zh", "en"])
def rendered(request: pytest.FixtureRequest) -> Rendered:
    """Each language in turn."""
    value: Rendered = request.getfixturevalue(request.param)
    return value
