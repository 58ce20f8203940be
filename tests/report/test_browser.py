"""report.html in a real browser: headless Chromium draws it, logs nothing, and the charts are in the DOM.

Skipped where Chromium is not installed (CI); `apt-get install -y chromium` provides it. The fast
equivalent of these checks (no external load, well-formed SVG per chart) is in test_html.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import Rendered

CHROMIUM = next(
    (p for name in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(name))), None
)
# Default tier (about 6 s): the issue asks for the page opened in a real browser; skipped,
# with the reason, where no Chromium is installed.
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)"),
]
# Chromium logs every console message (errors, CSP violations) as "INFO:CONSOLE(...)" with --enable-logging.
CONSOLE = re.compile(r":CONSOLE[:(]")


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--no-first-run",
         "--disable-extensions", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


def test_console_scan_catches_a_blocked_load(tmp_path: Path) -> None:
    """The check below can fail: a page whose CSP blocks an image is reported on the console."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><meta http-equiv='Content-Security-Policy' content=\"default-src 'none'\">"
        "<img src='https://cdn.example.invalid/x.png'><p>x</p>",
        encoding="utf-8",
    )
    done = chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert console_lines(done.stderr), done.stderr[-2000:]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_renders_without_console_messages(
    lang: str, request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rendered: Rendered = request.getfixturevalue(lang)
    url = rendered.files["html"].as_uri()
    dom = chromium(tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_lines(dom.stderr) == []
    # The browser built every chart: one per operation and kind, plus the run's time series.
    charts = re.findall(r'<svg class="chart" data-chart="(\w+)"', dom.stdout)
    assert sorted(charts) == sorted(["series"] + ["histogram", "percentiles"] * 4 + ["errors"])
    assert dom.stdout.count('class="sla"') == 6  # 3 judged operations × 2 charts

    shot = tmp_path / f"report-{lang}.png"
    done = chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,4000", url)
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.is_file()
    assert console_lines(done.stderr) == []
    with capsys.disabled():  # shown in the test output even without -s
        print(f"\nscreenshot: {shot}")

    from PIL import Image  # pillow comes with reportlab

    with Image.open(shot) as image:
        assert image.size == (1280, 4000)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert shot.stat().st_size > 50_000
    assert colours is not None
    assert len(colours) > 50
