"""report.html: self-contained, escaped, one SVG per chart with the SLA line, waivers shown as waived."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from html import escape
from html.parser import HTMLParser

import pytest

from clawcheck.report import render

from .conftest import Rendered
from .sample import CREATE, GET_ORDER, HEALTH, TOKEN, WAIVER, make_checklist

# Attributes that make a browser fetch or navigate.
_URL_ATTRIBUTES = {
    "src",
    "href",
    "xlink:href",
    "action",
    "formaction",
    "poster",
    "data",
    "srcset",
    "background",
}
_FETCHING_TAGS = {
    "script",
    "link",
    "iframe",
    "img",
    "object",
    "embed",
    "video",
    "audio",
    "source",
    "base",
    "frame",
}


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _FETCHING_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if (
                name in _URL_ATTRIBUTES
                and value
                and not value.startswith("#")
                and re.match(r"[a-z][a-z0-9+.-]*:|//", value)
            ):
                self.problems.append(f"{tag} {name}={value}")
            if name == "style" and value:
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def external_references(page: str) -> list[str]:
    """Everything in a page that would make a browser load something (or leave the report directory)."""
    scan = _Scan()
    scan.feed(page)
    scan.close()
    problems = list(scan.problems)
    for css in scan.styles:
        problems += [f"css {m}" for m in re.findall(r"@import|url\s*\(", css, flags=re.IGNORECASE)]
    return problems


@pytest.mark.parametrize(
    "page",
    [
        '<img src="https://cdn.example/x.png">',
        '<a href="https://example.com/">x</a>',
        '<link rel="stylesheet" href="//fonts.example/css">',
        "<style>@import 'x.css';</style>",
        "<style>body { background: url(x.png) }</style>",
        '<p style="background: url(https://x)">x</p>',
        '<svg><use xlink:href="https://x/sprite.svg#a"/></svg>',
    ],
)
def test_the_scanner_catches_each_kind_of_load(page: str) -> None:
    assert external_references(page)


def test_page_loads_nothing(rendered: Rendered) -> None:
    page = rendered.text("html")
    assert external_references(page) == []
    assert "default-src &#x27;none&#x27;" in page  # the CSP meta: a browser refuses any load
    # URLs do appear, as text of evidence (curl commands, the target) only.
    assert "http://127.0.0.1:18080" in page


def test_hostile_text_is_escaped(rendered: Rendered) -> None:
    page = rendered.text("html")
    assert "<script" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;https://evil.example/x.png&quot;&gt;" in page
    )
    # An evidence "link" to another host is shown, never linked.
    assert "<code>https:/<wbr>/<wbr>evil.example/<wbr>not-a-link</code>" in page
    assert 'href="https://evil.example' not in page


def _svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", page, flags=re.DOTALL)]


def _operation(page: str, name: str) -> str:
    start = page.index(f"<h3><code>{escape(name)}</code></h3>")
    return page[start : page.index("</article>", start)]


def test_one_svg_per_chart(rendered: Rendered) -> None:
    svgs = _svgs(rendered.text("html"))
    kinds = [svg.get("data-chart") for svg in svgs]
    # 4 operations (3 judged + the token request measured outside the mix), one of them with failures.
    assert sorted(kinds) == sorted(["series"] + ["histogram", "percentiles"] * 4 + ["errors"])
    for svg in svgs:  # well-formed, titled, and not empty
        assert svg.findtext("title")
        assert len(list(svg.iter())) > 10


def test_sla_line_on_judged_operations_only(rendered: Rendered) -> None:
    page = rendered.text("html")
    for name, sla in ((CREATE, "800"), (GET_ORDER, "300"), (HEALTH, "100")):
        section = _operation(page, name)
        for svg in _svgs(section):
            if svg.get("data-chart") in ("histogram", "percentiles"):
                lines = [e for e in svg.iter("line") if e.get("class") == "sla"]
                labels = [e.text for e in svg.iter("text") if e.get("class") == "sla-label"]
                assert len(lines) == 1, (name, svg.get("data-chart"))
                assert labels == [f"SLA P95 ≤ {sla} ms"], (name, svg.get("data-chart"))
    token = _operation(page, TOKEN)
    assert 'class="sla"' not in token
    assert ("未评判" if rendered.checklist.lang.startswith("zh") else "not judged") in token


def _percentile_chart(page: str, name: str) -> ET.Element:
    return next(s for s in _svgs(_operation(page, name)) if s.get("data-chart") == "percentiles")


def test_percentile_curve_shows_which_side_of_the_sla_the_p95_is(rendered: Rendered) -> None:
    """SVG y grows downwards: a failing P95 (createOrder, 930 ms > 800) is drawn above the SLA line."""
    page = rendered.text("html")
    for name, fails in ((CREATE, True), (GET_ORDER, False)):
        svg = _percentile_chart(page, name)
        sla_y = float(next(e for e in svg.iter("line") if e.get("class") == "sla").get("y1", "nan"))
        p95_y = float(next(e for e in svg.iter("circle") if e.get("class") == "p95-point").get("cy", "nan"))
        assert (p95_y < sla_y) is fails, name
        ticks = [e.text for e in svg.iter("text") if e.get("class") == "tick"]
        assert {"50", "90", "99", "99.9"} <= set(ticks)  # the percentile axis is in nines


def test_error_codes_chart(rendered: Rendered) -> None:
    section = _operation(rendered.text("html"), GET_ORDER)
    chart = next(s for s in _svgs(section) if s.get("data-chart") == "errors")
    labels = [e.text for e in chart.iter("text") if e.get("class") == "tick"]
    assert labels == ["UPSTREAM_TIMEOUT", "12", "HTTP_429", "8"]


def test_waived_item_is_shown_as_waived_with_reason_and_signer(rendered: Rendered) -> None:
    page = rendered.text("html")
    zh = rendered.checklist.lang.startswith("zh")
    row = re.search(
        r'<tr class="row-waived" id="item-op.createOrder.contract">.*?</tr>', page, flags=re.DOTALL
    )
    assert row is not None
    assert f'<span class="badge badge-waived">{"豁免" if zh else "waived"}</span>' in row.group()
    assert "badge-pass" not in row.group()
    assert WAIVER.reason in row.group()
    assert WAIVER.signer in row.group()
    assert ("（平台）" if zh else "(platform)") in row.group()


def test_header_verdict_and_demo_banner(zh: Rendered, en: Rendered) -> None:
    assert '<div class="verdict verdict-rejected">验收未通过</div>' in zh.text("html")
    assert '<div class="verdict verdict-rejected">REJECTED</div>' in en.text("html")
    assert 'class="banner-demo"' in zh.text("html")
    assert "演示密钥" in zh.text("html")
    assert 'class="banner-demo"' not in en.text("html")
    for label in ("20260319T083000Z-a1b2c3", "staging · 龙虾预发布", "2026-03-19T08:41:07.250Z"):
        assert label in en.text("html")


def test_failing_evidence_for_every_failed_check(rendered: Rendered) -> None:
    page = rendered.text("html")
    section = page[page.index('<section id="failing_evidence">') :]
    failed = [(name, c) for name, r in rendered.checklist.suites.items() for c in r.failed()]
    assert section.count('<article class="failure"') == len(failed) == 6
    for _, check in failed:
        assert f"<code>{check.id}</code>" in section
        curl = check.evidence.get("curl")
        if curl:
            assert f'<pre class="curl">{escape(curl)}</pre>' in section
    assert "suites/contract.json" in section
    assert "已截断" in section or "truncated" in section


def test_a_corrupt_histogram_costs_only_its_charts() -> None:
    checklist = make_checklist("en")
    load = checklist.suites["load"]
    operations = dict(load.metrics["operations"])
    operations[CREATE] = {**operations[CREATE], "histogram": "HISTFAAAACl4nJNpmSzMwMBgyQABMJoRTM6ZJMOfYjYHc"}
    broken = replace(load, metrics={**load.metrics, "operations": operations})
    page = render("html", replace(checklist, suites={**checklist.suites, "load": broken})).decode()
    section = _operation(page, CREATE)
    assert "The histogram is missing or unreadable." in section
    assert "<svg" not in section
    assert len(_svgs(page)) == 1 + 2 * 3 + 1  # the other operations keep theirs


def test_no_load_suite() -> None:
    page = render("html", replace(make_checklist("en"), suites={})).decode()
    assert "This run has no load data." in page
    assert "<svg" not in page
    assert "No check failed." in page
