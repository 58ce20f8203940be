"""report.html: one self-contained page, no external resource, no script.

Styles are inline, charts are SVG drawn in Python (`charts`), and a Content-Security-Policy
of `default-src 'none'` makes the browser refuse any load that might still slip in
(an evidence string is text, never markup: everything goes through `html.escape`).
Links go only to the report directory (`suites/*.json`) and to anchors in the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from clawcheck.core.checklist import ChecklistItem
from clawcheck.core.results import CheckRecord
from clawcheck.report import charts
from clawcheck.report._registry import renderer
from clawcheck.report.loadview import LoadView, OperationLoad
from clawcheck.report.view import FailedCheck, ReportView, check_outcome, fmt_value, local_href

__all__ = ["render_html"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_FONTS = (
    'system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
CSS = """
:root { --pass: #2e7d32; --fail: #c62828; --waived: #ef6c00; --not_run: #757575; --ink: #212121; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 1240px; padding: 24px;
       line-height: 1.5; font-size: 14px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 12px; }
h2 { font-size: 20px; border-bottom: 2px solid #e0e0e0; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC",
            monospace; }
pre { background: #f6f8fa; border: 1px solid #e0e0e0; padding: 10px; overflow-x: auto; white-space: pre-wrap;
      word-break: break-all; font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid #e0e0e0; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #fafafa; font-weight: 600; white-space: nowrap; }
td.id code { white-space: nowrap; }
.banner-demo { background: #fff3e0; border: 2px solid var(--waived); color: #e65100; padding: 10px 14px;
               font-weight: 600; margin: 12px 0; }
.verdict { display: inline-block; font-size: 30px; font-weight: 800; padding: 8px 22px; border-radius: 6px;
           color: #fff; margin: 8px 0 16px; letter-spacing: 2px; }
.verdict-accepted { background: var(--pass); }
.verdict-rejected { background: var(--fail); }
.verdict-incomplete { background: var(--waived); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.meta dt { color: #616161; }
.meta dd { margin: 0; word-break: break-all; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px;
         white-space: nowrap; font-weight: 600; }
.badge-pass { background: var(--pass); }
.badge-fail { background: var(--fail); }
.badge-waived { background: var(--waived); }
.badge-not_run { background: var(--not_run); }
.badge-inconclusive, .badge-warn { background: #f9a825; }
.badge-skip { background: var(--not_run); }
.tag { font-size: 11px; color: #616161; border: 1px solid #bdbdbd; border-radius: 3px; padding: 0 4px; }
tr.row-fail td { background: #ffebee; }
tr.row-waived td { background: #fff8e1; }
.waiver { margin-top: 4px; color: #e65100; font-weight: 600; }
.counts { display: flex; gap: 12px; flex-wrap: wrap; }
.count { border: 1px solid #e0e0e0; border-radius: 6px; padding: 8px 16px; min-width: 110px; }
.count b { display: block; font-size: 24px; }
.count-pass b { color: var(--pass); } .count-fail b { color: var(--fail); }
.count-waived b { color: var(--waived); } .count-not_run b { color: var(--not_run); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 12px; }
svg.chart { width: 100%; height: auto; border: 1px solid #eee; background: #fff; }
svg.chart text { font-family: FONTS; font-size: 11px; fill: #424242; }
svg.chart .chart-title { font-size: 13px; font-weight: 600; fill: #212121; }
.note { color: #616161; font-style: italic; }
.unmet { color: var(--fail); }
.failure { border-left: 4px solid var(--fail); padding: 4px 12px; margin: 16px 0; }
nav a { margin-right: 14px; }
footer { margin-top: 40px; color: #9e9e9e; font-size: 12px; }
@media print { nav { display: none; } .charts { grid-template-columns: 1fr; } h2 { break-before: auto; }
               tr, .failure, svg.chart { break-inside: avoid; } }
""".replace("FONTS", _FONTS).strip()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _anchor(prefix: str, name: str) -> str:
    """An HTML id (no whitespace allowed) for an item or an operation."""
    return _e(prefix + "-" + "_".join(name.split()))


def _badge(kind: str, word: str) -> str:
    return f'<span class="badge badge-{_e(kind)}">{_e(word)}</span>'


def _breakable(text: str) -> str:
    """Escaped, with line-break opportunities after / # = (evidence links are long single words)."""
    return "<wbr>".join(_e(part) for part in re.split(r"(?<=[/#=])", text))


def _links(links: Iterable[str]) -> str:
    rendered = []
    for link in links:
        href = local_href(link)
        # A link that would leave the report directory is shown as text, never followed.
        text = _breakable(link)
        rendered.append(f'<a href="{_e(href)}">{text}</a>' if href else f"<code>{text}</code>")
    return "<br>".join(rendered)


def _header(view: ReportView) -> list[str]:
    c, t = view.checklist, view.t
    parts = [f"<header><h1>{_e(t('title'))}</h1>"]
    if c.demo_key:
        parts.append(f'<div class="banner-demo" role="alert">{_e(t("demo_key"))}</div>')
    parts.append(f'<div class="verdict verdict-{_e(c.verdict)}">{_e(view.verdict_word())}</div>')
    if c.verdict == "incomplete":
        parts.append(f'<p class="unmet">{_e(t("verdict.incomplete_note"))}</p>')
    parts.append('<dl class="meta">')
    for label, value in view.metadata():
        parts.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    parts.append("</dl>")
    if view.unmet:
        ids = ", ".join(f'<a href="#{_anchor("item", i.id)}"><code>{_e(i.id)}</code></a>' for i in view.unmet)
        parts.append(f'<p class="unmet"><b>{_e(t("unmet"))}:</b> {ids}</p>')
    parts.append("</header>")
    sections = ("summary", "checklist", "waivers", "load", "failing_evidence")
    parts.append("<nav>" + "".join(f'<a href="#{s}">{_e(t(s))}</a>' for s in sections) + "</nav>")
    return parts


def _summary(view: ReportView) -> list[str]:
    t, counts = view.t, view.counts()
    parts = [f'<section id="summary"><h2>{_e(t("summary"))}</h2><div class="counts">']
    for status in ("pass", "fail", "waived", "not_run"):
        parts.append(f'<div class="count count-{status}"><b>{counts[status]}</b>{_e(t.status(status))}</div>')
    parts.append(f'<div class="count"><b>{sum(counts.values())}</b>{_e(t("total"))}</div></div>')
    parts.append(
        f"<table><thead><tr><th>{_e(t('stage'))}</th>"
        + "".join(f"<th>{_e(t.status(s))}</th>" for s in ("pass", "fail", "waived", "not_run"))
        + "</tr></thead><tbody>"
    )
    for stage, items in view.stages:
        cells = "".join(
            f"<td>{sum(1 for i in items if i.status == s)}</td>"
            for s in ("pass", "fail", "waived", "not_run")
        )
        parts.append(f'<tr><td><a href="#stage-{_e(stage)}">{_e(t.stage(stage))}</a></td>{cells}</tr>')
    parts.append("</tbody></table></section>")
    return parts


def _item_row(view: ReportView, item: ChecklistItem) -> str:
    t = view.t
    status = str(item.status)
    optional = f' <span class="tag">{_e(t("optional"))}</span>' if not item.required else ""
    title = _e(item.title(view.lang))
    if item.operation and item.operation not in item.title(view.lang):
        title += f"<br><code>{_e(item.operation)}</code>"
    message = _e(item.message)
    if item.waiver is not None:
        message += f'<div class="waiver">{_e(view.waiver_text(item))}</div>'
    measured = "<br>".join(f"{_e(k)} = {_e(fmt_value(v))}" for k, v in item.measured.items())
    return (
        f'<tr class="row-{_e(status)}" id="{_anchor("item", item.id)}">'
        f"<td>{_badge(status, view.status_word(item))}</td>"
        f'<td class="id"><code>{_e(item.id)}</code>{optional}</td>'
        f"<td>{title}</td><td>{_e(item.requirement(view.lang))}</td><td>{measured}</td>"
        f'<td>{message}</td><td class="evidence">{_links(item.evidence)}</td></tr>'
    )


def _checklist(view: ReportView) -> list[str]:
    t = view.t
    head = ("status", "id", "item", "requirement", "measured", "message", "evidence")
    parts = [f'<section id="checklist"><h2>{_e(t("checklist"))}</h2>']
    for stage, items in view.stages:
        parts.append(
            f'<h3 id="stage-{_e(stage)}">{_e(t.stage(stage))} <span class="tag">{_e(stage)}</span></h3>'
        )
        parts.append(
            "<table><thead><tr>" + "".join(f"<th>{_e(t(h))}</th>" for h in head) + "</tr></thead><tbody>"
        )
        parts.extend(_item_row(view, item) for item in items)
        parts.append("</tbody></table>")
    parts.append("</section>")
    return parts


def _waivers(view: ReportView) -> list[str]:
    t = view.t
    parts = [f'<section id="waivers"><h2>{_e(t("waivers"))}</h2>']
    if not view.waived:
        parts.append(f'<p class="note">{_e(t("no_waivers"))}</p></section>')
        return parts
    head = ("id", "waiver.reason", "waiver.signer", "waiver.role", "waiver.outcome")
    parts.append(
        "<table><thead><tr>" + "".join(f"<th>{_e(t(h))}</th>" for h in head) + "</tr></thead><tbody>"
    )
    for item in view.waived:
        if item.waiver is None:  # view.waived holds only waived items; this narrows the type
            continue
        parts.append(
            f'<tr class="row-waived"><td><a href="#{_anchor("item", item.id)}">'
            f"<code>{_e(item.id)}</code></a> "
            f"{_badge('waived', t.status('waived'))}</td><td>{_e(item.waiver.reason)}</td>"
            f"<td>{_e(item.waiver.signer)}</td><td>{_e(t.role(item.waiver.role))}</td>"
            f"<td>{_e(t.status(str(item.outcome or 'fail')))}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return parts


def _verdict_badge(view: ReportView, check: CheckRecord | None) -> str:
    if check is None:
        return f'<span class="note">{_e(view.t("not_judged"))}</span>'
    outcome = check_outcome(check) or "skip"
    return f'{_badge(outcome, view.t.outcome(outcome))} <span class="note">{_e(check.message)}</span>'


def _operation(view: ReportView, op: OperationLoad) -> list[str]:
    t = view.t
    lat = op.latency_ms
    rate = "—" if op.success_rate is None else f"{op.success_rate:.3%}"
    sla = "—" if op.sla_p95_ms is None else f"{charts.fmt_ms(op.sla_p95_ms)} ms"
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(op.statuses.items()))
    figures = [
        (t("requests"), str(op.count)),
        (t("failures"), str(op.failures)),
        (t("success_rate"), rate),
        *(
            (key, f"{charts.fmt_ms(lat[key])} ms")
            for key in ("p50", "p90", "p95", "p99", "max")
            if key in lat
        ),
        (t("sla_p95"), sla),
        (t("statuses"), statuses or "—"),
    ]
    parts = [f'<article class="operation" id="{_anchor("op", op.name)}"><h3><code>{_e(op.name)}</code></h3>']
    parts.append(
        "<table><thead><tr>"
        + "".join(f"<th>{_e(k)}</th>" for k, _ in figures)
        + "</tr></thead><tbody><tr>"
        + "".join(f"<td>{_e(v)}</td>" for _, v in figures)
        + "</tr></tbody></table>"
    )
    parts.append(
        f"<p>P95: {_verdict_badge(view, op.p95_check)}<br>"
        f"{_e(t('success_rate'))}: {_verdict_badge(view, op.success_check)}</p>"
    )
    parts.append('<div class="charts">')
    bins, curve = op.bins(), op.curve()
    if bins and curve:
        parts.append(charts.histogram_svg(bins, t, p95_ms=lat.get("p95"), sla_ms=op.sla_p95_ms))
        parts.append(charts.percentile_svg(curve, t, sla_ms=op.sla_p95_ms))
    else:
        parts.append(f'<p class="note">{_e(t("no_histogram"))}</p>')
    if op.failures_by_code:
        parts.append(charts.errors_svg(op.failures_by_code, t))
    else:
        parts.append(f'<p class="note">{_e(t("chart.errors"))}: {_e(t("no_failures"))}</p>')
    parts.append("</div></article>")
    return parts


def _load(view: ReportView, load: LoadView | None) -> list[str]:
    t = view.t
    parts = [f'<section id="load"><h2>{_e(t("load"))}</h2>']
    if load is None or not load.operations:
        parts.append(f'<p class="note">{_e(t("no_load"))}</p></section>')
        return parts
    rps = "—" if load.rps is None else f"{load.rps:g}"
    parts.append(
        f"<p>{_e(t('requests'))}: <b>{load.requests}</b> · {_e(t('failures'))}: <b>{load.failures}</b> · "
        f"{_e(t('rps'))}: <b>{_e(rps)}</b> · {_e(t('verdict'))}: "
        f"{_badge(load.verdict or 'not_run', t.outcome(load.verdict or 'skip'))}</p>"
    )
    if load.series:
        parts.append('<div class="charts">' + charts.series_svg(load.series, t) + "</div>")
    else:
        parts.append(f'<p class="note">{_e(t("no_series"))}</p>')
    for op in load.operations:
        parts += _operation(view, op)
    parts.append("</section>")
    return parts


def _failure(view: ReportView, index: int, failure: FailedCheck) -> list[str]:
    t = view.t
    where = f" · <code>{_e(failure.operation)}</code>" if failure.operation else ""
    parts = [
        f'<article class="failure" id="failure-{index}">',
        f"<h3>{_badge('fail', t.status('fail'))} <code>{_e(failure.id)}</code> · {_e(t('suite'))} "
        f"<code>{_e(failure.suite)}</code>{where}</h3>",
        f"<p><b>{_e(failure.title)}</b></p>",
        f'<p class="message">{_e(failure.message)}</p>',
    ]
    if failure.curl:
        parts.append(f'<h4>{_e(t("reproduce"))}</h4><pre class="curl">{_e(failure.curl)}</pre>')
    if failure.details:
        note = f'<p class="note">{_e(t("truncated", link=failure.link))}</p>' if failure.truncated else ""
        parts.append(
            f"<details><summary>{_e(t('details'))}</summary><pre>{_e(failure.details)}</pre>{note}</details>"
        )
    parts.append(f"<p>{_links([failure.link])}</p></article>")
    return parts


def _failures(view: ReportView) -> list[str]:
    t = view.t
    parts = [f'<section id="failing_evidence"><h2>{_e(t("failing_evidence"))}</h2>']
    if not view.failures:
        parts.append(f'<p class="note">{_e(t("no_failing"))}</p>')
    for index, failure in enumerate(view.failures, 1):
        parts += _failure(view, index, failure)
    parts.append("</section>")
    return parts


def _provenance(view: ReportView) -> list[str]:
    rows = view.provenance()
    if not rows:
        return []
    t = view.t
    body = "".join(f"<tr><th>{_e(k)}</th><td><code>{_e(v)}</code></td></tr>" for k, v in rows)
    return [
        f'<section id="provenance"><h2>{_e(t("provenance"))}</h2>',
        f"<table><tbody>{body}</tbody></table></section>",
    ]


@renderer("html", "report.html")
def render_html(view: ReportView) -> bytes:
    c, t = view.checklist, view.t
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(view.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(t('title.plain'))} · {_e(c.run_id)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        *_header(view),
        "<main>",
        *_summary(view),
        *_checklist(view),
        *_waivers(view),
        *_load(view, view.load),
        *_failures(view),
        *_provenance(view),
        "</main>",
        f"<footer>{_e(t('generated_by'))} · {_e(c.run_id)}</footer>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(parts) + "\n").encode("utf-8")
